// The link frame keeps the end user's secrets out of the host page. Each
// test attacks from the host page (or from a look-alike sender) against the
// real sandbox, and the modal runs in its default, framed mode.
import { test, expect } from "@playwright/test";
import { modal, mintToken, prepareHere, openReady, logIn, expectLinked, events } from "./helpers.mjs";

const demo = () => process.env.KEET_DEMO_URL;
const api = () => process.env.KEET_API_URL;

async function createAndOpen(page) {
  await prepareHere(page);
  await openReady(page);
}

const successCount = async (page) =>
  (await page.getByTestId("demo-events").innerText()).split("\n").filter((l) => l.includes("onSuccess")).length;

/** The link frame of `page` (Playwright can reach into it; the page cannot). */
const linkFrame = (page) => page.frames().find((frame) => frame.url().startsWith(`${api()}/link/v1/frame`));

test("a hostile host page sees neither the password nor the code", async ({ page }) => {
  // Installed before any of the page's own scripts: every way a script on
  // the page could listen, in the top document only.
  await page.addInitScript(() => {
    if (window.top !== window) return;
    const seen = [];
    window.__seen = seen;
    const record = (what) => (event) => {
      const target = event.target;
      seen.push(`${what}:${event.key ?? ""}:${target && "value" in target ? target.value : ""}:${event.data ?? ""}`);
      try { seen.push(`clipboard:${event.clipboardData?.getData("text") ?? ""}`); } catch {}
    };
    for (const target of [window, document]) {
      for (const type of ["input", "keydown", "keyup", "change", "paste", "focusin"]) {
        target.addEventListener(type, record(type), true);
      }
    }
    addEventListener("message", (event) => seen.push(`message:${JSON.stringify(event.data)}`));
    // From the end of parsing (the page's own hint text names the test
    // password), long before any widget exists.
    addEventListener("DOMContentLoaded", () => {
      new MutationObserver((records) => {
        for (const r of records) {
          seen.push(`mutation:${r.type}:${r.attributeName}:${r.target.getAttribute?.(r.attributeName ?? "")}`);
          for (const node of r.addedNodes) seen.push(`added:${node.outerHTML ?? node.textContent}`);
        }
      }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    setInterval(() => {
      for (const frame of document.querySelectorAll("iframe")) {
        try { seen.push(`contentDocument:${frame.contentDocument?.body?.innerHTML}`); } catch (e) { seen.push(`blocked:${e.name}`); }
        try { seen.push(`contentWindow:${frame.contentWindow.document.body.innerHTML}`); } catch (e) { seen.push(`blocked:${e.name}`); }
      }
    }, 50);
  });
  await page.goto(`${demo()}/`);

  await createAndOpen(page);
  await logIn(page, "user_good", "pass_good");
  await expectLinked(page);
  expect(await successCount(page)).toBe(1);

  await createAndOpen(page);
  await logIn(page, "user_mfa", "pass_good");
  await modal(page).getByTestId("keet-field-code").fill("123456");
  await modal(page).getByTestId("keet-submit").click();
  await expectLinked(page);
  expect(await successCount(page)).toBe(2);

  const seen = await page.evaluate(() => window.__seen);
  expect(seen.length).toBeGreaterThan(10); // the spies really ran
  expect(seen.some((entry) => entry.startsWith("blocked:SecurityError"))).toBe(true);
  // Before it navigates, an iframe holds an empty same-origin about:blank;
  // after, the page can read nothing of it.
  const reads = seen.filter((entry) => /^content(Document|Window):/.test(entry));
  expect(reads.filter((entry) => !/^content(Document|Window):(undefined)?$/.test(entry))).toEqual([]);
  for (const secret of ["pass_good", "123456"]) {
    expect(seen.filter((entry) => entry.includes(secret)), secret).toEqual([]);
  }
});

test("no URL and no referrer ever carries the link token", async ({ page }) => {
  const urls = [];
  page.on("request", (request) => {
    urls.push(request.url());
    const referer = request.headers().referer;
    if (referer) urls.push(referer);
  });
  let linkToken = null;
  page.on("response", async (response) => {
    if (response.url().endsWith("/demo/link-token")) linkToken = (await response.json()).linkToken;
  });
  await page.goto(`${demo()}/`);
  await createAndOpen(page);
  expect(linkToken).toMatch(/^link_sandbox_/);
  const frame = linkFrame(page);
  expect(await frame.evaluate(() => document.referrer)).not.toContain(linkToken);
  expect(frame.url()).toBe(`${api()}/link/v1/frame`);
  await logIn(page, "user_good", "pass_good");
  await expectLinked(page);
  expect(urls.some((url) => url.includes("/link/v1/frame"))).toBe(true);
  expect(urls.some((url) => url.includes("/v1/link/session"))).toBe(true);
  expect(urls.filter((url) => url.includes(linkToken))).toEqual([]);
});

test("forged and replayed messages change nothing and throw nothing", async ({ page }) => {
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${demo()}/`);
  await page.waitForSelector("body[data-ready=true]");
  await page.getByTestId("demo-create").click();
  await expect(page.getByTestId("demo-open")).toBeEnabled();
  const frame = linkFrame(page);

  // To the host: from itself (wrong source and origin), from the frame's
  // origin in another window, malformed, and a replayed greeting from the frame.
  await page.evaluate(async (apiOrigin) => {
    for (const data of [{ type: "keet-link:hello", version: 1 }, { type: "callback", name: "onSuccess", args: ["public_x"] }, "junk", null]) {
      window.postMessage(data, "*");
    }
    const impostor = document.createElement("iframe");
    impostor.src = `${apiOrigin}/link/v1/frame`; // the real frame page, but not the widget's iframe
    document.body.append(impostor);
    await new Promise((resolve) => impostor.addEventListener("load", resolve));
    await new Promise((resolve) => setTimeout(resolve, 300));
    impostor.remove();
  }, api());
  await frame.evaluate(() => {
    for (const data of [{ type: "keet-link:hello", version: 1 }, { type: "keet-link:hello", version: 2 }, { type: "keet-link:other" }]) {
      window.parent.postMessage(data, "*");
    }
  });
  // To the frame: a second port from the right parent (a replay of the
  // handshake), and malformed messages.
  await page.evaluate(() => {
    const frame = document.querySelector("iframe[data-keet-link]");
    const channel = new MessageChannel();
    frame.contentWindow.postMessage({ type: "keet-link:connect", version: 1 }, "*", [channel.port2]);
    channel.port1.postMessage({ type: "init", linkToken: "link_forged" });
    channel.port1.postMessage({ type: "open" });
    frame.contentWindow.postMessage("junk", "*");
    frame.contentWindow.postMessage({ type: "keet-link:connect", version: 1 }, "*");
  });
  await expect.poll(() => page.locator("iframe[data-keet-link]").getAttribute("data-ignored-messages")).toBe("3");
  await expect.poll(() => frame.evaluate(() => document.documentElement.dataset.ignoredHandshakes)).toBe("3");

  // Nothing changed: the events log shows no forged callback, and the real
  // flow still works, with onSuccess exactly once.
  const log = await page.getByTestId("demo-events").innerText();
  expect(log).not.toContain("public_x");
  expect(log).not.toContain("onSuccess");
  await page.getByTestId("demo-open").click();
  await logIn(page, "user_good", "pass_good");
  await expectLinked(page);
  expect(await successCount(page)).toBe(1);
  expect(errors).toEqual([]);
});

test("the frame takes its port only from its parent, never from a sibling window", async ({ page }) => {
  await page.goto(`${demo()}/`);
  await page.waitForSelector("body[data-ready=true]");
  // Two bare frame pages, no loader: A is the target, B the attacker.
  await page.evaluate(async (apiOrigin) => {
    for (const name of ["a", "b"]) {
      const frame = document.createElement("iframe");
      frame.src = `${apiOrigin}/link/v1/frame`;
      frame.dataset.bare = name;
      document.body.append(frame);
      await new Promise((resolve) => frame.addEventListener("load", resolve));
    }
  }, api());
  const [a, b] = page.frames().filter((frame) => frame.url().startsWith(`${api()}/link/v1/frame`));
  await b.evaluate(() => {
    const channel = new MessageChannel();
    window.parent.frames[0].postMessage({ type: "keet-link:connect", version: 1 }, "*", [channel.port2]);
  });
  await expect.poll(() => a.evaluate(() => document.documentElement.dataset.ignoredHandshakes)).toBe("1");
  // The real parent still connects, and the frame answers on its port.
  const { linkToken } = await mintToken(page, { endUserId: "bare-frame", integration: "X" });
  const answer = await page.evaluate(async (linkToken) => {
    const channel = new MessageChannel();
    document.querySelector("iframe[data-bare=a]").contentWindow.postMessage({ type: "keet-link:connect", version: 1 }, "*", [channel.port2]);
    channel.port1.postMessage({ type: "init", linkToken });
    return new Promise((resolve) => {
      channel.port1.onmessage = (event) => event.data.type === "callback" && resolve(event.data);
    });
  }, linkToken);
  expect(answer).toEqual({ type: "callback", name: "onLoad", args: [], isReady: true });
});

test("a strict CSP with Trusted Types: no wasm on the host, 0 violations on either side", async ({ page }) => {
  // Recorded in every frame, the link frame included.
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  const console = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to|Trusted Type/i.test(message.text())) console.push(message.text());
  });
  const response = await page.goto(`${demo()}/`);
  const csp = response.headers()["content-security-policy"];
  expect(csp).toContain("script-src 'self';");
  expect(csp).toContain(`frame-src ${api()}`);
  expect(csp).toContain("require-trusted-types-for 'script'");
  expect(csp).not.toContain("wasm-unsafe-eval");
  expect(csp).not.toContain("unsafe-inline");
  await createAndOpen(page);
  await logIn(page, "user_mfa", "pass_good");
  await modal(page).getByTestId("keet-field-code").fill("123456");
  await modal(page).getByTestId("keet-submit").click();
  await expectLinked(page);
  expect(await page.evaluate(() => performance.getEntriesByType("resource").filter((e) => e.name.endsWith(".wasm")).length)).toBe(0);
  for (const frame of page.frames()) expect(await frame.evaluate(() => window.__violations)).toEqual([]);
  expect(console).toEqual([]);
  // The frame requires Trusted Types too, with no policy at all: the modal
  // never writes HTML (the flow above ran under it), so no HTML, with
  // script or without, reaches a sink, and no policy can be made.
  const frameCsp = (await fetch(`${api()}/link/v1/frame`)).headers.get("content-security-policy");
  expect(frameCsp).toContain("require-trusted-types-for 'script'; trusted-types 'none';");
  const frame = linkFrame(page);
  expect(await frame.evaluate(() => {
    const attempts = ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "<a href='javascript:alert(1)'>x</a>", "<p>ok</p>"];
    const refused = attempts.filter((html) => {
      try { document.createElement("div").innerHTML = html; return false; } catch { return true; }
    }).length;
    let another = false;
    try { trustedTypes.createPolicy("mine", { createHTML: (s) => s }); another = true; } catch {}
    return { refused, another };
  })).toEqual({ refused: 4, another: false });
});

test("a frame that cannot load is reported as FRAME_LOAD_FAILED, naming the CSP directive", async ({ page }) => {
  const messages = [];
  page.on("console", (message) => messages.push(message.text()));
  await page.goto(`${demo()}/`);
  await page.waitForSelector("body[data-ready=true]");
  const { linkToken: token } = await mintToken(page, { endUserId: "frame-fails", integration: "X" });
  // Another loopback origin, which this page's CSP does not allow to frame,
  // and a port where nothing listens.
  for (const apiBaseUrl of [process.env.KEET_SHORT_TTL_API_URL, "http://127.0.0.1:9"]) {
    const report = await page.evaluate(async ({ apiBaseUrl, token }) => {
      const { createKeetLink } = await import("/pkg/loader/keet-link.js");
      const started = performance.now();
      return new Promise((resolve) => {
        const handle = createKeetLink({
          linkToken: token, apiBaseUrl, onSuccess() {},
          onValidationError: (errors) => setTimeout(() => resolve({
            errors, ready: handle.isReady, millis: performance.now() - started,
            frames: document.querySelectorAll("iframe[data-keet-link]").length,
          })),
        });
      });
    }, { apiBaseUrl, token });
    expect(report.errors).toEqual([expect.objectContaining({ code: "FRAME_LOAD_FAILED", field: "apiBaseUrl" })]);
    expect(report.ready).toBe(false);
    expect(report.millis).toBeLessThan(11_000);
    expect(report.frames).toBe(0); // released
  }
  const hints = messages.filter((m) => m.startsWith("keet-link: the link frame at"));
  expect(hints).toHaveLength(2);
  expect(hints[0]).toContain(`frame-src`);
  expect(hints[0]).toContain(new URL(process.env.KEET_SHORT_TTL_API_URL).origin);
});

// The frame's wasm, as a bucket might serve it: the right bytes under
// another type, which cannot be compiled as it streams in.
const FRAME_WASM = /\/keet_link_bg\.[0-9a-f]+\.wasm$/;

test("a frame whose server sends its wasm under another type still loads, and the user links", async ({ page }) => {
  let served = 0;
  await page.route(FRAME_WASM, async (route) => {
    const response = await route.fetch();
    served += 1;
    await route.fulfill({ response, headers: { ...response.headers(), "content-type": "application/octet-stream" } });
  });
  await page.goto(`${demo()}/`);
  await createAndOpen(page);
  await logIn(page, "user_good", "pass_good");
  await expectLinked(page);
  expect(served).toBeGreaterThan(0);
});

test("a frame whose wasm does not come is reported as FRAME_LOAD_FAILED, naming the status", async ({ page }) => {
  await page.route(FRAME_WASM, (route) => route.fulfill({ status: 404, body: "no such file" }));
  await page.goto(`${demo()}/`);
  await page.waitForSelector("body[data-ready=true]");
  const { linkToken } = await mintToken(page, { endUserId: "wasm-missing", integration: "X" });
  const errors = await page.evaluate(async ({ linkToken, apiBaseUrl }) => {
    const { createKeetLink } = await import("/pkg/loader/keet-link.js");
    return new Promise((resolve) => {
      createKeetLink({ linkToken, apiBaseUrl, onSuccess() {}, onValidationError: resolve });
    });
  }, { linkToken, apiBaseUrl: api() });
  expect(errors).toEqual([expect.objectContaining({ code: "FRAME_LOAD_FAILED", field: "apiBaseUrl" })]);
  expect(errors[0].message).toContain("could not load its WebAssembly: Error: 404 for ");
});

test("destroy() while open removes the frame, its listeners, and gives the page back", async ({ page }) => {
  const warnings = [];
  page.on("console", (message) => message.type() === "warning" && warnings.push(message.text()));
  await page.goto(`${demo()}/`);
  await page.waitForSelector("body[data-ready=true]");
  const minted = await mintToken(page, { endUserId: "destroy-open", integration: "X" });
  await page.evaluate(async ({ linkToken, apiBaseUrl }) => {
    const { createKeetLink } = await import("/pkg/loader/keet-link.js");
    await new Promise((resolve) => {
      window.__link = createKeetLink({ linkToken, apiBaseUrl, onSuccess() {}, onLoad: resolve });
    });
    window.__link.open();
  }, minted);
  await expect(modal(page).getByTestId("keet-dialog")).toBeVisible();
  expect(await page.evaluate(() => getComputedStyle(document.body).overflow)).toBe("hidden");
  expect(await page.locator("main").getAttribute("inert")).toBe("");
  await page.evaluate(() => {
    window.__removedFrame = document.querySelector("iframe[data-keet-link]");
    window.__link.destroy(); window.__link.destroy(); window.__link.open();
  });
  expect(await page.locator("iframe[data-keet-link]").count()).toBe(0);
  // The removed iframe keeps no listener of the loader's, so that however
  // long the collector takes to reach it, nothing of the widget is live.
  const cdp = await page.context().newCDPSession(page);
  const { result } = await cdp.send("Runtime.evaluate", { expression: "window.__removedFrame" });
  const { listeners } = await cdp.send("DOMDebugger.getEventListeners", { objectId: result.objectId });
  expect(listeners.map((listener) => listener.type)).toEqual([]);
  expect(await page.evaluate(() => getComputedStyle(document.body).overflow)).not.toBe("hidden");
  expect(await page.locator("[inert]").count()).toBe(0);
  expect(await page.evaluate(() => window.__link.isReady)).toBe(false);
  expect(warnings).toContain("keet-link: open() was called after destroy(); nothing happened");
});

test("closed mid-submit, the framed widget becomes ready again and reopens", async ({ page }) => {
  // On the rate-limited sandbox the submit is answered 429 and waits to be
  // retried: closing then abandons it, and the frame reloads the session.
  await page.goto(`${process.env.KEET_RATE_LIMITED_DEMO_URL}/`);
  await page.waitForSelector("body[data-ready=true]");
  const minted = await mintToken(page, { endUserId: "close-mid-submit", integration: "X" });
  await page.evaluate(async ({ linkToken, apiBaseUrl }) => {
    const { createKeetLink } = await import("/pkg/loader/keet-link.js");
    window.__exits = [];
    await new Promise((resolve) => {
      window.__link = createKeetLink({
        linkToken, apiBaseUrl, onSuccess() {}, onLoad: resolve,
        onExit: (error, metadata) => window.__exits.push({ error, metadata, isReady: window.__link.isReady }),
      });
    });
    window.__link.open();
  }, minted);
  await logIn(page, "user_good", "pass_good");
  await expect(modal(page).getByTestId("keet-retrying")).toContainText("Retrying");
  // Focus stays in the dialog while sending, so Escape still closes it.
  await page.keyboard.press("Escape");
  await expect.poll(() => page.evaluate(() => window.__exits.length)).toBe(1);
  // While the frame asks the server where the session stands, it is not ready…
  expect(await page.evaluate(() => window.__exits[0].isReady)).toBe(false);
  // …and once it knows, the host hears so without any callback, and reopens.
  await expect.poll(() => page.evaluate(() => window.__link.isReady), { timeout: 10_000 }).toBe(true);
  await page.evaluate(() => window.__link.open());
  await expect(modal(page).getByTestId("keet-dialog")).toBeVisible();
});

test("a host cannot pull the caret out of the password: one focus per shown, none while focus is inside", async ({ page }) => {
  await page.goto(`${demo()}/`);
  await page.waitForSelector("body[data-ready=true]");
  const { linkToken } = await mintToken(page, { endUserId: "focus-theft", integration: "X" });
  // A host that does the handshake itself, as a hostile page can.
  await page.evaluate(async ({ apiOrigin, linkToken }) => {
    const frame = document.createElement("iframe");
    frame.src = `${apiOrigin}/link/v1/frame`;
    frame.dataset.bare = "focus";
    for (const [name, value] of [["position", "fixed"], ["inset", "0"], ["width", "100%"], ["height", "100%"], ["border", "0"]]) {
      frame.style.setProperty(name, value);
    }
    document.body.append(frame);
    await new Promise((resolve) => frame.addEventListener("load", resolve));
    const channel = new MessageChannel();
    window.__port = channel.port1;
    frame.contentWindow.postMessage({ type: "keet-link:connect", version: 1 }, apiOrigin, [channel.port2]);
    const next = (type) => new Promise((resolve) => {
      channel.port1.addEventListener("message", function listen(event) {
        if (event.data.type === type || event.data.name === type) {
          channel.port1.removeEventListener("message", listen);
          resolve();
        }
      });
    });
    channel.port1.start();
    const loaded = next("onLoad");
    channel.port1.postMessage({ type: "init", linkToken });
    await loaded;
    const shown = next("shown");
    channel.port1.postMessage({ type: "open" });
    await shown;
    frame.focus();
    channel.port1.postMessage({ type: "focus" });
  }, { apiOrigin: new URL(api()).origin, linkToken });
  const frame = page.frameLocator("iframe[data-bare=focus]");
  await expect(frame.getByTestId("keet-field-username")).toBeFocused(); // the hand-over, once
  await page.keyboard.type("user_good");
  await frame.getByTestId("keet-field-password").focus();
  await page.keyboard.type("pass_");
  // The host asks for focus again, twice, while the user types.
  await page.evaluate(() => {
    window.__port.postMessage({ type: "focus" });
    window.__port.postMessage({ type: "focus" });
  });
  await page.waitForTimeout(200);
  await page.keyboard.type("good");
  await expect(frame.getByTestId("keet-field-password")).toBeFocused();
  await expect(frame.getByTestId("keet-field-password")).toHaveValue("pass_good");
  await expect(frame.getByTestId("keet-field-username")).toHaveValue("user_good");
  // Both later focus messages were refused, and counted.
  expect(await linkFrame(page).evaluate(() => document.documentElement.dataset.ignoredMessages)).toBe("2");
});

for (const isolation of ["frame", "none"]) {
  test(`a page whose origin is not registered for the key gets ORIGIN_NOT_ALLOWED and never becomes ready (${isolation})`, async ({ page }) => {
    const strict = process.env.KEET_STRICT_ORIGINS_DEMO_URL;
    await page.goto(`${strict}/${isolation === "none" ? "?isolation=none" : ""}`);
    await page.waitForSelector("body[data-ready=true]");
    const minted = await mintToken(page, { endUserId: `origin-${isolation}`, integration: "X" });
    const report = await page.evaluate(async ({ linkToken, apiBaseUrl, isolation }) => {
      const { createKeetLink } = await import("/pkg/loader/keet-link.js");
      let loads = 0;
      return new Promise((resolve) => {
        const handle = createKeetLink({
          linkToken, apiBaseUrl, isolation, onSuccess() {}, onLoad: () => (loads += 1),
          onValidationError: (errors) => setTimeout(() => resolve({ errors, ready: handle.isReady, loads }), 300),
        });
      });
    }, { ...minted, isolation });
    expect(report.errors).toEqual([{ code: "ORIGIN_NOT_ALLOWED", message: expect.stringContaining("--allowed-origins") }]);
    expect(report.ready).toBe(false);
    expect(report.loads).toBe(0);
  });
}

test("a host page that lays a transparent input over the password field cannot have it submitted", async ({ page }) => {
  await page.goto(`${demo()}/`);
  await createAndOpen(page);
  const frame = modal(page);
  await frame.getByTestId("keet-field-username").fill("user_good");
  await frame.getByTestId("keet-field-password").fill("pass_good");
  const box = await frame.getByTestId("keet-field-password").boundingBox();
  // What a clickjacking page does: an input of its own, transparent, exactly
  // over the frame's password field, so that the user types into the page.
  // (Chromium does not count an element with opacity 0 as covering: see the
  // README's "A covered frame".)
  await page.evaluate((box) => {
    const overlay = document.createElement("input");
    overlay.id = "overlay";
    Object.assign(overlay.style, {
      position: "fixed", left: `${box.x}px`, top: `${box.y}px`, width: `${box.width}px`, height: `${box.height}px`,
      zIndex: "2147483647", border: "0", margin: "0", padding: "0", outline: "none",
      background: "transparent", color: "transparent", caretColor: "transparent",
    });
    document.body.append(overlay);
  }, box);
  await expect(frame.getByTestId("keet-form-error")).toContainText("covering this window");
  await expect(frame.getByTestId("keet-submit")).toHaveAttribute("aria-disabled", "true");
  await expect(frame.getByTestId("keet-field-password")).toHaveAttribute("readonly", "");
  // Sent anyway (Playwright would wait for an aria-disabled button), and by
  // Enter: the flow refuses both.
  await frame.getByTestId("keet-submit").click({ force: true });
  await frame.getByTestId("keet-field-username").press("Enter");
  await page.waitForTimeout(300);
  expect(await events(page)).toContainEqual(expect.stringContaining("onEvent FRAME_COVERED"));
  expect((await events(page)).filter((line) => line.includes("SUBMIT_CREDENTIALS"))).toHaveLength(0);

  await page.evaluate(() => document.getElementById("overlay").remove());
  await expect(frame.getByTestId("keet-form-error")).toBeEmpty();
  await expect(frame.getByTestId("keet-submit")).toHaveAttribute("aria-disabled", "false");
  await frame.getByTestId("keet-submit").click();
  await expectLinked(page);
});
