// Faults between the widget and the API, end to end in the framed mode,
// against the real sandbox. When the API issued a public token, onSuccess
// gets it exactly once; the user sees the retrying view, not an error; and
// nothing throws into the host page.
import { test, expect } from "@playwright/test";
import { modal, openLink, logIn, expectLinked, events } from "./helpers.mjs";

function watchHostErrors(page) {
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

async function expectOneQuietSuccess(page) {
  await expectLinked(page);
  const log = await events(page);
  expect(log.filter((line) => line.includes("SUBMIT_CREDENTIALS"))).toHaveLength(1);
  expect(log.filter((line) => line.includes("onSuccess"))).toHaveLength(1);
  expect(log.some((line) => line.includes('"errorCode"'))).toBe(false); // retried quietly
}

for (const [user, fault] of [
  ["user_bad_gateway", "a 502 with an HTML body"],
  ["user_wrong_shape", "a 200 whose JSON has the wrong shape"],
  ["user_truncated", "a 200 with truncated JSON"],
]) {
  test(`${fault} to a successful login is retried under the same key: one onSuccess`, async ({ page }) => {
    const errors = watchHostErrors(page);
    await openLink(page);
    await logIn(page, user, "pass_good");
    await expectOneQuietSuccess(page);
    expect(errors).toEqual([]);
  });
}

test("offline mid-submit, then back online: the submit goes through once", async ({ page }) => {
  const errors = watchHostErrors(page);
  await openLink(page);
  await modal(page).getByTestId("keet-field-username").fill("user_good");
  await modal(page).getByTestId("keet-field-password").fill("pass_good");
  await page.context().setOffline(true);
  await modal(page).getByTestId("keet-submit").click();
  await expect(modal(page).getByTestId("keet-retrying")).toContainText("Retrying");
  await expect(modal(page).getByTestId("keet-submit")).toHaveAttribute("aria-busy", "true");
  await page.context().setOffline(false);
  await expectOneQuietSuccess(page);
  expect(errors).toEqual([]);
});

test("offline for good: after the retries, an error view offers Try again, which then succeeds", async ({ page }) => {
  const errors = watchHostErrors(page);
  await openLink(page);
  await page.context().setOffline(true);
  await logIn(page, "user_good", "pass_good");
  // 3 retries back off 0.4 + 0.8 + 1.6 s, then the error view.
  await expect(modal(page).getByTestId("keet-failed")).toBeVisible({ timeout: 10_000 });
  await expect(modal(page).getByTestId("keet-try-again")).toBeFocused();
  expect((await events(page)).some((line) => line.includes('"errorCode":"NETWORK_ERROR"'))).toBe(true);
  await page.context().setOffline(false);
  await modal(page).getByTestId("keet-try-again").click();
  await expectLinked(page);
  expect((await events(page)).filter((line) => line.includes("onSuccess"))).toHaveLength(1);
  expect(errors).toEqual([]);
});
