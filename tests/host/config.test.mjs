// The loader's config checks (js/host.js) give the same answers as the
// widget's (crates/flow/src/config.rs): both are held to spec/config-vectors.json.
// Run: node --test tests/host/ (npm test does).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { checkOption, keetLink } from "../../js/host.js";

/** The value `name` accepts `given` as, or `null` when it refuses it. */
const accepted = (name, given) => checkOption(name, given).value ?? null;
/** The field of the error that refuses `given`, if one does. */
const refusedOn = (name, given) => checkOption(name, given).error?.field;
const checkLinkToken = (token) => checkOption("linkToken", token).error ?? null;

const vectors = JSON.parse(readFileSync(new URL("../../spec/config-vectors.json", import.meta.url), "utf8"));

test("the loader accepts and refuses the same link tokens as the widget", () => {
  for (const token of vectors.linkToken.accept) assert.equal(checkLinkToken(token), null, token);
  for (const token of vectors.linkToken.refuse) {
    const error = checkLinkToken(token);
    assert.equal(error?.field, "linkToken", token);
    if (token) assert.ok(!error.message.includes(token), "never echoes the token");
  }
});

test("the loader accepts, normalises and refuses the same API base URLs as the widget", () => {
  for (const [given, normalised] of vectors.apiBaseUrl.accept) assert.equal(accepted("apiBaseUrl", given), normalised, given);
  for (const url of vectors.apiBaseUrl.refuse) assert.equal(accepted("apiBaseUrl", url), null, url);
});

test("the loader accepts and refuses the same frame URLs as the widget, as given", () => {
  for (const url of vectors.frameUrl.accept) assert.equal(accepted("frameUrl", url), url, url);
  for (const url of vectors.frameUrl.refuse) assert.equal(accepted("frameUrl", url), null, url);
  assert.equal(accepted("frameUrl", 42), null);
});

test("createKeetLink never throws: a URL new URL() refuses is INVALID_CONFIG on its field", () => {
  const { createKeetLink, configure } = keetLink(() => Promise.reject(new Error("not in this test")));
  for (const [field, url] of [
    ["apiBaseUrl", "https://1.2.3.4.5"], ["apiBaseUrl", "https://a:99999"], ["frameUrl", "https://a:99999/frame"],
    ["frameUrl", "https://1.2.3.4.5/frame"], ["frameUrl", 7],
  ]) {
    /** @type {unknown[]} */
    const reported = [];
    const handle = createKeetLink({ linkToken: "link_sandbox_0a1b", onSuccess() {}, onValidationError: (e) => reported.push(...e), [field]: url });
    assert.deepEqual(reported.map((e) => [e.code, e.field]), [["INVALID_CONFIG", field]], `${field}: ${url}`);
    assert.equal(handle.isReady, false);
    assert.throws(() => configure({ [field]: url }), new RegExp(`configure\\(\\): ${field} must be`));
  }
});

test("the loader accepts and refuses the same locales as the widget", () => {
  for (const tag of vectors.locale.accept) assert.equal(accepted("locale", tag), tag);
  for (const tag of vectors.locale.refuse) assert.equal(refusedOn("locale", tag), "locale", tag);
  assert.equal(refusedOn("locale", 42), "locale");
});

test("the loader accepts and refuses the same appearances and accent colours as the widget", () => {
  for (const value of vectors.appearance.accept) assert.equal(accepted("appearance", value), value);
  for (const value of vectors.appearance.refuse) assert.equal(refusedOn("appearance", value), "appearance", value);
  for (const value of vectors.accentColor.accept) assert.equal(accepted("accentColor", value), value);
  for (const value of vectors.accentColor.refuse) assert.equal(refusedOn("accentColor", value), "accentColor", value);
  assert.equal(refusedOn("accentColor", 0x0a66c2), "accentColor");
});
