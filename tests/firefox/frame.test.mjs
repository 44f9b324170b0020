// The framed modal in Firefox ESR, where postMessage, focus and `inert`
// differ from Chromium. Playwright cannot drive Firefox on this machine (its
// Juggler build is a download, and its BiDi mode needs a newer Firefox), so
// these run on selenium-webdriver with geckodriver, against a real sandbox.
// Run: node --test tests/firefox/ (npm test does).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { Builder, By, Key, until } from "selenium-webdriver";
import firefox from "selenium-webdriver/firefox.js";
import { startFrameServer } from "../support/nginx.mjs";
import { startSandbox } from "../support/sandbox.mjs";

const TIMEOUT = 15_000;
const FIREFOX = process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr";
const geckodriver = () => new firefox.ServiceBuilder(process.env.GECKODRIVER_PATH ?? `${homedir()}/.cargo/bin/geckodriver`);
let sandboxes = [];
let driver;
// The demo sites of the sandboxes: default, 3 s link tokens, a tight rate
// limit, the classic-script pages, and Keet's React sample (when built).
let demo;
let shortTtl;
let rateLimited;
let pages;
let react;
// The frame as a customer deploys it: nginx from the package's template, on
// its own origin, beside the API (a sandbox) and a shop page.
let deployed;
let nginx;

async function sandbox(name, args, rateLimit = "500") {
  const started = await startSandbox(`firefox-${name}`, ["--rate-limit", rateLimit, ...args]);
  sandboxes.push(started);
  return started;
}

before(async () => {
  const site = ["--www", "www", "--pkg", "pkg"];
  demo = (await sandbox("demo", site)).demo;
  shortTtl = (await sandbox("short-ttl", [...site, "--link-token-ttl", "3"])).demo;
  // One request per credential, then one every 2 s: the submit right after
  // loading the session is answered 429 with Retry-After.
  rateLimited = (await sandbox("rate-limited", site, "0.5")).demo;
  pages = (await sandbox("pages", ["--www", "tests/consumers/pages", "--pkg", "pkg"])).demo;
  if (!existsSync("target/consumers/react-dist")) throw new Error("run scripts/consumers.sh first (npm test does)");
  react = (await sandbox("react", ["--www", "target/consumers/react-dist", "--pkg", "pkg"])).demo;
  const deployApi = await sandbox("deploy-api", []);
  nginx = await startFrameServer({
    pkg: "target/consumers/installed-pkg", deploy: "target/consumers/installed-deploy", apiOrigin: deployApi.api, shops: 1,
  });
  deployed = { api: deployApi.api, apiKey: deployApi.apiKey, frameUrl: nginx.frameUrl, shop: nginx.shops[0] };
  const options = new firefox.Options().setBinary(FIREFOX).addArguments("-headless");
  options.setPreference("ui.prefersReducedMotion", 1);
  driver = await new Builder().forBrowser("firefox").setFirefoxOptions(options).setFirefoxService(geckodriver()).build();
  await driver.manage().window().setRect({ width: 1000, height: 800 });
});

after(async () => {
  await driver?.quit();
  for (const started of sandboxes) started.stop();
  nginx?.stop();
});

const byTestId = (id) => By.css(`[data-testid="${id}"]`);
const visibleFrame = () => driver.findElement(By.css("iframe[data-keet-link]:not([aria-hidden])"));

/** Runs `body` inside the open link frame, then returns to the page. */
async function inFrame(body) {
  await driver.wait(async () => (await driver.findElements(By.css("iframe[data-keet-link]:not([aria-hidden])"))).length === 1, TIMEOUT);
  await driver.switchTo().frame(await visibleFrame());
  try {
    return await body();
  } finally {
    await driver.switchTo().defaultContent();
  }
}

const shadowTestId = (id) => driver.wait(async () => driver.executeScript(
  `return document.querySelector("[data-keet-link]")?.shadowRoot?.querySelector('[data-testid="${id}"]') ?? null`), TIMEOUT);

async function activeTestId() {
  return driver.executeScript(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.dataset?.testid ?? active?.tagName ?? null;
  });
}

