#!/usr/bin/env bash
# Builds everything a browser loads into pkg/, then checks each artifact's
# size against size-budget.txt (brotli -q 11) and fails when one is over.
#   pkg/web      the wasm (wasm-pack --target web, release, shrunk by binaryen
#                132 from npm: wasm-pack's own wasm-opt download cannot work
#                here, and Debian's binaryen 108 breaks the output). The
#                in-page modal ("keet-link/web", isolation: "none").
#   pkg/frame    the link frame: frame.html/js/css and the same wasm. The
#                sandbox serves it on the API origin at /link/v1/.
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
# On the pinned nightly, std is rebuilt for the widget and a panic is an
# immediate abort: no panic formatting in the binary, about 10 % less brotli
# (116.4 KB to 104.9 KB for the wasm). No source locations and no `Debug`
# output in it either (nothing on a release path formats with `{:?}`), and
# std without its default features: 104.9 KB to 100.9 KB more. Its own
# target dir, so the stable builds keep their cache. Nothing in the widget
# panics by design.
RUSTUP_TOOLCHAIN=$(cat scripts/nightly-toolchain) \
RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none" CARGO_TARGET_DIR=target/release-wasm \
  wasm-pack build --release --target web --out-dir pkg/web --out-name keet_link --no-pack . -- \
  --quiet -Zbuild-std=std,panic_abort -Zbuild-std-features=
# --converge and the strips save ~1 %; --gufa was tried and saves nothing.
npx --no-install wasm-opt -Oz --converge --strip-debug --strip-producers --strip-target-features --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg/web/keet_link_bg.wasm -o pkg/web/keet_link_bg.wasm
rm -f pkg/web/.gitignore
python3 scripts/strip-foreign-types.py pkg/web/keet_link.d.ts

# The wasm-bindgen glue, minified (its exports keep their names): 7.7 KB to
# 5.8 KB brotli.
npx --no-install esbuild pkg/web/keet_link.js --minify --format=esm --target=es2020 --log-level=warning \
  --legal-comments=none --allow-overwrite --outfile=pkg/web/keet_link.js

# The link frame: frame.js and the glue as one minified script, and every
# file the page loads named by its content (cached as immutable by the
# server; only frame.html is revalidated), each precompressed beside it
# (.br, .gz) for servers that serve those by Accept-Encoding.
mkdir -p pkg/frame pkg/script
hashed() { echo "$1.$(sha256sum "$2" | cut -c1-12).$3"; }
wasm_name=$(hashed keet_link_bg pkg/web/keet_link_bg.wasm wasm)
cp pkg/web/keet_link_bg.wasm "pkg/frame/$wasm_name"
entry=$(mktemp -d)
cp js/frame/frame.js pkg/web/keet_link.js "$entry/"
npx --no-install esbuild "$entry/frame.js" --bundle --minify --format=esm --target=es2020 --log-level=warning \
  --legal-comments=none --outfile="$entry/frame.bundle.js"
sed -i "s#keet_link_bg\.wasm#$wasm_name#g" "$entry/frame.bundle.js"
grep -q "$wasm_name" "$entry/frame.bundle.js" || { echo "build: the frame script lost its wasm URL" >&2; exit 1; }
script_name=$(hashed frame "$entry/frame.bundle.js" js)
cp "$entry/frame.bundle.js" "pkg/frame/$script_name"
rm -rf "$entry"
style_name=$(hashed frame js/frame/frame.css css)
cp js/frame/frame.css "pkg/frame/$style_name"
sed -e "s#\"frame\.css\"#\"$style_name\"#; s#\"frame\.js\"#\"$script_name\"#; s#\"keet_link_bg\.wasm\"#\"$wasm_name\"#" \
  js/frame/frame.html > pkg/frame/frame.html
for name in "$style_name" "$script_name" "$wasm_name"; do
  grep -q "\"$name\"" pkg/frame/frame.html || { echo "build: frame.html does not load $name" >&2; exit 1; }
