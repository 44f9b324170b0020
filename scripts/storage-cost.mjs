// What the data folder costs a link. Against the release sandbox, one link at
// a time (link token, session, login, exchange: the four requests of a link,
// three of them durable writes), first in memory, then with --data-dir:
// milliseconds per link in each, and the folder's bytes per linked account
// (its database and write-ahead log, sessions still unexpired).
//   node scripts/storage-cost.mjs [--links 2000]
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import { startSandbox } from "../tests/support/sandbox.mjs";

const index = process.argv.indexOf("--links");
const LINKS = index > 0 ? Number(process.argv[index + 1]) : 2000;
const KEY = `sk_sandbox_cost_${randomBytes(12).toString("hex")}`;

async function link(base, n) {
  const json = (token, body) => ({
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Idempotency-Key": randomUUID() },
    body: JSON.stringify(body),
  });
  const created = await (await fetch(`${base}/v1/link/token`,
    json(KEY, { linkConfig: { endUserId: `cost-${n}`, integration: "X" } }))).json();
  const { session } = await (await fetch(`${base}/v1/link/session`,
    { headers: { Authorization: `Bearer ${created.linkToken}` } })).json();
  const done = await (await fetch(`${base}/v1/link/session/submit`, json(created.linkToken,
    { stepId: session.step.id, values: { username: "user_good", password: "pass_good" } }))).json();
  const exchanged = await fetch(`${base}/v1/linked-accounts/token`, json(KEY, { publicToken: done.publicToken }));
  if (exchanged.status !== 200) throw new Error(`link ${n}: HTTP ${exchanged.status}`);
  await exchanged.arrayBuffer();
}

async function measure(storage) {
  const sandbox = await startSandbox(`cost-${storage.length ? "folder" : "memory"}`, ["--rate-limit", "1000000", ...storage],
    { env: { KEET_SANDBOX_API_KEY: KEY, RUST_LOG: "keet_sandbox=warn" } });
  try {
    for (let n = 0; n < 50; n++) await link(sandbox.api, `warm-${n}`);
    const started = performance.now();
    for (let n = 0; n < LINKS; n++) await link(sandbox.api, n);
    return (performance.now() - started) / LINKS;
  } finally {
    sandbox.stop();
  }
}

const dataDir = mkdtempSync(join(tmpdir(), "keet-cost-"));
try {
  const memory = await measure([]);
  const folder = await measure(["--data-dir", dataDir]);
  const bytes = readdirSync(dataDir).reduce((sum, file) => sum + statSync(join(dataDir, file)).size, 0);
  console.log(`storage cost: ${LINKS} links one at a time: ${memory.toFixed(2)} ms per link in memory, `
    + `${folder.toFixed(2)} ms with --data-dir (${(folder / memory).toFixed(2)}x); `
    + `${Math.round(bytes / (LINKS + 50))} bytes on disk per linked account`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