async function createToken(path = "/") {
  await driver.get(`${demo}${path}`);
  return createTokenHere();
}

/** On the demo page already loaded: a new link token, and the widget ready. */
async function createTokenHere() {
  await driver.wait(until.elementLocated(By.css("body[data-ready=true]")), TIMEOUT);
  await driver.findElement(byTestId("demo-end-user")).clear();
  await driver.findElement(byTestId("demo-end-user")).sendKeys(`firefox-${Date.now()}-${Math.random()}`);
  await driver.findElement(byTestId("demo-create")).click();
  const open = await driver.findElement(byTestId("demo-open"));
  await driver.wait(until.elementIsEnabled(open), TIMEOUT);
  return open;
}

async function expectLinked() {
  const account = await driver.findElement(byTestId("demo-account-token"));
  await driver.wait(until.elementTextMatches(account, /^acc_[0-9a-f]+$/), TIMEOUT);
  const log = await driver.findElement(byTestId("demo-events")).getText();
  assert.equal(log.split("\n").filter((line) => line.includes("onSuccess")).length, 1);
}

test("Firefox: links an account through the frame; the page is inert and scroll-locked meanwhile", async () => {
  const open = await createToken();
  await open.click();
  await inFrame(async () => {
    await (await shadowTestId("keet-field-username")).sendKeys("user_good");
    await (await shadowTestId("keet-field-password")).sendKeys("pass_good");
    await driver.switchTo().defaultContent();
    assert.equal(await driver.executeScript(() => document.querySelector("main").inert), true);
    assert.equal(await driver.executeScript(() => getComputedStyle(document.body).overflow), "hidden");
    await driver.switchTo().frame(await visibleFrame());
    await (await shadowTestId("keet-submit")).click();
  });
  await expectLinked();
  assert.equal(await driver.executeScript(() => document.querySelector("main").inert), false);
  assert.notEqual(await driver.executeScript(() => getComputedStyle(document.body).overflow), "hidden");
  assert.equal(await driver.executeScript(() => performance.getEntriesByType("resource").filter((e) => e.name.endsWith(".wasm")).length), 0);
});

test("Firefox: a broken login is reconnected from the demo, its username fixed, and the account token stays", async () => {
  const open = await createToken();
  await open.click();
  await inFrame(async () => {
    await (await shadowTestId("keet-field-username")).sendKeys("user_good");
    await (await shadowTestId("keet-field-password")).sendKeys("pass_good");
    await (await shadowTestId("keet-submit")).click();
  });
  await expectLinked();
  const accountToken = await driver.findElement(byTestId("demo-account-token")).getText();
  await driver.findElement(byTestId("demo-break")).click();
  const reconnect = await driver.findElement(byTestId("demo-reconnect"));
  await driver.wait(until.elementIsEnabled(reconnect), TIMEOUT);
  await reconnect.click();
  await inFrame(async () => {
    const title = await driver.wait(async () => driver.executeScript(
      () => document.querySelector("[data-keet-link]")?.shadowRoot?.querySelector("h2")?.textContent ?? null), TIMEOUT);
    assert.equal(title, "Reconnect Instagram");
    const username = await shadowTestId("keet-field-username");
    assert.equal(await username.getAttribute("value"), "user_good");
    assert.equal(await username.getAttribute("readonly"), "true");
    await (await shadowTestId("keet-field-password")).sendKeys("pass_good");
    await (await shadowTestId("keet-submit")).click();
  });
  const account = await driver.findElement(byTestId("demo-account-token"));
  await driver.wait(async () => (await driver.findElement(byTestId("demo-events")).getText()).includes('"mode":"relink"'), TIMEOUT);
  await driver.wait(async () => (await account.getText()) === accountToken, TIMEOUT);
  const webhooks = await driver.findElement(byTestId("demo-webhooks"));
  await driver.wait(async () => (await webhooks.getText()).includes("INTEGRATION_RECONNECTED"), TIMEOUT);
});

