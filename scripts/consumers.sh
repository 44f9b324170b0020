#!/usr/bin/env bash
# Proves the published files are complete: packs the package, installs the
# tarball into fresh projects outside the repo, builds Keet's React sample
# and a Vue 3 app (<keet-link>, and the "." entry with no framework) with
# Vite 7, and type-checks a TypeScript consumer (and a wrong one).
# Outputs, for Playwright: target/consumers/react-dist and vue-dist (the
# built apps), target/consumers/installed-pkg and installed-deploy (pkg/ and
# deploy/ as installed from the tarball) and target/consumers/pages (the
# plain pages).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
out="$repo/target/consumers"
rm -rf "$out" && mkdir -p "$out"

tarball="$out/$(npm pack --silent --pack-destination "$out" 2>/dev/null | tail -n 1)"
echo "consumers: packed $(basename "$tarball") ($(du -k "$tarball" | cut -f1) KB)"

work=$(mktemp -d /tmp/keet-link-consumer.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -r tests/consumers/react-vite/. "$work/"
cp tests/consumers/typescript/* "$work/"
cd "$work"
npm install --no-audit --no-fund --loglevel=error "$tarball" typescript@5.9.3
npx --no-install vite build --logLevel warn
cp -r dist "$out/react-dist"
cp -r node_modules/keet-link/pkg "$out/installed-pkg"
# The link frame and its deployment templates ship in the tarball: the nginx
# end-to-end tests host them from here, as a customer would.
[ -f node_modules/keet-link/pkg/frame/frame.html ] && [ -f node_modules/keet-link/deploy/nginx/keet-link-frame.conf.template ] \
  || { echo "consumers: the tarball lacks the link frame or its nginx template" >&2; exit 1; }
cp -r node_modules/keet-link/deploy "$out/installed-deploy"
# The plain pages, with the pinned script's tag as the README shows it: its
# content name and sha384 from the installed integrity.json (and a copy
# with a wrong sha384, which the browser must refuse).
cp -r "$repo/tests/consumers/pages" "$out/pages"
read -r script_name script_sri < <(node -e '
  const hashes = require(process.argv[1]);
  const name = Object.keys(hashes).find((file) => /^keet-link\.[0-9a-f]{12}\.js$/.test(file));
  console.log(name, hashes[name]);' "$out/installed-pkg/script/integrity.json")
sed -i -e "s#KEET_SCRIPT_NAME#$script_name#" -e "s#KEET_SCRIPT_INTEGRITY#$script_sri#" "$out/pages/sri.html"
sed -e "s#$script_sri#sha384-$(printf 'A%.0s' $(seq 64))#" "$out/pages/sri.html" > "$out/pages/sri-wrong.html"
grep -q "$script_sri" "$out/pages/sri.html" && ! grep -q "$script_sri" "$out/pages/sri-wrong.html"
echo "consumers: the pages pin $script_name with $script_sri"
echo "consumers: Keet's React sample built with Vite $(npx --no-install vite --version | awk '{print $1}' | cut -d/ -f2)"

npx --no-install tsc -p tsconfig.json
echo "consumers: the TypeScript consumer type-checks"

vue="$work/vue"
mkdir -p "$vue"
cp -r "$repo/tests/consumers/vue-vite/." "$vue/"
(cd "$vue" && npm install --no-audit --no-fund --loglevel=error "$tarball" && npx --no-install vite build --logLevel warn)
cp -r "$vue/dist" "$out/vue-dist"
ls "$out"/vue-dist/assets/*.wasm >/dev/null || { echo "consumers: Vite emitted no wasm for the in-page build" >&2; exit 1; }
echo "consumers: the Vue 3 app and the \".\" entry built with Vite, no wasm plugin"
if npx --no-install tsc --noEmit --strict --module esnext --moduleResolution bundler wrong-callback.ts >"$work/negative.log" 2>&1; then
  echo "consumers: a wrong onSuccess type was accepted: the declarations are too loose" >&2
  exit 1
fi
grep -q "TS2322\|TS2345" "$work/negative.log" || { cat "$work/negative.log" >&2; exit 1; }
echo "consumers: a wrong callback type is refused, as it must be"
if npx --no-install tsc --noEmit --strict --module esnext --moduleResolution bundler exhaustive-events.ts >"$work/negative.log" 2>&1; then
  echo "consumers: an exhaustive switch over the event names was accepted: a new event would break such a host" >&2
  exit 1
fi
grep -q "TS2322" "$work/negative.log" || { cat "$work/negative.log" >&2; exit 1; }
echo "consumers: a switch over the event names cannot claim to be exhaustive, as the event contract says"
