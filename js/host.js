// @ts-check
// keet-link's host side: the small loader a host page runs. By default the
// modal runs in a cross-origin frame served by the link origin (the API's),
// so nothing the page runs can read what the end user types; this file
// loads no wasm. The host–frame protocol is spec/host-frame.md, and this file
// is type-checked against spec/host-frame.d.ts. `isolation: "none"` runs the
// modal in the page instead, through the wasm module that `loadInPage` loads.

/** @typedef {import("../spec/keet-link").KeetLinkConfig} KeetLinkConfig */
/** @typedef {import("../spec/keet-link").KeetLinkHandle} KeetLinkHandle */
/** @typedef {import("../spec/keet-link").KeetLinkError} KeetLinkError */
/** @typedef {import("../spec/keet-link").KeetLinkGlobalConfig} KeetLinkGlobalConfig */
/** @typedef {import("../spec/host-frame").FrameMessage} FrameMessage */
/** @typedef {import("../spec/host-frame").HostMessage} HostMessage */
/** @typedef {import("../spec/host-frame").CallbackName} CallbackName */
/** @typedef {import("../spec/host-frame").HelloMessage} HelloMessage */
/** @typedef {import("../spec/host-frame").ConnectMessage} ConnectMessage */
/**
 * The in-page build as a loader asks for it: its module (js/in-page.js) and
 * its wasm's response, each as it comes.
 * @typedef {[Promise<{ prepareKeetLink(config: KeetLinkConfig, wasm: Promise<Response>): Promise<() => KeetLinkHandle> }>, Promise<Response>]} InPageBuild
 */

const VERSION = 1;
/**
 * @typedef {{ name: string, rule: "linkToken" | "url" | "languageTag" | "oneOf" | "hexColour", refusal: string,
 *   pageWide?: boolean, sentToFrame?: boolean, dropTrailingSlash?: boolean, words?: readonly string[] }} ConfigOption
 */
// <options> Written by `KEET_WRITE=1 cargo test --test contracts` from keet_link::config::OPTIONS; do not edit.
const DEFAULT_API_BASE_URL = "https://api.trykeet.com";
const FRAME_PATH = "/link/v1/frame";
const MAX_LINK_TOKEN_CHARS = 512;
/** Why a link token is refused, by what is wrong with it. */
const LINK_TOKEN_REFUSALS = /** @type {const} */ ({
  required: "linkToken is required.",
  notText: "linkToken must be a string, or a function that returns a promise of one.",
  empty: "linkToken is empty; pass the link token your backend created.",
  tooLong: "linkToken is too long to be a link token.",
  notALinkToken: "linkToken is not a link token: it should start with link_ (did you pass a public or account token?).",
  badCharacters: "linkToken has characters a link token never has.",
});
/**
 * Every option of the config, in order: its rule and what refuses it,
 * whether `configure()` takes it, whether `init` carries it to the frame.
 * @type {readonly ConfigOption[]}
 */
export const OPTIONS = [
  {
    name: "linkToken", rule: "linkToken",
    refusal: "linkToken must be a string, or a function that returns a promise of one.",
  },
  {
    name: "apiBaseUrl", rule: "url", dropTrailingSlash: true, pageWide: true, sentToFrame: true,
    refusal: "apiBaseUrl must be an https: URL (or http://localhost / http://127.0.0.1 in development), with no query or fragment.",
  },
  {
    name: "frameUrl", rule: "url", pageWide: true,
    refusal: "frameUrl must be an https: URL (or http://localhost / http://127.0.0.1 in development), with no query or fragment.",
  },
  {
    name: "locale", rule: "languageTag", sentToFrame: true,
    refusal: "locale must be a BCP 47 language tag, e.g. \"es\" or \"pt-BR\".",
  },
  {
    name: "appearance", rule: "oneOf", words: ["light", "dark", "system"], sentToFrame: true,
    refusal: "appearance must be \"light\", \"dark\" or \"system\" (the default).",
  },
  {
    name: "accentColor", rule: "hexColour", sentToFrame: true,
    refusal: "accentColor must be a colour as #RRGGBB, e.g. \"#0A66C2\".",
  },
  {
    name: "isolation", rule: "oneOf", words: ["frame", "none"],
    refusal: "isolation must be \"frame\" (the default) or \"none\".",
  },
];
// </options>
/** After the iframe's `load` event, how long the frame may take to greet us. */
const GREETING_GRACE_MS = 2000;
/** The longest a frame may take to load at all. */
const FRAME_LOAD_TIMEOUT_MS = 10000;
/** How long a destroyed widget waits for a success already earned. */
const HANDOFF_GRACE_MS = 3000;
/**
 * Each callback of the config, in the contract's order, with its arguments'
 * names (`<keet-link>`'s event details): the host side's one table of them.
 */
