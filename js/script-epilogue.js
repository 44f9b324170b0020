  // ---- keet-link's classic API, on top of the wasm-bindgen glue above ----
  var loaded = wasm_bindgen({ module_or_path: new URL("keet_link_bg.wasm", ownSrc) });
  var defaults = {};

  function report(config, error) {
    var errors = [{ code: "LOAD_FAILED", message: "keet-link could not load its WebAssembly: " + error }];
    if (config && typeof config.onValidationError === "function") config.onValidationError(errors);
    else console.error(errors[0].message);
  }

  // A handle usable at once: it forwards to the real one once the wasm is
  // loaded. Its members are closures, so they work when destructured.
  function create(config) {
    var real = null;
    var destroyed = false;
    loaded.then(function () {
      if (destroyed) return;
      var merged = Object.assign({}, config);
      if (config && config.apiBaseUrl == null && defaults.apiBaseUrl != null) merged.apiBaseUrl = defaults.apiBaseUrl;
      real = wasm_bindgen.createKeetLink(config && typeof config === "object" ? merged : config);
    }, function (error) { report(config, error); });
    var handle = {
      open: function () {
        if (real) real.open();
        else console.warn("keet-link: open() was called before isReady; nothing happened");
      },
      exit: function () { if (real) real.exit(); },
      destroy: function () { destroyed = true; if (real) real.destroy(); }
    };
    Object.defineProperty(handle, "isReady", {
      enumerable: true,
      get: function () { return !!real && real.isReady; }
    });
    return handle;
  }

  function configure(options) {
    if (!options || typeof options !== "object") throw new TypeError("KeetLink.configure() takes an object");
    defaults = Object.assign({}, options);
    // The wasm checks the values and throws (into the console) if they are wrong.
    loaded.then(function () { wasm_bindgen.configure(options); });
  }

  window.KeetLink = Object.freeze({
    create: create,
    useKeetLink: create,
    configure: configure,
    /** Resolves once the wasm is loaded. */
    ready: loaded.then(function () {})
  });
})();