test("Firefox: a shop links an account through the frame nginx serves from the package, on its own origin", async () => {
  const minted = await fetch(`${deployed.api}/v1/link/token`, {
    method: "POST",
    headers: { Authorization: `Bearer ${deployed.apiKey}`, "Content-Type": "application/json" },
    body: JSON.stringify({ linkConfig: { endUserId: `firefox-deploy-${Date.now()}`, integration: "LinkedIn" } }),
  }).then((response) => response.json());
  await driver.get(`${deployed.shop}/`);
  await driver.wait(until.elementLocated(By.css("body[data-ready=true]")), TIMEOUT);
  await driver.executeScript((options) => window.shop.link(options),
    { linkToken: minted.linkToken, apiBaseUrl: deployed.api, frameUrl: deployed.frameUrl });
  const open = await driver.findElement(byTestId("shop-open"));
  await driver.wait(until.elementIsEnabled(open), TIMEOUT);
  assert.equal(await driver.findElement(By.css("iframe[data-keet-link]")).getAttribute("src"), deployed.frameUrl);
  await open.click();
  await inFrame(async () => {
    await (await shadowTestId("keet-field-username")).sendKeys("user_good");
    await (await shadowTestId("keet-field-password")).sendKeys("pass_good");
    await (await shadowTestId("keet-submit")).click();
  });
  await driver.wait(async () => (await driver.executeScript(() => window.shop.entries())).some(([name]) => name === "onSuccess"), TIMEOUT);
  const entries = await driver.executeScript(() => window.shop.entries());
  const [, publicToken, metadata] = entries.find(([name]) => name === "onSuccess");
  assert.match(publicToken, /^public_sandbox_/);
  assert.equal(metadata.integration, "LinkedIn");
  assert.deepEqual(entries.filter(([name]) => name === "onValidationError"), []);
});

test("Firefox: the whole flow with the keyboard alone, and Escape returns focus to the opener", async () => {
  await createToken();
  await driver.executeScript(() => document.querySelector('[data-testid="demo-open"]').focus());
  await driver.actions().sendKeys(Key.ENTER).perform();
  await inFrame(async () => {
    await driver.wait(async () => (await activeTestId()) === "keet-field-username", TIMEOUT);
  });
  await driver.actions().sendKeys(Key.ESCAPE).perform();
  await driver.wait(async () => (await driver.findElements(By.css("iframe[data-keet-link]:not([aria-hidden])"))).length === 0, TIMEOUT);
  await driver.wait(async () => (await activeTestId()) === "demo-open", TIMEOUT);
  await driver.actions().sendKeys(Key.ENTER).perform();
  await inFrame(async () => {
    await driver.wait(async () => (await activeTestId()) === "keet-field-username", TIMEOUT);
    await driver.actions().sendKeys("user_mfa", Key.TAB, "pass_good", Key.ENTER).perform();
    await driver.wait(async () => (await activeTestId()) === "keet-field-code", TIMEOUT);
    await driver.actions().sendKeys("123456", Key.ENTER).perform();
  });
  await expectLinked();
  assert.equal(await activeTestId(), "demo-public-token");
});

test("Firefox: a classic script included twice runs two framed widgets, each on its own port", async () => {
  await driver.get(`${pages}/script.html`);
  for (const name of ["first", "second"]) {
    const button = await driver.findElement(byTestId(`open-${name}`));
    await driver.wait(until.elementIsEnabled(button), TIMEOUT);
  }
  assert.equal((await driver.findElements(By.css("iframe[data-keet-link]"))).length, 2);
  for (const [name, integration] of [["first", "X"], ["second", "Venmo"]]) {
    await driver.findElement(byTestId(`open-${name}`)).click();
    await inFrame(async () => {
      assert.equal(await (await shadowTestId("keet-integration")).getText(), integration);
      await (await shadowTestId("keet-field-username")).sendKeys("user_good");
      await (await shadowTestId("keet-field-password")).sendKeys("pass_good", Key.ENTER);
    });
    const result = await driver.findElement(byTestId(`${name}-result`));
    await driver.wait(until.elementTextMatches(result, new RegExp(`^${integration}:public_sandbox_[0-9a-f]+$`)), TIMEOUT);
  }
});