done
for file in pkg/frame/*; do
  brotli -q 11 -k -f "$file"
  gzip -9 -k -f "$file"
done
# The classic script and the in-page build it loads, each named by its
# content, so that a page can pin them: keet-link.<hash>.js loads
# keet_link.<hash>.js, which loads keet_link_bg.<hash>.wasm, fetched with
# its sha384. keet-link.js is the same script under the name to copy by.
sri() { echo "sha384-$(openssl dgst -sha384 -binary "$1" | base64 -w0)"; }
entry=$(mktemp -d)
cp pkg/web/keet_link_bg.wasm "pkg/script/$wasm_name"
sed "s#keet_link_bg\.wasm#$wasm_name#g" pkg/web/keet_link.js > "$entry/glue.js"
glue_name=$(hashed keet_link "$entry/glue.js" js)
cp "$entry/glue.js" "pkg/script/$glue_name"
npx --no-install esbuild js/script.js --bundle --minify --format=iife --target=es2020 --log-level=warning \
  --legal-comments=none --outfile="$entry/keet-link.js"
sed -i -e "s#\"keet_link\.js\"#\"$glue_name\"#" -e "s#\"keet_link_bg\.wasm\"#\"$wasm_name\"#" \
  -e "s#\"KEET_WASM_INTEGRITY\"#\"$(sri "pkg/script/$wasm_name")\"#" "$entry/keet-link.js"
for name in "$glue_name" "$wasm_name" "sha384-"; do
  grep -q "\"$name" "$entry/keet-link.js" || { echo "build: the classic script lost its in-page $name" >&2; exit 1; }
done
script_name=$(hashed keet-link "$entry/keet-link.js" js)
cp "$entry/keet-link.js" "pkg/script/$script_name"
cp "$entry/keet-link.js" pkg/script/keet-link.js
rm -rf "$entry"
# Subresource Integrity of every file a host page loads by URL.
{
  printf '{\n'
  first=1
  for name in "$script_name" "$glue_name" "$wasm_name" keet-link.js; do
    [ $first = 1 ] || printf ',\n'
    first=0
    printf '  "%s": "%s"' "$name" "$(sri "pkg/script/$name")"
  done
  printf '\n}\n'
} > pkg/script/integrity.json
echo "build: pin the classic script with"
echo "  <script src=\".../$script_name\" integrity=\"$(sri "pkg/script/$script_name")\" crossorigin=\"anonymous\"></script>"
echo "build: every file's sha384 is in pkg/script/integrity.json"

# The host loader is plain JS, type-checked against spec/*.d.ts.
npx --no-install tsc -p tsconfig.host.json

# The package's "." entry: the loader as one minified ES module. Its lazy
# import of the in-page build is external, re-pointed from js/ to pkg/loader/.
npx --no-install esbuild js/index.js --bundle --minify --format=esm --target=es2020 --log-level=warning \
  --legal-comments=none --external:../pkg/web/keet_link.js --outfile=pkg/loader/keet-link.js
sed -i 's#"../pkg/web/keet_link.js"#"../web/keet_link.js"#' pkg/loader/keet-link.js
grep -q '"../web/keet_link.js"' pkg/loader/keet-link.js || { echo "build: the loader lost its in-page import" >&2; exit 1; }
cp js/index.d.ts pkg/loader/keet-link.d.ts
sed -i 's#"../spec/keet-link"#"../../spec/keet-link"#g' pkg/loader/keet-link.d.ts

# "./element": <keet-link>, on top of the "." entry (imported, not copied,
# so that configure() and the in-page build are shared with it).
npx --no-install esbuild js/element.js --bundle --minify --format=esm --target=es2022 --log-level=warning \
  --legal-comments=none --external:./index.js --outfile=pkg/element/keet-link-element.js
sed -i 's#"./index.js"#"../loader/keet-link.js"#' pkg/element/keet-link-element.js
grep -q '"../loader/keet-link.js"' pkg/element/keet-link-element.js || { echo "build: the element lost its loader import" >&2; exit 1; }
cp js/element.d.ts pkg/element/keet-link-element.d.ts
sed -i 's#"../spec/keet-link"#"../../spec/keet-link"#g' pkg/element/keet-link-element.d.ts

brotli_size() { local total=0 f; for f in "$@"; do total=$((total + $(brotli -c -q 11 "$f" | wc -c))); done; echo "$total"; }
declare -A size=(
  [host]=$(brotli_size pkg/loader/keet-link.js)
  [script]=$(brotli_size pkg/script/keet-link.js)
  [element]=$(brotli_size pkg/element/keet-link-element.js)
  [frame-app]=$(brotli_size $(ls pkg/frame/* | grep -v -e '\.br$' -e '\.gz$'))
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
