// The appearance and accentColor options, end to end in the framed mode:
// light or dark whatever the browser prefers, the system's preference by
// default, and an accent colour with text that always reads on it.
import { test, expect } from "@playwright/test";
import { modal, prepareHere, events } from "./helpers.mjs";

const LIGHT_SURFACE = "rgb(255, 255, 255)";
const DARK_SURFACE = "rgb(31, 41, 55)";

async function openWith(page, query) {
  await page.goto(`${process.env.KEET_DEMO_URL}/${query}`);
  await prepareHere(page, { integration: "Instagram" });
  await page.getByTestId("demo-open").click();
  await expect(modal(page).getByTestId("keet-dialog")).toBeVisible();
}

const styleOf = (locator, property) => locator.evaluate((element, name) => getComputedStyle(element)[name], property);

test("appearance dark in a light browser: the modal is dark", async ({ page }) => {
  await openWith(page, "?appearance=dark");
  await expect.poll(() => styleOf(modal(page).getByTestId("keet-dialog"), "backgroundColor")).toBe(DARK_SURFACE);
  await page.waitForTimeout(250);
  await page.screenshot({ path: "test-results/screenshots/dark-credentials.png" });
});

test.describe("in a browser that prefers dark", () => {
  test.use({ colorScheme: "dark" });

  test("the default follows it, and appearance light overrides it", async ({ page }) => {
    await openWith(page, "");
    await expect.poll(() => styleOf(modal(page).getByTestId("keet-dialog"), "backgroundColor")).toBe(DARK_SURFACE);
    await openWith(page, "?appearance=light");
    await expect.poll(() => styleOf(modal(page).getByTestId("keet-dialog"), "backgroundColor")).toBe(LIGHT_SURFACE);
  });
});

test("an accent colour paints the button, with black or white text by contrast", async ({ page }) => {
  await openWith(page, `?accentColor=${encodeURIComponent("#FFD400")}`);
  const submit = modal(page).getByTestId("keet-submit");
  await expect.poll(() => styleOf(submit, "backgroundColor")).toBe("rgb(255, 212, 0)");
  expect(await styleOf(submit, "color")).toBe("rgb(0, 0, 0)");
  await openWith(page, `?accentColor=${encodeURIComponent("#0A2540")}`);
  await expect.poll(() => styleOf(submit, "backgroundColor")).toBe("rgb(10, 37, 64)");
  expect(await styleOf(submit, "color")).toBe("rgb(255, 255, 255)");
});

test("a malformed accent colour or appearance is a validation error naming the field", async ({ page }) => {
  for (const [query, field] of [["?accentColor=blue", "accentColor"], ["?appearance=Dark", "appearance"]]) {
    await page.goto(`${process.env.KEET_DEMO_URL}/${query}`);
    await page.waitForSelector("body[data-ready=true]");
    await page.getByTestId("demo-end-user").fill(`look-${Date.now()}`);
    await page.getByTestId("demo-create").click();
    await expect(page.getByTestId("demo-events")).toContainText("onValidationError");
    const line = (await events(page)).find((entry) => entry.includes("onValidationError"));
    expect(line).toContain(`"field":"${field}"`);
  }
});
