#!/usr/bin/env bash
# Builds the widget into pkg/ (wasm-pack --target web, release), then shrinks
# it with binaryen 132 from npm: wasm-pack's own wasm-opt download cannot
# work here, and Debian's binaryen 108 produces wasm that breaks in browsers.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

# Three builds of one crate (cargo reuses the compiled artifact):
#   pkg/web      --target web       <script type="module"> and the React hook
#   pkg/bundler  --target bundler   the package's "." for webpack and friends
#   pkg/script   --target no-modules, wrapped into the classic keet-link.js
rm -rf pkg
for target in web bundler no-modules; do
  dir=pkg/${target/no-modules/script}
  wasm-pack build --release --target "$target" --out-dir "$dir" --out-name keet_link --no-pack . -- --quiet
  # --converge and the two strips save ~1 %; --gufa was tried and saves nothing.
  npx --no-install wasm-opt -Oz --converge --strip-producers --strip-target-features --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$dir/keet_link_bg.wasm" -o "$dir/keet_link_bg.wasm"
  rm -f "$dir/.gitignore"
done
python3 scripts/strip-foreign-types.py pkg/web/keet_link.d.ts pkg/bundler/keet_link.d.ts
# The classic script: the no-modules glue inside a function scope (so a
# second <script> tag cannot redeclare it), then window.KeetLink.
cat js/script-prelude.js pkg/script/keet_link.js js/script-epilogue.js > pkg/script/keet-link.js
rm pkg/script/keet_link.js pkg/script/keet_link.d.ts pkg/script/keet_link_bg.wasm.d.ts

if command -v brotli >/dev/null; then
  size() { local total=0 f; for f in "$@"; do total=$((total + $(brotli -c -q 11 "$f" | wc -c))); done; echo "$total"; }
  printf 'build: %-34s %7s bytes brotli\n' \
    "web (wasm + glue)" "$(size pkg/web/keet_link_bg.wasm pkg/web/keet_link.js)" \
    "bundler (wasm + glue)" "$(size pkg/bundler/keet_link_bg.wasm pkg/bundler/keet_link.js pkg/bundler/keet_link_bg.js)" \
    "script (wasm + keet-link.js)" "$(size pkg/script/keet_link_bg.wasm pkg/script/keet-link.js)" \
    "react (web + react.js)" "$(size pkg/web/keet_link_bg.wasm pkg/web/keet_link.js js/react.js)"
  echo "build: the budget for the whole widget is 46080 bytes brotli"
fi
