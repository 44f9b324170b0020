// The link frame's entry (spec/host-frame.md). It greets window.parent at
// once, before the wasm has loaded, so the host learns quickly that the
// frame is there; it accepts a port only from window.parent; and it hands
// that port, with the parent's origin, to the wasm, which runs the modal. A MessagePort queues what
// the host sends (init, open, …) until the wasm starts listening.
import init, { startFrame } from "./keet_link.js";

const VERSION = 1;

// The frame requires Trusted Types for every HTML and script sink
// (require-trusted-types-for 'script'). Leptos renders static markup by
// <template>.innerHTML, from strings fixed when the view was compiled, so
// those need the default policy. It lets HTML through only when it carries
// no script: no script-bearing or embedding element, no event-handler
// attribute, no javascript: URL. It defines no createScript or
// createScriptURL, so eval, string timers and script URLs stay blocked.
globalThis.trustedTypes?.createPolicy("default", {
  createHTML: (html) =>
    /<\/?(script|iframe|frame|object|embed|base|meta|link|style|template)\b|\son[a-z]+\s*=|javascript:|srcdoc/i.test(html) ? null : html,
});
// KEET_FRAME_WASM: the wasm's content name, which the build defines
// (scripts/bundle.mjs); the page preloads the same file.
const wasm = init({ module_or_path: new URL(KEET_FRAME_WASM, import.meta.url) });

/**
 * The size of the wasm's linear memory, in bytes: for the memory tests and
 * the bench, which import this module again from inside the frame (a
 * cross-origin frame: the host page cannot).
 */
export const wasmMemoryBytes = () => wasm.then((exports) => exports.memory.buffer.byteLength);
let connected = false;
let ignored = 0;

function ignore() {
  ignored += 1;
  document.documentElement.dataset.ignoredHandshakes = String(ignored);
}

addEventListener("message", (event) => {
  const data = event.data;
  const fromParent = window.parent !== window && event.source === window.parent;
  if (connected || !fromParent || !data || data.type !== "keet-link:connect" || data.version !== VERSION
      || event.ports.length !== 1) {
    ignore();
    return;
  }
  connected = true;
  const [port] = event.ports;
  // The connect message's origin is the embedding page's, which that page
  // cannot forge: the API hears it with every call and refuses a page that
  // is not registered for the key.
  wasm.then(() => startFrame(port, event.origin), (error) => {
    port.postMessage({
      type: "callback", name: "onValidationError", isReady: false,
      args: [[{ code: "FRAME_LOAD_FAILED", field: "apiBaseUrl", message: `The link frame could not load its WebAssembly: ${error}` }]],
    });
  });
});

if (window.parent !== window) window.parent.postMessage({ type: "keet-link:hello", version: VERSION }, "*");
