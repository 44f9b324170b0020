// The link frame in production's shape: the package's frame/ under a real
// nginx from the package's template (tests/support/nginx.mjs), on its own
// origin; the API (the sandbox) on another; the shop's page on a third. The
// shop plays its backend: the test mints each link token with the API key.
import { get } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { test, expect } from "@playwright/test";
import { modal, expectClosed } from "./helpers.mjs";

/**
 * A GET that sends exactly this Accept-Encoding (Node's fetch sends its own)
 * and gives the body as it came, with its decoded bytes.
 * @returns {Promise<{ status: number, headers: import("node:http").IncomingHttpHeaders, text: string, bytes: Buffer }>}
 */
const getAccepting = (url, acceptEncoding) => new Promise((resolve, reject) => {
  get(url, { headers: { "Accept-Encoding": acceptEncoding } }, (answer) => {
    const chunks = [];
    answer.on("data", (chunk) => chunks.push(chunk));
    answer.on("end", () => {
      const body = Buffer.concat(chunks);
      const encoding = answer.headers["content-encoding"];
      const bytes = encoding === "br" ? brotliDecompressSync(body) : encoding === "gzip" ? gunzipSync(body) : body;
      resolve({ status: answer.statusCode ?? 0, headers: answer.headers, text: bytes.toString("utf8"), bytes });
    });
  }).on("error", reject);
});

const deploy = () => {
  if (!process.env.KEET_DEPLOY) throw new Error("run scripts/consumers.sh first (npm test does), with nginx installed");
  return JSON.parse(process.env.KEET_DEPLOY);
};

/** A link token from the API, as the shop's backend gets one. */
async function mint(endUserId, integration = "Instagram") {
  const { api, apiKey } = deploy();
  const response = await fetch(`${api}/v1/link/token`, {
    method: "POST",
    headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" },
    body: JSON.stringify({ linkConfig: { endUserId, integration, companyName: "Shop" } }),
  });
  expect(response.status).toBe(200);
  return (await response.json()).linkToken;
}

/** Loads a shop page and starts a widget with the deployed frame. */
async function shopLink(page, shop, endUserId) {
  const { api, frameUrl } = deploy();
  await page.goto(`${shop}/`);
  await page.waitForSelector("body[data-ready=true]");
  const linkToken = await mint(endUserId);
  await page.evaluate((options) => window.shop.link(options), { linkToken, apiBaseUrl: api, frameUrl });
}

const entries = (page) => page.evaluate(() => window.shop.entries());

test("a shop links an account through the frame nginx serves from the package, on its own origin", async ({ page }) => {
  const { api, frameUrl, shops } = deploy();
  const requests = [];
  page.on("request", (request) => requests.push(request.url()));
  const violations = [];
  page.on("console", (message) => /Content.Security.Policy|Trusted Type/i.test(message.text()) && violations.push(message.text()));
  await shopLink(page, shops[0], `deploy-${Date.now()}`);
  await expect(page.getByTestId("shop-open")).toBeEnabled();
  const frame = page.locator("iframe[data-keet-link]");
  expect(await frame.getAttribute("src")).toBe(frameUrl);
  await page.getByTestId("shop-open").click();
  await expect(modal(page).getByTestId("keet-dialog")).toBeVisible();
  await modal(page).getByTestId("keet-field-username").fill("user_good");
  await modal(page).getByTestId("keet-field-password").fill("pass_good");
  await modal(page).getByTestId("keet-submit").click();
  await expectClosed(page);
  await expect.poll(async () => (await entries(page)).map(([name]) => name)).toContain("onSuccess");
  const success = (await entries(page)).find(([name]) => name === "onSuccess");
  expect(success[1]).toMatch(/^public_sandbox_/);
  expect(success[2]).toMatchObject({ integration: "Instagram", username: "user_good" });
  // The frame's files came from nginx, the session from the API, nothing
  // from the shop but its page and the loader.
  const frameOrigin = new URL(frameUrl).origin;
  expect(requests.some((url) => url.startsWith(`${frameOrigin}/link/v1/`) && url.endsWith(".wasm"))).toBe(true);
  expect(requests.some((url) => url.startsWith(`${api}/v1/link/session`))).toBe(true);
  expect(requests.filter((url) => url.startsWith(shops[0])).every((url) => !url.endsWith(".wasm"))).toBe(true);
  expect(violations).toEqual([]);
});