test("Firefox: the in-page mode still links an account, with one session request", async () => {
  const open = await createToken("/?isolation=none");
  await open.click();
  await (await shadowTestId("keet-field-username")).sendKeys("user_good");
  await (await shadowTestId("keet-field-password")).sendKeys("pass_good");
  await (await shadowTestId("keet-submit")).click();
  await expectLinked();
  assert.equal((await driver.findElements(By.css("iframe"))).length, 0);
  // The in-page module's early request is the widget's own (DECISIONS S9):
  // the wasm takes its answer rather than asking again.
  const sessionRequests = await driver.executeScript(`return performance.getEntriesByType("resource")
    .filter((entry) => new URL(entry.name).pathname === "/v1/link/session").length`);
  assert.equal(sessionRequests, 1);
});

test("Firefox: a link token that expires mid-flow shows the expired view, then exits with expired", async () => {
  await driver.get(`${shortTtl}/`);
  const open = await createTokenHere();
  await open.click();
  await inFrame(async () => { await shadowTestId("keet-field-username"); });
  await driver.sleep(3500);
  await inFrame(async () => {
    await (await shadowTestId("keet-field-username")).sendKeys("user_good");
    await (await shadowTestId("keet-field-password")).sendKeys("pass_good", Key.ENTER);
    await shadowTestId("keet-expired");
  });
  // From the page: the key goes to the focused frame, which closes (and
  // hides) on keydown; sent in the frame's context, the keyup would be lost.
  await driver.actions().sendKeys(Key.ESCAPE).perform();
  const log = await driver.findElement(byTestId("demo-events"));
  await driver.wait(until.elementTextContains(log, '"status":"expired"'), TIMEOUT);
  assert.match(await log.getText(), /onValidationError .*TOKEN_EXPIRED/);
});

test("Firefox: with a linkToken function, a code sent after the token expired logs in again and links", async () => {
  await driver.get(`${shortTtl}/?tokenRefresh=function`);
  const open = await createTokenHere();
  await open.click();
  await inFrame(async () => {
    await (await shadowTestId("keet-field-username")).sendKeys("user_mfa");
    await (await shadowTestId("keet-field-password")).sendKeys("pass_good", Key.ENTER);
    await shadowTestId("keet-field-code");
  });
  await driver.sleep(3500);
  await inFrame(async () => {
    await (await shadowTestId("keet-field-code")).sendKeys("123456", Key.ENTER);
    // The login form shows while the widget logs in again, then a new code
    // form: look the notice up afresh each time.
    await driver.wait(async () => {
      try {
        return (await (await shadowTestId("keet-resend-notice")).getText()) === "We sent you a new code.";
      } catch {
        return false;
      }
    }, TIMEOUT);
    await (await shadowTestId("keet-field-code")).sendKeys("123456", Key.ENTER);
  });
  await expectLinked();
  const log = await driver.findElement(byTestId("demo-events")).getText();
  assert.match(log, /onEvent TOKEN_REFRESHED/);
  assert.doesNotMatch(log, /onValidationError|"view":"EXPIRED"/);
});

test("Firefox: a rate-limited submit retries quietly after Retry-After and succeeds", async () => {
  await driver.get(`${rateLimited}/`);
  const open = await createTokenHere();
  await open.click();
  await inFrame(async () => {
    await (await shadowTestId("keet-field-username")).sendKeys("user_good");
    await (await shadowTestId("keet-field-password")).sendKeys("pass_good", Key.ENTER);
    const retrying = await shadowTestId("keet-retrying");
    await driver.wait(async () => /Retrying/.test(await retrying.getText()), TIMEOUT);
  });
  await expectLinked();
  assert.doesNotMatch(await driver.findElement(byTestId("demo-events")).getText(), /RATE_LIMITED/);
});

