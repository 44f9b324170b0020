// Second steps the server describes, rendered from its description alone:
// a security question (issue 23) is a code-shaped step with a text field
// and the question as its prompt. user_question answers "rex".
import { test, expect } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { modal, prepareHere, openReady, logIn, enterCode, events, expectClosed, expectLinked, successText } from "./helpers.mjs";

async function openQuestion(page, look = { locale: "en", appearance: "light" }) {
  await page.goto(`${process.env.KEET_DEMO_URL}/?locale=${look.locale}&appearance=${look.appearance}`);
  await prepareHere(page, { integration: "Facebook" });
  await openReady(page);
  await logIn(page, "user_question", "pass_good");
  await expect(modal(page).getByTestId("keet-field-answer")).toBeVisible();
}

test("user_question answers a security question, wrongly then rightly, and links", async ({ page }) => {
  await openQuestion(page);
  const frame = modal(page);
  await expect(frame.getByRole("heading", { level: 2 })).toHaveText("Answer your security question");
  await expect(frame.getByTestId("keet-prompt")).toHaveText("What was the name of your first pet?");
  await expect(frame.getByTestId("keet-resend")).toHaveCount(0);
  await frame.getByTestId("keet-field-answer").fill("fido");
  await frame.getByTestId("keet-submit").click();
  await expect(frame.getByTestId("keet-error-answer")).toHaveText("That answer is not right. Check it and try again.");
  await frame.getByTestId("keet-field-answer").fill("Rex");
  await frame.getByTestId("keet-submit").click();
  await expectLinked(page);
});

for (const look of [
  { locale: "en", appearance: "light" }, { locale: "en", appearance: "dark" },
  { locale: "ar", appearance: "light" }, { locale: "ar", appearance: "dark" },
]) {
  test(`${look.locale}, ${look.appearance}: the question step has no axe violations`, async ({ page }) => {
    await openQuestion(page, look);
    await page.waitForTimeout(300); // the entrance animation: full contrast
    await page.screenshot({ path: `test-results/screenshots/${look.locale}-${look.appearance}-question.png` });
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  });
}

// The integration picker (a link token without integration), and the other
// second steps: a choice of where the code goes, approval on another device.

async function openPicker(page, look = { locale: "en", appearance: "light" }) {
  await page.goto(`${process.env.KEET_DEMO_URL}/?locale=${look.locale}&appearance=${look.appearance}`);
  await prepareHere(page, { integration: "" });
  await openReady(page);
  await expect(modal(page).getByTestId("keet-search")).toBeFocused();
}

