// @ts-check
// keet-link: the package's ES module entry. The modal runs in the link
// frame; the page loads no wasm unless a widget asks for isolation: "none",
// and then only the in-page build, lazily (bundlers split it off).
import { keetLink } from "./host.js";

export { CALLBACKS, CALLBACK_ARGS, OPTIONS } from "./host.js";

/** @type {Promise<import("./host.js").InPageModule> | null} */
let inPage = null;

export const { createKeetLink, useKeetLink, configure } = keetLink(() => {
  inPage ??= import("../pkg/web/keet_link.js").then(async (module) => {
    await module.default();
    return module;
  });
  return inPage;
});
