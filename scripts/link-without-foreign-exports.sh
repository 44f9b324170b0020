#!/usr/bin/env bash
# The release wasm's linker (scripts/wasm-flags.sh): rust-lld, as rustc would
# run it, without the exports of other crates' classes.
#
# leptos's server_fn links wasm-streams, whose `#[wasm_bindgen]` classes
# (`IntoUnderlying*`) rustc exports like ours. An export is a root for
# wasm-ld's dead-code removal, so their code, and every closure it makes,
# was linked in. Removing the exports afterwards (binaryen, before wasm-opt)
# took their functions but not the closures: their vtables sit in the data
# segment, and each function a vtable points at keeps its slot in the
# function table, which no later tool can prove dead. Never asked for, the
# exports are no roots, and wasm-ld leaves all of it out (8.2 KB of wasm).
# wasm-bindgen skips an export whose description is not in the wasm; the glue
# keeps the classes, inert (scripts/bundle.mjs drops them from the typings).
#
# rustc passes each export as `--export <symbol>`; the symbols carry the
# crate's hash (`intounderlyingsource_pull_58a9…`, and their
# `__wbindgen_describe_` and `__wbg_` companions).
set -euo pipefail
lld="$(rustc --print sysroot)/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/bin/rust-lld"
args=()
while [ $# -gt 0 ]; do
  if [ "$1" = --export ] && [ $# -gt 1 ] && [[ "${2,,}" == *intounderlying* ]]; then
    shift 2
    continue
  fi
  args+=("$1")
  shift
done
exec "$lld" "${args[@]}"