// <callbacks> Written by `KEET_WRITE=1 cargo test --test contracts` from Notification::CALLBACKS; do not edit.
export const CALLBACK_ARGS = /** @type {const} */ ({
  onSuccess: ["publicToken", "metadata"],
  onValidationError: ["errors"],
  onExit: ["error", "metadata"],
  onEvent: ["eventName", "metadata"],
  onLoad: [],
});
// </callbacks>
/**
 * Every callback of the config: the frame may ask for these, the config
 * check and the React hook walk it. `tsc` fails when it and
 * `KeetLinkConfig`'s `on…` members differ, either way.
 */
export const CALLBACKS = /** @type {(keyof typeof CALLBACK_ARGS)[]} */ (Object.keys(CALLBACK_ARGS));
/** @type {CallbackName extends (typeof CALLBACKS)[number] ? true : never} */
const everyDeclaredCallbackIsListed = true;
/** @type {(typeof CALLBACKS)[number] extends CallbackName ? true : never} */
const everyListedCallbackIsDeclared = true;
void everyDeclaredCallbackIsListed, everyListedCallbackIsDeclared;
const SANDBOX = "allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox";

let instances = 0;

/**
 * @param {string} field
 * @param {string} message
 * @returns {KeetLinkError}
 */
const configError = (field, message) => ({ code: "INVALID_CONFIG", message, field });

/**
 * `https:`, or `http://localhost` / `http://127.0.0.1`, with no query or
 * fragment, a port up to 65535, no empty or IDN (`xn--`) label, and a host that ends in a
 * number only as a dotted IPv4 address: the widget's rule (crates/flow/src/config.rs),
 * so that `new URL` never throws on a URL it passes.
 * @param {string} url
 */
