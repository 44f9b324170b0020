// The whole link flow through the demo page, against the real sandbox:
// no mocked HTTP. The demo page and the link frame are on two origins, as
// in production, and the modal runs in the frame (the default). Screenshots
// of each view land in test-results/screenshots/.
import { execFileSync } from "node:child_process";
import { test, expect } from "@playwright/test";
import { modal, expectClosed, mintToken, prepare, openLink, logIn, enterCode, expectLinked, events, successText } from "./helpers.mjs";

// The sandbox's catalogue is the one list of integrations. It is read from
// the binary, not over HTTP, because Playwright lists the tests before the
// global setup starts any sandbox.
const CATALOGUE = JSON.parse(execFileSync("./target/release/keet-sandbox", ["--catalogue"], { encoding: "utf8" }));

async function shot(page, name) {
  await page.waitForTimeout(250); // let the 200 ms entrance animation finish
  await page.screenshot({ path: `test-results/screenshots/${name}.png` });
}

for (const { name: integration, passwordless } of CATALOGUE) {
  test(`links ${integration} with the test credentials`, async ({ page }) => {
    await openLink(page, { integration });
    await expect(modal(page).getByTestId("keet-integration")).toHaveText(integration);
    if (passwordless) {
      await expect(modal(page).getByTestId("keet-field-password")).toHaveCount(0);
      await expect(modal(page).getByTestId("keet-field-phone")).toHaveAttribute("inputmode", "tel");
      await modal(page).getByTestId("keet-field-phone").fill("+15555550100");
      await modal(page).getByTestId("keet-submit").click();
      await expect(modal(page).getByTestId("keet-prompt")).toContainText("0100");
      await enterCode(page, "123456");
    } else {
      await logIn(page, "user_good", "pass_good");
    }
    expect(await successText(page)).toContain("Account linked");
    if (integration === "Instagram") await shot(page, "success");
    await expectLinked(page);
    await expect(page.getByTestId("demo-linked-account")).toContainText(`"integration": "${integration}"`);
  });
}

test("user_mfa with the right code succeeds", async ({ page }) => {
  await openLink(page);
  await logIn(page, "user_mfa", "pass_good");
  await expect(modal(page).getByTestId("keet-field-code")).toHaveAttribute("autocomplete", "one-time-code");
  await expect(modal(page).getByTestId("keet-field-code")).toHaveAttribute("inputmode", "numeric");
  await expect(modal(page).getByTestId("keet-field-code")).toBeFocused();
  await shot(page, "mfa");
  await enterCode(page, "123456");
  await expectLinked(page);
  const log = await events(page);
  const order = ["OPEN", "SUBMIT_CREDENTIALS", "SUBMIT_MFA", "HANDOFF", "onSuccess"]
    .map((name) => log.findIndex((line) => line.includes(name)));
  expect(order.every((index, i) => index >= 0 && (i === 0 || index > order[i - 1]))).toBe(true);
});

test("a wrong code, then the right one, succeeds", async ({ page }) => {
  await openLink(page);
  await logIn(page, "user_mfa", "pass_good");
  await enterCode(page, "000000");
  await expect(modal(page).getByTestId("keet-error-code")).toContainText("not right");
  await expect(modal(page).getByTestId("keet-field-code")).toHaveAttribute("aria-invalid", "true");
  await expect(modal(page).getByTestId("keet-field-code")).toHaveValue("");
  await shot(page, "mfa-wrong-code");
  await enterCode(page, "123456");
  await expectLinked(page);
  expect((await events(page)).some((line) => line.includes('"errorCode":"INVALID_CODE"'))).toBe(true);
});