test("the picker by keyboard alone: type linked, arrow down, Enter, then LinkedIn's login links", async ({ page }) => {
  await openPicker(page);
  const frame = modal(page);
  await expect(frame.getByTestId("keet-picker-count")).toHaveText("Services shown: 10");
  await page.keyboard.type("linked");
  await expect(frame.getByTestId("keet-picker-count")).toHaveText("Services shown: 1");
  await expect(frame.getByRole("button", { name: "LinkedIn" })).toBeVisible();
  // Its swatch in LinkedIn's colour (#0A66C2), set through the CSSOM.
  await expect.poll(() => frame.getByTestId("keet-option-linkedin").locator(".swatch")
    .evaluate((swatch) => getComputedStyle(swatch).backgroundColor)).toBe("rgb(10, 102, 194)");
  await page.keyboard.press("ArrowDown");
  await expect(frame.getByTestId("keet-option-linkedin")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(frame.getByRole("heading", { level: 2 })).toHaveText("Log in to LinkedIn");
  await expect(frame.getByTestId("keet-integration")).toHaveText("LinkedIn");
  await expect(frame.getByTestId("keet-field-username")).toBeFocused();
  await page.keyboard.type("user_good");
  await page.keyboard.press("Tab");
  await page.keyboard.type("pass_good");
  await page.keyboard.press("Enter");
  await expectLinked(page);
  const log = await events(page);
  expect(log).toContainEqual(expect.stringContaining("onEvent SELECT_INTEGRATION"));
  expect(log).toContainEqual(expect.stringMatching(/onSuccess .*LinkedIn/));
});

test("the picker: a search that matches nothing says so, and the user goes back from a login to choose another", async ({ page }) => {
  await openPicker(page);
  const frame = modal(page);
  await frame.getByTestId("keet-search").fill("myspace");
  await expect(frame.getByTestId("keet-picker-count")).toHaveText("No service matches your search.");
  await expect(frame.getByRole("listitem")).toHaveCount(0);
  await frame.getByTestId("keet-search").fill("amazon");
  await expect(frame.getByRole("listitem")).toHaveCount(3);
  await frame.getByTestId("keet-option-amazon-seller").click();
  await expect(frame.getByRole("heading", { level: 2 })).toHaveText("Log in to Amazon Seller");
  await frame.getByTestId("keet-back").click();
  await expect(frame.getByTestId("keet-search")).toBeFocused();
  await frame.getByTestId("keet-option-venmo").click();
  await expect(frame.getByRole("heading", { level: 2 })).toHaveText("Log in to Venmo");
  await logIn(page, "user_good", "pass_good");
  await expectLinked(page);
  expect(await events(page)).toContainEqual(expect.stringMatching(/onSuccess .*Venmo/));
});

test("user_choice chooses email for the code, enters it, and links", async ({ page }) => {
  await page.goto(`${process.env.KEET_DEMO_URL}/`);
  await prepareHere(page, { integration: "Instagram" });
  await openReady(page);
  await logIn(page, "user_choice", "pass_good");
  const frame = modal(page);
  await expect(frame.getByRole("heading", { level: 2 })).toHaveText("Choose how to get your code");
  await frame.getByTestId("keet-submit").click();
  await expect(frame.getByTestId("keet-error-method")).toHaveText("Choose one of the options.");
  await frame.getByLabel("Email to u•••@example.com").check();
  // Closed and opened again: the same step, the choice still made.
  await page.keyboard.press("Escape");
  await expectClosed(page);
  await openReady(page);
  await expect(frame.getByLabel("Email to u•••@example.com")).toBeChecked();
  await frame.getByTestId("keet-submit").click();
  await expect(frame.getByTestId("keet-prompt")).toHaveText("Enter the code we emailed to u•••@example.com.");
  await enterCode(page, "123456");
  await expectLinked(page);
});

test("user_push waits for approval on another device, says so, and links once approved", async ({ page }) => {
  await page.goto(`${process.env.KEET_DEMO_URL}/`);
  await prepareHere(page, { integration: "Facebook" });
  await openReady(page);
  await logIn(page, "user_push", "pass_good");
  const frame = modal(page);
  await expect(frame.getByRole("heading", { level: 2 })).toHaveText("Approve the login");
  await expect(frame.getByTestId("keet-waiting")).toHaveText("Waiting for your approval…");
  await expect(frame.getByTestId("keet-prompt")).toContainText("Facebook");
  // Approved 3 s after the step showed, seen at the second poll (4 s).
  expect(await successText(page, { timeout: 10_000 })).toContain("Account linked");
  await expectLinked(page);
  const log = await events(page);
  expect(log).toContainEqual(expect.stringContaining("onEvent APPROVAL_WAITING"));
  expect(log).toContainEqual(expect.stringContaining("onEvent APPROVAL_GRANTED"));
});

test("user_push can use a code instead of the approval", async ({ page }) => {
  await page.goto(`${process.env.KEET_DEMO_URL}/`);
  await prepareHere(page, { integration: "Amazon" });
  await openReady(page);
  await logIn(page, "user_push", "pass_good");
  await modal(page).getByTestId("keet-use-code").click();
  await enterCode(page, "123456");
  await expectLinked(page);
});

test("user_push_denied ends on the denial, and closing reports the error", async ({ page }) => {
  await page.goto(`${process.env.KEET_DEMO_URL}/`);
  await prepareHere(page, { integration: "Instagram" });
  await openReady(page);
  await logIn(page, "user_push_denied", "pass_good");
  const frame = modal(page);
  await expect(frame.getByTestId("keet-waiting")).toBeVisible();
  await expect(frame.getByTestId("keet-failed")).toContainText("The login was denied on your other device.", { timeout: 10_000 });
  await frame.getByTestId("keet-done").click();
  await expectClosed(page);
  await expect.poll(() => events(page)).toContainEqual(expect.stringMatching(/onExit .*APPROVAL_DENIED/));
  expect(await events(page)).toContainEqual(expect.stringContaining("onEvent APPROVAL_DENIED"));
});

/** Each new screen, reached from a fresh page in `look`. */
const NEW_SCREENS = {
  picker: (page, look) => openPicker(page, look),
  choice: async (page, look) => {
    await page.goto(`${process.env.KEET_DEMO_URL}/?locale=${look.locale}&appearance=${look.appearance}`);
    await prepareHere(page, { integration: "Instagram" });
    await openReady(page);
    await logIn(page, "user_choice", "pass_good");
    await expect(modal(page).getByTestId("keet-choice-sms")).toBeVisible();
  },
};

for (const [screen, reach] of Object.entries(NEW_SCREENS)) {
  for (const look of [
    { locale: "en", appearance: "light" }, { locale: "en", appearance: "dark" },
    { locale: "ar", appearance: "light" }, { locale: "ar", appearance: "dark" },
  ]) {
    test(`${look.locale}, ${look.appearance}: the ${screen} screen has no axe violations`, async ({ page }) => {
      await reach(page, look);
      await page.waitForTimeout(300); // the entrance animation: full contrast
      await page.screenshot({ path: `test-results/screenshots/${look.locale}-${look.appearance}-${screen}.png` });
      const results = await new AxeBuilder({ page }).analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
    });
  }
}

for (const look of [
  { locale: "en", appearance: "light" }, { locale: "en", appearance: "dark" },
  { locale: "ar", appearance: "light" }, { locale: "ar", appearance: "dark" },
]) {
  test(`${look.locale}, ${look.appearance}: the approve screen has no axe violations`, async ({ page }) => {
    // The approve screen changes on its own at the second poll (4 s), which
    // a slow axe scan could overlap. The page's clock (the context's: the
    // frame's too) is paused before the login, so no poll comes, and is
    // stepped a millisecond at a time for axe's own timers, as in
    // accessibility.spec.mjs's success view.
    await page.clock.install();
    await page.goto(`${process.env.KEET_DEMO_URL}/?locale=${look.locale}&appearance=${look.appearance}`);
    await prepareHere(page, { integration: "Instagram" });
    await openReady(page);
    await modal(page).getByTestId("keet-field-username").fill("user_push_denied");
    await modal(page).getByTestId("keet-field-password").fill("pass_good");
    // Chromium drops input to a frame shown in the last 500 ms of real time
    // once the cover watch runs, which jumping the clock starts at once.
    await page.waitForTimeout(600);
    await page.clock.pauseAt(Date.now() + 1000);
    await modal(page).getByTestId("keet-submit").click();
    await expect(modal(page).getByTestId("keet-waiting")).toBeVisible();
    await page.waitForTimeout(300); // the entrance animation (real time): full contrast
    await page.screenshot({ path: `test-results/screenshots/${look.locale}-${look.appearance}-approve.png` });
    let scanned = false;
    const scan = new AxeBuilder({ page }).analyze().then((results) => ({ results }), (error) => ({ error }))
      .finally(() => (scanned = true));
    for (let step = 0; !scanned && step < 500; step += 1) {
      await page.clock.runFor(1).catch(() => {});
    }
    const { results, error } = await scan;
    if (error) throw error;
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
    await expect(modal(page).getByTestId("keet-waiting")).toBeVisible(); // still the approve screen
    await page.clock.resume();
  });
}
