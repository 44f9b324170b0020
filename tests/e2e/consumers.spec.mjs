// The package as its users get it: built from the packed tarball
// (scripts/consumers.sh), served by real sandboxes, driven in Chromium.
import { test, expect } from "@playwright/test";
import { modal, expectClosed } from "./helpers.mjs";

const react = () => process.env.KEET_REACT_CONSUMER_DEMO_URL;
const pages = () => process.env.KEET_PAGES_CONSUMER_DEMO_URL;
const vue = () => process.env.KEET_VUE_CONSUMER_DEMO_URL;

test.beforeEach(() => {
  if (!react() || !pages() || !vue()) throw new Error("run scripts/consumers.sh first (npm test does)");
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

test("the hook takes a linkToken function, and a new function each render re-creates nothing", async ({ page }) => {
  await page.goto(`${react()}/?tokenFunction`);
  const open = page.getByRole("button", { name: "Open Link" });
  await expect(open).toBeEnabled();
  const before = await page.locator("[data-keet-link]").getAttribute("data-keet-link");
  for (let i = 0; i < 3; i += 1) await page.getByTestId("rerender").click();
  expect(await page.locator("[data-keet-link]").getAttribute("data-keet-link")).toBe(before);
  expect(await hosts(page)).toBe(1);
  await open.click();
  await logIn(page);
  await expect(page.getByTestId("success-count")).toHaveText("1");
  await expect(page.getByTestId("errors")).toHaveText("[]");
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

test.describe("the <keet-link> custom element in a plain page", () => {
  const events = (page) => page.getByTestId("events").locator("li");
  const eventsOf = async (page, type) =>
    (await events(page).allTextContents()).filter((text) => text.startsWith(`${type} `));

  test("its attributes make a widget, and its events carry the callbacks' payloads, once each", async ({ page }) => {
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${pages()}/element.html`);
    await expect(page.locator("keet-link[ready]")).toHaveCount(1);
    expect(await hosts(page)).toBe(1); // the module's second copy defined nothing more
    expect(await page.evaluate(() => document.querySelector("keet-link").isReady)).toBe(true);
    // The page set a link-token attribute: the element keeps it as its
    // property, and no link token stays in the DOM.
    expect(await page.locator("keet-link").getAttribute("link-token")).toBeNull();
    expect(await page.evaluate(() => document.body.outerHTML)).not.toContain("link_sandbox_");
    expect(await page.evaluate(() => document.querySelector("keet-link").linkToken)).toMatch(/^link_sandbox_/);
    await expect.poll(() => eventsOf(page, "keet-load")).toEqual(["keet-load {}"]);
    await page.getByTestId("open").click();
    await expect(modal(page).getByTestId("keet-integration")).toHaveText("Facebook");
    await logIn(page);
    await expect.poll(async () => (await eventsOf(page, "keet-success")).length).toBe(1);
    const [success] = await eventsOf(page, "keet-success");
    const detail = JSON.parse(success.slice("keet-success ".length));
    expect(detail.publicToken).toMatch(/^public_sandbox_/);
    expect(detail.metadata).toMatchObject({ integration: "Facebook" });
    expect(await eventsOf(page, "keet-event")).toContainEqual(expect.stringMatching(/^keet-event \{"eventName":"OPEN","metadata":/));
    await expect(page.locator("keet-link[ready]")).toHaveCount(0); // the session is over
    await page.waitForTimeout(300);
    expect(await eventsOf(page, "keet-success")).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  test("a new link-token replaces its widget, a bad one is reported, and removing it destroys the widget", async ({ page }) => {
    await page.goto(`${pages()}/element.html`);
    await expect(page.locator("keet-link[ready]")).toHaveCount(1);
    const first = await page.locator("[data-keet-link]").getAttribute("data-keet-link");
    await page.getByTestId("new-token").click();
    await expect.poll(() => page.locator("[data-keet-link]").getAttribute("data-keet-link")).not.toBe(first);
    expect(await hosts(page)).toBe(1);
    await expect(page.locator("keet-link[ready]")).toHaveCount(1);

    await page.getByTestId("bad-token").click();
    await expect.poll(async () => (await eventsOf(page, "keet-validation-error")).join("\n")).toContain('"field":"linkToken"');
    expect(await hosts(page)).toBe(0); // the old widget is gone, and a bad config makes none
    await expect(page.locator("keet-link[ready]")).toHaveCount(0);

    // A link-token attribute is read into the property, so the newest token
    // wins, whichever way it came, and none stays in the DOM.
    await page.getByTestId("new-token").click();
    await expect(page.locator("keet-link[ready]")).toHaveCount(1);
    expect(await page.locator("keet-link").getAttribute("link-token")).toBeNull();
    await page.getByTestId("remove").click();
    await expect.poll(() => hosts(page)).toBe(0);
    expect(await page.evaluate(() => document.querySelector("keet-link"))).toBeNull();
  });
});

test("a Vue 3 app with <keet-link> and v-on handlers reaches keet-success exactly once", async ({ page }) => {
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${vue()}/`);
  const open = page.getByRole("button", { name: "Open Link" });
  await expect(open).toBeEnabled(); // keet-load, through @keet-load
  await expect(page.locator("keet-link[ready]")).toHaveCount(1);
  await open.click();
  await expect(modal(page).getByTestId("keet-integration")).toHaveText("Amazon Business");
  await logIn(page);
  await expect(page.getByTestId("success-count")).toHaveText("1");
  await expect(page.getByTestId("successes")).toHaveText(/^public_sandbox_[0-9a-f]+$/);
  await expect(page.getByTestId("events")).toContainText("OPEN");
  await expect(page.getByTestId("events")).toContainText("HANDOFF");
  await page.waitForTimeout(300);
  await expect(page.getByTestId("success-count")).toHaveText("1");
  expect(await wasmLoads(page)).toBe(0);
  expect(errors).toEqual([]);
});

for (const isolation of ["frame", "none"]) {
  test(`the "." entry bundled by Vite with no wasm plugin links an account (isolation: ${isolation})`, async ({ page }) => {
    await page.goto(`${vue()}/bundler.html${isolation === "none" ? "?isolation=none" : ""}`);
    await expect(page.getByTestId("open")).toBeEnabled();
    await page.getByTestId("open").click();
    if (isolation === "frame") {
      await logIn(page);
    } else {
      // In the page: the modal is in the page's own DOM, and Vite's emitted wasm ran it.
      await page.getByTestId("keet-field-username").fill("user_good");
      await page.getByTestId("keet-field-password").fill("pass_good");
      await page.getByTestId("keet-submit").click();
      expect(await wasmLoads(page)).toBe(1);
    }
    await expect(page.getByTestId("result")).toHaveText(/^public_sandbox_/);
  });
}

test.describe("the classic script pinned by Subresource Integrity", () => {
  for (const mode of ["frame", "none"]) {
    test(`with the build's sha384 it runs, and the flow links an account (isolation: ${mode})`, async ({ page }) => {
      await page.goto(`${pages()}/sri.html${mode === "none" ? "?isolation=none&mode=none" : ""}`);
      await expect(page.getByTestId("open")).toBeEnabled();
      await page.getByTestId("open").click();
      if (mode === "frame") {
        await logIn(page);
      } else {
        await page.getByTestId("keet-field-username").fill("user_good");
        await page.getByTestId("keet-field-password").fill("pass_good");
        await page.getByTestId("keet-submit").click();
        // The wasm the pinned script loaded in turn: content-named, fetched with its own sha384.
        const wasm = await page.evaluate(() =>
          performance.getEntriesByType("resource").map((e) => e.name).filter((name) => name.endsWith(".wasm")));
        expect(wasm).toEqual([expect.stringMatching(/\/pkg\/script\/keet_link_bg\.[0-9a-f]{12}\.wasm$/)]);
      }
      await expect(page.getByTestId("result")).toHaveText(/^public_sandbox_/);
    });
  }

  test("with a wrong sha384 the browser refuses to run it", async ({ page }) => {
    const messages = [];
    page.on("console", (message) => messages.push(message.text()));
    await page.goto(`${pages()}/sri-wrong.html`);
    await expect(page.getByTestId("result")).toHaveText("refused: window.KeetLink is undefined");
    expect(messages.join("\n")).toMatch(/integrity/i);
    expect(await hosts(page)).toBe(0);
  });
});
