// Faults between the widget and the API, end to end in the framed mode,
// against the real sandbox. When the API issued a public token, onSuccess
// gets it exactly once; the user sees the retrying view, not an error; and
// nothing throws into the host page.
import { test, expect } from "@playwright/test";
import { once } from "node:events";
import { modal, openLink, logIn, expectLinked, events } from "./helpers.mjs";
import { freePort, startSandbox } from "../support/sandbox.mjs";

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

test("an answer that never arrives in time: after the 15 s timeout the same key is retried, one onSuccess", async ({ page }) => {
  test.setTimeout(60_000);
  const errors = watchHostErrors(page);
  await openLink(page);
  // user_hangs: the sandbox holds the first answer under each key for 20 s.
  await logIn(page, "user_hangs", "pass_good");
  await expect(modal(page).getByTestId("keet-spinner")).toBeVisible();
  await expect(page.getByTestId("demo-public-token")).toHaveText(/^public_sandbox_/, { timeout: 30_000 });
  await expectOneQuietSuccess(page);
  expect(errors).toEqual([]);
});

test("the sandbox restarted mid-flow: the session is gone, the expired view says so, one onValidationError", async ({ page }) => {
  const [port, demoPort] = [await freePort(), await freePort()];
  const flags = ["--rate-limit", "500", "--www", "www", "--pkg", "pkg", "--demo-port", String(demoPort)];
  let sandbox = await startSandbox("restart-before", flags, { port });
  try {
    const errors = watchHostErrors(page);
    await openLink(page, { base: sandbox.demo });
    await modal(page).getByTestId("keet-field-username").fill("user_good");
    await modal(page).getByTestId("keet-field-password").fill("pass_good");
    const exited = once(sandbox.child, "exit");
    sandbox.stop();
    await exited;
    // Same ports, so the same origins: a restart forgets every token.
    sandbox = await startSandbox("restart-after", flags, { port });
    await modal(page).getByTestId("keet-submit").click();
    await expect(modal(page).getByTestId("keet-expired")).toBeVisible();
    const log = await events(page);
    expect(log.filter((line) => line.includes("onValidationError"))).toHaveLength(1);
    expect(log.some((line) => line.includes("onSuccess"))).toBe(false);
    expect(errors).toEqual([]);
  } finally {
    sandbox.stop();
  }
});
