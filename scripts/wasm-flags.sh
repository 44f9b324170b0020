# The release wasm's flags, sourced by scripts/build-widget.sh (the widget)
# and bench/floor.sh (the bare Leptos counter the bench compares it with),
# so that both are built alike.
#
# On the pinned nightly, std is rebuilt for the wasm and a panic is an
# immediate abort: no panic formatting in the binary, about 10 % less brotli
# (116.4 KB to 104.9 KB for the widget). No source locations and no `Debug`
# output in it either (nothing on a release path formats with `{:?}`), and
# std without its default features: 104.9 KB to 100.9 KB more.
# No `--cfg erase_components`: it saved 2.8 KB while the view was tachys'
# elements, and costs 466 B since the view makes its own (S8).
# No reference types: wasm-bindgen keeps JS values in its glue's slab instead
# of an externref table with a shim per export: the wasm 863 B smaller, the
# minified glue 199 B larger (spec/DECISIONS.md S8).
# The linker drops other crates' exported classes, so that their code is never
# linked in (the script says why): 4.1 KB less brotli for the frame's wasm.
# Given as CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER, by path.
WASM_TOOLCHAIN=$(cat "$(dirname "${BASH_SOURCE[0]}")/nightly-toolchain")
WASM_LINKER=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/link-without-foreign-exports.sh
WASM_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none -Ctarget-feature=-reference-types"
WASM_BUILD_STD=(-Zbuild-std=std,panic_abort -Zbuild-std-features=)
# --converge and the strips save ~1 %; --gufa was tried and saves nothing.
# -O2 --shrink-level=1 rather than -Oz: -Oz's smaller raw wasm (253 KB to
# 263 KB) compresses worse once the functions are ordered below: 496 B less
# brotli for the frame app, 760 B in-page (spec/DECISIONS.md S8).
# -ocimfs=15: wasm-opt inlines a function that has one caller only when it is
# at most 15 instructions (by default, whatever its size). Fewer merged
# giants: the raw wasm grows by 0.6 %, but brotli shrinks by 4.6 %, as each
# function keeps few locals with short indices (spec/DECISIONS.md S8).
WASM_OPT_FEATURES=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue)
WASM_OPT_FLAGS=(-O2 --shrink-level=1 --converge -ocimfs=15 --strip-debug --strip-producers --strip-target-features
  "${WASM_OPT_FEATURES[@]}")
WASM_SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# optimize_wasm FILE: wasm-opt with the flags above, in place, then the
# functions put in an order that compresses better
# (scripts/order-wasm-functions.mjs says why).
optimize_wasm() {
  npx --no-install wasm-opt "${WASM_OPT_FLAGS[@]}" "$1" -o "$1"
  node "$WASM_SCRIPTS/order-wasm-functions.mjs" "$1" "$1.ordered"
  npx --no-install wasm-opt "${WASM_OPT_FEATURES[@]}" --reorder-functions-by-name "$1.ordered" -o "$1"
  rm "$1.ordered"
}
