// The framed modal in Firefox ESR, where postMessage, focus and `inert`
// differ from Chromium. Playwright cannot drive Firefox on this machine (its
// Juggler build is a download, and its BiDi mode needs a newer Firefox), so
// these run on selenium-webdriver with geckodriver, against a real sandbox.
// Run: node --test tests/firefox/ (npm test does).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { createInterface } from "node:readline";
import { homedir } from "node:os";
import { Builder, By, Key, until } from "selenium-webdriver";
import firefox from "selenium-webdriver/firefox.js";

const TIMEOUT = 15_000;
let sandboxes = [];
let driver;
let demo;
let pages;

function startSandbox(name, args) {
  mkdirSync("test-results", { recursive: true });
  const child = spawn("./target/release/keet-sandbox", ["--port", "0", "--rate-limit", "500", ...args],
    { stdio: ["ignore", "pipe", "pipe"] });
  child.stderr.pipe(createWriteStream(`test-results/sandbox-firefox-${name}.log`));
  sandboxes.push(child);
  return new Promise((resolve, reject) => {
    const found = {};
    createInterface({ input: child.stdout }).on("line", (line) => {
      const api = line.match(/^listening on (http:\/\/\S+)/);
      const site = line.match(/^demo site on (http:\/\/\S+)/);
      if (api) found.api = api[1];
      if (site) found.demo = site[1];
      if (found.api && found.demo) resolve(found);
    });
    child.on("exit", (code) => reject(new Error(`the ${name} sandbox exited with ${code}`)));
  });
}

before(async () => {
  demo = (await startSandbox("demo", ["--www", "www", "--pkg", "pkg"])).demo;
  pages = (await startSandbox("pages", ["--www", "tests/consumers/pages", "--pkg", "pkg"])).demo;
  const options = new firefox.Options().setBinary(process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr").addArguments("-headless");
  options.setPreference("ui.prefersReducedMotion", 1);
  const service = new firefox.ServiceBuilder(process.env.GECKODRIVER_PATH ?? `${homedir()}/.cargo/bin/geckodriver`);
  driver = await new Builder().forBrowser("firefox").setFirefoxOptions(options).setFirefoxService(service).build();
  await driver.manage().window().setRect({ width: 1000, height: 800 });
});

after(async () => {
  await driver?.quit();
  for (const child of sandboxes) child.kill("SIGTERM");
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

test("Firefox: the in-page mode still links an account", async () => {
  const open = await createToken("/?isolation=none");
  await open.click();
  await (await shadowTestId("keet-field-username")).sendKeys("user_good");
  await (await shadowTestId("keet-field-password")).sendKeys("pass_good");
  await (await shadowTestId("keet-submit")).click();
  await expectLinked();
  assert.equal((await driver.findElements(By.css("iframe"))).length, 0);
});
