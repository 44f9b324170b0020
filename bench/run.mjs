// npm run bench: every figure on one line, in a stable form.
// - size: brotli (-q 11) bytes of each artifact, beside its budget
//   (size-budget.txt; the same definitions as scripts/build-widget.sh);
// - memory: what a warm widget keeps after 1,000 open/exit cycles and after
//   200 create/destroy cycles (tests/e2e/memory.spec.mjs holds the limits);
// - script-to-ready and click-to-modal, for the default (frame) mode and the
//   in-page mode: medians in headless Chromium against a local sandbox, each
//   as a ratio to a plain-JS baseline measured in the same run. Every sample
//   is a fresh browser context, and the modes are interleaved;
// - script-to-ready on a phone's slow network (150 ms latency, 1.6 Mbps
//   down, 750 kbps up, by Chromium's network emulation), with a cold cache
//   and with a warm one, against the same baseline fetched under the same
//   throttle (its CORS preflight included on a cold cache).
import { readFileSync, readdirSync } from "node:fs";
import { brotliCompressSync, constants } from "node:zlib";
import { chromium } from "@playwright/test";
import { freePort, startSandbox } from "../tests/support/sandbox.mjs";
import { startFrameServer } from "../tests/support/nginx.mjs";
import { counters, preparePage, settled } from "../tests/support/memory.mjs";

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 15);

const brotli = (files) => files.reduce((total, file) => total
  + brotliCompressSync(readFileSync(file), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length, 0);
const artifacts = {
  host: ["pkg/loader/keet-link.js"],
  script: ["pkg/script/keet-link.js"],
  element: ["pkg/element/keet-link-element.js"],
  "frame-app": readdirSync("pkg/frame").filter((name) => !/\.(br|gz)$/.test(name) && !name.startsWith("words_")).map((name) => `pkg/frame/${name}`),
  "in-page": ["pkg/web/keet_link_bg.wasm", "pkg/web/keet_link.js"],
};
// The frame loads at most one words file (none in English): its largest counts.
const wordsFiles = readdirSync("pkg/frame").filter((name) => /^words_.*\.txt$/.test(name)).map((name) => `pkg/frame/${name}`);
const largestWords = wordsFiles.reduce((most, file) => Math.max(most, brotli([file])), 0);
const extra = { "frame-app": largestWords };
for (const line of readFileSync("size-budget.txt", "utf8").split("\n")) {
  const [name, budget] = line.trim().split(/\s+/);
  if (!name || name.startsWith("#")) continue;
  if (!artifacts[name]) throw new Error(`size-budget.txt names ${name}, which bench/run.mjs does not measure`);
  console.log(`size ${name}: ${brotli(artifacts[name]) + (extra[name] ?? 0)} bytes brotli (budget ${budget})`);
}

// The frame on an origin of its own, as deploy/ serves it in production:
// this build's pkg/frame under nginx, calling the sandbox.
const apiPort = await freePort();
const nginx = await startFrameServer({
  pkg: "pkg", deploy: "deploy", apiOrigin: `http://127.0.0.1:${apiPort}`, ancestors: () => "http://127.0.0.1:*", shops: 0,
});
const sandbox = await startSandbox("bench", ["--rate-limit", "1000", "--www", "bench", "--pkg", "pkg",
  "--frame-url", nginx.frameUrl], { port: apiPort });
const { api, demo: site } = sandbox;
const launch = () => chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});
const browser = await launch();

async function linkToken() {
  const response = await fetch(`${site}/demo/link-token`, {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ endUserId: `bench-${Math.random()}`, integration: "Instagram" }),
  });
  return (await response.json()).linkToken;
}

// The demo page's URL for one sample of `mode` with a new link token.
async function sampleUrl(mode) {
  // isolation=none gives the page the CSP that allows wasm and calls to the
  // API: the in-page widget and the baseline's plain fetch need them.
  const options = { frame: "", apart: `&frameUrl=${encodeURIComponent(nginx.frameUrl)}` }[mode] ?? "&isolation=none";
  const pageMode = mode === "apart" ? "frame" : mode;
  return `${site}/?mode=${pageMode}&api=${encodeURIComponent(api)}&token=${await linkToken()}${options}`;
}

async function measure(page, mode) {
  await page.goto(await sampleUrl(mode));
  const handle = await page.waitForFunction(() => document.body.dataset.result, null, { timeout: 60_000 });
  return JSON.parse(await handle.jsonValue());
}

async function sample(mode) {
  const context = await browser.newContext();
  const result = await measure(await context.newPage(), mode);
  await context.close();
  return result;
}

