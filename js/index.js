// @ts-check
// keet-link: the package's ES module entry. The modal runs in the link
// frame; the page loads no wasm unless a widget asks for isolation: "none",
// and then only the in-page build, lazily (bundlers split it off).
import { keetLink } from "./host.js";

export { CALLBACKS, CALLBACK_ARGS, OPTIONS } from "./host.js";

// The wasm is fetched beside the glue, not once the glue has loaded: on a
// slow network, one round trip less before the modal is ready (DECISIONS
// S9). KEET_LOADER_WASM_PATH: the in-page wasm from this module's bundle
// (scripts/bundle.mjs), a literal there, which bundlers find as they find
// the glue's own.
export const { createKeetLink, useKeetLink, configure } = keetLink(() => [
  import("../pkg/web/keet_link.js"),
  fetch(new URL(KEET_LOADER_WASM_PATH, import.meta.url)),
]);