function isConfigUrl(url) {
  const match = /^(https|http):\/\/([^/?#]*)([/?#].*)?$/s.exec(url);
  if (!match || /[?#]/.test(url)) return false;
  const [, scheme, authority, tail = ""] = match;
  if (!/^[\x21-\x7e]*$/.test(tail)) return false;
  const [host, port] = authority.split(/:(.*)/s);
  if (port !== undefined && !(/^[0-9]{1,5}$/.test(port) && Number(port) < 65536)) return false;
  const allowed = scheme === "http" ? host === "localhost" || host === "127.0.0.1" : /^[A-Za-z0-9.-]+$/.test(host);
  const labels = host.split(".");
  const last = labels[labels.length - 1];
  const numeric = /^(0x[0-9a-f]*|[0-9]+)$/i.test(last);
  // An IDN label: the browser checks its punycode by IDNA tables the widget
  // does not ship, so both refuse it rather than disagree.
  if (!allowed || labels.includes("") || labels.some((label) => /^xn--/i.test(label))
    || (numeric && !(labels.length === 4 && labels.every((label) => /^(0|[1-9][0-9]{0,2})$/.test(label) && Number(label) < 256)))) return false;
  try {
    return Boolean(new URL(url)); // a safety net: a host the rule passes but the parser refuses (bad punycode)
  } catch {
    return false;
  }
}

/**
 * Each rule of the config (crates/flow/src/config.rs's `Rule`, by name): the value to
 * use, normalised, or `null` when the string is refused.
 * @type {Record<Exclude<ConfigOption["rule"], "linkToken">, (text: string, option: ConfigOption) => string | null>}
 */
const RULES = {
  url: (text, option) => {
    const url = option.dropTrailingSlash ? text.replace(/\/+$/, "") : text;
    return isConfigUrl(url) ? url : null;
  },
  languageTag: (text) => (/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(text) ? text : null),
  oneOf: (text, option) => (option.words?.includes(text) ? text : null),
  hexColour: (text) => (/^#[0-9A-Fa-f]{6}$/.test(text) ? text : null),
};

/**
 * What is wrong with a link token, if anything; never echoes it.
 * @param {string} token
 * @returns {keyof typeof LINK_TOKEN_REFUSALS | null}
 */
function linkTokenRefusal(token) {
  // The widget's order: characters before length, so that both count ASCII.
  if (token === "") return "empty";
  if (!token.startsWith("link_")) return "notALinkToken";
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return "badCharacters";
  return token.length > MAX_LINK_TOKEN_CHARS ? "tooLong" : null;
}

/**
 * Checks the value a host gave for option `name` as the widget does
 * (crates/flow/src/config.rs's `HostConfig::read`): `{ value }`, normalised (`null`
 * when absent; a `linkToken` function as it is), or `{ error }`.
 * @param {string} name
 * @param {unknown} given
 * @returns {{ value: unknown, error?: undefined } | { error: KeetLinkError, value?: undefined }}
 */
export function checkOption(name, given) {
  const option = /** @type {ConfigOption} */ (OPTIONS.find((o) => o.name === name));
  /** @param {string} message */
  const refuse = (message) => ({ error: configError(name, message) });
  if (option.rule === "linkToken") {
    if (given === undefined || given === null) return refuse(LINK_TOKEN_REFUSALS.required);
    if (typeof given === "function") return { value: given };
    if (typeof given !== "string") return refuse(LINK_TOKEN_REFUSALS.notText);
    const why = linkTokenRefusal(given);
    return why ? refuse(LINK_TOKEN_REFUSALS[why]) : { value: given };
  }
  if (given === undefined || given === null) return { value: null };
  const value = typeof given === "string" ? RULES[option.rule](given, option) : null;
  return value === null ? refuse(option.refusal) : { value };
}

/**
 * Calls a host callback; an exception it throws is reported, never raised
 * into the widget.
 * @param {string} name
 * @param {unknown} callback
 * @param {unknown[]} args
 */
function callGuarded(name, callback, args) {
  if (typeof callback !== "function") return;
  try {
    callback(...args);
  } catch (thrown) {
    console.error(`keet-link: the host's ${name} callback threw; the widget carries on:`, thrown);
  }
}

/**
 * `onValidationError` when it is a function, else `console.error`.
 * @param {unknown} config
 * @param {KeetLinkError[]} errors
 */
function reportErrors(config, errors) {
  const callback = config && typeof config === "object" ? /** @type {any} */ (config).onValidationError : undefined;
  if (typeof callback === "function") callGuarded("onValidationError", callback, [errors]);
  else for (const error of errors) console.error(`keet-link: ${error.message} (${error.code})`);
}

/**
 * A handle whose members are closures (they work when destructured).
 * @param {{ open(): void, exit(): void, destroy(): void, isReady(): boolean }} impl
 * @returns {KeetLinkHandle}
 */
function handle(impl) {
  const members = { open: () => impl.open(), exit: () => impl.exit(), destroy: () => impl.destroy() };
  Object.defineProperty(members, "isReady", { enumerable: true, get: () => impl.isReady() });
  return /** @type {KeetLinkHandle} */ (/** @type {unknown} */ (members));
}

const INERT = "keet-link: this handle's config was invalid (see onValidationError); nothing happened";

/** @returns {KeetLinkHandle} */
const inertHandle = () => handle({
  open: () => console.warn(INERT), exit: () => console.warn(INERT), destroy() {}, isReady: () => false,
});

// ---- the host page while a modal is open: scroll lock, inert, focus ----------

/** @type {{ overflow: string, padding: string, inert: Element[] } | null} */
let pageSaved = null;
let pageLocks = 0;

/**
 * Locks the page's scroll and makes everything but the link frames inert.
 * Ref-counted across instances.
 */
function lockPage() {
  pageLocks += 1;
  if (pageLocks > 1 || !document.body) return;
  const { body, documentElement } = document;
  const scrollbar = Math.max(0, Math.round(window.innerWidth - documentElement.clientWidth));
  pageSaved = {
    overflow: body.style.getPropertyValue("overflow"),
    padding: body.style.getPropertyValue("padding-right"),
    inert: [],
  };
  body.style.setProperty("overflow", "hidden");
  if (scrollbar > 0) body.style.setProperty("padding-right", `${scrollbar}px`);
  for (const child of Array.from(body.children)) {
    if (child.hasAttribute("data-keet-link") || child.hasAttribute("inert")) continue;
    child.setAttribute("inert", "");
    pageSaved.inert.push(child);
  }
}

/** Undoes {@link lockPage} once the last open modal has closed. */
function unlockPage() {
  pageLocks = Math.max(0, pageLocks - 1);
  if (pageLocks > 0 || !pageSaved) return;
  const { body } = document;
  for (const [name, value] of [["overflow", pageSaved.overflow], ["padding-right", pageSaved.padding]]) {
    if (value) body.style.setProperty(name, value);
    else body.style.removeProperty(name);
  }
  for (const element of pageSaved.inert) element.removeAttribute("inert");
  pageSaved = null;
}

/**
 * @param {HTMLIFrameElement} iframe
 * @param {boolean} shown
 */
function styleFrame(iframe, shown) {
  const style = iframe.style;
  // Through the CSSOM: allowed under a strict CSP, unlike a style attribute.
  for (const [name, value] of [
    ["position", "fixed"], ["inset", "0"], ["width", "100%"], ["height", "100%"], ["border", "0"],
    ["margin", "0"], ["padding", "0"], ["z-index", "2147483647"], ["background", "transparent"],
    // The same colour scheme as the frame's page, or browsers paint the frame opaque.
    ["color-scheme", "normal"], ["display", shown ? "block" : "none"],
  ]) style.setProperty(name, value, "important");
  if (shown) iframe.removeAttribute("aria-hidden");
  else iframe.setAttribute("aria-hidden", "true");
}

// ---- one widget in its frame -------------------------------------------------

/**
 * @param {KeetLinkConfig} config
 * @param {string} apiBaseUrl
 * @param {string} frameUrl
 * @param {"frameUrl" | "apiBaseUrl"} frameField the option that placed the frame
 * @returns {KeetLinkHandle}
 */
function framedWidget(config, apiBaseUrl, frameUrl, frameField) {
  const origin = new URL(frameUrl).origin;
  const linkToken = config.linkToken;
  const iframe = document.createElement("iframe");
  const channel = new MessageChannel();
  const port = channel.port1;
  /** @type {ReturnType<typeof setTimeout>[]} */
  let timers = [];
  let connected = false;
  let destroyed = false;
  let released = false;
  let isReady = false;
  let everReady = false;
  let opening = false;
  let shown = false;
  let handoffPending = false;
  let succeeded = false;
  let ignored = 0;
  /** @type {HTMLElement | null} */
  let opener = null;

  // A test hook, and a debugging aid: the forged-message tests
  // (tests/e2e/isolation.spec.mjs, tests/firefox/frame.test.mjs) read the
  // count, which is how they tell "ignored" from "never arrived".
  const countIgnored = () => {
    ignored += 1;
    iframe.setAttribute("data-ignored-messages", String(ignored));
  };

  /** @param {HostMessage} message */
  const send = (message) => port.postMessage(message);

  /**
   * Asks the host's function for a link token and hands the frame what it
   * gave (the frame checks its form), or why it gave nothing; never the
   * value of a non-string.
   * @param {() => string | Promise<string>} fresh
   */
  const renewToken = (fresh) => {
    new Promise((resolve) => resolve(fresh())).then(
      (token) => send(typeof token === "string" ? { type: "token", linkToken: token } : { type: "token", problem: "not-a-token" }),
      () => send({ type: "token", problem: "rejected" }),
    ).catch(() => {}); // the port may be closed by then
  };

  const hide = () => {
    if (!shown) return;
    shown = false;
    styleFrame(iframe, false);
    unlockPage();
    const active = document.activeElement;
    if (opener && opener.isConnected && (!active || active === iframe || active === document.body)) {
      opener.focus({ preventScroll: true });
    }
    opener = null;
  };

  /** Removes the iframe, the port and every listener and timer. */
  const release = () => {
    if (released) return;
    released = true;
    hide();
    opening = false;
    for (const timer of timers) clearTimeout(timer);
    timers = [];
    iframe.removeEventListener("load", onFrameLoad);
    window.removeEventListener("message", onWindowMessage);
    document.removeEventListener("securitypolicyviolation", onViolation);
    port.onmessage = null;
    port.close();
    iframe.remove();
  };

  const failToLoad = () => {
    if (connected || released) return;
    console.error(`keet-link: the link frame at ${origin} did not load. Check ${frameField}; if this page has a `
      + `Content-Security-Policy, add ${origin} to its frame-src directive; the frame's own frame-ancestors must list this page.`);
    release();
    if (!destroyed) {
      reportErrors(config, [{
        code: "FRAME_LOAD_FAILED", field: frameField,
        message: `The link frame at ${origin} did not load (a network error, a wrong ${frameField}, a Content-Security-Policy without frame-src ${origin}, or a frame whose frame-ancestors leaves this page out).`,
      }]);
    }
  };

  /**
   * A frame that loaded but never greets us is not ours (a wrong apiBaseUrl
   * or an error page). Removed on release like the window's listeners, so a
   * released iframe that the collector has not reached yet holds none.
   */
  function onFrameLoad() {
    if (!connected) timers.push(setTimeout(failToLoad, GREETING_GRACE_MS));
  }

  /** @param {SecurityPolicyViolationEvent} event */
  function onViolation(event) {
    const directive = event.effectiveDirective || event.violatedDirective || "";
    if (/^(frame|child|default)-src/.test(directive) && event.blockedURI.startsWith(origin)) failToLoad();
  }

  /** The handshake: only the frame's own window, from the link origin. @param {MessageEvent} event */
  function onWindowMessage(event) {
    const data = event.data;
    const ours = data && typeof data === "object" && typeof data.type === "string" && data.type.startsWith("keet-link:");
    if (event.source !== iframe.contentWindow || event.origin !== origin) {
      if (ours && event.source === iframe.contentWindow) countIgnored();
      return;
    }
    /** @type {HelloMessage} */
    const hello = data;
    if (connected || !ours || hello.type !== "keet-link:hello" || hello.version !== VERSION) {
      countIgnored();
      return;
    }
    connected = true;
    for (const timer of timers) clearTimeout(timer);
    timers = [];
    document.removeEventListener("securitypolicyviolation", onViolation);
    /** @type {ConnectMessage} */
    const connect = { type: "keet-link:connect", version: VERSION };
    iframe.contentWindow?.postMessage(connect, origin, [channel.port2]);
    // A token function stays here: the frame asks for each token (`refresh`).
    /** @type {Extract<HostMessage, { type: "init" }>} */
    const init = typeof linkToken === "function" ? { type: "init", tokenRefresh: true } : { type: "init", linkToken };
    const options = /** @type {Record<string, unknown>} */ ({ ...config, apiBaseUrl });
    for (const option of OPTIONS) {
      if (option.sentToFrame && options[option.name] != null) /** @type {any} */ (init)[option.name] = options[option.name];
    }
    send(init);
  }

  /** @param {unknown} data */
  const isFrameMessage = (data) => {
    if (!data || typeof data !== "object") return false;
    const message = /** @type {Record<string, unknown>} */ (data);
    if (message.type === "shown" || message.type === "hidden" || message.type === "refresh") return true;
    if (message.type === "state") return typeof message.isReady === "boolean";
    return message.type === "callback" && CALLBACKS.includes(/** @type {CallbackName} */ (message.name))
      && Array.isArray(message.args) && typeof message.isReady === "boolean"
      && (message.name !== "onSuccess" || typeof message.args[0] === "string");
  };

  /** Everything after the handshake. @param {MessageEvent} event */
  port.onmessage = (event) => {
    if (!isFrameMessage(event.data)) {
      countIgnored();
      return;
    }
    /** @type {FrameMessage} */
    const message = event.data;
    if (message.type === "shown") {
      if (!opening || destroyed) {
        countIgnored();
        return;
      }
      opening = false;
      shown = true;
      lockPage();
      styleFrame(iframe, true);
      iframe.focus();
      send({ type: "focus" });
      return;
    }
    if (message.type === "hidden") {
      opening = false;
      hide();
      return;
    }
    if (message.type === "state") {
      isReady = message.isReady;
      everReady ||= isReady;
      return;
    }
    if (message.type === "refresh") {
      if (typeof linkToken === "function" && !destroyed) renewToken(linkToken);
      else countIgnored();
      return;
    }
    isReady = message.isReady;
    everReady ||= isReady;
    if (message.name === "onEvent" && message.args[0] === "HANDOFF") handoffPending = true;
    if (message.name === "onSuccess") {
      if (succeeded) {
        countIgnored();
        return;
      }
      succeeded = true;
      handoffPending = false;
      // The public token is delivered even after destroy(): it is never lost.
      callGuarded("onSuccess", config.onSuccess, message.args);
      if (destroyed) release();
      return;
    }
    if (destroyed) return;
    // A token the API refused: the frame has nothing more to do.
    if (message.name === "onValidationError" && !everReady) release();
    callGuarded(message.name, config[message.name], message.args);
  };

  iframe.setAttribute("data-keet-link", String(++instances));
  iframe.setAttribute("title", "Keet Link");
  iframe.setAttribute("sandbox", SANDBOX);
  iframe.referrerPolicy = "no-referrer";
  styleFrame(iframe, false);
  iframe.addEventListener("load", onFrameLoad);
  window.addEventListener("message", onWindowMessage);
  document.addEventListener("securitypolicyviolation", onViolation);
  timers.push(setTimeout(failToLoad, FRAME_LOAD_TIMEOUT_MS));
  // No token in the URL: it travels on the port once the frame has greeted us.
  iframe.src = frameUrl;
  document.body.append(iframe);

  return handle({
    isReady: () => !destroyed && !released && isReady,
    open() {
      if (destroyed) return console.warn("keet-link: open() was called after destroy(); nothing happened");
      if (!isReady || released) return console.warn("keet-link: open() was called before isReady; nothing happened");
      if (opening || shown) return;
      opening = true;
      opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      send({ type: "open" });
    },
    exit() {
      if (destroyed) return console.warn("keet-link: exit() was called after destroy(); nothing happened");
      if (!released) send({ type: "exit" });
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      hide();
      if (handoffPending && !released) {
        // A success is being handed over: let the frame deliver it first.
        send({ type: "destroy" });
        timers.push(setTimeout(release, HANDOFF_GRACE_MS));
      } else {
        release();
      }
    },
  });
}

// ---- one widget in the page (isolation: "none") ---------------------------------

/**
 * @param {KeetLinkConfig} config
 * @param {string} apiBaseUrl
 * @param {() => InPageBuild} loadInPage
 * @returns {KeetLinkHandle}
 */
function inPageWidget(config, apiBaseUrl, loadInPage) {
  /** @type {KeetLinkHandle | null} */
  let real = null;
  let destroyed = false;
  const [module, wasm] = loadInPage();
  // A wasm that cannot come fails the module's promise below, where it is
  // reported; unheard until the module has loaded, it would also be an
  // unhandled rejection.
  wasm.catch(() => {});
  // A widget destroyed while its build loads sends no request and reports
  // nothing: destroy() ends it as it would a running one.
  module.then((loaded) => (destroyed ? null : loaded.prepareKeetLink({ ...config, apiBaseUrl }, wasm))).then((create) => {
    if (create && !destroyed) real = create();
  }, (error) => destroyed || reportErrors(config, [{ code: "LOAD_FAILED", message: `keet-link could not load its WebAssembly: ${error}` }]));
  return handle({
    isReady: () => !destroyed && Boolean(real?.isReady),
    open: () => (real ? real.open() : console.warn("keet-link: open() was called before isReady; nothing happened")),
    exit: () => real?.exit(),
    destroy() {
      destroyed = true;
      real?.destroy();
    },
  });
}

// ---- the API ------------------------------------------------------------------

/**
 * The host API, with the in-page module's loader (only `isolation: "none"`
 * calls it, once while what it gave loads or has loaded). Each entry point
 * (ES module, classic script) makes one.
 * @param {() => InPageBuild} loadInPage
 */
export function keetLink(loadInPage) {
  /** @type {{ apiBaseUrl: string | null, frameUrl: string | null }} */
  let defaults = { apiBaseUrl: null, frameUrl: null };
  /** @type {InPageBuild | null} */
  let inPage = null;
  // The in-page build, loaded once for all the page's widgets. One that could
  // not load is asked for again by the next widget, as a framed widget loads
  // its frame anew: a phone's network may be back.
  const loadInPageOnce = () => {
    if (!inPage) {
      const build = (inPage = loadInPage());
      Promise.all(build).catch(() => {
        if (inPage === build) inPage = null;
      });
    }
    return inPage;
  };

  /**
   * Page-wide defaults, e.g. `configure({ apiBaseUrl: "http://127.0.0.1:8080" })`;
   * an option left out goes back to its default.
   * @param {KeetLinkGlobalConfig} options
   */
  function configure(options) {
    if (!options || typeof options !== "object") {
      throw new TypeError("configure() takes an object, e.g. { apiBaseUrl: \"https://api.trykeet.com\" }");
    }
    /** @type {Record<string, unknown>} */
    const checked = {};
    for (const option of OPTIONS) {
      if (!option.pageWide) continue;
      const { value, error } = checkOption(option.name, /** @type {Record<string, unknown>} */ (options)[option.name]);
      if (error) throw new TypeError(`configure(): ${error.message}`);
      checked[option.name] = value;
    }
    defaults = /** @type {typeof defaults} */ (checked);
  }

  /**
   * Creates a widget and starts loading its frame and session; never throws.
   * @param {KeetLinkConfig} config
   * @returns {KeetLinkHandle}
   */
  function createKeetLink(config) {
    if (!config || typeof config !== "object") {
      reportErrors(null, [configError("config", "createKeetLink() takes a config object: { linkToken, onSuccess, … }.")]);
      return inertHandle();
    }
    /** @type {KeetLinkError[]} */
    const errors = [];
    for (const name of CALLBACKS) {
      const value = config[name];
      if (value !== undefined && value !== null && typeof value !== "function") {
        errors.push(configError(name, `${name} must be a function.`));
      }
    }
    if (typeof config.onSuccess !== "function" && !errors.some((e) => e.field === "onSuccess")) {
      errors.push(configError("onSuccess", "onSuccess is required: it receives the public token."));
    }
    /** @type {Record<string, unknown>} */
    const checked = {};
    for (const option of OPTIONS) {
      const { value, error } = checkOption(option.name, /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (config))[option.name]);
      if (error) errors.push(error);
      else checked[option.name] = value;
    }
    if (errors.length > 0) {
      reportErrors(config, errors);
      return inertHandle();
    }
    const api = /** @type {string | null} */ (checked.apiBaseUrl) ?? defaults.apiBaseUrl ?? DEFAULT_API_BASE_URL;
    const frame = /** @type {string | null} */ (checked.frameUrl) ?? defaults.frameUrl;
    return checked.isolation === "none"
      ? inPageWidget(config, api, loadInPageOnce)
      : framedWidget(config, api, frame ?? `${api}${FRAME_PATH}`, frame ? "frameUrl" : "apiBaseUrl");
  }

  /**
   * The same handle under the name of Keet's React hook.
   * @param {KeetLinkConfig} config
   * @returns {KeetLinkHandle}
   */
  const useKeetLink = (config) => createKeetLink(config);

  return { createKeetLink, useKeetLink, configure };
}
