// keet-link/react: a drop-in for Keet's `useKeetLink` React hook.
//   const { open, isReady, exit, error } = useKeetLink({ linkToken, onSuccess, … })
// One widget per linkToken, destroyed on unmount or when the token changes;
// the latest callbacks are always the ones called. The modal runs in the
// link frame: this page loads no wasm.
import { useCallback, useEffect, useRef, useState } from "react";
import { configure as configureHost, createKeetLink } from "../pkg/loader/keet-link.js";

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
  const linkToken = config?.linkToken;

  useEffect(() => {
    let cancelled = false;
    let created = null;
    setReady(false);
    setError(null);
    const sync = () => !cancelled && setReady(Boolean(created?.isReady));
    // Each callback reads the newest config, so new closures never re-create the widget.
    const call = (name, ...args) => {
      const callback = latest.current?.[name];
      if (typeof callback === "function") callback(...args);
    };
    // Every callback the contract names is forwarded, each through `call`.
    const onSuccess = typeof latest.current?.onSuccess === "function"
      ? (token, metadata) => { sync(); call("onSuccess", token, metadata); }
      : latest.current?.onSuccess; // let the widget report the bad value
    created = createKeetLink({
      ...latest.current,
      linkToken,
      onSuccess,
      onValidationError: (errors) => { sync(); if (!cancelled) setError(errors[0] ?? null); call("onValidationError", errors); },
      onExit: (exitError, metadata) => { sync(); if (!cancelled) setError(exitError); call("onExit", exitError, metadata); },
      onEvent: (name, metadata) => { sync(); call("onEvent", name, metadata); },
      onLoad: () => { sync(); call("onLoad"); },
    });
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
