#!/usr/bin/env bash
# Proves the published files are complete: packs the package, installs the
# tarball into fresh projects outside the repo, builds Keet's React sample
# and a Vue 3 app (<keet-link>, and the "." entry with no framework) with
# Vite 7, and type-checks a TypeScript consumer (and a wrong one).
# Outputs, for Playwright: target/consumers/react-dist and vue-dist (the
# built apps) and target/consumers/installed-pkg (pkg/ as installed from
# the tarball).
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
