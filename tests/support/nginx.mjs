// A real nginx serving the link frame from the package as its users get it:
// the deployment template from the installed tarball, filled in by envsubst
// exactly as the README says, inside a small http block with Debian's
// mime.types. Beside it, in the same nginx, a "shop" site on ports of its
// own (other origins): a host page with the loader, and a strict CSP that
// frames only the frame's origin. Used by Playwright's global setup, the
// Firefox suite and the bench.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./sandbox.mjs";

/**
 * @param {{ pkg: string, deploy: string, apiOrigin: string, ancestors?: (shops: string[]) => string, shops?: number }} options
 *   pkg, deploy: the package's pkg/ and deploy/ as installed from the tarball;
 *   apiOrigin: the sandbox's origin (the frame's connect-src);
 *   ancestors: the frame-ancestors to fill in, given the shops' origins (default: all of them);
 *   shops: how many shop ports (default 2)
 * @returns {Promise<{ frameUrl: string, frameOrigin: string, shops: string[], stop(): void }>}
 */
export async function startFrameServer({ pkg, deploy, apiOrigin, ancestors = (shops) => shops.join(" "), shops: shopCount = 2 }) {
  const work = mkdtempSync(join(tmpdir(), "keet-link-nginx-"));
  // nginx's workers run as nobody when started as root: they read copies in
  // a folder of their own, whatever the checkout's permissions.
  chmodSync(work, 0o755);
  cpSync(join(pkg, "frame"), join(work, "frame"), { recursive: true });
  cpSync(join(pkg, "loader"), join(work, "shop/keet-link"), { recursive: true });
  cpSync("tests/deploy", join(work, "shop"), { recursive: true });
  const framePort = await freePort();
  const shopPorts = [];
  for (let i = 0; i < shopCount; i += 1) shopPorts.push(await freePort());
  const frameOrigin = `http://127.0.0.1:${framePort}`;
  const shops = shopPorts.map((port) => `http://127.0.0.1:${port}`);
  const filled = spawnSync("envsubst", ["$KEET_FRAME_ROOT $KEET_FRAME_LISTEN $KEET_API_ORIGIN $KEET_FRAME_ANCESTORS"], {
    input: readFileSync(join(deploy, "nginx/keet-link-frame.conf.template")),
    env: {
      ...process.env,
      KEET_FRAME_ROOT: join(work, "frame"),
      KEET_FRAME_LISTEN: `127.0.0.1:${framePort}`,
      KEET_API_ORIGIN: apiOrigin,
      KEET_FRAME_ANCESTORS: ancestors(shops),
    },
  });
  if (filled.status !== 0) throw new Error(`envsubst failed: ${filled.stderr}`);
  writeFileSync(join(work, "keet-link-frame.conf"), filled.stdout);
  const shopCsp = [
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'none'",
    `frame-src ${frameOrigin}`, `connect-src 'self' ${apiOrigin}`, "require-trusted-types-for 'script'", "trusted-types 'none'",
  ].join("; ");
  writeFileSync(join(work, "nginx.conf"), `
load_module ${BROTLI_STATIC_MODULE};
daemon off;
worker_processes 1;
pid ${work}/nginx.pid;
error_log ${work}/error.log warn;
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path ${work}/body;
  proxy_temp_path ${work}/proxy;
  fastcgi_temp_path ${work}/fastcgi;
  uwsgi_temp_path ${work}/uwsgi;
  scgi_temp_path ${work}/scgi;
  include ${work}/keet-link-frame.conf;
  ${shopPorts.length === 0 ? "" : `server {
    ${shopPorts.map((port) => `listen 127.0.0.1:${port};`).join("\n    ")}
    root ${work}/shop;
    add_header Content-Security-Policy "${shopCsp}" always;
    add_header Cache-Control "no-cache" always;
  }`}
}
`);
  const nginx = existsSync("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";
  const child = spawn(nginx, ["-p", work, "-c", join(work, "nginx.conf")], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => { stderr += chunk; });
  const exited = new Promise((resolveExit) => child.once("exit", (code) => resolveExit(code)));
  const stop = () => {
    child.kill("SIGTERM");
    exited.then(() => rmSync(work, { recursive: true, force: true }));
  };
  for (const port of [framePort, ...shopPorts]) {
    const up = await Promise.race([listening(port), exited.then(() => false)]);
    if (!up) {
      stop();
      throw new Error(`nginx did not start on port ${port}: ${stderr}${safeRead(join(work, "error.log"))}`);
    }
  }
  return { frameUrl: `${frameOrigin}/link/v1/frame`, frameOrigin, shops, stop };
}

// The template's brotli_static: Debian's libnginx-mod-http-brotli-static
// (scripts/setup.sh installs it), loaded as /etc/nginx/modules-enabled
// would load it; this nginx reads only the config written here.
const BROTLI_STATIC_MODULE = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so";

/** @param {string} path */
function safeRead(path) {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

/** Resolves true once `port` accepts a connection, false after 10 s. @param {number} port */
async function listening(port) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const ok = await new Promise((done) => {
      const socket = connect(port, "127.0.0.1", () => { socket.end(); done(true); });
      socket.once("error", () => done(false));
    });
    if (ok) return true;
    await new Promise((wait) => setTimeout(wait, 50));
  }
  return false;
}