for (const [user, check] of [
  ["user_slow", async () => {
    const submit = await shadowTestId("keet-submit");
    await driver.wait(async () => (await submit.getAttribute("aria-busy")) === "true", TIMEOUT);
    assert.equal(await submit.getAttribute("aria-disabled"), "true");
  }],
  ["user_flaky", async () => {}],
]) {
  test(`Firefox: ${user} links once, with one submit`, async () => {
    const open = await createToken();
    await open.click();
    await inFrame(async () => {
      await (await shadowTestId("keet-field-username")).sendKeys(user);
      await (await shadowTestId("keet-field-password")).sendKeys("pass_good", Key.ENTER);
      await check();
    });
    await expectLinked();
    const log = await driver.findElement(byTestId("demo-events")).getText();
    assert.equal(log.split("\n").filter((line) => line.includes("SUBMIT_CREDENTIALS")).length, 1);
    assert.doesNotMatch(log, /errorCode/);
  });
}

test("Firefox: the modal's targets are at least 24 by 24 pixels", async () => {
  const open = await createToken();
  await open.click();
  await inFrame(async () => {
    for (const id of ["keet-close", "keet-submit", "keet-field-username", "keet-field-password"]) {
      const rect = await (await shadowTestId(id)).getRect();
      assert.ok(rect.width >= 24 && rect.height >= 24, `${id}: ${rect.width}x${rect.height}`);
    }
  });
  await driver.actions().sendKeys(Key.ESCAPE).perform();
});

test("Firefox: Keet's React sample in StrictMode reaches onSuccess exactly once, with one frame", async () => {
  await driver.get(`${react}/`);
  const open = await driver.wait(until.elementLocated(By.xpath("//button[text()='Open Link']")), TIMEOUT);
  await driver.wait(until.elementIsEnabled(open), TIMEOUT);
  assert.equal((await driver.findElements(By.css("iframe[data-keet-link]"))).length, 1);
  await open.click();
  await inFrame(async () => {
    await (await shadowTestId("keet-field-username")).sendKeys("user_good");
    await (await shadowTestId("keet-field-password")).sendKeys("pass_good", Key.ENTER);
  });
  const count = await driver.findElement(byTestId("success-count"));
  await driver.wait(until.elementTextIs(count, "1"), TIMEOUT);
  await driver.sleep(500);
  assert.equal(await count.getText(), "1");
});

test("Firefox: dark mode on a small screen", async () => {
  const options = new firefox.Options().setBinary(FIREFOX).addArguments("-headless");
  options.setPreference("ui.systemUsesDarkTheme", 1);
  options.setPreference("layout.css.prefers-color-scheme.content-override", 0);
  const dark = await new Builder().forBrowser("firefox").setFirefoxOptions(options).setFirefoxService(geckodriver()).build();
  try {
    await dark.manage().window().setRect({ width: 390, height: 760 });
    await dark.get(`${demo}/`);
    await dark.wait(until.elementLocated(By.css("body[data-ready=true]")), TIMEOUT);
    await dark.findElement(byTestId("demo-create")).click();
    const open = await dark.findElement(byTestId("demo-open"));
    await dark.wait(until.elementIsEnabled(open), TIMEOUT);
    await open.click();
    await dark.wait(async () => (await dark.findElements(By.css("iframe[data-keet-link]:not([aria-hidden])"))).length === 1, TIMEOUT);
    await dark.switchTo().frame(await dark.findElement(By.css("iframe[data-keet-link]:not([aria-hidden])")));
    const background = await dark.wait(() => dark.executeScript(() => {
      const dialog = document.querySelector("[data-keet-link]")?.shadowRoot?.querySelector('[data-testid="keet-dialog"]');
      return dialog ? getComputedStyle(dialog).backgroundColor : null;
    }), TIMEOUT);
    assert.equal(background, "rgb(31, 41, 55)");
  } finally {
    await dark.quit();
  }
});

