// The link frame's entry (spec/host-frame.md). It greets window.parent at
// once, before the wasm has loaded, so the host learns quickly that the
// frame is there; it accepts a port only from window.parent; and it hands
// that port to the wasm, which runs the modal. A MessagePort queues what
// the host sends (init, open, …) until the wasm starts listening.
import init, { startFrame } from "./keet_link.js";

const VERSION = 1;
const wasm = init({ module_or_path: new URL("keet_link_bg.wasm", import.meta.url) });

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
  wasm.then(() => startFrame(port), (error) => {
    port.postMessage({
      type: "callback", name: "onValidationError", isReady: false,
      args: [[{ code: "FRAME_LOAD_FAILED", field: "apiBaseUrl", message: `The link frame could not load its WebAssembly: ${error}` }]],
    });
  });
});

if (window.parent !== window) window.parent.postMessage({ type: "keet-link:hello", version: VERSION }, "*");
