// The end user's language, end to end in the framed mode against the real
// sandbox: the widget's own words, the server's labels, prompts and field
// messages (Accept-Language), right-to-left Arabic completed with the
// keyboard alone, the browser's languages as the default, and screenshots
// of each screen in Arabic, Japanese and German (test-results/screenshots/).
import { test, expect } from "@playwright/test";
import { modal, prepareHere, expectLinked, events, successText } from "./helpers.mjs";

async function shot(page, name) {
  await page.waitForTimeout(250); // let the 200 ms entrance animation finish
  await page.screenshot({ path: `test-results/screenshots/${name}.png` });
}

async function prepareIn(page, locale, integration = "Instagram") {
  await page.goto(`${process.env.KEET_DEMO_URL}/${locale ? `?locale=${locale}` : ""}`);
  await prepareHere(page, { integration });
}

const WORDS = {
  ar: {
    title: "تسجيل الدخول إلى Instagram",
    identifier: "رقم الهاتف أو اسم المستخدم أو البريد الإلكتروني",
    required: "أدخل ",
    codeTitle: "أدخل رمز التحقق",
    wrongCode: "هذا الرمز غير صحيح",
    linked: "تم ربط الحساب",
    locked: "حسابك مقفل",
  },
  ja: {
    title: "Instagram にログイン",
    identifier: "電話番号、ユーザーネーム、またはメールアドレス",
    required: "を入力してください",
    codeTitle: "確認コードを入力",
    wrongCode: "コードが正しくありません",
    linked: "アカウントを連携しました",
    locked: "アカウントがロックされています",
  },
  de: {
    title: "Bei Instagram anmelden",
    identifier: "Telefonnummer, Benutzername oder E-Mail-Adresse",
    required: "Geben Sie Folgendes ein",
    codeTitle: "Bestätigungscode eingeben",
    wrongCode: "Dieser Code ist nicht richtig",
    linked: "Konto verknüpft",
    locked: "Ihr Konto ist gesperrt",
  },
};

for (const [locale, words] of Object.entries(WORDS)) {
  test(`in ${locale}, every screen speaks it, and the flow completes with the keyboard alone`, async ({ page }) => {
    await prepareIn(page, locale);
    // Open with the keyboard, as a user without a mouse would.
    await page.getByTestId("demo-open").focus();
    await page.keyboard.press("Enter");
    const dialog = modal(page).getByTestId("keet-dialog");
    await expect(dialog).toBeVisible();
    await expect(dialog).toHaveAttribute("lang", locale);
    await expect(dialog).toHaveAttribute("dir", locale === "ar" ? "rtl" : "ltr");
    await expect(modal(page).locator("#keet-title")).toHaveText(words.title);
    await expect(modal(page).locator("label").first()).toHaveText(words.identifier);
    const username = modal(page).getByTestId("keet-field-username");
    await expect(username).toBeFocused();
    await shot(page, `${locale}-credentials`);

    // Enter on the empty form: each field says what it needs, in the language.
    await page.keyboard.press("Enter");
    await expect(modal(page).getByTestId("keet-error-username")).toContainText(words.required);
    await shot(page, `${locale}-field-errors`);

    await expect(username).toBeFocused();
    await page.keyboard.type("user_mfa");
    await page.keyboard.press("Tab");
    await expect(modal(page).getByTestId("keet-field-password")).toBeFocused();
    await page.keyboard.type("pass_good");
    await page.keyboard.press("Enter");

    const code = modal(page).getByTestId("keet-field-code");
    await expect(modal(page).locator("#keet-title")).toHaveText(words.codeTitle);
    await expect(code).toBeFocused();
    // Codes and phone numbers read left to right in every language.
    await expect(code).toHaveAttribute("dir", "ltr");
    await expect(modal(page).getByTestId("keet-prompt")).toContainText("0100");
    await shot(page, `${locale}-code`);
    await page.keyboard.type("000000");
    await page.keyboard.press("Enter");
    await expect(modal(page).getByTestId("keet-error-code")).toContainText(words.wrongCode);
    await shot(page, `${locale}-wrong-code`);
    await expect(code).toBeFocused();
    await page.keyboard.type("123456");
    await page.keyboard.press("Enter");
    expect(await successText(page)).toContain(words.linked);
    await shot(page, `${locale}-success`);
    await expectLinked(page);
  });

  test(`in ${locale}, a locked account says what to do next`, async ({ page }) => {
    await prepareIn(page, locale);
    await page.getByTestId("demo-open").click();
    await modal(page).getByTestId("keet-field-username").fill("user_locked");
    await modal(page).getByTestId("keet-field-password").fill("anything");
    await modal(page).getByTestId("keet-submit").click();
    await expect(modal(page).getByTestId("keet-locked")).toContainText(words.locked);
    await expect(modal(page).getByTestId("keet-locked")).toContainText("Instagram");
    await shot(page, `${locale}-locked`);
  });
}