test("the login form links to the service's own reset and help pages, in a new tab, and reports it", async ({ page, context }) => {
  await openLink(page);
  const forgot = modal(page).getByTestId("keet-forgot-password");
  await expect(forgot).toHaveAttribute("href", "https://www.instagram.com/accounts/password/reset/");
  await expect(forgot).toHaveAttribute("target", "_blank");
  await expect(forgot).toHaveAttribute("rel", "noopener noreferrer");
  await expect(forgot).toContainText("(opens in a new tab)");
  await expect(modal(page).getByTestId("keet-help")).toHaveAttribute("href", "https://help.instagram.com/");
  const [tab] = await Promise.all([context.waitForEvent("page"), forgot.click()]);
  await tab.close();
  await expect(page.getByTestId("demo-events")).toContainText("FORGOT_PASSWORD");
  // The modal stays as it was.
  await expect(modal(page).getByTestId("keet-field-username")).toBeVisible();
});

test("a passwordless login has help but no forgotten password", async ({ page }) => {
  await openLink(page, { integration: "Uber" });
  await expect(modal(page).getByTestId("keet-help")).toHaveAttribute("href", "https://help.uber.com/");
  await expect(modal(page).getByTestId("keet-forgot-password")).toHaveCount(0);
});

test("a code pasted with spaces is kept whole, as its digits, and succeeds", async ({ page }) => {
  await openLink(page);
  await logIn(page, "user_mfa", "pass_good");
  const code = modal(page).getByTestId("keet-field-code");
  await expect(code).toBeFocused();
  // insertText goes through the browser's editing, as a paste does: a
  // maxlength of 6 would have cut "123 456" to "123 45".
  await page.keyboard.insertText("123 456");
  await expect(code).toHaveValue("123456");
  await modal(page).getByTestId("keet-submit").click();
  await expectLinked(page);
});

test("a short code is refused before anything is sent", async ({ page }) => {
  await openLink(page);
  await logIn(page, "user_mfa", "pass_good");
  await enterCode(page, "12a4");
  await expect(modal(page).getByTestId("keet-error-code")).toContainText("6-digit");
  expect((await events(page)).filter((line) => line.includes("SUBMIT_MFA"))).toHaveLength(0);
});

test("wrong password shows a field error, then success", async ({ page }) => {
  await openLink(page);
  await shot(page, "credentials");
  await modal(page).getByTestId("keet-submit").click();
  await expect(modal(page).getByTestId("keet-error-username")).toBeVisible();
  await shot(page, "credentials-empty");
  await logIn(page, "user_good", "nope");
  await expect(modal(page).getByTestId("keet-error-password")).toContainText("incorrect");
  await expect(modal(page).getByTestId("keet-field-password")).toHaveValue("");
  await expect(modal(page).getByTestId("keet-field-username")).toHaveValue("user_good");
  await shot(page, "credentials-wrong-password");
  await modal(page).getByTestId("keet-field-password").fill("pass_good");
  await modal(page).getByTestId("keet-submit").click();
  await expectLinked(page);
});

test("a locked account shows the locked view and exits with locked", async ({ page }) => {
  await openLink(page);
  await logIn(page, "user_locked", "anything");
  await expect(modal(page).getByTestId("keet-locked")).toBeVisible();
  await expect(modal(page).getByTestId("keet-done")).toBeFocused();
  await shot(page, "locked");
  await modal(page).getByTestId("keet-done").click();
  await expectClosed(page);
  // onExit comes through the frame's port after the modal has closed.
  await expect(page.getByTestId("demo-events")).toContainText("onExit");
  const exit = (await events(page)).find((line) => line.includes("onExit"));
  expect(exit).toContain('"code":"ACCOUNT_LOCKED"');
  expect(exit).toContain('"status":"locked"');
});

test("a link token that expires mid-flow shows the expired view", async ({ page }) => {
  await openLink(page, { base: process.env.KEET_SHORT_TTL_DEMO_URL });
  await page.waitForTimeout(3500);
  await logIn(page, "user_good", "pass_good");
  await expect(modal(page).getByTestId("keet-expired")).toBeVisible();
  await shot(page, "expired");
  const log = await events(page);
  expect(log.some((line) => line.includes("onValidationError") && line.includes("TOKEN_EXPIRED"))).toBe(true);
  await page.keyboard.press("Escape");
  // onExit comes through the frame's port after the modal has closed.
  await expect(page.getByTestId("demo-events")).toContainText("onExit");
  const exit = (await events(page)).find((line) => line.includes("onExit"));
  expect(exit).toContain('"status":"expired"');
});

