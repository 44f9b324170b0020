// Types of keet-link/react. The config and payload types are the core
// package's (spec/keet-link.d.ts).
import type { KeetLinkConfig, KeetLinkError, KeetLinkGlobalConfig } from "../spec/keet-link";

export type {
  KeetLinkConfig, KeetLinkError, KeetLinkGlobalConfig, SuccessMetadata, KeetLinkMode, ExitMetadata, ExitStatus,
  EventMetadata, KeetLinkEventName, KeetLinkViewName, KeetLinkStableEventName,
  KeetLinkInformationalEventName, KeetLinkEventMetadataMap, KeetLinkEventArgs,
} from "../spec/keet-link";

/** What `useKeetLink` returns; `open` and `exit` are stable across renders. */
export interface UseKeetLinkResult {
  /** Shows the modal; before ready, a no-op with one console.warn. */
  open: () => void;
  /** Closes the modal as the user would; `onExit` fires. */
  exit: () => void;
  /** React state: true once the session was fetched and validated. */
  isReady: boolean;
  /** The last validation or exit error, or `null`. */
  error: KeetLinkError | null;
}

/** Keet's React hook: one widget per `linkToken`, safe under `<StrictMode>`. */
export function useKeetLink(config: KeetLinkConfig): UseKeetLinkResult;

/** Page-wide defaults, e.g. `configure({ apiBaseUrl })` in the app's entry file. */
export function configure(options: KeetLinkGlobalConfig): void;
