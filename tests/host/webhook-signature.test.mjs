// The README's Node verifier, run as the README prints it, against the
// delivery the sandbox's signer is held to (spec/webhook-signature.json).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const readme = readFileSync("README.md", "utf8");
const snippet = readme.slice(readme.indexOf("In Node:")).match(/```js\n([\s\S]*?)```/)[1];
const file = join(mkdtempSync(join(tmpdir(), "keet-verify-")), "verify.mjs");
writeFileSync(file, snippet);
const { verifyKeetSignature } = await import(file);
const vector = JSON.parse(readFileSync("spec/webhook-signature.json", "utf8"));
const at = (seconds) => seconds * 1000;

test("the README's verifier accepts what the sandbox signs", () => {
  assert.equal(verifyKeetSignature(vector.secret, vector.header, vector.body, at(vector.t + 10)), true);
});

test("the README's verifier refuses a changed body, another secret, an old signature and a bad header", () => {
  assert.equal(verifyKeetSignature(vector.secret, vector.header, vector.body.replace("evt_1", "evt_2"), at(vector.t)), false);
  assert.equal(verifyKeetSignature("whsec_other", vector.header, vector.body, at(vector.t)), false);
  assert.equal(verifyKeetSignature(vector.secret, vector.header, vector.body, at(vector.t + 301)), false);
  assert.equal(verifyKeetSignature(vector.secret, "t=x", vector.body, at(vector.t)), false);
  assert.equal(verifyKeetSignature(vector.secret, undefined, vector.body, at(vector.t)), false);
});
