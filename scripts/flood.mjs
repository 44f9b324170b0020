// One small request must not leave a large answer behind. Against the release
// sandbox: 16 link tokens × 120 submits, each with 6,000 unknown keys in
// `values` (54 KB, under the 64 KiB body cap), 8 at a time over loopback.
// Every answer must be one small error, and the sandbox's RSS must grow by
// less than 100 MB. Before `values` was capped, each answer named every key
// (559 KB) and was remembered under its Idempotency-Key: 808 MB in 7 s.
//   node scripts/flood.mjs
import { readFileSync } from "node:fs";
import { randomBytes, randomUUID } from "node:crypto";
import { startSandbox } from "../tests/support/sandbox.mjs";

const TOKENS = 16;
const SUBMITS = 120;
const KEYS = 6000;
const CONCURRENCY = 8;
const LIMIT = 100 * 1024 * 1024;
const KEY = `sk_sandbox_flood_${randomBytes(12).toString("hex")}`;

const sandbox = await startSandbox("flood", ["--rate-limit", "1000000"],
  { env: { KEET_SANDBOX_API_KEY: KEY, RUST_LOG: "keet_sandbox=warn" } });
const base = sandbox.api;
const rss = () => Number(readFileSync(`/proc/${sandbox.child.pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/)[1]) * 1024;
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const values = Object.fromEntries(Array.from({ length: KEYS }, (_, i) => [i.toString(16), ""]));

async function session(user) {
  const created = await fetch(`${base}/v1/link/token`, {
    method: "POST",
    headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json" },
    body: JSON.stringify({ linkConfig: { endUserId: `flood-${user}`, integration: "X" } }),
  });
  const { linkToken } = await created.json();
  const answer = await fetch(`${base}/v1/link/session`, { headers: { Authorization: `Bearer ${linkToken}` } });
  const { session: { step } } = await answer.json();
  return { linkToken, body: JSON.stringify({ stepId: step.id, values }) };
}

let largest = 0;
let peak = 0;
const before = rss();
const started = Date.now();
try {
  const sessions = await Promise.all(Array.from({ length: TOKENS }, (_, user) => session(user)));
  const jobs = sessions.flatMap((s) => Array.from({ length: SUBMITS }, () => s));
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const { linkToken, body } = jobs[next++];
      const answer = await fetch(`${base}/v1/link/session/submit`, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${linkToken}`, "Content-Type": "application/json", "Idempotency-Key": randomUUID(),
        },
        body,
      });
      const text = await answer.text();
      if (answer.status !== 400) throw new Error(`flood: HTTP ${answer.status}: ${text.slice(0, 200)}`);
      largest = Math.max(largest, text.length);
      if (next % 100 === 0) peak = Math.max(peak, rss());
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  peak = Math.max(peak, rss());
} finally {
  sandbox.stop();
}
const grown = peak - before;
console.log(`flood: ${TOKENS} link tokens x ${SUBMITS} submits of ${KEYS} unknown keys in ${((Date.now() - started) / 1000).toFixed(1)} s; `
  + `sandbox RSS ${mb(before)} before, peak ${mb(peak)} (grew ${mb(grown)}, bound 100 MB); the largest answer ${largest} B`);
if (largest > 1024 || grown > LIMIT) {
  console.error("flood: a submit left a large answer behind");
  process.exit(1);
}