test("Firefox: forged and replayed messages change nothing, and the flow still links once", async () => {
  await createToken();
  await driver.executeScript(() => {
    for (const data of [{ type: "keet-link:hello", version: 1 }, { type: "callback", name: "onSuccess", args: ["public_x"] }, "junk"]) {
      window.postMessage(data, "*");
    }
    const frame = document.querySelector("iframe[data-keet-link]");
    const channel = new MessageChannel();
    frame.contentWindow.postMessage({ type: "keet-link:connect", version: 1 }, "*", [channel.port2]);
    channel.port1.postMessage({ type: "init", linkToken: "link_forged" });
    frame.contentWindow.postMessage("junk", "*");
  });
  await driver.switchTo().frame(await driver.findElement(By.css("iframe[data-keet-link]")));
  await driver.executeScript(() => {
    for (const data of [{ type: "keet-link:hello", version: 1 }, { type: "keet-link:hello", version: 2 }]) {
      window.parent.postMessage(data, "*");
    }
  });
  await driver.wait(async () => (await driver.executeScript(() => document.documentElement.dataset.ignoredHandshakes)) === "2", TIMEOUT);
  await driver.switchTo().defaultContent();
  const frame = await driver.findElement(By.css("iframe[data-keet-link]"));
  await driver.wait(async () => (await frame.getAttribute("data-ignored-messages")) === "2", TIMEOUT);
  assert.doesNotMatch(await driver.findElement(byTestId("demo-events")).getText(), /public_x|onSuccess/);
  await driver.findElement(byTestId("demo-open")).click();
  await inFrame(async () => {
    await (await shadowTestId("keet-field-username")).sendKeys("user_good");
    await (await shadowTestId("keet-field-password")).sendKeys("pass_good", Key.ENTER);
  });
  await expectLinked();
});

const AXE = readFileSync("node_modules/axe-core/axe.min.js", "utf8");

/**
 * axe-core's violations on the whole page, the link frame included: axe is
 * loaded into the frame and the page, and run from the page, as
 * @axe-core/webdriverjs does (the page-level rules then judge the page, not
 * the frame on its own).
 */
async function axeViolations() {
  // The frame is cross-origin: each axe must be told to talk to the other.
  const load = `${AXE}; axe.configure({ allowedOrigins: ["<unsafe_all_origins>"] });`;
  await driver.switchTo().frame(await visibleFrame());
  await driver.executeScript(load);
  await driver.switchTo().defaultContent();
  await driver.executeScript(load);
  return driver.executeAsyncScript(`
    const done = arguments[arguments.length - 1];
    axe.run(document, { iframes: true, resultTypes: ["violations"] }).then(
      (results) => done(results.violations.map((v) => v.id + ": " + v.nodes.map((n) => n.target.join(" ")).join(", "))),
      (error) => done(["axe failed: " + error]));`);
}

test("Firefox: the picker by keyboard alone (type, arrow down, Enter) reaches LinkedIn's login, and axe finds nothing on it", async () => {
  await driver.get(`${demo}/`);
  await driver.wait(until.elementLocated(By.css("body[data-ready=true]")), TIMEOUT);
  // None in the link config: the user chooses.
  await driver.findElement(By.css('[data-testid="demo-integration"] option[value=""]')).click();
  const open = await createTokenHere();
  await open.click();
  await inFrame(async () => {
    await driver.wait(async () => (await activeTestId()) === "keet-search", TIMEOUT);
  });
  assert.deepEqual(await axeViolations(), []);
  await inFrame(async () => {
    await driver.wait(async () => (await activeTestId()) === "keet-search", TIMEOUT);
    await driver.actions().sendKeys("linked").perform();
    const count = await shadowTestId("keet-picker-count");
    await driver.wait(async () => (await count.getText()) === "Services shown: 1", TIMEOUT);
    await driver.actions().sendKeys(Key.ARROW_DOWN).perform();
    await driver.wait(async () => (await activeTestId()) === "keet-option-linkedin", TIMEOUT);
    await driver.actions().sendKeys(Key.ENTER).perform();
    await driver.wait(async () => (await activeTestId()) === "keet-field-username", TIMEOUT);
    assert.equal(await (await shadowTestId("keet-integration")).getText(), "LinkedIn");
    await driver.actions().sendKeys("user_good", Key.TAB, "pass_good", Key.ENTER).perform();
  });
  await expectLinked();
});

