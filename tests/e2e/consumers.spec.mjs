// The package as its users get it: built from the packed tarball
// (scripts/consumers.sh), served by real sandboxes, driven in Chromium.
import { test, expect } from "@playwright/test";
import { modal, expectClosed } from "./helpers.mjs";

const react = () => process.env.KEET_REACT_CONSUMER_DEMO_URL;
const pages = () => process.env.KEET_PAGES_CONSUMER_DEMO_URL;

test.beforeEach(() => {
  if (!react() || !pages()) throw new Error("run scripts/consumers.sh first (npm test does)");
});

async function logIn(page) {
  await expect(modal(page).getByTestId("keet-dialog")).toBeVisible();
  await modal(page).getByTestId("keet-field-username").fill("user_good");
  await modal(page).getByTestId("keet-field-password").fill("pass_good");
  await modal(page).getByTestId("keet-submit").click();
  await expectClosed(page);
}

const hosts = (page) => page.locator("[data-keet-link]").count();
// Counts the host page's own loads (a frame's resources are not the page's).
const wasmLoads = (page) =>
  page.evaluate(() => performance.getEntriesByType("resource").filter((e) => e.name.endsWith(".wasm")).length);

test("Keet's React sample in StrictMode reaches onSuccess exactly once", async ({ page }) => {
  await page.goto(`${react()}/`);
  const open = page.getByRole("button", { name: "Open Link" });
  await expect(open).toBeEnabled();
  expect(await hosts(page)).toBe(1); // StrictMode's double effect left no stray widget
  await open.click();
  await logIn(page);
  await expect(page.getByTestId("success-count")).toHaveText("1");
  await page.waitForTimeout(500);
  await expect(page.getByTestId("success-count")).toHaveText("1");
  await expect(page.getByTestId("successes")).toContainText("public_sandbox_");
  await expect(open).toBeDisabled(); // isReady is React state, and the session is over
});

test("the hook calls the latest callback without re-creating the widget", async ({ page }) => {
  await page.goto(`${react()}/`);
  const open = page.getByRole("button", { name: "Open Link" });
  await expect(open).toBeEnabled();
  const before = await page.locator("[data-keet-link]").getAttribute("data-keet-link");
  for (let i = 0; i < 3; i += 1) await page.getByTestId("rerender").click();
  expect(await page.locator("[data-keet-link]").getAttribute("data-keet-link")).toBe(before);
  await open.click();
  await logIn(page);
  await expect(page.getByTestId("successes")).toContainText('"renders":3');
});

test("remounting and changing the token leave no stray modal or listener", async ({ page }) => {
  await page.goto(`${react()}/`);
  await expect(page.getByRole("button", { name: "Open Link" })).toBeEnabled();
  await page.getByTestId("toggle-mount").click();
  expect(await hosts(page)).toBe(0);
  await page.getByTestId("toggle-mount").click();
  await expect(page.getByRole("button", { name: "Open Link" })).toBeEnabled();
  expect(await hosts(page)).toBe(1);
  const first = await page.locator("[data-keet-link]").getAttribute("data-keet-link");
  await page.getByTestId("new-token").click();
  await expect.poll(() => page.locator("[data-keet-link]").getAttribute("data-keet-link")).not.toBe(first);
  expect(await hosts(page)).toBe(1);
  await expect(page.getByRole("button", { name: "Open Link" })).toBeEnabled();
  // The page scrolls and takes keys normally: no leftover lock or listener.
  expect(await page.evaluate(() => getComputedStyle(document.body).overflow)).not.toBe("hidden");
  await page.keyboard.press("Escape");
  await expectClosed(page);
  await page.getByRole("button", { name: "Open Link" }).click();
  await logIn(page);
  await expect(page.getByTestId("success-count")).toHaveText("1");
  expect(await wasmLoads(page)).toBe(0); // the host page loads no wasm, however many hooks came and went
});

test("a classic script included twice runs two independent widgets", async ({ page }) => {
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${pages()}/script.html`);
  await expect(page.getByTestId("open-first")).toBeEnabled();
  await expect(page.getByTestId("open-second")).toBeEnabled();
  expect(await wasmLoads(page)).toBe(0); // the host page loads no wasm
  expect(await hosts(page)).toBe(2);
  await page.getByTestId("open-first").click();
  await expect(modal(page).getByTestId("keet-integration")).toHaveText("X");
  await logIn(page);
  await expect(page.getByTestId("first-result")).toHaveText(/^X:public_sandbox_/);
  await page.getByTestId("open-second").click();
  await expect(modal(page).getByTestId("keet-integration")).toHaveText("Venmo");
  await logIn(page);
  await expect(page.getByTestId("second-result")).toHaveText(/^Venmo:public_sandbox_/);
  await expect(page.getByTestId("first-result")).toHaveText(/^X:public_sandbox_[0-9a-f]+$/);
  expect(errors).toEqual([]);
});

test("a module script with no bundler links an account, under a strict CSP", async ({ page }) => {
  await page.goto(`${pages()}/module.html`);
  await expect(page.getByTestId("open")).toBeEnabled();
  await page.getByTestId("open").click();
  await logIn(page);
  await expect(page.getByTestId("result")).toHaveText(/^public_sandbox_/);
});