// A phone on a slow network: Chromium's network emulation (DevTools
// protocol) for every request of the page and its same-site frame.
const SLOW_NETWORK = { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 };

// One sample on the slow network. Cold: a new context, so an empty HTTP
// cache, no compiled wasm and no cached preflight. Warm: the same page
// loaded once before in that context (with another link token), so only
// what the cache cannot hold crosses the network.
async function slowSample(mode, warm) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const devtools = await context.newCDPSession(page);
  await devtools.send("Network.enable");
  await devtools.send("Network.emulateNetworkConditions", SLOW_NETWORK);
  if (warm) await measure(page, mode);
  const result = await measure(page, mode);
  await context.close();
  return result;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const runs = { baseline: [], frame: [], apart: [], inpage: [] };
for (let i = 0; i < SAMPLES; i += 1) {
  // Interleaved, so that drift in the machine's load hits every mode equally.
  for (const mode of Object.keys(runs)) runs[mode].push(await sample(mode));
}
const SLOW_SAMPLES = Number(process.env.BENCH_SLOW_SAMPLES ?? 7);
// "apart": the frame on its own origin (nginx), as in production, where the
// session is a preflight and a GET of another origin.
const slowRuns = {
  cold: { baseline: [], frame: [], apart: [], inpage: [] },
  warm: { baseline: [], frame: [], apart: [], inpage: [] },
};
for (let i = 0; i < SLOW_SAMPLES; i += 1) {
  for (const [cache, modes] of Object.entries(slowRuns)) {
    for (const mode of Object.keys(modes)) modes[mode].push(await slowSample(mode, cache === "warm"));
  }
}
sandbox.stop();
nginx.stop();

await browser.close();

// Memory, on the demo page (the same cycles as the memory tests), in a
// browser of its own: Chromium's DOM counters are per renderer process, and
// the pages of the timing runs would count too.
const memoryBrowser = await launch();
const demoSandbox = await startSandbox("bench-memory", ["--rate-limit", "1000", "--www", "www", "--pkg", "pkg"]);
const memoryLines = [];
const growth = (before, after) => `wasm ${after.memory - before.memory} bytes, DOM nodes ${after.nodes - before.nodes}, `
  + `listeners ${after.listeners - before.listeners}`;
for (const [isolation, label] of [["frame", "frame"], ["none", "in-page"]]) {
  const context = await memoryBrowser.newContext();
  const page = await context.newPage();
  await preparePage(page, isolation, demoSandbox.demo);
  await page.evaluate(() => window.cycler.openExit(50));
  let measure = await counters(page, isolation);
  // The floor over a few cycles, as the memory test reads it: closed
  // dialogs linger in the frame's counts for a while (tests/support/memory.mjs).
  let [before] = await settled(page, measure);
  await page.evaluate(() => window.cycler.openExit(1000));
  const [after] = await settled(page, measure);
  memoryLines.push(`memory growth (${label}, 1000 open/exit cycles): ${growth(before, after)}`);
  if (isolation === "none") {
    await page.evaluate(() => window.cycler.createDestroy(200));
    measure = await counters(page, isolation);
    before = await measure();
    await page.evaluate(() => window.cycler.createDestroy(200));
    memoryLines.push(`memory growth (${label}, 200 create/destroy cycles): ${growth(before, await measure())}`);
  }
  await context.close();
}
demoSandbox.stop();
await memoryBrowser.close();

for (const [metric, name] of [["ready", "script-to-ready"], ["open", "click-to-modal"]]) {
  const baseline = median(runs.baseline.map((r) => r[metric]));
  for (const [mode, label] of [["frame", "frame"], ["apart", "frame on its own origin"], ["inpage", "in-page"]]) {
    const widget = median(runs[mode].map((r) => r[metric]));
    console.log(`${name} (${label}): widget ${widget.toFixed(1)} ms, baseline ${baseline.toFixed(1)} ms, ratio ${(widget / baseline).toFixed(2)}x (median of ${SAMPLES})`);
  }
}
for (const [cache, modes] of Object.entries(slowRuns)) {
  const suffix = cache === "cold" ? "throttled" : "throttled, warm cache";
  const baseline = median(modes.baseline.map((r) => r.ready));
  for (const [mode, label] of [["frame", "frame"], ["apart", "frame on its own origin"], ["inpage", "in-page"]]) {
    const widget = median(modes[mode].map((r) => r.ready));
    console.log(`script-to-ready (${label}, ${suffix}): widget ${widget.toFixed(1)} ms, baseline ${baseline.toFixed(1)} ms, ratio ${(widget / baseline).toFixed(2)}x (median of ${SLOW_SAMPLES})`);
  }
}
for (const line of memoryLines) console.log(line);