test("Firefox: user_choice's choice of where the code goes has no axe violations, and the code links", async () => {
  const open = await createToken();
  await open.click();
  await inFrame(async () => {
    await (await shadowTestId("keet-field-username")).sendKeys("user_choice");
    await (await shadowTestId("keet-field-password")).sendKeys("pass_good");
    await (await shadowTestId("keet-submit")).click();
    await shadowTestId("keet-choice-sms");
  });
  assert.deepEqual(await axeViolations(), []);
  await inFrame(async () => {
    await (await shadowTestId("keet-choice-sms")).click();
    await (await shadowTestId("keet-submit")).click();
    await (await shadowTestId("keet-field-code")).sendKeys("123456", Key.ENTER);
  });
  await expectLinked();
});

test("Firefox: user_push waits for the approval on another device, then links", async () => {
  const open = await createToken();
  await open.click();
  await inFrame(async () => {
    await (await shadowTestId("keet-field-username")).sendKeys("user_push");
    await (await shadowTestId("keet-field-password")).sendKeys("pass_good");
    await (await shadowTestId("keet-submit")).click();
    const waiting = await shadowTestId("keet-waiting");
    assert.equal(await waiting.getText(), "Waiting for your approval…");
  });
  await expectLinked();
  const log = await driver.findElement(byTestId("demo-events")).getText();
  assert.match(log, /onEvent APPROVAL_GRANTED/);
});

test("Firefox: in Arabic the modal runs right to left, axe finds nothing, and the keyboard alone completes it", async () => {
  await createToken("/?locale=ar");
  await driver.executeScript(() => document.querySelector('[data-testid="demo-open"]').focus());
  await driver.actions().sendKeys(Key.ENTER).perform();
  await inFrame(async () => {
    await driver.wait(async () => (await activeTestId()) === "keet-field-username", TIMEOUT);
    const dialog = await shadowTestId("keet-dialog");
    assert.equal(await dialog.getAttribute("dir"), "rtl");
    assert.equal(await dialog.getAttribute("lang"), "ar");
  });
  assert.deepEqual(await axeViolations(), []);
  await inFrame(async () => {
    // axe's run moved the focus nowhere: the keyboard goes on from the field.
    await driver.wait(async () => (await activeTestId()) === "keet-field-username", TIMEOUT);
    await driver.actions().sendKeys("user_mfa", Key.TAB, "pass_good", Key.ENTER).perform();
    await driver.wait(async () => (await activeTestId()) === "keet-field-code", TIMEOUT);
    assert.equal(await (await shadowTestId("keet-field-code")).getAttribute("dir"), "ltr");
  });
  assert.deepEqual(await axeViolations(), []);
  await inFrame(async () => {
    await driver.wait(async () => (await activeTestId()) === "keet-field-code", TIMEOUT);
    await driver.actions().sendKeys("123456", Key.ENTER).perform();
  });
  await expectLinked();
});


/** Every look the axe checks run in: English and Arabic, light and dark. */
const LOOKS = ["en", "ar"].flatMap((locale) => ["light", "dark"].map((appearance) => ({
  locale, appearance, name: `${locale}, ${appearance}`, query: `locale=${locale}&appearance=${appearance}`,
})));

