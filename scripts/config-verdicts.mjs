// The loader's verdict on config values, for the widget's property test
// (tests/config_agreement.rs): each stdin line is a JSON `[option, value]`
// (`null` is absent); each stdout line is `{"value": …}`, what the loader
// reads it as, or `{"error": {code, message, field}}`. The widget's side of
// the same protocol is examples/config_verdicts.rs.
import { createInterface } from "node:readline";
import { checkOption } from "../js/host.js";

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
const out = [];
for await (const line of lines) {
  const [name, value] = JSON.parse(line);
  const { value: read, error } = checkOption(name, value);
  out.push(JSON.stringify(error ? { error } : { value: read ?? null }));
}
process.stdout.write(out.map((line) => `${line}\n`).join(""));