test("an already-expired link token is reported before the modal can open, and its frame released", async ({ page }) => {
  await prepare(page, { base: process.env.KEET_SHORT_TTL_DEMO_URL });
  // A second widget for a new token, once it has expired: it cannot start.
  const report = await page.evaluate(async () => {
    const { createKeetLink } = await import("/pkg/loader/keet-link.js");
    const { apiBaseUrl } = await fetch("/demo/config").then((r) => r.json());
    const token = await fetch("/demo/link-token", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ endUserId: "expired-at-start", integration: "X" }),
    }).then((r) => r.json()).then((r) => r.linkToken);
    await new Promise((resolve) => setTimeout(resolve, 3500));
    const frames = document.querySelectorAll("iframe[data-keet-link]").length;
    return new Promise((resolve) => {
      const handle = createKeetLink({
        linkToken: token, onSuccess() {}, apiBaseUrl,
        onValidationError: (errors) => resolve({
          errors, ready: handle.isReady, framesBefore: frames,
          framesAfter: document.querySelectorAll("iframe[data-keet-link]").length,
        }),
      });
    });
  });
  expect(report.ready).toBe(false);
  expect(report.errors[0]).toMatchObject({ code: "TOKEN_EXPIRED", field: "linkToken" });
  expect(report.framesAfter).toBe(report.framesBefore); // the refused widget's iframe is gone
});

test("user_flaky: the failed first attempt is retried and succeeds", async ({ page }) => {
  await openLink(page);
  await logIn(page, "user_flaky", "pass_good");
  await expectLinked(page);
  const log = await events(page);
  expect(log.filter((line) => line.includes("SUBMIT_CREDENTIALS"))).toHaveLength(1);
  expect(log.some((line) => line.includes('"errorCode"'))).toBe(false);
});

test("user_slow: a spinner shows and a second submit is impossible", async ({ page }) => {
  await openLink(page);
  await logIn(page, "user_slow", "pass_good");
  await expect(modal(page).getByTestId("keet-spinner")).toBeVisible();
  await expect(modal(page).getByTestId("keet-submit")).toBeDisabled();
  await expect(modal(page).getByTestId("keet-submit")).toHaveAttribute("aria-busy", "true");
  // Marked disabled, not disabled: the focus stays where it was, in the dialog.
  await expect(modal(page).getByTestId("keet-submit")).toBeFocused();
  await expect(modal(page).getByTestId("keet-field-password")).toHaveAttribute("readonly", "");
  await shot(page, "submitting");
  await modal(page).getByTestId("keet-submit").click({ force: true });
  await page.keyboard.press("Enter");
  await expectLinked(page);
  const log = await events(page);
  expect(log.filter((line) => line.includes("SUBMIT_CREDENTIALS"))).toHaveLength(1);
  expect(log.filter((line) => line.includes("onSuccess"))).toHaveLength(1);
});