for (const look of LOOKS) {
  test(`Firefox: axe finds nothing on the login and code forms, field errors, a wrong code, locked and expired (${look.name})`, async () => {
    const screens = {};
    const open = async () => (await createTokenHere()).click();
    await driver.get(`${demo}/?${look.query}`);
    await open();
    await inFrame(() => shadowTestId("keet-field-username"));
    screens.login = await axeViolations();
    await inFrame(async () => {
      await (await shadowTestId("keet-submit")).click();
      await driver.wait(async () => (await (await shadowTestId("keet-field-username")).getAttribute("aria-invalid")) === "true", TIMEOUT);
    });
    screens["field errors"] = await axeViolations();
    await inFrame(async () => {
      await (await shadowTestId("keet-field-username")).sendKeys("user_mfa");
      await (await shadowTestId("keet-field-password")).sendKeys("pass_good", Key.ENTER);
      await shadowTestId("keet-field-code");
    });
    // The code form, with its resend countdown.
    screens.code = await axeViolations();
    await inFrame(async () => {
      await (await shadowTestId("keet-field-code")).sendKeys("000000", Key.ENTER);
      await driver.wait(async () => (await (await shadowTestId("keet-field-code")).getAttribute("aria-invalid")) === "true", TIMEOUT);
    });
    screens["wrong code"] = await axeViolations();

    await driver.get(`${demo}/?${look.query}`);
    await open();
    await inFrame(async () => {
      await (await shadowTestId("keet-field-username")).sendKeys("user_locked");
      await (await shadowTestId("keet-field-password")).sendKeys("anything", Key.ENTER);
      await shadowTestId("keet-locked");
    });
    screens.locked = await axeViolations();

    await driver.get(`${shortTtl}/?${look.query}`);
    await open();
    await driver.sleep(3500);
    await inFrame(async () => {
      await (await shadowTestId("keet-field-username")).sendKeys("user_good");
      await (await shadowTestId("keet-field-password")).sendKeys("pass_good", Key.ENTER);
      await shadowTestId("keet-expired");
    });
    screens.expired = await axeViolations();
    assert.deepEqual(screens, { login: [], "field errors": [], code: [], "wrong code": [], locked: [], expired: [] });
  });
}

/**
 * In the link frame: holds the success view's hand-off, a 900 ms timer
 * (`SUCCESS_VIEW_DURATION`), until `releaseHandOff`, so that axe, slower
 * than that in Firefox, judges the success view. The widget's timers go
 * through the frame's global `setTimeout` at the time they are set.
 */
const HOLD_HAND_OFF = `
  const setTimeoutAsBefore = window.setTimeout;
  window.keetHeldTimers = [];
  window.setTimeout = function (callback, delay, ...args) {
    if (delay === 900) { window.keetHeldTimers.push(callback); return 0; }
    return setTimeoutAsBefore.call(window, callback, delay, ...args);
  };`;
const RELEASE_HAND_OFF = "for (const callback of window.keetHeldTimers.splice(0)) callback();";

for (const look of LOOKS) {
  test(`Firefox: axe finds nothing on the success view and on an error with Try again (${look.name})`, async () => {
    const screens = {};
    await createToken(`/?${look.query}`);
    await (await driver.findElement(byTestId("demo-open"))).click();
    await inFrame(async () => {
      await driver.executeScript(HOLD_HAND_OFF);
      await (await shadowTestId("keet-field-username")).sendKeys("user_good");
      await (await shadowTestId("keet-field-password")).sendKeys("pass_good", Key.ENTER);
      await shadowTestId("keet-success");
    });
    screens.success = await axeViolations();
    await inFrame(async () => {
      // The view axe judged was still the success view.
      assert.ok(await driver.executeScript(
        `return !!document.querySelector("[data-keet-link]").shadowRoot.querySelector('[data-testid="keet-success"]')`));
      await driver.executeScript(RELEASE_HAND_OFF);
    });
    await expectLinked();

    // A sandbox of its own, stopped once its modal is open: every call then
    // fails to connect, as offline, and the widget offers Try again.
    const doomed = await startSandbox(`firefox-doomed-${look.locale}-${look.appearance}`, ["--www", "www", "--pkg", "pkg"]);
    try {
      await driver.get(`${doomed.demo}/?${look.query}`);
      await (await createTokenHere()).click();
      await inFrame(() => shadowTestId("keet-field-username"));
      const exited = new Promise((resolve) => doomed.child.once("exit", resolve));
      doomed.stop();
      await exited;
      await inFrame(async () => {
        await (await shadowTestId("keet-field-username")).sendKeys("user_good");
        await (await shadowTestId("keet-field-password")).sendKeys("pass_good", Key.ENTER);
        await shadowTestId("keet-try-again");
      });
      screens["error with Try again"] = await axeViolations();
    } finally {
      doomed.stop();
    }
    assert.deepEqual(screens, { success: [], "error with Try again": [] });
  });
}