test("nginx sends the frame's headers: CSP, no referrer, nosniff, CORP/COEP, caching, precompressed brotli and gzip", async () => {
  const { api, frameUrl, shops } = deploy();
  // Brotli to a client that accepts it (every browser), gzip to one that does not.
  const page = await getAccepting(frameUrl, "gzip, br");
  expect(page.status).toBe(200);
  const headers = page.headers;
  const csp = headers["content-security-policy"];
  for (const directive of [
    "default-src 'none'", "script-src 'self' 'wasm-unsafe-eval'", `connect-src 'self' ${api};`, `frame-ancestors ${shops[0]}`,
    "require-trusted-types-for 'script'; trusted-types 'none'", "img-src 'self' https: data:",
  ]) expect(csp).toContain(directive);
  expect(csp).not.toContain("unsafe-inline");
  expect(csp).not.toContain("127.0.0.1:*");
  expect(headers["referrer-policy"]).toBe("no-referrer");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["cross-origin-resource-policy"]).toBe("cross-origin");
  expect(headers["cross-origin-embedder-policy"]).toBe("credentialless");
  expect(headers["cache-control"]).toBe("no-cache");
  expect(headers["content-type"]).toMatch(/^text\/html/);
  expect(headers["content-encoding"]).toBe("br");
  expect(headers.vary).toMatch(/accept-encoding/i);
  const html = page.text;
  const files = [...html.matchAll(/(?:href|src)="([^"]+\.[0-9a-f]{12}\.(?:js|css|wasm))"/g)].map((match) => match[1]);
  expect(files).toHaveLength(3);
  for (const file of files) {
    for (const [accepted, encoding] of [["gzip, br", "br"], ["gzip", "gzip"]]) {
      const answer = await getAccepting(new URL(file, frameUrl), accepted);
      expect(answer.status).toBe(200);
      expect(answer.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(answer.headers["content-encoding"], `${file} for ${accepted}`).toBe(encoding);
      expect(answer.headers.vary).toMatch(/accept-encoding/i);
      expect(answer.headers["content-security-policy"]).toBe(csp);
      if (file.endsWith(".wasm")) {
        expect(answer.headers["content-type"]).toBe("application/wasm");
        expect(WebAssembly.validate(answer.bytes), `${file} as ${encoding}`).toBe(true);
      }
    }
  }
  // The words of every locale but English, which the frame's script names.
  const script = await (await fetch(new URL(files.find((file) => file.endsWith(".js")), frameUrl))).text();
  const words = [...new Set([...script.matchAll(/words_[a-z_]+\.[0-9a-f]{12}\.txt/g)].map((match) => match[0]))];
  expect(words).toHaveLength(6);
  for (const file of words) {
    const answer = await getAccepting(new URL(file, frameUrl), "gzip, br");
    expect(answer.status).toBe(200);
    expect(answer.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(answer.headers["content-encoding"]).toBe("br");
    expect(answer.headers["content-type"]).toMatch(/^text\/plain/);
  }
  const missing = await fetch(new URL("nothing.0123456789ab.js", frameUrl));
  expect(missing.status).toBe(404);
  expect(missing.headers.get("cache-control")).toBeNull();
  expect(missing.headers.get("content-security-policy")).toBe(csp);
  expect((await fetch(new URL("/", frameUrl))).status).toBe(404);
});

test("a page outside the frame's frame-ancestors gets FRAME_LOAD_FAILED on frameUrl", async ({ page }) => {
  const { shops } = deploy();
  await shopLink(page, shops[1], `deploy-outside-${Date.now()}`);
  await expect.poll(async () => (await entries(page)).length, { timeout: 12_000 }).toBeGreaterThan(0);
  const [[name, errors]] = await entries(page);
  expect(name).toBe("onValidationError");
  expect(errors).toEqual([expect.objectContaining({ code: "FRAME_LOAD_FAILED", field: "frameUrl" })]);
  expect(await page.evaluate(() => window.shop.handle.isReady)).toBe(false);
  await expect(page.locator("iframe[data-keet-link]")).toHaveCount(0);
});

test("on its own origin, the frame asks the API for the session while its wasm downloads, once, within its CSP", async ({ page }) => {
  const { api, shops } = deploy();
  const seen = [];
  page.on("request", (request) => {
    if (request.method() === "GET" && request.url() === `${api}/v1/link/session`) seen.push("session");
  });
  const violations = [];
  page.on("console", (message) => /Content.Security.Policy/i.test(message.text()) && violations.push(message.text()));
  // Held back as a slow network would (DECISIONS S11).
  await page.route(/\/keet_link_bg\.[0-9a-f]+\.wasm$/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    seen.push("wasm");
    await route.continue();
  });
  await shopLink(page, shops[0], `deploy-early-${Date.now()}`);
  await expect(page.getByTestId("shop-open")).toBeEnabled();
  expect(seen.indexOf("session"), `${seen}`).toBeGreaterThanOrEqual(0);
  expect(seen.indexOf("session"), `${seen}`).toBeLessThan(seen.indexOf("wasm"));
  expect(seen.filter((what) => what === "session"), `${seen}`).toHaveLength(1);
  expect(violations).toEqual([]);
});
