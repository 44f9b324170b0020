#!/usr/bin/env bash
# The floor: a bare Leptos 0.8 counter (bench/floor), built exactly as the
# widget is (scripts/wasm-flags.sh; wasm-opt and the functions ordered;
# short import and export names; the glue minified by esbuild),
# so that `npm run bench` shows how much of the frame app the framework
# alone takes. Prints one line:
#   size floor (bare Leptos counter): N bytes brotli (wasm W, glue G)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
source scripts/wasm-flags.sh
out=target/floor-pkg
rm -rf "$out"
(cd bench/floor && RUSTUP_TOOLCHAIN=$WASM_TOOLCHAIN RUSTFLAGS=$WASM_RUSTFLAGS CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=$WASM_LINKER CARGO_TARGET_DIR=../../target/floor \
  wasm-pack --quiet build --release --target web --out-dir "../../$out" --out-name floor --no-pack . -- \
  "${WASM_BUILD_STD[@]}")
optimize_wasm "$out/floor_bg.wasm"
node scripts/shorten-wasm-names.mjs "$out/floor_bg.wasm" "$out/floor.js"
npx --no-install esbuild --bundle --minify --format=esm --log-level=warning "$out/floor.js" --outfile="$out/floor.min.js"
wasm=$(brotli -c -q 11 "$out/floor_bg.wasm" | wc -c)
glue=$(brotli -c -q 11 "$out/floor.min.js" | wc -c)
echo "size floor (bare Leptos counter): $((wasm + glue)) bytes brotli (wasm $wasm, glue $glue)"
