// The in-page build's module (the package's "./web" entry, pkg/web/keet_link.js):
// wasm-bindgen's glue, which scripts/bundle.mjs puts beside this file as
// ./keet_link.js, and `prepareKeetLink`, by which the package's loaders
// start a widget's session request while the wasm still downloads.
import init, { createKeetLink } from "./keet_link.js";
import { askForSession } from "./early-session.js";

export * from "./keet_link.js";
export { default } from "./keet_link.js";

/** @type {Promise<unknown> | null} */
let running = null;

/**
 * Asks for the session of `config` (checked by the host API, `apiBaseUrl`
 * set) at once, while the wasm still downloads; runs the wasm from `wasm`
 * (the promise of its response, until one has run); and resolves to a
 * function that creates the widget, which takes that answer for its own
 * first request (DECISIONS S9).
 * @param {any} config
 * @param {Promise<Response>} wasm
 * @returns {Promise<() => any>}
 */
export function prepareKeetLink(config, wasm) {
  const early = askForSession(config.apiBaseUrl, config.linkToken, config.locale);
  // Once per page; a wasm that could not run is run from the next one given.
  running ??= init({ module_or_path: wasm }).catch((error) => {
    running = null;
    throw error;
  });
  return running.then(() => () => createKeetLink(config, early));
}