test("the whole flow can be done with the keyboard alone", async ({ page }) => {
  await page.goto(`${process.env.KEET_DEMO_URL}/`);
  await page.waitForSelector("body[data-ready=true]");
  await page.keyboard.press("Tab"); // the intro's link to the in-page mode
  await page.keyboard.press("Tab"); // integration
  await page.keyboard.press("Tab"); // end-user id
  await page.keyboard.press("Tab"); // Create link token
  await expect(page.getByTestId("demo-create")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("demo-open")).toBeEnabled();
  await page.keyboard.press("Tab");
  await expect(page.getByTestId("demo-open")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(modal(page).getByTestId("keet-field-username")).toBeFocused();
  await page.keyboard.type("user_mfa");
  await page.keyboard.press("Tab");
  await page.keyboard.type("pass_good");
  await page.keyboard.press("Enter");
  await expect(modal(page).getByTestId("keet-field-code")).toBeFocused();
  await page.keyboard.type("123456");
  await page.keyboard.press("Enter");
  await expectLinked(page);
  // The demo moves focus to the result once its "Open Link" button is spent.
  await expect(page.getByTestId("demo-public-token")).toBeFocused();
});

test("Escape closes the modal, returns focus, and the page keeps its scroll position", async ({ page }) => {
  await page.setViewportSize({ width: 900, height: 500 });
  await prepare(page);
  await page.getByTestId("demo-open").scrollIntoViewIfNeeded();
  const scrollBefore = await page.evaluate(() => window.scrollY);
  await page.getByTestId("demo-open").click();
  await expect(modal(page).getByTestId("keet-dialog")).toBeVisible();
  expect(await page.evaluate(() => getComputedStyle(document.body).overflow)).toBe("hidden");
  await page.keyboard.press("Escape");
  await expectClosed(page);
  await expect(page.getByTestId("demo-open")).toBeFocused();
  expect(await page.evaluate(() => window.scrollY)).toBe(scrollBefore);
  expect(await page.evaluate(() => getComputedStyle(document.body).overflow)).not.toBe("hidden");
  // onExit comes through the frame's port after the modal has closed.
  await expect(page.getByTestId("demo-events")).toContainText("onExit");
  const exit = (await events(page)).find((line) => line.includes("onExit"));
  expect(exit).toContain("onExit null");
  expect(exit).toContain('"status":"requires_credentials"');
  // Closing is not the end: the same session opens again and links.
  await expect(page.getByTestId("demo-open")).toBeEnabled();
  await page.getByTestId("demo-open").click();
  await logIn(page, "user_good", "pass_good");
  await expectLinked(page);
});

test("the modal's targets are at least 24 by 24 pixels", async ({ page }) => {
  await openLink(page);
  for (const id of ["keet-close", "keet-submit", "keet-field-username", "keet-field-password"]) {
    const box = await modal(page).getByTestId(id).boundingBox();
    expect(box.width, id).toBeGreaterThanOrEqual(24);
    expect(box.height, id).toBeGreaterThanOrEqual(24);
  }
});

test("dark mode and a small screen look right", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark", reducedMotion: "reduce" });
  await page.setViewportSize({ width: 390, height: 760 });
  await openLink(page, { integration: "Amazon" });
  const background = await modal(page).getByTestId("keet-dialog").evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(background).toBe("rgb(31, 41, 55)");
  const animation = await modal(page).getByTestId("keet-dialog").evaluate((el) => getComputedStyle(el).animationName);
  expect(animation).toBe("none");
  await shot(page, "dark-mobile");
});

