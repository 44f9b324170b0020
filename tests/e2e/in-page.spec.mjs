// The in-page mode (isolation: "none"), an explicit choice for first-party
// pages: the modal renders in the page, in a shadow root. The demo serves
// itself in this mode at /?isolation=none, with a CSP that allows wasm.
import { test, expect } from "@playwright/test";
import { mintToken } from "./helpers.mjs";

const demo = () => process.env.KEET_DEMO_URL;

async function openInPage(page, { integration = "Instagram" } = {}) {
  await page.goto(`${demo()}/?isolation=none`);
  await page.waitForSelector("body[data-ready=true]");
  await page.getByTestId("demo-integration").selectOption({ value: integration });
  expect(await page.evaluate(() => document.body.dataset.isolation)).toBe("none");
  await page.getByTestId("demo-end-user").fill(`in-page-${test.info().testId}-${Date.now()}`);
  await page.getByTestId("demo-create").click();
  await expect(page.getByTestId("demo-open")).toBeEnabled();
  await page.getByTestId("demo-open").click();
  await expect(page.getByTestId("keet-dialog")).toBeVisible();
}

// The in-page build's two files, as a route matches them.
const MODULE = /\/pkg\/web\/keet_link\.js$/;
const WASM = /\/keet_link_bg\.wasm$/;

/** Loads the in-page demo and mints one link token per name (for X), for a test's own createKeetLink calls. */
async function inPageDemoWithTokens(page, ...names) {
  await page.goto(`${demo()}/?isolation=none`);
  await page.waitForSelector("body[data-ready=true]");
  const tokens = [];
  for (const name of names) {
    tokens.push((await mintToken(page, { endUserId: `${name}-${Date.now()}`, integration: "X" })).linkToken);
  }
  return tokens;
}

test("in the page: links with the test credentials, and no frame is made", async ({ page }) => {
  await openInPage(page);
  expect(await page.locator("iframe").count()).toBe(0);
  expect(await page.locator("div[data-keet-link]").count()).toBe(1);
  // The page can see what is typed here, so the modal promises nothing about it.
  await expect(page.getByTestId("keet-footer")).toHaveText("Secured by Keet.");
  await page.getByTestId("keet-field-username").fill("user_good");
  await page.getByTestId("keet-field-password").fill("pass_good");
  await page.getByTestId("keet-submit").click();
  await expect(page.getByTestId("demo-account-token")).toHaveText(/^acc_[0-9a-f]+$/);
  await expect(page.getByTestId("keet-dialog")).toHaveCount(0);
  expect(await page.evaluate(() => performance.getEntriesByType("resource").filter((e) => e.name.endsWith(".wasm")).length)).toBe(1);
});

test("in the page, the wasm is asked for beside its glue, not once the glue has come", async ({ page }) => {
  const seen = [];
  page.on("request", (request) => {
    if (WASM.test(request.url())) seen.push("wasm");
  });
  // The glue held back as a slow network would.
  await page.route(MODULE, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    seen.push("glue");
    await route.continue();
  });
  await openInPage(page);
  expect(seen).toEqual(["wasm", "glue"]);
});

// As in the frame (early-session.spec.mjs), the session is asked for while
// the wasm downloads, by the in-page module that loads beside it, and the
// widget takes that answer (DECISIONS S9).
test("in the page, the session is asked for while the wasm downloads, once, and the user links with it", async ({ page }) => {
  const seen = [];
  page.on("request", (request) => {
    if (request.method() === "GET" && new URL(request.url()).pathname === "/v1/link/session") seen.push("session");
  });
  // The wasm held back as a slow network would (locally it would be running
  // before any session request could come back).
  await page.route(WASM, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    seen.push("wasm");
    await route.continue();
  });
  await openInPage(page);
  expect(seen.indexOf("session"), `${seen}`).toBeGreaterThanOrEqual(0);
  expect(seen.indexOf("session"), `${seen}`).toBeLessThan(seen.indexOf("wasm"));
  await page.getByTestId("keet-field-username").fill("user_good");
  await page.getByTestId("keet-field-password").fill("pass_good");
  await page.getByTestId("keet-submit").click();
  await expect(page.getByTestId("demo-account-token")).toHaveText(/^acc_[0-9a-f]+$/);
  expect(seen.filter((what) => what === "session"), `${seen}`).toHaveLength(1);
});

// The in-page build that cannot load (its module or its wasm refused by the
// network, or the wasm missing) is one LOAD_FAILED for the page, and
// nothing else: no promise of the loader's is left to fail unheard.
for (const [what, refuse] of [
  ["its module", (page) => page.route(MODULE, (route) => route.abort())],
  ["its wasm", (page) => page.route(WASM, (route) => route.abort())],
  ["its wasm (404)", (page) => page.route(WASM, (route) => route.fulfill({ status: 404, body: "" }))],
]) {
  test(`in the page, a build that cannot load ${what} is reported once as LOAD_FAILED`, async ({ page }) => {
    const uncaught = [];
    page.on("pageerror", (error) => uncaught.push(String(error)));
    await refuse(page);
    const [linkToken] = await inPageDemoWithTokens(page, "load-fails");
    const report = await page.evaluate(async (linkToken) => {
      const { createKeetLink } = await import("/pkg/loader/keet-link.js");
      const reports = [];
      let handle;
      await new Promise((resolve) => {
        handle = createKeetLink({
          linkToken, isolation: "none", onSuccess() {},
          onValidationError: (errors) => { reports.push(errors); setTimeout(resolve, 300); },
        });
      });
      return { reports, ready: handle.isReady };
    }, linkToken);
    expect(report.reports).toEqual([[expect.objectContaining({ code: "LOAD_FAILED" })]]);
    expect(report.ready).toBe(false);
    expect(uncaught).toEqual([]);
  });
}

