// The names scripts/bundle.mjs defines (esbuild `define`) in the bundles
// it builds, declared for the type-check of the sources.
/** The classic script's in-page glue, by its content name. */
declare const KEET_IN_PAGE_GLUE: string;
/** The in-page wasm, by its content name. */
declare const KEET_IN_PAGE_WASM: string;
/** The in-page wasm's `sha384-…`, which the classic script fetches it with. */
declare const KEET_IN_PAGE_WASM_INTEGRITY: string;
/** The frame's wasm, by its content name. */
declare const KEET_FRAME_WASM: string;
/** The in-page wasm as a path from the "." entry's bundle (pkg/loader) to pkg/web. */
declare const KEET_LOADER_WASM_PATH: string;
