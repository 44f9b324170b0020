// Starts the sandboxes the tests talk to: one with default lifetimes, one
// whose link tokens expire after 3 seconds. Both serve the demo and the
// built widget. Returns the teardown that stops them.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";

function start(extraArgs, { www = "www", pkg = "pkg", rateLimit = "500" } = {}) {
  const child = spawn("./target/release/keet-sandbox",
    ["--port", "0", "--rate-limit", rateLimit, "--www", www, "--pkg", pkg, ...extraArgs],
    { stdio: ["ignore", "pipe", "ignore"] });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error("the sandbox did not start")), 10_000);
    lines.on("line", (line) => {
      const match = line.match(/^listening on (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    });
    child.on("exit", (code) => reject(new Error(`the sandbox exited with ${code}`)));
  });
}

export default async function globalSetup() {
  const normal = await start([]);
  const shortLived = await start(["--link-token-ttl", "3"]);
  // One request per credential, then one every 2 s: a submit right after
  // loading the session is answered 429 with Retry-After.
  const rateLimited = await start([], { rateLimit: "0.5" });
  process.env.KEET_SANDBOX_URL = normal.url;
  process.env.KEET_SHORT_TTL_SANDBOX_URL = shortLived.url;
  process.env.KEET_RATE_LIMITED_SANDBOX_URL = rateLimited.url;
  const servers = [normal, shortLived, rateLimited];
  // The consumers built from the packed tarball by scripts/consumers.sh.
  if (existsSync("target/consumers/react-dist") && existsSync("target/consumers/installed-pkg")) {
    const react = await start([], { www: "target/consumers/react-dist" });
    const pages = await start([], { www: "tests/consumers/pages", pkg: "target/consumers/installed-pkg" });
    process.env.KEET_REACT_CONSUMER_URL = react.url;
    process.env.KEET_PAGES_CONSUMER_URL = pages.url;
    servers.push(react, pages);
  }
  return async () => {
    for (const server of servers) server.child.kill("SIGTERM");
  };
}
