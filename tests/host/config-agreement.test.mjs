// The loader (js/host.js) and the widget (crates/flow/src/config.rs) read every config
// value alike: the same value, or the same error with the same message.
// fast-check makes the values here, and the widget's verdicts come from
// examples/config_verdicts.rs; tests/config_agreement.rs is the same
// property with proptest's values, asking the loader. Run: node --test tests/host/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { OPTIONS, checkOption } from "../../js/host.js";


/** Pieces the rules care about, so that near misses are common. */
const PIECES = [
  "https://", "http://", "localhost", "127.0.0.1", "api", ".", "example", "com", ":", "8080", "65535", "65536",
  "99999", "/", "//", "?", "#", "0x1f", "0X", "1", "256", "08", "é", " ", "%2F", "@", "-", "xn--", "[::1]", "\\",
  "link_", "public_", "sandbox", "_", "Z", "<", "en", "pt", "BR", "Hant", "123456789", "#", "0A66C2", "fff", "G",
  "light", "dark", "system", "frame", "none", "Dark",
];
const pieced = fc.array(fc.constantFrom(...PIECES), { maxLength: 9 }).map((parts) => parts.join(""));
const value = fc.oneof(
  { weight: 6, arbitrary: pieced },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 24 }) },
  { weight: 1, arbitrary: fc.constantFrom("x".repeat(600), `link_${"é".repeat(300)}`, `link_${"a".repeat(507)}`, `link_${"a".repeat(508)}`) },
  { weight: 1, arbitrary: fc.oneof(fc.constant(null), fc.integer(), fc.boolean(), fc.constant({}), fc.constant([])) },
);
/** Values near the form each rule wants, on both sides of its edges. */
const FORMED = {
  linkToken: fc.stringMatching(/^[A-Za-z0-9]{0,20}[_.-]?[A-Za-z0-9]{0,4}$/).map((tail) => `link_${tail}`),
  url: fc.tuple(
    fc.constantFrom("https://", "http://"),
    fc.constantFrom("localhost", "127.0.0.1", "api.example.com", "1.2.3.4", "255.255.255.255", "256.1.1.1", "1.2.3", "0x.example", "a-b.c", "a..b", "evil.example", "é.example"),
    fc.constantFrom("", ":8080", ":65535", ":65536", ":0", ":", ":08080"),
    fc.constantFrom("", "/", "//", "/base", "/link/v1/frame", "/a/", "/?q", "/#f", "/a b"),
  ).map((parts) => parts.join("")),
  languageTag: fc.stringMatching(/^[a-zA-Z]{1,9}(-[a-zA-Z0-9]{0,9}){0,2}$/),
  oneOf: fc.constantFrom("light", "dark", "system", "frame", "none", "Light", "NONE", "", " dark"),
  hexColour: fc.stringMatching(/^#?[0-9A-Fa-g]{3,8}$/),
};
const cases = fc.constantFrom(...OPTIONS).chain((option) =>
  fc.tuple(fc.constant(option.name), fc.oneof({ weight: 1, arbitrary: value }, { weight: 2, arbitrary: FORMED[option.rule] })));

test("for every value of every option, the loader and the widget give the same verdict and message", () => {
  const samples = fc.sample(cases, { numRuns: 4000, seed: 20261206 });
  const input = samples.map((sample) => JSON.stringify(sample)).join("\n");
  const widget = execFileSync("cargo", ["run", "--quiet", "--example", "config_verdicts"], { input, encoding: "utf8", maxBuffer: 1 << 26 })
    .trimEnd().split("\n").map((line) => JSON.parse(line));
  assert.equal(widget.length, samples.length);
  let refused = 0;
  samples.forEach(([name, given], index) => {
    const { value: read, error } = checkOption(name, given);
    const loader = error ? { error } : { value: read ?? null };
    if (error) refused += 1;
    assert.deepEqual(loader, widget[index], `${name}: ${JSON.stringify(given)}`);
  });
  // Both verdicts occur often, or the property says little.
  const accepted = samples.length - refused;
  assert.ok(accepted > samples.length / 10 && refused > samples.length / 5, `${refused} of ${samples.length} refused`);
});
