// Nothing grows per open/close or per create/destroy: after a warm-up, a
// thousand open/exit cycles (and two hundred create/destroy cycles) leave
// the wasm memory within one 64 KiB page, and the DOM node and event
// listener counts (Chromium's own counters, after a forced GC) where they
// were, the node count within three closed dialogs. In the framed mode the
// wasm memory is the link frame's, read from inside it; the host page's
// counts are held too.
import { test, expect } from "@playwright/test";
import { counters, preparePage, settled } from "../support/memory.mjs";

const WARM_UP = 50;
const OPEN_EXIT_CYCLES = 1000;
const CREATE_DESTROY_CYCLES = 200;
const WASM_PAGE = 64 * 1024;
/** A closed dialog's nodes in Chromium's count (the demo's Instagram login). */
const CLOSED_DIALOG_NODES = 96;
/**
 * Three closed dialogs lingering (see `settled` in tests/support/memory.mjs):
 * the floor has been seen to move by up to two (156 nodes in one CI run).
 * A leak of one node per cycle still shows as a thousand.
 */
const NODE_SLACK = 3 * CLOSED_DIALOG_NODES;

test.describe.configure({ timeout: 180_000 });

function expectNoGrowth(before, after) {
  expect(after.memory - before.memory, "wasm memory growth, bytes").toBeLessThanOrEqual(WASM_PAGE);
  expect(after.nodes, "DOM nodes").toBeLessThanOrEqual(before.nodes + NODE_SLACK);
  expect(after.listeners, "event listeners").toBeLessThanOrEqual(before.listeners);
}

for (const isolation of ["frame", "none"]) {
  const mode = isolation === "frame" ? "framed" : "in-page";

  test(`${mode}: a thousand open/exit cycles grow nothing`, async ({ page }) => {
    await preparePage(page, isolation);
    await page.evaluate((n) => window.cycler.openExit(n), WARM_UP);
    const measure = await counters(page, isolation);
    const host = isolation === "frame" ? await counters(page, "host") : measure;
    const [before, hostBefore] = await settled(page, measure, host);
    await page.evaluate((n) => window.cycler.openExit(n), OPEN_EXIT_CYCLES);
    const [after, hostAfter] = await settled(page, measure, host);
    console.log(`memory ${mode} open/exit x${OPEN_EXIT_CYCLES}: ${JSON.stringify({ before, after, hostBefore, hostAfter })}`);
    expectNoGrowth(before, after);
    expectNoGrowth(hostBefore, hostAfter);
  });
}

test(`in-page: ${CREATE_DESTROY_CYCLES} create/destroy cycles grow nothing`, async ({ page }) => {
  await preparePage(page, "none");
  // A destroyed widget is freed when the JS collector finalises its
  // handle's closures, so the heap settles at a high-water mark first: two
  // pages above the start, reached within 200 cycles, the same after 600.
  await page.evaluate((n) => window.cycler.createDestroy(n), 200);
  const measure = await counters(page, "none");
  const before = await measure();
  await page.evaluate((n) => window.cycler.createDestroy(n), CREATE_DESTROY_CYCLES);
  const after = await measure();
  console.log(`memory in-page create/destroy x${CREATE_DESTROY_CYCLES}: ${JSON.stringify({ before, after })}`);
  expectNoGrowth(before, after);
});

test(`framed: ${CREATE_DESTROY_CYCLES} create/destroy cycles leave the host page as it was`, async ({ page }) => {
  await preparePage(page, "frame");
  await page.evaluate((n) => window.cycler.createDestroy(n), 20);
  const measure = await counters(page, "host");
  const before = await measure();
  await page.evaluate((n) => window.cycler.createDestroy(n), CREATE_DESTROY_CYCLES);
  const after = await measure();
  console.log(`memory framed create/destroy x${CREATE_DESTROY_CYCLES}: ${JSON.stringify({ before, after })}`);
  expectNoGrowth(before, after);
  expect(await page.locator("iframe[data-keet-link]").count()).toBe(1);
});
