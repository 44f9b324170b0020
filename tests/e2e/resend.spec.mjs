// "Send a new code" on the code step, end to end in the framed mode
// against a sandbox whose cooldown is 3 s (--resend-cooldown): it counts
// down, sends one new code, says so, counts down again, and the code still
// links the account. The sandbox's own tests cover 429, 409 and replays.
import { test, expect } from "@playwright/test";
import { modal, openLink, logIn, enterCode, expectLinked, events } from "./helpers.mjs";
import { startSandbox } from "../support/sandbox.mjs";

let sandbox;
test.beforeAll(async () => {
  sandbox = await startSandbox("resend", ["--www", "www", "--pkg", "pkg", "--resend-cooldown", "3"]);
});
test.afterAll(() => sandbox?.stop());

test("a new code: a countdown, then one click sends one, says so, and counts down again", async ({ page }) => {
  await openLink(page, { base: sandbox.demo });
  await logIn(page, "user_mfa", "pass_good");
  const resend = modal(page).getByTestId("keet-resend");
  await expect(resend).toHaveText(/^Send a new code in [1-3] s$/);
  await expect(resend).toHaveAttribute("aria-disabled", "true");
  await expect(resend).toHaveText("Send a new code", { timeout: 5_000 });
  await expect(resend).toHaveAttribute("aria-disabled", "false");
  await resend.click();
  await expect(modal(page).getByTestId("keet-resend-notice")).toHaveText("We sent you a new code.");
  await expect(resend).toHaveText(/^Send a new code in [1-3] s$/);
  // Focused, and still focused a second later: the button is not remade.
  await resend.focus();
  await page.waitForTimeout(1100);
  await expect(resend).toBeFocused();
  await page.keyboard.press("Enter"); // counting down: nothing is sent
  expect((await events(page)).filter((line) => line.includes("RESEND_CODE"))).toHaveLength(1);
  await enterCode(page, "123456");
  await expectLinked(page);
});
