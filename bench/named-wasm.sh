#!/usr/bin/env bash
# The link frame's wasm as scripts/build-widget.sh builds it, with its
# function names kept, for twiggy (`cargo install twiggy`):
#   bash bench/named-wasm.sh [in-page]
#   twiggy top -n 30 target/named-wasm/keet_link_bg.wasm
#   twiggy paths target/named-wasm/keet_link_bg.wasm '<a name from top>'
# The same flags, linker and target dir as the release build, so cargo
# rebuilds nothing it has; only wasm-bindgen (`--keep-debug`) and wasm-opt
# (`-g`) run differently, and the functions are not reordered (that would
# replace their names). Its functions are the release wasm's, byte for byte,
# bar the names and their order. Not part of `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
source scripts/wasm-flags.sh
features=(--features frame-app)
[ "${1:-}" = in-page ] && features=()
RUSTUP_TOOLCHAIN=$WASM_TOOLCHAIN RUSTFLAGS=$WASM_RUSTFLAGS CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=$WASM_LINKER \
  CARGO_TARGET_DIR=target/release-wasm cargo build --quiet --lib --release --target wasm32-unknown-unknown \
  "${features[@]}" "${WASM_BUILD_STD[@]}"
out=target/named-wasm
rm -rf "$out"
wasm-bindgen --target web --keep-debug --no-typescript --out-dir "$out" \
  target/release-wasm/wasm32-unknown-unknown/release/keet_link.wasm
flags=()
for flag in "${WASM_OPT_FLAGS[@]}"; do [ "$flag" = --strip-debug ] || flags+=("$flag"); done
npx --no-install wasm-opt -g "${flags[@]}" "$out/keet_link_bg.wasm" -o "$out/keet_link_bg.wasm"
echo "named wasm: $out/keet_link_bg.wasm (twiggy top -n 30 $out/keet_link_bg.wasm)"
