// The one way the Node harnesses (Playwright's global setup, the Firefox
// suite, the bench and the soak) start a sandbox: the release binary on a
// free port, its request log in test-results/sandbox-<name>.log, and the
// URLs it prints. Resolves once it listens (and, with --www, serves its
// demo site); rejects if it exits or takes more than 10 s.
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { createInterface } from "node:readline";

/**
 * @param {string} name  names the log file
 * @param {string[]} args  flags after `--port 0`
 * @param {{ env?: Record<string, string> }} [options]
 * @returns {Promise<{ child: import("node:child_process").ChildProcess, api: string, demo?: string, stop(): void }>}
 */
export function startSandbox(name, args, { env = {} } = {}) {
  mkdirSync("test-results", { recursive: true });
  const child = spawn("./target/release/keet-sandbox", ["--port", "0", ...args],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  child.stderr.pipe(createWriteStream(`test-results/sandbox-${name}.log`));
  const wantsDemo = args.includes("--www");
  return new Promise((resolve, reject) => {
    const found = {};
    const timer = setTimeout(() => reject(new Error(`the ${name} sandbox did not start within 10 s`)), 10_000);
    createInterface({ input: child.stdout }).on("line", (line) => {
      const api = line.match(/^listening on (http:\/\/\S+)/);
      const demo = line.match(/^demo site on (http:\/\/\S+)/);
      if (api) found.api = api[1];
      if (demo) found.demo = demo[1];
      if (found.api && (found.demo || !wantsDemo)) {
        clearTimeout(timer);
        resolve({ child, ...found, stop: () => child.kill("SIGTERM") });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the ${name} sandbox exited with ${code}; see test-results/sandbox-${name}.log`));
    });
  });
}
