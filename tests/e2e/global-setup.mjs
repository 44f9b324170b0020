// Starts the sandboxes the tests talk to: one with default lifetimes, one
// whose link tokens expire after 3 seconds, one with a tight rate limit, and
// one per consumer build. Each serves its API and link frame on one origin
// and its demo site (www, /demo/ backend, pkg) on another. The tests get the
// demo sites' URLs (KEET_*_DEMO_URL) and the APIs' (KEET_*_API_URL). Each
// sandbox's log goes to test-results/sandbox-<name>.log.
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync } from "node:fs";
import { createInterface } from "node:readline";

function start(name, extraArgs, { www = "www", pkg = "pkg", rateLimit = "500" } = {}) {
  mkdirSync("test-results", { recursive: true });
  const child = spawn("./target/release/keet-sandbox",
    ["--port", "0", "--rate-limit", rateLimit, "--www", www, "--pkg", pkg, ...extraArgs],
    { stdio: ["ignore", "pipe", "pipe"] });
  child.stderr.pipe(createWriteStream(`test-results/sandbox-${name}.log`));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const found = {};
    const timer = setTimeout(() => reject(new Error(`the ${name} sandbox did not start`)), 10_000);
    lines.on("line", (line) => {
      const api = line.match(/^listening on (http:\/\/\S+)/);
      const demo = line.match(/^demo site on (http:\/\/\S+)/);
      if (api) found.api = api[1];
      if (demo) found.demo = demo[1];
      if (found.api && found.demo) {
        clearTimeout(timer);
        resolve({ child, ...found });
      }
    });
    child.on("exit", (code) => reject(new Error(`the ${name} sandbox exited with ${code}`)));
  });
}

export default async function globalSetup() {
  const servers = {
    "": await start("normal", []),
    SHORT_TTL_: await start("short-ttl", ["--link-token-ttl", "3"]),
    // One request per credential, then one every 2 s: a submit right after
    // loading the session is answered 429 with Retry-After.
    RATE_LIMITED_: await start("rate-limited", [], { rateLimit: "0.5" }),
  };
  // The consumers built from the packed tarball by scripts/consumers.sh.
  if (existsSync("target/consumers/react-dist") && existsSync("target/consumers/installed-pkg")) {
    servers.REACT_CONSUMER_ = await start("react", [], { www: "target/consumers/react-dist" });
    servers.PAGES_CONSUMER_ = await start("pages", ["--frame-app", "pkg/frame"],
      { www: "tests/consumers/pages", pkg: "target/consumers/installed-pkg" });
  }
  for (const [prefix, server] of Object.entries(servers)) {
    process.env[`KEET_${prefix}DEMO_URL`] = server.demo;
    process.env[`KEET_${prefix}API_URL`] = server.api;
  }
  return async () => {
    for (const server of Object.values(servers)) server.child.kill("SIGTERM");
  };
}
