// The link frame's entry (spec/host-frame.md). It greets window.parent at
// once, before the wasm has loaded, so the host learns quickly that the
// frame is there; it accepts a port only from window.parent; and it hands
// that port, with the parent's origin, to the wasm, which runs the modal.
// What the host sends before then (init, open, …) is kept, in order, for
// the wasm, and init's link token is used at once to ask for the session.
import { initSync, startFrame } from "./keet_link.js";
import { askForSession, REQUEST_TIMEOUT_MS } from "../early-session.js";

const VERSION = 1;

// The frame requires Trusted Types for every HTML and script sink and
// allows no policy (require-trusted-types-for 'script'; trusted-types
// 'none'): the modal makes each element with createElement and writes text
// as text, so no string reaches an HTML sink, and none can.
// KEET_FRAME_WASM: the wasm's content name, which the build defines
// (scripts/bundle.mjs); the page preloads the same file. It is compiled
// while it downloads, then instantiated by the glue's initSync. (The glue's
// async init is left out of the bundle, as nothing calls it: most of it is
// for calling conventions this frame does not use.) A server that sends it
// as another type than application/wasm, as a bucket may, cannot have it
// compiled as it arrives; then it is compiled once whole.
const wasm = fetch(new URL(KEET_FRAME_WASM, import.meta.url)).then((response) => {
  if (!response.ok) throw new Error(`${response.status} for ${response.url}`);
  return /^application\/wasm\b/i.test(response.headers.get("Content-Type"))
    ? WebAssembly.compileStreaming(response)
    : response.arrayBuffer().then(WebAssembly.compile);
}).then((module) => initSync({ module }));
// KEET_FRAME_WORDS: every locale's words file but English's, by tag, each
// named by its content (scripts/bundle.mjs). This wasm has only English's
// words in it, and fetches another locale's when the modal speaks it.
const words = Object.fromEntries(Object.entries(KEET_FRAME_WORDS)
  .map(([tag, name]) => [tag, new URL(name, import.meta.url).href]));

/**
 * The size of the wasm's linear memory, in bytes: for the memory tests and
 * the bench, which import this module again from inside the frame (a
 * cross-origin frame: the host page cannot).
 */
export const wasmMemoryBytes = () => wasm.then((exports) => exports.memory.buffer.byteLength);
/**
 * The session, asked for as soon as `init` brings a link token, while the
 * wasm still downloads (early-session.js), with the words of the language
 * it comes back in.
 * @param {any} init the host's first message
 * @param {string} embedderOrigin
 * @returns {{ url: string, response: Promise<Response>, words: Promise<{ tag: string, text: string } | undefined> } | undefined}
 */
function askForSessionEarly(init, embedderOrigin) {
  const request = init?.type === "init" ? askForSession(init.apiBaseUrl, init.linkToken, init.locale, embedderOrigin) : undefined;
  if (!request) return undefined;
  // The words of the language the API answered in (it negotiates as the
  // widget does), asked for as soon as its headers say which: the widget
  // takes them if that is its language, else fetches its own (S13).
  const wordsOfAnswer = request.response.then((answer) => {
    const tag = answer.ok ? answer.headers.get("Content-Language") : null;
    if (!tag || !Object.hasOwn(words, tag)) return undefined;
    return fetch(words[tag], { signal: AbortSignal.timeout?.(REQUEST_TIMEOUT_MS) })
      .then((file) => (file.ok ? file.text() : undefined))
      .then((text) => (text === undefined ? undefined : { tag, text }));
  }).catch(() => undefined);
  return { ...request, words: wordsOfAnswer };
}

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
  /** @type {unknown[]} */
  const earlier = [];
  /** @type {ReturnType<typeof askForSessionEarly>} */
  let earlySession;
  // Until the wasm takes the port over (it sets its own onmessage, in the
  // same task as it reads these: nothing falls between). It waits for the
  // host's first message (`init`, sent with `connect`) even when the wasm is
  // ready first, so the session is always asked for here, at once, while
  // the wasm makes its widget (10 to 20 ms of work on a fast machine).
  /** @type {() => void} */
  let heard = () => {};
  const firstMessage = new Promise((resolve) => { heard = () => resolve(undefined); });
  port.onmessage = ({ data }) => {
    earlier.push(data);
    earlySession ??= askForSessionEarly(data, event.origin);
    heard();
  };
  // The connect message's origin is the embedding page's, which that page
  // cannot forge: the API hears it with every call and refuses a page that
  // is not registered for the key.
  Promise.all([wasm, firstMessage]).then(() => startFrame(port, event.origin, earlier, earlySession, words), (error) => {
    port.postMessage({
      type: "callback", name: "onValidationError", isReady: false,
      args: [[{ code: "FRAME_LOAD_FAILED", field: "apiBaseUrl", message: `The link frame could not load its WebAssembly: ${error}` }]],
    });
  });
});

if (window.parent !== window) window.parent.postMessage({ type: "keet-link:hello", version: VERSION }, "*");
