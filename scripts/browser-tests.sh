#!/usr/bin/env bash
# wasm-bindgen-test in headless Chromium and Firefox, against a real sandbox
# that also serves the built link frame (scripts/build-widget.sh runs first).
# Browsers may not send the API key (the sandbox refuses it with an Origin),
# so this script mints the link tokens, and the tests read them, with the
# sandbox's URL, at run time from scripts/browser-harness.mjs on a fixed
# port: the test crate is built once, not for every sandbox and token.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
[ -f pkg/frame/frame.html ] || { echo "browser tests: build the widget first (scripts/build-widget.sh)" >&2; exit 1; }

cargo build --quiet -p keet-sandbox
mkdir -p test-results
out=$(mktemp)
log=test-results/sandbox-browser-tests.log
# It mints its own API key and prints it, with its URL, as one line of JSON.
env -u KEET_SANDBOX_API_KEY ./target/debug/keet-sandbox --port 0 --ready-json --in-memory --rate-limit 1000 --frame-app pkg/frame >"$out" 2>"$log" &
sandbox=$!
# The tests' one fixed address; another port must be set at build time too.
harness_port=${KEET_BROWSER_HARNESS_PORT:-47190}
harness_file=$(mktemp)
node scripts/browser-harness.mjs "$harness_port" "$harness_file" >"$harness_file.log" 2>&1 &
harness=$!
trap 'kill $sandbox $harness 2>/dev/null || true; rm -f "$out" "$harness_file" "$harness_file.log"' EXIT
for _ in $(seq 50); do grep -q listening "$harness_file.log" 2>/dev/null && break; kill -0 $harness 2>/dev/null || break; sleep 0.1; done
grep -q listening "$harness_file.log" || { cat "$harness_file.log" >&2; exit 1; }
for _ in $(seq 50); do [ -s "$out" ] && break; sleep 0.1; done
ready() { node -e 'const r = JSON.parse(require("fs").readFileSync(0, "utf8").split("\n")[0]); process.stdout.write(r[process.argv[1]])' "$1" <"$out" 2>/dev/null; }
url=$(ready api || true)
api_key=$(ready apiKey || true)
[ -n "$url" ] || { echo "browser tests: the sandbox did not start; its log:" >&2; cat "$log" >&2; exit 1; }

# Fails the script (not a later test) when a token cannot be minted.
mint() {
  local tokens=() i answer token
  for i in $(seq "$1"); do
    answer=$(curl -sS -f -X POST "$url/v1/link/token" -H "Authorization: Bearer $api_key" \
      -H 'Content-Type: application/json' \
      -d "{\"linkConfig\":{\"endUserId\":\"browser-test-$i\",\"integration\":\"Instagram\",\"companyName\":\"Acme\"}}")
    token=$(sed -n 's/.*"linkToken":"\([^"]*\)".*/\1/p' <<<"$answer")
    [ -n "$token" ] || { echo "browser tests: no link token in the sandbox's answer" >&2; return 1; }
    tokens+=("$token")
  done
  printf '"%s",' "${tokens[@]}" | sed 's/,$//'
}

for browser in chrome firefox; do
  echo "browser tests: $browser"
  printf '{"api":"%s","tokens":[%s]}\n' "$url" "$(mint 20)" >"$harness_file"
  KEET_BROWSER_HARNESS="http://127.0.0.1:$harness_port/harness.json" wasm-pack test --headless "--$browser" . --test browser
done
