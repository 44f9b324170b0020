// The host–frame protocol, version 1 (prose: spec/host-frame.md). The host
// loader (js/host.js) is type-checked against these declarations, and a Rust
// test (crates/flow/src/host_frame.rs) fails when these names and the frame's differ.
import type { KeetLinkConfig } from "./keet-link";

/** `type` of the frame's first message to `window.parent` (target `*`, nothing secret). */
export type Hello = "keet-link:hello";
/** `type` of the host's answer to the iframe's `contentWindow`, transferring the port. */
export type Connect = "keet-link:connect";
export interface HelloMessage { type: Hello; version: 1 }
export interface ConnectMessage { type: Connect; version: 1 }

/** Every `type` the host sends on the port. */
export type HostMessageType = "init" | "open" | "exit" | "focus" | "destroy" | "token";
/**
 * The options `init` carries beside the token, as the host's config has them.
 * `apiBaseUrl` is the API the frame calls (the host's, checked and without a
 * trailing `/`), which may be another origin than the frame's.
 */
// <options> Written by `KEET_WRITE=1 cargo test --test contracts` from keet_link::config::OPTIONS; do not edit.
interface InitOptions { apiBaseUrl?: string; locale?: string; appearance?: "light" | "dark" | "system"; accentColor?: string }
// </options>
/**
 * Host → frame, on the port. `init` comes first and once; the rest only after
 * it. With a `linkToken` function, `init` has `tokenRefresh: true` and no
 * token: the frame asks for each one with `refresh`, answered by `token`.
 */
export type HostMessage =
  | ({ type: "init"; linkToken: string; tokenRefresh?: false } & InitOptions)
  | ({ type: "init"; tokenRefresh: true } & InitOptions)
  | { type: "open" }
  | { type: "exit" }
  | { type: "focus" }
  | { type: "destroy" }
  | { type: "token"; linkToken: string }
  | { type: "token"; problem: "rejected" | "not-a-token" };

/** Every `type` the frame sends on the port. */
export type FrameMessageType = "shown" | "hidden" | "state" | "callback" | "refresh";
/** Every host callback the frame can ask for: the `on…` members of `KeetLinkConfig`, declared there once. */
export type CallbackName = { [K in keyof KeetLinkConfig]-?: K extends `on${string}` ? K : never }[keyof KeetLinkConfig];
/** The arguments of each callback, exactly as the host's callback receives them. */
export type CallbackArgs = { [N in CallbackName]: Parameters<NonNullable<KeetLinkConfig[N]>> };
/**
 * Frame → host, on the port. `isReady` is the widget's state: a `callback`
 * carries it as it is when the callback fires, and `state` reports a change
 * that no callback reports (a session reloaded after a close mid-submit).
 */
export type FrameMessage =
  | { type: "shown" }
  | { type: "hidden" }
  | { type: "state"; isReady: boolean }
  | { type: "refresh" }
  | { [N in CallbackName]: { type: "callback"; name: N; args: CallbackArgs[N]; isReady: boolean } }[CallbackName];
