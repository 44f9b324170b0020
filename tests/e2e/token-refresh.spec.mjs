// Token refresh (linkToken as a function) against the sandbox whose link
// tokens expire after 3 seconds: the user waits past the expiry and still
// gets through, with no error screen; a function that fails ends the flow as
// an expired string token does. The demo's `?tokenRefresh=` chooses the
// function (www/demo.js).
import { test, expect } from "@playwright/test";
import { modal, logIn, enterCode, expectLinked, events, prepareHere, openReady } from "./helpers.mjs";

const shortLived = () => process.env.KEET_SHORT_TTL_DEMO_URL;
const TTL_MS = 3000;

/** The demo with `?tokenRefresh=kind` (and `extra` parameters) on the short-lived sandbox, ready. */
async function prepareRefreshing(page, kind, extra = "") {
  await page.goto(`${shortLived()}/?tokenRefresh=${kind}${extra}`);
  await prepareHere(page);
}

const calls = async (page) => (await events(page)).filter((line) => line.includes("linkToken() call")).length;
const errorViews = async (page) =>
  (await events(page)).filter((line) => /"view":"(EXPIRED|ERROR)"/.test(line)).length;

for (const isolation of ["frame", "none"]) {
  test(`a login sent after the token expired goes through with a fresh token (isolation: ${isolation})`, async ({ page }) => {
    await prepareRefreshing(page, "function", isolation === "none" ? "&isolation=none" : "");
    const form = isolation === "none" ? page : modal(page);
    await page.getByTestId("demo-open").click();
    await expect(form.getByTestId("keet-dialog")).toBeVisible();
    await page.waitForTimeout(TTL_MS + 500);
    await form.getByTestId("keet-field-username").fill("user_good");
    await form.getByTestId("keet-field-password").fill("pass_good");
    await form.getByTestId("keet-submit").click();
    await expectLinked(page);
    expect(await calls(page)).toBe(2); // the first token, and one refresh
    const log = (await events(page)).join("\n");
    expect(log).toContain("onEvent TOKEN_REFRESHED");
    expect(log).not.toContain("onValidationError");
    expect(await errorViews(page)).toBe(0);
  });
}

test("a code sent after the token expired logs in again, and the new code gets through", async ({ page }) => {
  await prepareRefreshing(page, "function");
  await openReady(page);
  await logIn(page, "user_mfa", "pass_good");
  await expect(modal(page).getByTestId("keet-field-code")).toBeVisible();
  await page.waitForTimeout(TTL_MS + 500);
  await enterCode(page, "123456");
  // Logged in again in the new session: the code form says a new code was sent.
  await expect(modal(page).getByTestId("keet-resend-notice")).toHaveText("We sent you a new code.");
  await expect(modal(page).getByTestId("keet-field-code")).toHaveValue("");
  await enterCode(page, "123456");
  await expectLinked(page);
  expect(await calls(page)).toBe(2);
  expect(await errorViews(page)).toBe(0);
  expect((await events(page)).join("\n")).not.toContain("onValidationError");
});

for (const [kind, says] of [["rejects", "threw or rejected"], ["garbage", "not a link token"]]) {
  test(`a token function that ${kind === "rejects" ? "rejects" : "returns garbage"} shows the expired view and reports it once`, async ({ page }) => {
    await prepareRefreshing(page, kind);
    await openReady(page);
    await page.waitForTimeout(TTL_MS + 500);
    await logIn(page, "user_good", "pass_good");
    await expect(modal(page).getByTestId("keet-expired")).toBeVisible();
    const log = await events(page);
    const reports = log.filter((line) => line.includes("onValidationError"));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toContain('"field":"linkToken"');
    expect(reports[0]).toContain(says);
    expect(reports[0]).not.toContain("[object Object]");
    expect(await calls(page)).toBe(2); // no loop
  });
}