test.describe("with a hostile host stylesheet", () => {
  // Only here is the page's CSP bypassed, so that the test can inject CSS.
  test.use({ bypassCSP: true });
  test("the host page's CSS does not reach into the modal", async ({ page }) => {
    await openLink(page);
    await page.addStyleTag({
      content: "* { font-size: 40px !important; background: rgb(255, 0, 0) !important; }",
    });
    const applied = await page.getByTestId("demo-open").evaluate((el) => getComputedStyle(el).fontSize);
    expect(applied).toBe("40px"); // the hostile rule is really in force on the page
    const submit = modal(page).getByTestId("keet-submit");
    expect(await submit.evaluate((el) => getComputedStyle(el).fontSize)).toBe("16px");
    const input = modal(page).getByTestId("keet-field-username");
    expect(await input.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe("rgb(255, 0, 0)");
  });
});

test("works under the demo's strict CSP with no violation", async ({ page }) => {
  const violations = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  const response = await page.goto(`${process.env.KEET_DEMO_URL}/`);
  expect(response.headers()["content-security-policy"]).toContain("style-src 'self'");
  await page.waitForSelector("body[data-ready=true]");
  await page.getByTestId("demo-create").click();
  await expect(page.getByTestId("demo-open")).toBeEnabled();
  await page.getByTestId("demo-open").click();
  await logIn(page, "user_good", "pass_good");
  await expectLinked(page);
  expect(violations).toEqual([]);
});

test("shows the company logo, and the company's initial when the logo fails", async ({ page }) => {
  await page.goto(`${process.env.KEET_DEMO_URL}/`);
  await page.waitForSelector("body[data-ready=true]");
  for (const [logo, expectImage] of [["/acme-logo.svg", true], ["/no-such-logo.png", false]]) {
    const minted = await mintToken(page, {
      endUserId: "logo", integration: "X", companyName: "Zebra Bank", companyLogoUri: new URL(logo, page.url()).href,
    });
    await page.evaluate(async ({ linkToken, apiBaseUrl }) => {
      const { createKeetLink } = await import("/pkg/loader/keet-link.js");
      window.__logoLink?.destroy();
      await new Promise((resolve) => {
        window.__logoLink = createKeetLink({ linkToken, onSuccess() {}, apiBaseUrl, onLoad: resolve });
      });
      window.__logoLink.open();
    }, minted);
    await expect(modal(page).getByTestId("keet-company")).toHaveText("Zebra Bank");
    if (expectImage) {
      await expect(modal(page).getByTestId("keet-logo")).toBeVisible();
      await expect.poll(() => modal(page).getByTestId("keet-logo").evaluate((img) => img.naturalWidth)).toBeGreaterThan(0);
      await shot(page, "logo");
    } else {
      await expect(modal(page).getByTestId("keet-logo-fallback")).toHaveText("Z");
      await expect(modal(page).getByTestId("keet-logo")).toHaveCount(0);
    }
  }
});

test("a garbage collection never unmounts an open modal whose handle was dropped", async ({ page }) => {
  await page.goto(`${process.env.KEET_DEMO_URL}/`);
  await page.waitForSelector("body[data-ready=true]");
  const minted = await mintToken(page, { endUserId: "gc", integration: "Amazon" });
  await page.evaluate(async ({ linkToken, apiBaseUrl }) => {
    const { createKeetLink } = await import("/pkg/loader/keet-link.js");
    await new Promise((resolve) => {
      // The callbacks must not capture the handle: the widget holds them, so
      // that would be a cycle through wasm-bindgen's table, which no GC breaks.
      window.gcLink = createKeetLink({
        linkToken, apiBaseUrl,
        onSuccess: (token) => { document.body.dataset.gcSuccess = token; },
        onLoad: () => { window.gcLink.open(); delete window.gcLink; resolve(); },
      });
    });
  }, minted);
  await expect(modal(page).getByTestId("keet-dialog")).toBeVisible();
  for (let i = 0; i < 5; i += 1) {
    await page.evaluate(async () => { window.gc(); await new Promise((r) => setTimeout(r, 50)); });
  }
  await expect(modal(page).getByTestId("keet-dialog")).toBeVisible();
  await modal(page).getByTestId("keet-field-username").fill("user_good");
  await modal(page).getByTestId("keet-field-password").fill("pass_good");
  await modal(page).getByTestId("keet-submit").click();
  await expect.poll(() => page.evaluate(() => document.body.dataset.gcSuccess)).toMatch(/^public_sandbox_/);
});

test("a rate-limited submit shows 'retrying', honours Retry-After and succeeds", async ({ page }) => {
  await openLink(page, { base: process.env.KEET_RATE_LIMITED_DEMO_URL });
  await logIn(page, "user_good", "pass_good");
  await expect(modal(page).getByTestId("keet-retrying")).toContainText("Retrying");
  await expect(modal(page).getByTestId("keet-submit")).toBeDisabled();
  await shot(page, "retrying");
  await expectLinked(page);
  const log = await events(page);
  expect(log.filter((line) => line.includes("SUBMIT_CREDENTIALS"))).toHaveLength(1);
  expect(log.some((line) => line.includes("RATE_LIMITED"))).toBe(false); // retried quietly
});
