// keet-link/react: a drop-in for Keet's `useKeetLink` React hook.
//   const { open, isReady, exit, error } = useKeetLink({ linkToken, onSuccess, … })
// One widget per linkToken, destroyed on unmount or when the token changes;
// the latest callbacks are always the ones called; the wasm loads once per page.
import { useCallback, useEffect, useRef, useState } from "react";
import init, { configure as configureWasm, createKeetLink } from "../pkg/web/keet_link.js";

let loading = null;
let defaults = {};

/** Loads the wasm once, however many hooks are on the page. */
function load() {
  loading ??= init({ module_or_path: new URL("../pkg/web/keet_link_bg.wasm", import.meta.url) });
  return loading;
}

/** Page-wide defaults, e.g. `configure({ apiBaseUrl: "http://127.0.0.1:8080" })` in the entry file. */
export function configure(options) {
  if (!options || typeof options !== "object") throw new TypeError("configure() takes an object");
  defaults = { ...options };
  load().then(() => configureWasm(options));
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
    load().then(() => {
      if (cancelled) return; // unmounted (or StrictMode's first pass) before the wasm loaded
      const onSuccess = typeof latest.current?.onSuccess === "function"
        ? (token, metadata) => { sync(); call("onSuccess", token, metadata); }
        : latest.current?.onSuccess; // let the widget report the bad value
      created = createKeetLink({
        linkToken,
        apiBaseUrl: latest.current?.apiBaseUrl ?? defaults.apiBaseUrl,
        onSuccess,
        onValidationError: (errors) => { if (!cancelled) setError(errors[0] ?? null); call("onValidationError", errors); },
        onExit: (exitError, metadata) => { sync(); if (!cancelled) setError(exitError); call("onExit", exitError, metadata); },
        onEvent: (name, metadata) => { sync(); call("onEvent", name, metadata); },
        onLoad: () => { sync(); call("onLoad"); },
      });
      handle.current = created;
      sync();
    }, (loadError) => {
      if (!cancelled) setError({ code: "LOAD_FAILED", message: `keet-link could not load its WebAssembly: ${loadError}` });
    });
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
