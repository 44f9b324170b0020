#!/usr/bin/env bash
# Builds the widget into pkg/ (wasm-pack --target web, release), then shrinks
# it with binaryen 132 from npm: wasm-pack's own wasm-opt download cannot
# work here, and Debian's binaryen 108 produces wasm that breaks in browsers.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

wasm-pack build --release --target web --out-dir pkg --out-name keet_link --no-pack . -- --quiet
npx --no-install wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg/keet_link_bg.wasm -o pkg/keet_link_bg.wasm
rm -f pkg/.gitignore

if command -v brotli >/dev/null; then
  total=0
  for file in pkg/keet_link_bg.wasm pkg/keet_link.js; do
    size=$(brotli -c -q 11 "$file" | wc -c)
    total=$((total + size))
    printf 'build: %-24s %7d bytes brotli\n' "$(basename "$file")" "$size"
  done
  printf 'build: %-24s %7d bytes brotli (budget 46080)\n' "widget total" "$total"
fi
