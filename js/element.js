// @ts-check
// keet-link/element: <keet-link>, an autonomous custom element for any
// framework (Vue, Svelte, Angular, plain HTML). Importing this module defines
// it once; a second copy of the module (two script tags) leaves the first
// definition in place. It wraps the "." entry's createKeetLink, so
// configure() from "keet-link" applies to it too, and it is just as small.
//
//   <keet-link link-token="link_…" api-base-url="https://…"></keet-link>
//   element.addEventListener("keet-success", (e) => e.detail.publicToken)
//
// Each config option (the loader's OPTIONS, from crates/flow/src/config.rs) is a
// property and, kebab-cased, an attribute: link-token, api-base-url, …. A
// link-token attribute is read into the property and removed, so the token
// never stays in the DOM. `open()`, `exit()`, `isReady`, and a
// `ready` attribute reflected for CSS. Every callback is a DOM CustomEvent
// (bubbling, composed) whose `detail` holds the callback's arguments by name.
// Removing the element destroys its widget; changing any option replaces it.
import { CALLBACKS, CALLBACK_ARGS, OPTIONS, createKeetLink } from "./index.js";

/** @typedef {import("../spec/keet-link").KeetLinkConfig} KeetLinkConfig */
/** @typedef {import("../spec/keet-link").KeetLinkHandle} KeetLinkHandle */
/** @typedef {(typeof CALLBACKS)[number]} CallbackName */

/** The DOM event a callback becomes: `onValidationError` → `keet-validation-error`. */
const eventType = (/** @type {CallbackName} */ name) =>
  `keet${name.slice(2).replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;

/** @typedef {keyof import("./element").KeetLinkElementOptions} OptionName */
const OPTION_NAMES = /** @type {OptionName[]} */ (OPTIONS.map((option) => option.name));
/** Each option's attribute: `accentColor` → `accent-color`. */
const ATTRIBUTES = /** @type {Record<OptionName, string>} */ (Object.fromEntries(
  OPTION_NAMES.map((name) => [name, name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)]),
));

const HTMLElementOrNothing = typeof HTMLElement === "undefined" ? /** @type {typeof HTMLElement} */ (class {}) : HTMLElement;

export class KeetLinkElement extends HTMLElementOrNothing {
  static get observedAttributes() {
    return Object.values(ATTRIBUTES);
  }

  /** @type {KeetLinkHandle | null} */
  #widget = null;
  /** Options set as properties, which win over attributes. @type {Partial<Record<OptionName, unknown>>} */
  #properties = {};
  #rebuildQueued = false;
  /** The options the current widget was made with. @type {Record<string, unknown> | null} */
  #built = null;
  /** A `linkToken` function, called through the property as it is now: a new function replaces nothing. */
  #renewToken = () => /** @type {() => unknown} */ (this.getOption("linkToken"))();

  connectedCallback() {
    this.#queueRebuild();
  }

  disconnectedCallback() {
    // A move (removed and inserted in one task) keeps its widget.
    this.#queueRebuild();
  }

  /** @param {string} name @param {string | null} _old @param {string | null} value */
  attributeChangedCallback(name, _old, value) {
    // A credential in an attribute is readable by session-replay tools, CSS
    // attribute selectors and outerHTML logging: keep it as the property.
    if (name === ATTRIBUTES.linkToken && value !== null) {
      this.#properties.linkToken = value;
      this.removeAttribute(name);
    }
    this.#queueRebuild();
  }

  /** True once the session was fetched and validated; also the `ready` attribute. */
  get isReady() {
    return Boolean(this.#widget?.isReady);
  }

  /** Shows the modal; before ready, a no-op with one console.warn. */
  open() {
    if (this.#widget) this.#widget.open();
    else console.warn("keet-link: open() was called before isReady; nothing happened");
  }

  /** Closes the modal as the user would; `keet-exit` fires. */
  exit() {
    this.#widget?.exit();
  }

  /** Many changes in one task (a framework setting several props) make one widget. */
  #queueRebuild() {
    if (this.#rebuildQueued) return;
    this.#rebuildQueued = true;
    queueMicrotask(() => {
      this.#rebuildQueued = false;
      this.#rebuild();
    });
  }

  #rebuild() {
    const config = this.isConnected ? this.#config() : null;
    if (this.#widget && config && this.#built && sameOptions(this.#built, config)) return;
    this.#widget?.destroy();
    this.#widget = null;
    this.#built = null;
    if (config && config.linkToken !== undefined && config.linkToken !== null && config.linkToken !== "") {
      this.#built = config;
      this.#widget = createKeetLink(/** @type {KeetLinkConfig} */ (/** @type {unknown} */ (config)));
    }
    this.#reflectReady();
  }

  /** The config: the options from properties or attributes, and a callback per event. */
  #config() {
    /** @type {Record<string, unknown>} */
    const config = {};
    for (const option of OPTION_NAMES) {
      const value = this.getOption(option);
      if (value !== null && value !== undefined) config[option] = value;
    }
    if (typeof config.linkToken === "function") config.linkToken = this.#renewToken;
    for (const name of CALLBACKS) {
      const type = eventType(name);
      const argumentNames = CALLBACK_ARGS[name];
      config[name] = (/** @type {unknown[]} */ ...args) => {
        this.#reflectReady();
        const detail = Object.fromEntries(argumentNames.map((argument, index) => [argument, args[index]]));
        this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true, detail }));
      };
    }
    return config;
  }

  #reflectReady() {
    this.toggleAttribute("ready", this.isReady);
  }

  /**
   * An option set as a property (`undefined` unsets it, and the attribute counts again).
   * @param {OptionName} option
   * @param {unknown} value
   */
  setOption(option, value) {
    if (value === undefined) delete this.#properties[option];
    else this.#properties[option] = value;
    this.#queueRebuild();
  }

  /**
   * An option as a property has it, or else as its attribute does.
   * @param {OptionName} option
   */
  getOption(option) {
    return option in this.#properties ? this.#properties[option] : this.getAttribute(ATTRIBUTES[option]);
  }
}

/** @param {Record<string, unknown>} a @param {Record<string, unknown>} b */
function sameOptions(a, b) {
  return OPTION_NAMES.every((option) => a[option] === b[option]);
}

// Each option is a property of its camel-case name: frameworks (Vue, Lit,
// Angular) set properties, and only a property can hold a non-string.
for (const option of OPTION_NAMES) {
  Object.defineProperty(KeetLinkElement.prototype, option, {
    configurable: true,
    enumerable: true,
    /** @this {KeetLinkElement} */
    get() { return this.getOption(option); },
    /** @this {KeetLinkElement} @param {unknown} value */
    set(value) { this.setOption(option, value); },
  });
}

if (typeof customElements !== "undefined" && !customElements.get("keet-link")) {
  customElements.define("keet-link", KeetLinkElement);
}
