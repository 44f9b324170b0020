// axe-core finds nothing, of any impact, on each screen of the modal, in
// English and Arabic (right to left), light and dark, and German (the
// longest words): the credentials form, its field errors, the code step
// with its new-code countdown, a wrong code, success, locked, expired, and
// an error with Try again. Each check runs over the whole page, the link frame
// included, and leaves a screenshot of the screen.
import { test, expect } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { modal, prepareHere } from "./helpers.mjs";

/** Every violation on the page and in its frames, as "rule: targets" lines. */
async function violations(page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

async function prepareIn(page, look, base = process.env.KEET_DEMO_URL) {
  await page.goto(`${base}/?locale=${look.locale}&appearance=${look.appearance}`);
  await prepareHere(page, { integration: "Instagram" });
  await page.getByTestId("demo-open").click();
  await expect(modal(page).getByTestId("keet-dialog")).toBeVisible();
  await page.waitForTimeout(250); // the entrance animation: full contrast
}

/** No violations on this screen; its screenshot lands beside the others. */
async function expectClean(page, look, screen) {
  await page.waitForTimeout(250);
  await page.screenshot({ path: `test-results/screenshots/${look.locale}-${look.appearance}-${screen.replaceAll(" ", "-")}.png` });
  expect(await violations(page), screen).toEqual([]);
}

for (const look of [
  { locale: "en", appearance: "light" }, { locale: "en", appearance: "dark" },
  { locale: "ar", appearance: "light" }, { locale: "ar", appearance: "dark" },
  { locale: "de", appearance: "light" },
]) {
  const name = `${look.locale}, ${look.appearance}`;
  test(`${name}: the login, its errors, the code step and a wrong code have no axe violations`, async ({ page }) => {
    await prepareIn(page, look);
    await expectClean(page, look, "credentials");
    await modal(page).getByTestId("keet-submit").click();
    await expect(modal(page).getByTestId("keet-field-username")).toHaveAttribute("aria-invalid", "true");
    await expectClean(page, look, "field errors");
    await modal(page).getByTestId("keet-field-username").fill("user_mfa");
    await modal(page).getByTestId("keet-field-password").fill("pass_good");
    await modal(page).getByTestId("keet-submit").click();
    await expect(modal(page).getByTestId("keet-field-code")).toBeFocused();
    await expectClean(page, look, "code step");
    await modal(page).getByTestId("keet-field-code").fill("000000");
    await modal(page).getByTestId("keet-submit").click();
    await expect(modal(page).getByTestId("keet-field-code")).toHaveAttribute("aria-invalid", "true");
    await expectClean(page, look, "wrong code");
  });

  test(`${name}: the success view has no axe violations`, async ({ page }) => {
    // The success view hands off after 0.9 s, sooner than axe finishes. The
    // page's clock is paused before the submit, so the view stays, and is
    // then stepped a millisecond at a time, for axe's own timers alone,
    // until the scan ends (a dozen steps, far from 900).
    await page.clock.install();
    await prepareIn(page, look);
    await modal(page).getByTestId("keet-field-username").fill("user_good");
    await modal(page).getByTestId("keet-field-password").fill("pass_good");
    // pauseAt jumps the page's clock, which starts the frame's cover watch
    // at once; Chromium then drops input to a frame that moved (was shown)
    // in the last 500 ms of real time. Let that real time pass first.
    await page.waitForTimeout(600);
    await page.clock.pauseAt(Date.now() + 1000);
    await modal(page).getByTestId("keet-submit").click();
    await expect(modal(page).getByTestId("keet-success")).toBeVisible();
    let scanned = false;
    // Settled either way, so that a failed scan is reported as itself.
    const scan = violations(page).then((found) => ({ found }), (error) => ({ error }))
      .finally(() => (scanned = true));
    for (let step = 0; !scanned && step < 500; step += 1) {
      // The clock is the context's: a step that meets the blank page axe
      // opens (and closes) for its last stage fails, and the next one goes on.
      await page.clock.runFor(1).catch(() => {});
    }
    const { found, error } = await scan;
    if (error) throw error;
    expect(found, "success").toEqual([]);
    await expect(modal(page).getByTestId("keet-success")).toBeVisible(); // still the success view
    await page.screenshot({ path: `test-results/screenshots/${look.locale}-${look.appearance}-success.png` });
    await page.clock.resume();
    await expect(page.getByTestId("demo-public-token")).toHaveText(/^public_sandbox_/);
  });

  test(`${name}: locked, and an error with Try again, have no axe violations`, async ({ page }) => {
    await prepareIn(page, look);
    await modal(page).getByTestId("keet-field-username").fill("user_locked");
    await modal(page).getByTestId("keet-field-password").fill("anything");
    await modal(page).getByTestId("keet-submit").click();
    await expect(modal(page).getByTestId("keet-locked")).toBeVisible();
    await expectClean(page, look, "locked");

    await prepareIn(page, look);
    await page.context().setOffline(true);
    await modal(page).getByTestId("keet-field-username").fill("user_good");
    await modal(page).getByTestId("keet-field-password").fill("pass_good");
    await modal(page).getByTestId("keet-submit").click();
    await expect(modal(page).getByTestId("keet-try-again")).toBeVisible({ timeout: 10_000 });
    await expectClean(page, look, "error with Try again");
    await page.context().setOffline(false);
  });

  test(`${name}: the expired view has no axe violations`, async ({ page }) => {
    await prepareIn(page, look, process.env.KEET_SHORT_TTL_DEMO_URL);
    await page.waitForTimeout(3500);
    await modal(page).getByTestId("keet-field-username").fill("user_good");
    await modal(page).getByTestId("keet-field-password").fill("pass_good");
    await modal(page).getByTestId("keet-submit").click();
    await expect(modal(page).getByTestId("keet-expired")).toBeVisible();
    await expectClean(page, look, "expired");
  });
}

test("the check reaches into the link frame: an image without alt there is reported", async ({ page }) => {
  await prepareIn(page, { locale: "en", appearance: "light" });
  const frame = page.frames().find((f) => f.url().includes("/link/v1/frame"));
  await frame.evaluate(() => {
    const image = document.createElement("img");
    image.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
    document.body.append(image);
  });
  expect((await violations(page)).some((line) => line.startsWith("image-alt"))).toBe(true);
});
