// The link frame asks for the session as soon as the host's init brings
// the link token, while its wasm still downloads, and the widget takes
// that answer: on a slow network the session's round trips no longer wait
// for the wasm (DECISIONS S11).
import { test, expect } from "@playwright/test";
import { modal, prepareHere, openReady, logIn, expectLinked } from "./helpers.mjs";

const WASM_HELD_MS = 1500;

/**
 * Holds the frame's wasm back as a slow network would (locally it would
 * load before the host's init arrives, and nothing would be early); `seen`
 * gets "wasm" as each request for it goes on.
 */
async function holdTheWasm(page, seen = []) {
  await page.route(/\/keet_link_bg\.[0-9a-f]+\.wasm$/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, WASM_HELD_MS));
    seen.push("wasm");
    await route.continue();
  });
}

test("the frame asks for the session while its wasm downloads, once, and the user links with it", async ({ page }) => {
  const seen = [];
  page.on("request", (request) => {
    if (request.method() === "GET" && new URL(request.url()).pathname === "/v1/link/session") seen.push("session");
  });
  await holdTheWasm(page, seen);
  await page.goto(`${process.env.KEET_DEMO_URL}/`);
  await prepareHere(page);
  expect(seen.indexOf("session"), `${seen}`).toBeGreaterThanOrEqual(0);
  expect(seen.indexOf("session"), `${seen}`).toBeLessThan(seen.indexOf("wasm"));
  await openReady(page);
  await logIn(page, "user_good", "pass_good");
  await expectLinked(page);
  expect(seen.filter((what) => what === "session"), `${seen}`).toHaveLength(1);
});

// The early request asks in the browser's languages, best first, and the
// API picks as the widget does: a regional tag it lacks, then a second
// choice, still give one request and the server's words in that language.
for (const [languages, label] of [
  ["de-AT", "Telefonnummer, Benutzername oder E-Mail-Adresse"],
  ["tlh, ja", "電話番号、ユーザーネーム、またはメールアドレス"],
]) {
  test(`with browser languages "${languages}", the early answer is in the widget's language and is used`, async ({ browser }) => {
    const context = await browser.newContext({ locale: languages.split(", ")[0] });
    // navigator.languages as the browser reports it (Playwright's locale sets only the first).
    await context.addInitScript((list) => {
      Object.defineProperty(Navigator.prototype, "languages", { get: () => list });
    }, languages.split(", "));
    const page = await context.newPage();
    let sessions = 0;
    page.on("request", (request) => {
      if (request.method() === "GET" && new URL(request.url()).pathname === "/v1/link/session") sessions += 1;
    });
    await holdTheWasm(page);
    await page.goto(`${process.env.KEET_DEMO_URL}/`);
    await prepareHere(page);
    await openReady(page);
    await expect(modal(page).locator("label").first()).toHaveText(label);
    expect(sessions).toBe(1);
    await context.close();
  });
}

// On a fast link the wasm is often ready before the host's init arrives;
// the frame still asks for the session itself, at once, and does not wait
// for the wasm to make its widget first. Its request is told apart from the
// widget's by its Accept-Language: the browser's tags (frame.js), where the
// widget sends its locale's ("en").
test("with the wasm ready before init, the frame still asks for the session itself, once", async ({ browser }) => {
  const context = await browser.newContext({ locale: "en-GB" });
  const page = await context.newPage();
  const sessions = [];
  page.on("request", async (request) => {
    if (request.method() === "GET" && new URL(request.url()).pathname === "/v1/link/session") {
      sessions.push((await request.allHeaders())["accept-language"]);
    }
  });
  await page.goto(`${process.env.KEET_DEMO_URL}/`);
  await prepareHere(page);
  await openReady(page);
  await logIn(page, "user_good", "pass_good");
  await expectLinked(page);
  expect(sessions).toEqual(["en-GB"]);
  await context.close();
});

// The words of a language other than English come from the frame's origin
// (DECISIONS S13): frame.js asks for them as soon as the early answer's
// Content-Language names the language, so they too arrive beside the wasm.
test("in German, the frame asks for German's words while its wasm downloads too, once", async ({ browser }) => {
  const context = await browser.newContext({ locale: "de-DE" });
  const page = await context.newPage();
  const seen = [];
  page.on("request", (request) => {
    if (/\/words_[a-z_]+\.[0-9a-f]{12}\.txt$/.test(new URL(request.url()).pathname)) seen.push("words");
  });
  await holdTheWasm(page, seen);
  await page.goto(`${process.env.KEET_DEMO_URL}/`);
  await prepareHere(page);
  expect(seen.filter((what) => what === "words"), `${seen}`).toHaveLength(1);
  expect(seen.indexOf("words"), `${seen}`).toBeLessThan(seen.indexOf("wasm"));
  await openReady(page);
  await expect(modal(page).getByTestId("keet-dialog")).toHaveAttribute("lang", "de");
  await expect(modal(page).getByTestId("keet-footer")).toContainText("Geschützt durch Keet.");
  await context.close();
});