// The frame's wasm has only English's words in it; another locale's come
// from the frame's own origin, once (DECISIONS S13).
test("in German the frame fetches German's words once, from its own origin; in English none", async ({ page }) => {
  const words = [];
  page.on("request", (request) => {
    if (/\/words_[a-z_]+\.[0-9a-f]{12}\.txt$/.test(request.url())) words.push(request.url());
  });
  await prepareIn(page, "de");
  await page.getByTestId("demo-open").click();
  await expect(modal(page).locator("#keet-title")).toHaveText(WORDS.de.title);
  const frameOrigin = new URL(await page.locator("iframe[data-keet-link]").getAttribute("src")).origin;
  expect(words).toHaveLength(1);
  expect(words[0]).toMatch(/\/words_de\./);
  expect(new URL(words[0]).origin).toBe(frameOrigin);

  words.length = 0;
  await prepareIn(page, "en");
  await page.getByTestId("demo-open").click();
  await expect(modal(page).locator("#keet-title")).toHaveText("Log in to Instagram");
  expect(words).toEqual([]);
});

test("when German's words cannot load, the modal speaks English, and so does the API", async ({ page }) => {
  await page.route(/\/words_de\.[0-9a-f]{12}\.txt$/, (route) => route.abort("connectionfailed"));
  await prepareIn(page, "de");
  await page.getByTestId("demo-open").click();
  const dialog = modal(page).getByTestId("keet-dialog");
  await expect(dialog).toHaveAttribute("lang", "en");
  await expect(modal(page).locator("#keet-title")).toHaveText("Log in to Instagram");
  await expect(modal(page).locator("label").first()).toHaveText("Phone number, username or email");
  await modal(page).getByTestId("keet-field-username").fill("user_good");
  await modal(page).getByTestId("keet-field-password").fill("pass_good");
  await modal(page).getByTestId("keet-submit").click();
  await expectLinked(page);
});

test.describe("with a German browser and no locale option", () => {
  test.use({ locale: "de-DE" });

  test("the modal speaks the browser's language", async ({ page }) => {
    await prepareIn(page, null);
    await page.getByTestId("demo-open").click();
    await expect(modal(page).locator("#keet-title")).toHaveText(WORDS.de.title);
    await expect(modal(page).getByTestId("keet-footer")).toContainText("Geschützt durch Keet.");
  });
});

test("an unsupported locale falls back by language, then to English", async ({ page }) => {
  await prepareIn(page, "es-MX");
  await page.getByTestId("demo-open").click();
  await expect(modal(page).locator("#keet-title")).toHaveText("Inicia sesión en Instagram");
  await prepareIn(page, "tlh");
  await page.getByTestId("demo-open").click();
  await expect(modal(page).locator("#keet-title")).toHaveText("Log in to Instagram");
});

test("a malformed locale is a validation error naming the field", async ({ page }) => {
  await page.goto(`${process.env.KEET_DEMO_URL}/?locale=${encodeURIComponent("español")}`);
  await page.waitForSelector("body[data-ready=true]");
  await page.getByTestId("demo-end-user").fill(`lang-${Date.now()}`);
  await page.getByTestId("demo-create").click();
  await expect(page.getByTestId("demo-events")).toContainText("onValidationError");
  const line = (await events(page)).find((entry) => entry.includes("onValidationError"));
  expect(line).toContain('"field":"locale"');
  await expect(page.getByTestId("demo-open")).toBeDisabled();
});
