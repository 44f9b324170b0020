#!/usr/bin/env python3
"""Removes classes that dependencies export through wasm-bindgen from our .d.ts.

leptos depends on server_fn, which depends on wasm-streams, whose
`IntoUnderlying*` classes wasm-bindgen exports from every crate that links
it. They are not keet-link's API, and their `[Symbol.dispose]` members break
consumers compiled for ES2022. The JS glue keeps them (it must); the typings
describe only what keet-link offers.
"""
import re
import sys

FOREIGN = re.compile(r"^export class (IntoUnderlying\w+) \{\n.*?^\}\n", re.S | re.M)

for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as file:
        text = file.read()
    stripped, count = FOREIGN.subn("", text)
    with open(path, "w", encoding="utf-8") as file:
        file.write(stripped)
    print(f"build: {path}: removed {count} foreign classes from the typings")
