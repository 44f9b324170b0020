// Second steps the server describes, rendered from its description alone:
// a security question (issue 23) is a code-shaped step with a text field
// and the question as its prompt. user_question answers "rex".
import { test, expect } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { modal, prepareHere, openReady, logIn, expectLinked } from "./helpers.mjs";

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
