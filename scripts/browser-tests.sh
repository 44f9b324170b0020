#!/usr/bin/env bash
# wasm-bindgen-test in headless Chromium and Firefox, against a real sandbox.
# Browsers may not send the API key (the sandbox refuses it with an Origin),
# so this script mints the link tokens and passes them, with the sandbox's
# URL, to the tests at compile time (option_env!).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

api_key="sk_sandbox_$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
cargo build --quiet -p keet-sandbox
log=$(mktemp)
KEET_SANDBOX_API_KEY="$api_key" ./target/debug/keet-sandbox --port 0 --rate-limit 1000 >"$log" 2>/dev/null &
sandbox=$!
trap 'kill $sandbox 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 50); do grep -q '^listening on ' "$log" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$log" | head -n 1)
[ -n "$url" ] || { echo "the sandbox did not start" >&2; exit 1; }

mint() {
  local tokens=() i token
  for i in $(seq "$1"); do
    token=$(curl -sf -X POST "$url/v1/link/token" -H "Authorization: Bearer $api_key" \
      -H 'Content-Type: application/json' \
      -d "{\"linkConfig\":{\"endUserId\":\"browser-test-$i\",\"integration\":\"Instagram\",\"companyName\":\"Acme\"}}" |
      sed -n 's/.*"linkToken":"\([^"]*\)".*/\1/p')
    tokens+=("$token")
  done
  (IFS=,; echo "${tokens[*]}")
}

for browser in chrome firefox; do
  echo "browser tests: $browser"
  KEET_SANDBOX_URL="$url" KEET_LINK_TOKENS="$(mint 16)" wasm-pack test --headless "--$browser" . --test browser
done
