// npm run bench: medians of script-to-ready and click-to-modal in headless
// Chromium against a local sandbox, each as a ratio to a plain-JS baseline
// measured in the same run. Every sample is a fresh browser context.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { chromium } from "@playwright/test";

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 15);
const sandbox = spawn("./target/release/keet-sandbox",
  ["--port", "0", "--rate-limit", "1000", "--www", "bench", "--pkg", "pkg"], { stdio: ["ignore", "pipe", "ignore"] });
const base = await new Promise((resolve) => {
  createInterface({ input: sandbox.stdout }).on("line", (line) => {
    const match = line.match(/^listening on (\S+)/);
    if (match) resolve(match[1]);
  });
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});

async function linkToken() {
  const response = await fetch(`${base}/demo/link-token`, {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ endUserId: `bench-${Math.random()}`, integration: "Instagram" }),
  });
  return (await response.json()).linkToken;
}

async function sample(mode) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/?mode=${mode}&token=${await linkToken()}`);
  const handle = await page.waitForFunction(() => document.body.dataset.result, null, { timeout: 15_000 });
  const result = JSON.parse(await handle.jsonValue());
  await context.close();
  return result;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const runs = { widget: [], baseline: [] };
for (let i = 0; i < SAMPLES; i += 1) {
  // Interleaved, so that drift in the machine's load hits both equally.
  for (const mode of ["baseline", "widget"]) runs[mode].push(await sample(mode));
}
await browser.close();
sandbox.kill("SIGTERM");

for (const metric of ["ready", "open"]) {
  const widget = median(runs.widget.map((r) => r[metric]));
  const baseline = median(runs.baseline.map((r) => r[metric]));
  const name = metric === "ready" ? "script-to-ready" : "click-to-modal";
  console.log(`${name}: widget ${widget.toFixed(1)} ms, baseline ${baseline.toFixed(1)} ms, ratio ${(widget / baseline).toFixed(2)}x (median of ${SAMPLES})`);
}
