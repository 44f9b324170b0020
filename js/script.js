// @ts-check
// keet-link/script: the classic-script build (bundled by esbuild into
// pkg/script/keet-link.js). Defines window.KeetLink with create(config),
// useKeetLink(config) and configure(options). Safe to include twice. The
// in-page build (isolation: "none") is loaded from next to this file.
import { keetLink } from "./host.js";

// The in-page build beside this file, as the build names it by content
// (scripts/bundle.mjs defines these three, js/build-constants.d.ts declares
// them), so a page that pins this script with `integrity` pins the wasm
// too: it is fetched with its own sha384.
const IN_PAGE_GLUE = KEET_IN_PAGE_GLUE;
const IN_PAGE_WASM = KEET_IN_PAGE_WASM;
// (The integrity only when the build gave one.)
const IN_PAGE_WASM_INTEGRITY = KEET_IN_PAGE_WASM_INTEGRITY.startsWith("sha384-") ? KEET_IN_PAGE_WASM_INTEGRITY : undefined;

(function () {
  const page = /** @type {any} */ (window);
  if (page.KeetLink) return;
  const ownSrc = document.currentScript instanceof HTMLScriptElement ? document.currentScript.src : location.href;
  // The wasm is fetched beside the glue, not once the glue has loaded: on a
  // slow network, one round trip less before the modal is ready.
  const api = keetLink(() => [
    import(new URL(IN_PAGE_GLUE, ownSrc).href),
    fetch(new URL(IN_PAGE_WASM, ownSrc), { integrity: IN_PAGE_WASM_INTEGRITY }),
  ]);
  page.KeetLink = Object.freeze({
    create: api.createKeetLink,
    useKeetLink: api.useKeetLink,
    configure: api.configure,
    /** Resolved: the host side loads no wasm. Kept for pages written for 0.1. */
    ready: Promise.resolve(),
  });
})();
