// The TypeScript contract of keet-link's JavaScript API: the project's own
// copy of ../shared/spec/js-api.md. It is compiled into the wasm-bindgen
// output (src/widget/js.rs includes this file), so the package's .d.ts and
// this file cannot drift apart.
/**
 * An error the widget reports: `field` names the config or form field concerned.
 * `code` is the API's code, `INVALID_CONFIG`, `FRAME_LOAD_FAILED` (the link
 * frame did not load: network, `frameUrl` or `apiBaseUrl`, the page's CSP
 * `frame-src`, or a frame whose `frame-ancestors` leaves this page out),
 * `ORIGIN_NOT_ALLOWED` (this page's origin is not registered for the API
 * key; no `field`), or `LOAD_FAILED` (the in-page wasm did not load; a
 * widget created after it loads it anew).
 */
export interface KeetLinkError { code: string; message: string; field?: string }
/** What `onSuccess` receives beside the public token. */
export interface SuccessMetadata { integration: string; username?: string; linkSessionId: string; mode: KeetLinkMode }
/** A first link, or a re-link: the repair of a linked login that broke (same end user, same integration). */
export type KeetLinkMode = "link" | "relink";
/** Where the flow was when it ended. */
export type ExitStatus =
  "requires_credentials" | "requires_code" | "locked" | "error" | "expired" | "requires_integration" | "requires_approval";
/** What `onExit` receives beside the error. */
export interface ExitMetadata { status: ExitStatus; linkSessionId?: string }
// The event contract, version 1 (the README's "Events"). A new name may be
// added within a version: a host treats a name it does not know as
// informational. Renaming or removing a stable name, or changing what it
// carries, makes a new version.
/** The `onEvent` names a host may branch on: meaning and metadata are fixed within the contract's version. */
export type KeetLinkStableEventName =
  "OPEN" | "TRANSITION_VIEW" | "SUBMIT_CREDENTIALS" | "SUBMIT_MFA" | "ERROR" | "EXIT" | "HANDOFF" | "SELECT_INTEGRATION";
/** The `onEvent` names that report what the user did, for analytics; they may be refined within a version. */
export type KeetLinkInformationalEventName =
  "RESEND_CODE" | "FORGOT_PASSWORD" | "OPEN_HELP" | "TOKEN_REFRESHED" | "FRAME_COVERED" |
  "APPROVAL_WAITING" | "APPROVAL_GRANTED" | "APPROVAL_DENIED";
/** Every `onEvent` name of this version of the contract. */
export type KeetLinkEventName = KeetLinkStableEventName | KeetLinkInformationalEventName;
/** The views `TRANSITION_VIEW` names. */
export type KeetLinkViewName = "CREDENTIALS" | "MFA" | "SUCCESS" | "LOCKED" | "EXPIRED" | "ERROR" | "INTEGRATION" | "APPROVE";
/** What `onEvent` receives beside the name, whatever the name. */
export interface EventMetadata { linkSessionId?: string; mode?: KeetLinkMode; view?: KeetLinkViewName; errorCode?: string; integration?: string }
/** What each event carries beside its name: `view`, `errorCode` and `integration` are there exactly when declared. */
export interface KeetLinkEventMetadataMap {
  OPEN: EventMetadata;
  TRANSITION_VIEW: EventMetadata & { view: KeetLinkViewName };
  SUBMIT_CREDENTIALS: EventMetadata;
  SUBMIT_MFA: EventMetadata;
  ERROR: EventMetadata & { errorCode: string };
  EXIT: EventMetadata;
  HANDOFF: EventMetadata;
  RESEND_CODE: EventMetadata;
  FORGOT_PASSWORD: EventMetadata;
  OPEN_HELP: EventMetadata;
  TOKEN_REFRESHED: EventMetadata;
  FRAME_COVERED: EventMetadata;
  SELECT_INTEGRATION: EventMetadata & { integration: string };
  APPROVAL_WAITING: EventMetadata;
  APPROVAL_GRANTED: EventMetadata;
  APPROVAL_DENIED: EventMetadata;
}
/**
 * `onEvent`'s arguments: a known name with its own metadata, or a name newer
 * than these declarations. So no `switch` over the names type-checks as
 * exhaustive: a host always has a way for names it does not know.
 */
