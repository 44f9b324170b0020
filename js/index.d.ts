// The package's "." entry (js/index.js): the host loader.
export * from "../spec/keet-link";
import type { KeetLinkConfig, KeetLinkGlobalConfig, KeetLinkHandle, KeetLinkOptionName } from "../spec/keet-link";
/** Creates a widget and starts loading its frame and session; never throws. */
export function createKeetLink(config: KeetLinkConfig): KeetLinkHandle;
/** The same handle as `createKeetLink`, under the name of Keet's React hook. */
export function useKeetLink(config: KeetLinkConfig): KeetLinkHandle;
/** Page-wide defaults for every handle, e.g. `{ apiBaseUrl }`. Throws a `TypeError` naming the field when a value is wrong. */
export function configure(options: KeetLinkGlobalConfig): void;
/** Every callback name of `KeetLinkConfig`, in the contract's order (for wrappers that forward them all). */
export const CALLBACKS: readonly { [K in keyof KeetLinkConfig]-?: K extends `on${string}` ? K : never }[keyof KeetLinkConfig][];
/** Each callback's arguments' names, in order (`<keet-link>`'s event details). */
export const CALLBACK_ARGS: { readonly [K in (typeof CALLBACKS)[number]]: readonly string[] };
/** Each option of `KeetLinkConfig`, in order, as the loader checks it (for wrappers that forward them all). */
export const OPTIONS: readonly { readonly name: KeetLinkOptionName; readonly pageWide?: boolean; readonly sentToFrame?: boolean }[];
