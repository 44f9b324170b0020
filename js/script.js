// @ts-check
// keet-link/script: the classic-script build (bundled by esbuild into
// pkg/script/keet-link.js). Defines window.KeetLink with create(config),
// useKeetLink(config) and configure(options). Safe to include twice. The
// in-page build (isolation: "none") is loaded from next to this file.
import { keetLink } from "./host.js";

(function () {
  const page = /** @type {any} */ (window);
  if (page.KeetLink) return;
  const ownSrc = document.currentScript instanceof HTMLScriptElement ? document.currentScript.src : location.href;
  /** @type {Promise<any> | null} */
  let inPage = null;
  const api = keetLink(() => {
    inPage ??= import(new URL("keet_link.js", ownSrc).href).then(async (module) => {
      await module.default();
      return module;
    });
    return inPage;
  });
  page.KeetLink = Object.freeze({
    create: api.createKeetLink,
    useKeetLink: api.useKeetLink,
    configure: api.configure,
    /** Resolved: the host side loads no wasm. Kept for pages written for 0.1. */
    ready: Promise.resolve(),
  });
})();
