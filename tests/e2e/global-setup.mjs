// Starts the sandboxes the tests talk to: one with default lifetimes, one
// whose link tokens expire after 3 seconds. Both serve the demo and the
// built widget. Returns the teardown that stops them.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

function start(extraArgs) {
  const child = spawn("./target/release/keet-sandbox",
    ["--port", "0", "--rate-limit", "500", "--www", "www", "--pkg", "pkg", ...extraArgs],
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
  process.env.KEET_SANDBOX_URL = normal.url;
  process.env.KEET_SHORT_TTL_SANDBOX_URL = shortLived.url;
  return async () => {
    normal.child.kill("SIGTERM");
    shortLived.child.kill("SIGTERM");
  };
}
