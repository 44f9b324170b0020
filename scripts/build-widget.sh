#!/usr/bin/env bash
# Builds everything a browser loads into pkg/, then checks each artifact's
# size against size-budget.txt (brotli -q 11) and fails when one is over.
#   pkg/web      the wasm (wasm-pack --target web, release, shrunk by binaryen
#                132 from npm: wasm-pack's own wasm-opt download cannot work
#                here, and Debian's binaryen 108 breaks the output). The
#                in-page modal ("keet-link/web", isolation: "none").
#   pkg/frame    the link frame: frame.html/js/css, a wasm of its own
#                (feature frame-app) and the words file of each locale but
#                English. The sandbox serves it on the API origin at /link/v1/.
#   pkg/loader   keet-link.js, the package's "." entry: the host loader as
#                one minified ES module (from js/index.js), with its types.
#   pkg/script   keet-link.js, the classic-script loader (esbuild IIFE), with
#                the in-page build beside it for isolation: "none"; each file
#                also under a content-hashed name, and integrity.json with
#                the sha384 of each.
#   pkg/element  keet-link-element.js, the <keet-link> custom element (ESM,
#                "./element"), importing pkg/loader.
# "./react" (js/react.js) ships as source on top of pkg/loader.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

rm -rf pkg
# The flags (scripts/wasm-flags.sh) say why each is there. Its own target
# dir, so the stable builds keep their cache. Nothing in the widget panics
# by design.
source scripts/wasm-flags.sh
RUSTUP_TOOLCHAIN=$WASM_TOOLCHAIN RUSTFLAGS=$WASM_RUSTFLAGS CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=$WASM_LINKER \
  CARGO_TARGET_DIR=target/release-wasm wasm-pack build --release --target web --out-dir pkg/web --out-name keet_link --no-pack . -- \
  --quiet "${WASM_BUILD_STD[@]}"
# No other crate's classes are exported (wasm-streams', via leptos): the
# linker left them out, with their code (scripts/wasm-flags.sh).
node scripts/check-no-foreign-exports.mjs pkg/web/keet_link_bg.wasm
optimize_wasm pkg/web/keet_link_bg.wasm
# wasm-bindgen's hashed import and export names, short in the wasm and its
# glue alike (scripts/shorten-wasm-names.mjs says why).
node scripts/shorten-wasm-names.mjs pkg/web/keet_link_bg.wasm pkg/web/keet_link.js \
  pkg/web/keet_link.d.ts pkg/web/keet_link_bg.wasm.d.ts
rm -f pkg/web/.gitignore
# The link frame's own wasm (feature frame-app): no host API, and only
# English's words built in; the other locales' words files are written
# beside it, and the frame fetches the one it speaks (DECISIONS S13).
# Built alike, in the same target dir (cargo keeps both feature sets).
rm -rf target/frame-web target/frame-words
RUSTUP_TOOLCHAIN=$WASM_TOOLCHAIN RUSTFLAGS=$WASM_RUSTFLAGS CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=$WASM_LINKER \
  CARGO_TARGET_DIR=target/release-wasm wasm-pack build --release --target web --out-dir target/frame-web --out-name keet_link --no-pack --no-typescript . -- \
  --quiet --features frame-app "${WASM_BUILD_STD[@]}"
node scripts/check-no-foreign-exports.mjs target/frame-web/keet_link_bg.wasm
optimize_wasm target/frame-web/keet_link_bg.wasm
node scripts/shorten-wasm-names.mjs target/frame-web/keet_link_bg.wasm target/frame-web/keet_link.js
cargo run --quiet -p keet-link-i18n --example words -- target/frame-words

# Every bundle, by esbuild's API (scripts/bundle.mjs): the frame, the classic
# script with its content-named in-page build and integrity.json, the "."
# entry and the element, and the typings. The host loader is plain JS,
# type-checked against spec/*.d.ts first.
npx --no-install tsc -p tsconfig.host.json
node scripts/bundle.mjs
# Each file the frame page loads, precompressed beside it (.br, .gz) for
# servers that serve those by Accept-Encoding. The in-page build and the
# loader too, for the sandbox's demo site (keet-sandbox --pkg), as a real
# site or CDN would serve them; the npm package leaves those out
# (package.json "files"): a bundler or server compresses them there.
for file in pkg/frame/* pkg/web/keet_link_bg.wasm pkg/web/keet_link.js pkg/loader/keet-link.js; do
  case "$file" in *.br|*.gz) continue ;; esac
  brotli -q 11 -k -f "$file"
  gzip -9 -k -f "$file"
done

# The frame loads at most one words file (none in English): the budget
# counts the largest.
largest_words() { local most=0 f n; for f in pkg/frame/words_*.txt; do n=$(brotli_size "$f"); [ "$n" -gt "$most" ] && most=$n; done; echo "$most"; }
brotli_size() { local total=0 f; for f in "$@"; do total=$((total + $(brotli -c -q 11 "$f" | wc -c))); done; echo "$total"; }
declare -A size=(
  [host]=$(brotli_size pkg/loader/keet-link.js)
  [script]=$(brotli_size pkg/script/keet-link.js)
  [element]=$(brotli_size pkg/element/keet-link-element.js)
  [frame-app]=$(($(brotli_size $(ls pkg/frame/* | grep -v -e '\.br$' -e '\.gz$' -e '/words_')) + $(largest_words)))
  [in-page]=$(brotli_size pkg/web/keet_link_bg.wasm pkg/web/keet_link.js)
)
over=0
while read -r name budget _; do
  case "$name" in ''|'#'*) continue ;; esac
  actual=${size[$name]:?"size-budget.txt names $name, which the build does not measure"}
  printf 'size %s: %s bytes brotli (budget %s)\n' "$name" "$actual" "$budget"
  if [ "$actual" -gt "$budget" ]; then
    echo "build: $name is $((actual - budget)) bytes over its budget in size-budget.txt" >&2
    over=1
  fi
done < size-budget.txt
exit "$over"