export type KeetLinkEventArgs =
  | { [N in KeetLinkEventName]: [eventName: N, metadata: KeetLinkEventMetadataMap[N]] }[KeetLinkEventName]
  | [eventName: string & {}, metadata: EventMetadata];
/** The config of one widget, as Keet's `useKeetLink` takes it. */
export interface KeetLinkConfig {
  /** Called exactly once with the public token to exchange on your backend. */
  onSuccess(publicToken: string, metadata: SuccessMetadata): void;
  /** The widget cannot start or go on because of its input (config, token). */
  onValidationError?(errors: KeetLinkError[]): void;
  /** The user closed the modal, or the flow ended in an error. */
  onExit?(error: KeetLinkError | null, metadata: ExitMetadata): void;
  /** Every step of the flow: a name (see `KeetLinkEventName`) and its metadata. */
  onEvent?(...args: KeetLinkEventArgs): void;
  /** Once, when `isReady` becomes true. */
  onLoad?(): void;
  // The options, after the callbacks: crates/flow/src/config.rs defines them.
// <options> Written by `KEET_WRITE=1 cargo test --test contracts` from keet_link::config::OPTIONS; do not edit.
  /**
   * The short-lived `link_…` token your backend created, or a function that
   * returns (a promise of) a fresh one. With a function, the widget calls it
   * to start, and again when the token expires mid-flow (at most once per
   * user action), and goes on without an error screen.
   */
  linkToken: string | (() => string | Promise<string>);
  /** Default "https://api.trykeet.com", or what `configure()` set. The API the widget calls. */
  apiBaseUrl?: string;
  /**
   * The link frame's page, where you host it (README, "Deploying the link
   * frame"): `https:`, or `http://localhost` / `http://127.0.0.1`. Default:
   * what `configure()` set, else `<apiBaseUrl>/link/v1/frame` (keet-sandbox
   * serves it there). Only the framed mode loads it.
   */
  frameUrl?: string;
  /**
   * The end user's language, a BCP 47 tag. Default: the browser's preferred
   * languages. Supported (see the README): en, es, fr, de, pt-BR, ja, ar;
   * anything else falls back by language (`es-MX` → `es`), then to English.
   */
  locale?: string;
  /** The modal's colours: "light", "dark", or "system" (the default) to follow the system's. */
  appearance?: "light" | "dark" | "system";
  /**
   * `#RRGGBB` for the modal's buttons and badge instead of the integration's
   * colour. Their text is black or white, whichever contrasts more (WCAG AA).
   */
  accentColor?: string;
  /**
   * Where the modal runs. "frame" (the default): in a cross-origin frame of
   * the link origin, so the page cannot read what the user types, and the
   * page loads no wasm. "none": in this page, for first-party pages and
   * component tests.
   */
  isolation?: "frame" | "none";
// </options>
}
// <page-wide-options> Written by `KEET_WRITE=1 cargo test --test contracts` from keet_link::config::OPTIONS; do not edit.
/** Page-wide defaults for every handle; an option left out goes back to its default. */
export interface KeetLinkGlobalConfig {
  /** Default "https://api.trykeet.com", or what `configure()` set. The API the widget calls. */
  apiBaseUrl?: string;
  /**
   * The link frame's page, where you host it (README, "Deploying the link
   * frame"): `https:`, or `http://localhost` / `http://127.0.0.1`. Default:
   * what `configure()` set, else `<apiBaseUrl>/link/v1/frame` (keet-sandbox
   * serves it there). Only the framed mode loads it.
   */
  frameUrl?: string;
}
// </page-wide-options>
/** Every option of `KeetLinkConfig`: its members but the `on…` callbacks. */
export type KeetLinkOptionName = {
  [K in keyof KeetLinkConfig]-?: K extends `on${string}` ? never : K;
}[keyof KeetLinkConfig];
/** One widget. Its members work when destructured. */
export interface KeetLinkHandle {
  /** True once the session was fetched and validated, so `open()` shows the form at once. */
  readonly isReady: boolean;
  /** Shows the modal; before ready, a no-op with one console.warn. */
  open(): void;
  /** Closes the modal as the user would; `onExit` fires. */
  exit(): void;
  /** Removes every node, listener, timer and request; idempotent. */
  destroy(): void;
}
