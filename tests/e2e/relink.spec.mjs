// Keeping a linked account working, from the demo page as a new user would:
// link, break the login with the demo's button, watch the webhook arrive,
// reconnect (a re-link: its own title, the username fixed), and keep the
// same account token. axe checks the re-link screen in English and Arabic.
import { test, expect } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { modal, prepareHere, openReady, logIn, expectLinked, expectClosed, events } from "./helpers.mjs";

const webhooks = (page) => page.getByTestId("demo-webhooks");

/** Links Instagram for a fresh end user, then breaks that login from the demo. */
async function linkAndBreak(page, locale = "en") {
  await page.goto(`${process.env.KEET_DEMO_URL}/?locale=${locale}`);
  await prepareHere(page);
  await openReady(page);
  await logIn(page, "user_good", "pass_good");
  await expectLinked(page);
  const accountToken = await page.getByTestId("demo-account-token").innerText();
  await expect(webhooks(page)).toContainText("LINK_SESSION_FINISHED (success)");
  await page.getByTestId("demo-break").click();
  await expect(webhooks(page)).toContainText("INTEGRATION_LOGIN_REQUIRED");
  await expect(page.getByTestId("demo-reconnect")).toBeEnabled();
  return accountToken;
}

test("a user breaks a login from the demo, reconnects it, and keeps the same account token", async ({ page }) => {
  const accountToken = await linkAndBreak(page);
  await page.getByTestId("demo-reconnect").click();
  const frame = modal(page);
  await expect(frame.getByRole("heading", { level: 2 })).toHaveText("Reconnect Instagram");
  await expect(frame.getByTestId("keet-prompt")).toContainText("Enter your password again");
  const username = frame.getByTestId("keet-field-username");
  await expect(username).toHaveValue("user_good");
  await expect(username).toHaveAttribute("readonly", "");
  await username.press("End");
  await page.keyboard.type("x");
  await expect(username).toHaveValue("user_good");
  await frame.getByTestId("keet-field-password").fill("pass_good");
  await frame.getByTestId("keet-submit").click();
  await expectClosed(page);
  await expect(page.getByTestId("demo-account-token")).toHaveText(accountToken);
  await expect(page.getByTestId("demo-linked-account")).toContainText('"isAlive": true');
  await expect(webhooks(page)).toContainText("INTEGRATION_RECONNECTED");
  const log = await events(page);
  expect(log.find((line) => line.includes("onSuccess"))).toContain('"mode":"link"');
  expect(log.filter((line) => line.includes("onSuccess")).at(-1)).toContain('"mode":"relink"');
  expect(log.filter((line) => line.includes("onEvent OPEN")).at(-1)).toContain('"mode":"relink"');
});

for (const locale of ["en", "ar"]) {
  test(`${locale}: the re-link screen has no axe violations`, async ({ page }) => {
    await linkAndBreak(page, locale);
    await page.getByTestId("demo-reconnect").click();
    await expect(modal(page).getByTestId("keet-field-username")).toHaveAttribute("readonly", "");
    await page.waitForTimeout(300); // the entrance animation: full contrast
    await page.screenshot({ path: `test-results/screenshots/${locale}-relink.png` });
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  });
}
