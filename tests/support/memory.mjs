// Open/exit and create/destroy cycles of real widgets on the demo page, and
// Chromium's own counters (wasm memory, DOM nodes, event listeners): shared
// by the memory tests (tests/e2e/memory.spec.mjs) and the bench.

/** Loads the demo in `isolation` mode and gives the page a `window.cycler`. */
export async function preparePage(page, isolation, demo = process.env.KEET_DEMO_URL) {
  await page.goto(`${demo}/${isolation === "none" ? "?isolation=none" : ""}`);
  await page.waitForSelector("body[data-ready=true]");
  const { apiBaseUrl } = await page.evaluate(() => fetch("/demo/config").then((r) => r.json()));
  await page.evaluate(async ({ apiBaseUrl, isolation }) => {
    const { createKeetLink } = await import("/pkg/loader/keet-link.js");
    const waiters = [];
    const settle = (what) => {
      const index = waiters.findIndex((w) => w.what === what);
      if (index >= 0) waiters.splice(index, 1)[0].resolve();
    };
    const next = (what) => new Promise((resolve, reject) => {
      waiters.push({ what, resolve });
      setTimeout(() => reject(new Error(`no ${what} within 10 s`)), 10_000);
    });
    const mint = async () => (await fetch("/demo/link-token", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ endUserId: `memory-${Math.random()}`, integration: "Instagram" }),
    }).then((r) => r.json())).linkToken;
    const create = async () => {
      const ready = next("load");
      const link = createKeetLink({
        linkToken: await mint(), apiBaseUrl, isolation,
        onSuccess: () => {},
        onLoad: () => settle("load"),
        onEvent: (name) => name === "OPEN" && settle("open"),
        onExit: () => settle("exit"),
        onValidationError: (errors) => { throw new Error(JSON.stringify(errors)); },
      });
      await ready;
      return link;
    };
    let link = await create();
    window.cycler = {
      async openExit(times) {
        for (let i = 0; i < times; i += 1) {
          const opened = next("open");
          link.open();
          await opened;
          const exited = next("exit");
          link.exit();
          await exited;
        }
      },
      async createDestroy(times) {
        for (let i = 0; i < times; i += 1) {
          link.destroy();
          link = await create();
        }
      },
    };
  }, { apiBaseUrl, isolation });
}

/**
 * A reader of the counters of `where`: "frame" (the link frame, its own
 * process), "none" (the page, with the in-page widget's wasm) or "host"
 * (the page of a framed widget, which has no wasm).
 */
export async function counters(page, where) {
  const frame = where === "frame"
    ? page.frames().find((f) => f.url().includes("/link/v1/frame"))
    : page.mainFrame();
  // The link frame may run in the page's process (then the page's session
  // counts both) or in its own (then only its own session reaches it).
  const cdp = where === "frame"
    ? await page.context().newCDPSession(frame).catch(() => page.context().newCDPSession(page))
    : await page.context().newCDPSession(page);
  return async () => {
    // Twice, with a pause: wasm-bindgen frees a closure's Rust side from a
    // FinalizationRegistry callback, which runs after a collection.
    await cdp.send("HeapProfiler.collectGarbage");
    await new Promise((resolve) => setTimeout(resolve, 200));
    await cdp.send("HeapProfiler.collectGarbage");
    const { nodes, jsEventListeners } = await cdp.send("Memory.getDOMCounters");
    if (where === "host") return { memory: 0, nodes, listeners: jsEventListeners };
    const memory = await frame.evaluate(async (where) => {
      if (where === "frame") {
        const { wasmMemoryBytes } = await import(document.querySelector("script[type=module]").src);
        return wasmMemoryBytes();
      }
      // The in-page build is one module per page: importing it again gives
      // the instance the widget runs in.
      const glue = await import(new URL("/pkg/web/keet_link.js", location.href).href);
      return (await glue.default()).memory.buffer.byteLength;
    }, where);
    return { memory, nodes, listeners: jsEventListeners };
  };
}

const SETTLE_CYCLES = 8;

/**
 * Each reader's counters with the fewest nodes over `SETTLE_CYCLES` single
 * open/exit cycles.
 *
 * A closed dialog's DOM is not always freed at once. Chromium's node
 * counter is the renderer process's, and the demo page and its link frame
 * share one process (their origins differ only by port, so they are one
 * site): a reading counts both. From reading to reading, up to five closed
 * dialogs (96 nodes each) stay counted after any number of forced
 * collections, and go at later opens and closes (seen on the start of
 * session 8's tree as on its end, so not a change of the widget's). So a
 * reading is the fewest nodes over a few single cycles: the floor a leak
 * would raise (a leak of one node per cycle would add a thousand), not the
 * lingering of the last few dialogs. The floor itself still moves, by one
 * or two closed dialogs.
 */
export async function settled(page, ...readers) {
  const fewest = readers.map(() => null);
  for (let cycle = 0; cycle < SETTLE_CYCLES; cycle += 1) {
    await page.evaluate(() => window.cycler.openExit(1));
    for (const [index, read] of readers.entries()) {
      const reading = await read();
      if (process.env.KEET_MEMORY_TRACE) console.log(`settle ${index} ${cycle} ${JSON.stringify(reading)}`);
      if (!fewest[index] || reading.nodes < fewest[index].nodes) fewest[index] = reading;
    }
  }
  return fewest;
}
