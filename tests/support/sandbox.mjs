// The one way the Node harnesses (Playwright's global setup, the Firefox
// suite, the bench and the soak) start a sandbox: the release binary on a
// free port with --ready-json, its request log in
// test-results/sandbox-<name>.log, and the line of JSON it prints once it
// listens (and, with --www, serves its demo site): { api, demo, apiKey }.
// Rejects if it exits or takes more than 10 s.
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { createInterface } from "node:readline";

/**
 * @param {string} name  names the log file
 * @param {string[]} args  flags after `--port PORT --ready-json`
 * @param {{ env?: Record<string, string>, port?: number }} [options]  port: 0 (any free one) by default
 * @returns {Promise<{ child: import("node:child_process").ChildProcess, api: string, demo?: string, apiKey: string, stop(): void }>}
 */
export function startSandbox(name, args, { env = {}, port = 0 } = {}) {
  mkdirSync("test-results", { recursive: true });
  // In memory unless the caller names a data folder: harnesses never share one.
  const storage = args.includes("--data-dir") ? [] : ["--in-memory"];
  const child = spawn("./target/release/keet-sandbox", ["--port", String(port), "--ready-json", ...storage, ...args],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  child.stderr.pipe(createWriteStream(`test-results/sandbox-${name}.log`));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the ${name} sandbox did not start within 10 s`)), 10_000);
    const lines = createInterface({ input: child.stdout });
    lines.once("line", (line) => {
      clearTimeout(timer);
      try {
        const { api, demo, apiKey } = JSON.parse(line);
        resolve({ child, api, demo: demo ?? undefined, apiKey, stop: () => child.kill("SIGTERM") });
      } catch {
        reject(new Error(`the ${name} sandbox printed ${JSON.stringify(line)}, not its line of JSON`));
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the ${name} sandbox exited with ${code}; see test-results/sandbox-${name}.log`));
    });
  });
}

/** A loopback port that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}