// destroy() before the build has loaded ends the widget there: no session
// request goes out for it afterwards, and no callback reports a load that
// failed after it.
for (const [what, hold] of [
  ["slow", (route) => new Promise((resolve) => setTimeout(resolve, 1000)).then(() => route.continue())],
  ["refused", (route) => new Promise((resolve) => setTimeout(resolve, 500)).then(() => route.abort())],
]) {
  test(`in the page, a widget destroyed while its ${what} module loads sends no request and reports nothing`, async ({ page }) => {
    const sessionRequests = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname === "/v1/link/session") sessionRequests.push(request.method());
    });
    await page.route(MODULE, hold);
    const [linkToken] = await inPageDemoWithTokens(page, "destroyed-early");
    const heard = await page.evaluate(async (linkToken) => {
      const { createKeetLink } = await import("/pkg/loader/keet-link.js");
      const heard = [];
      const handle = createKeetLink({
        linkToken, isolation: "none", onSuccess() {},
        onValidationError: (errors) => heard.push(errors.map((e) => e.code).join()),
        onLoad: () => heard.push("load"),
      });
      handle.destroy();
      await new Promise((resolve) => setTimeout(resolve, 2500));
      return heard;
    }, linkToken);
    expect(heard).toEqual([]);
    expect(sessionRequests).toEqual([]);
  });
}

// A phone's network that drops the build once: the next widget of the page
// asks for it again and is ready, as a framed widget would load its frame
// anew, rather than the failure being kept for the page's life. (Chromium
// fetches a module again after a failed import.)
for (const [what, url] of [["wasm", WASM], ["module", MODULE]]) {
  test(`in the page, after its ${what} failed to come, the next widget fetches it again and is ready`, async ({ page }) => {
    let requests = 0;
    await page.route(url, (route) => (++requests === 1 ? route.abort() : route.continue()));
    const tokens = await inPageDemoWithTokens(page, "load-again-first", "load-again-second");
    const outcome = await page.evaluate(async ([first, second]) => {
      const { createKeetLink } = await import("/pkg/loader/keet-link.js");
      const attempt = (linkToken) => new Promise((resolve) => {
        const handle = createKeetLink({
          linkToken, isolation: "none", onSuccess() {},
          onValidationError: (errors) => resolve({ handle, result: errors.map((e) => e.code).join() }),
          onLoad: () => resolve({ handle, result: "ready" }),
        });
      });
      const failed = await attempt(first);
      failed.handle.destroy();
      const again = await attempt(second);
      return [failed.result, again.result, again.handle.isReady];
    }, tokens);
    expect(outcome).toEqual(["LOAD_FAILED", "ready", true]);
    expect(requests).toBe(2);
  });
}

test("in the page: the code step, then Escape returns focus to the opener", async ({ page }) => {
  await openInPage(page);
  await page.getByTestId("keet-field-username").fill("user_mfa");
  await page.getByTestId("keet-field-password").fill("pass_good");
  await page.getByTestId("keet-submit").click();
  await expect(page.getByTestId("keet-field-code")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("keet-dialog")).toHaveCount(0);
  await expect(page.getByTestId("demo-open")).toBeFocused();
  await page.getByTestId("demo-open").click();
  await page.getByTestId("keet-field-code").fill("123456");
  await page.getByTestId("keet-submit").click();
  await expect(page.getByTestId("demo-account-token")).toHaveText(/^acc_[0-9a-f]+$/);
});

test("in the frame, the footer promises that the app never sees the password", async ({ page }) => {
  await page.goto(`${demo()}/`);
  await page.waitForSelector("body[data-ready=true]");
  await page.getByTestId("demo-create").click();
  await expect(page.getByTestId("demo-open")).toBeEnabled();
  await page.getByTestId("demo-open").click();
  const footer = page.frameLocator("iframe[data-keet-link]:visible").getByTestId("keet-footer");
  await expect(footer).toHaveText("Secured by Keet. Your password is never shared with Acme Budget.");
});

test("in the page: the user chooses the integration by keyboard, then waits for an approval, and links", async ({ page }) => {
  await openInPage(page, { integration: "" });
  await expect(page.getByTestId("keet-search")).toBeFocused();
  await page.keyboard.type("face");
  await page.keyboard.press("ArrowDown");
  await expect(page.getByTestId("keet-option-facebook")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("keet-integration")).toHaveText("Facebook");
  await page.getByTestId("keet-field-username").fill("user_push");
  await page.getByTestId("keet-field-password").fill("pass_good");
  await page.getByTestId("keet-submit").click();
  await expect(page.getByTestId("keet-waiting")).toBeVisible();
  await expect(page.getByTestId("demo-account-token")).toHaveText(/^acc_[0-9a-f]+$/, { timeout: 10_000 });
});
