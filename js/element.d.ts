// Types of keet-link/element: the <keet-link> custom element. The config and
// payload types are the core package's (spec/keet-link.d.ts).
import type { KeetLinkConfig, KeetLinkOptionName } from "../spec/keet-link";

export type {
  KeetLinkConfig, KeetLinkError, SuccessMetadata, KeetLinkMode, ExitMetadata, EventMetadata, KeetLinkEventName,
  KeetLinkStableEventName, KeetLinkInformationalEventName, KeetLinkOptionName, KeetLinkEventMetadataMap, KeetLinkEventArgs,
} from "../spec/keet-link";

/**
 * The names of each callback's arguments, in order: the Rust table's, which
 * a test writes here. Each event's `detail` holds the arguments by these names.
 */
// <callbacks> Written by `KEET_WRITE=1 cargo test --test contracts` from Notification::CALLBACKS; do not edit.
export interface CallbackArgumentNames {
  onSuccess: ["publicToken", "metadata"];
  onValidationError: ["errors"];
  onExit: ["error", "metadata"];
  onEvent: ["eventName", "metadata"];
  onLoad: [];
}
// </callbacks>

type CallbackName = keyof CallbackArgumentNames;
/** `ValidationError` → `-validation-error`. */
type Kebab<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `-${Lowercase<Head>}`}${Kebab<Tail>}`
  : S;
/** The arguments `Values` as an object with the keys `Names`, in order. */
type Named<Names extends readonly string[], Values extends readonly unknown[]> = {
  [I in keyof Names & `${number}` as Names[I] & string]: Values[I & keyof Values];
};

/** The DOM event each callback of the config becomes: `onValidationError` → `keet-validation-error`. */
export type CallbackEvents = { [K in CallbackName]: K extends `on${infer Rest}` ? `keet${Kebab<Rest>}` : never };

/** Each event of `<keet-link>`: `detail` holds the callback's arguments by name. */
export type KeetLinkElementEventMap = {
  [K in CallbackName as CallbackEvents[K]]: CustomEvent<
    Named<CallbackArgumentNames[K], Parameters<NonNullable<KeetLinkConfig[K]>>>
  >;
};

/** The options `<keet-link>` takes as properties (and, as strings, as kebab-case attributes). */
export type KeetLinkElementOptions = Pick<KeetLinkConfig, KeetLinkOptionName>;
/** Each option as `<keet-link>`'s property: `null` when neither it nor its attribute is set. */
type OptionProperties = { [K in KeetLinkOptionName]-?: Exclude<KeetLinkConfig[K], undefined> | null };
// Merged into the class below: its option properties.
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface KeetLinkElement extends OptionProperties {}

/**
 * `<keet-link link-token="link_…" api-base-url="…">`: one widget, made when
 * the element is connected with a link token, replaced when an option
 * changes, destroyed when the element is removed. The `ready` attribute is
 * present while `isReady` is true. Each option of `KeetLinkConfig` is a
 * property and, kebab-cased, an attribute (`accentColor`, `accent-color`).
 * Set `linkToken` as the property: a `link-token` attribute is read into it
 * and removed at once, so that the token never stays in the DOM (session
 * replay, CSS selectors, `outerHTML`).
 */
export declare class KeetLinkElement extends HTMLElement {
  /** True once the session was fetched and validated. */
  readonly isReady: boolean;
  /** Shows the modal; before ready, a no-op with one console.warn. */
  open(): void;
  /** Closes the modal as the user would; `keet-exit` fires. */
  exit(): void;
  addEventListener<K extends keyof KeetLinkElementEventMap>(
    type: K, listener: (this: KeetLinkElement, event: KeetLinkElementEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof KeetLinkElementEventMap>(
    type: K, listener: (this: KeetLinkElement, event: KeetLinkElementEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions,
  ): void;
  /** @internal An option set as a property; `undefined` unsets it. */
  setOption(option: keyof KeetLinkElementOptions, value: unknown): void;
  /** @internal An option as its property or attribute has it. */
  getOption(option: keyof KeetLinkElementOptions): unknown;
}

declare global {
  interface HTMLElementTagNameMap {
    "keet-link": KeetLinkElement;
  }
}
