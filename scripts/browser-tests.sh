#!/usr/bin/env bash
# wasm-bindgen-test in headless Chromium and Firefox, against a real sandbox
# that also serves the built link frame (scripts/build-widget.sh runs first).
# Browsers may not send the API key (the sandbox refuses it with an Origin),
# so this script mints the link tokens and passes them, with the sandbox's
# URL, to the tests at compile time (option_env!).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
[ -f pkg/frame/frame.html ] || { echo "browser tests: build the widget first (scripts/build-widget.sh)" >&2; exit 1; }

cargo build --quiet -p keet-sandbox
mkdir -p test-results
out=$(mktemp)
log=test-results/sandbox-browser-tests.log
# It mints its own API key and prints it, with its URL, as one line of JSON.
env -u KEET_SANDBOX_API_KEY ./target/debug/keet-sandbox --port 0 --ready-json --rate-limit 1000 --frame-app pkg/frame >"$out" 2>"$log" &
sandbox=$!
trap 'kill $sandbox 2>/dev/null || true; rm -f "$out"' EXIT
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
  (IFS=,; echo "${tokens[*]}")
}

for browser in chrome firefox; do
  echo "browser tests: $browser"
  tokens=$(mint 20)
  KEET_SANDBOX_URL="$url" KEET_LINK_TOKENS="$tokens" wasm-pack test --headless "--$browser" . --test browser
done
