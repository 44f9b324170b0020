// What every end-to-end suite shares: where the modal is, and how to tell
// that it is closed.
import { test, expect } from "@playwright/test";

/** The open modal's frame: the visible link iframe (the default, frame mode). */
export const modal = (page) => page.frameLocator("iframe[data-keet-link]:visible");

/** Waits until no link frame is shown: the modal is closed. */
export async function expectClosed(page) {
  await expect(page.locator("iframe[data-keet-link]:visible")).toHaveCount(0);
}

/**
 * Has the demo backend (on the page's origin) create a link token for
 * `linkConfig`; returns it with the API's URL, as a host page learns both.
 */
export function mintToken(page, linkConfig) {
  return page.evaluate(async (linkConfig) => {
    const { apiBaseUrl } = await fetch("/demo/config").then((r) => r.json());
    const { linkToken } = await fetch("/demo/link-token", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(linkConfig),
    }).then((r) => r.json());
    return { apiBaseUrl, linkToken };
  }, linkConfig);
}

/** Loads the demo (default: the normal sandbox's), creates a link token, waits for isReady. */
export async function prepare(page, { integration = "Instagram", base = process.env.KEET_DEMO_URL } = {}) {
  await page.goto(`${base}/`);
  await prepareHere(page, { integration });
}

/** On the demo page already loaded: a new link token for `integration`, and isReady. */
export async function prepareHere(page, { integration = "Instagram" } = {}) {
  await page.waitForSelector("body[data-ready=true]");
  // An empty integration: none in the link config, the user chooses.
  await page.getByTestId("demo-integration").selectOption({ value: integration });
  await page.getByTestId("demo-end-user").fill(`e2e-${test.info().testId}-${Date.now()}`);
  await page.getByTestId("demo-create").click();
  await expect(page.getByTestId("demo-open")).toBeEnabled();
}

/** Opens the modal once ready. */
export async function openReady(page) {
  await page.getByTestId("demo-open").click();
  await expect(modal(page).getByTestId("keet-dialog")).toBeVisible();
}

/** Loads the demo, creates a link token and opens the modal. */
export async function openLink(page, options) {
  await prepare(page, options);
  await openReady(page);
}

export async function logIn(page, username, password) {
  await modal(page).getByTestId("keet-field-username").fill(username);
  await modal(page).getByTestId("keet-field-password").fill(password);
  await modal(page).getByTestId("keet-submit").click();
}

export async function enterCode(page, code) {
  await expect(modal(page).getByTestId("keet-field-code")).toBeVisible();
  await modal(page).getByTestId("keet-field-code").fill(code);
  await modal(page).getByTestId("keet-submit").click();
}

/**
 * The success view's text, caught inside the link frame as soon as it shows.
 * The view stays only SUCCESS_VIEW_DURATION (900 ms) before the modal closes:
 * an `expect` polled from here waits up to 500 ms between tries, and a try on
 * a loaded machine takes hundreds more, so one CI run missed the view
 * altogether. Here the frame itself checks every 10 ms.
 */
export async function successText(page, { timeout = 5_000 } = {}) {
  const iframe = await page.locator("iframe[data-keet-link]:visible").elementHandle();
  const frame = await iframe.contentFrame();
  const text = await frame.waitForFunction(
    () => document.querySelector("[data-keet-link]")?.shadowRoot?.querySelector('[data-testid="keet-success"]')?.textContent,
    null, { polling: 10, timeout },
  );
  return text.jsonValue();
}

/** The demo got a public token, its backend an account token, and the modal is closed. */
export async function expectLinked(page) {
  await expect(page.getByTestId("demo-public-token")).toHaveText(/^public_sandbox_[0-9a-f]+$/);
  await expect(page.getByTestId("demo-account-token")).toHaveText(/^acc_[0-9a-f]+$/);
  await expectClosed(page);
}

/** The demo's event log, a line each. */
export async function events(page) {
  return (await page.getByTestId("demo-events").innerText()).split("\n");
}
