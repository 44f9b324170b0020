// keet-link/react: a drop-in for Keet's `useKeetLink` React hook.
//   const { open, isReady, exit, error } = useKeetLink({ linkToken, onSuccess, … })
// One widget per linkToken, destroyed on unmount or when the token changes;
// the latest callbacks are always the ones called. A linkToken function is
// called through the latest config too: a new function each render (an
// inline arrow) re-creates nothing. The modal runs in the
// link frame: this page loads no wasm.
import { useCallback, useEffect, useRef, useState } from "react";
import { CALLBACKS, configure as configureHost, createKeetLink } from "../pkg/loader/keet-link.js";

/** Page-wide defaults, e.g. `configure({ apiBaseUrl: "http://127.0.0.1:8080" })` in the entry file. */
export function configure(options) {
  configureHost(options);
}

export function useKeetLink(config) {
  const latest = useRef(config);
  latest.current = config;
  const handle = useRef(null);
  const [isReady, setReady] = useState(false);
  const [error, setError] = useState(null);
  const renewToken = useCallback(() => latest.current.linkToken(), []);
  const linkToken = typeof config?.linkToken === "function" ? renewToken : config?.linkToken;

  useEffect(() => {
    let cancelled = false;
    let created = null;
    setReady(false);
    setError(null);
    const sync = () => !cancelled && setReady(Boolean(created?.isReady));
    // Every callback the contract names is forwarded, and each reads the
    // newest config, so new closures never re-create the widget. Only
    // onValidationError and onExit also set the hook's `error`.
    const ownState = {
      onValidationError: (errors) => setError(errors[0] ?? null),
      onExit: (exitError) => setError(exitError),
    };
    const forwarded = Object.fromEntries(CALLBACKS.map((name) => [name, (...args) => {
      sync();
      if (!cancelled) ownState[name]?.(...args);
      const callback = latest.current?.[name];
      if (typeof callback === "function") callback(...args);
    }]));
    // A missing or bad onSuccess goes through as it is: the widget reports it.
    if (typeof latest.current?.onSuccess !== "function") forwarded.onSuccess = latest.current?.onSuccess;
    created = createKeetLink({ ...latest.current, ...forwarded, linkToken });
    handle.current = created;
    sync();
    return () => {
      cancelled = true;
      created?.destroy();
      if (handle.current === created) handle.current = null;
    };
  }, [linkToken]);

  const open = useCallback(() => {
    if (handle.current) handle.current.open();
    else console.warn("keet-link: open() was called before isReady; nothing happened");
  }, []);
  const exit = useCallback(() => handle.current?.exit(), []);
  return { open, exit, isReady, error };
}
