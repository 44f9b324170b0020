// Starts the sandboxes the tests talk to: one with default lifetimes, one
// whose link tokens expire after 3 seconds, one with a tight rate limit, and
// one per consumer build. Each serves its API and link frame on one origin
// and its demo site (www, /demo/ backend, pkg) on another. The tests get the
// demo sites' URLs (KEET_*_DEMO_URL) and the APIs' (KEET_*_API_URL). Each
// sandbox's log goes to test-results/sandbox-<name>.log.
import { existsSync } from "node:fs";
import { startFrameServer } from "../support/nginx.mjs";
import { startSandbox } from "../support/sandbox.mjs";

const start = (name, extraArgs, { www = "www", pkg = "pkg", rateLimit = "500" } = {}) =>
  startSandbox(name, ["--rate-limit", rateLimit, "--www", www, "--pkg", pkg, ...extraArgs]);

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
    servers.VUE_CONSUMER_ = await start("vue", [], { www: "target/consumers/vue-dist" });
    servers.PAGES_CONSUMER_ = await start("pages", ["--frame-app", "pkg/frame"],
      { www: "target/consumers/pages", pkg: "target/consumers/installed-pkg" });
  }
  for (const [prefix, server] of Object.entries(servers)) {
    process.env[`KEET_${prefix}DEMO_URL`] = server.demo;
    process.env[`KEET_${prefix}API_URL`] = server.api;
  }
  // A sandbox that serves only its own demo page's origin: that page is on
  // another port, so in either mode its widget is refused (ORIGIN_NOT_ALLOWED).
  const strict = await startSandbox("strict-origins", ["--rate-limit", "500", "--www", "www", "--pkg", "pkg",
    "--allowed-origins", "https://shop.example"]);
  process.env.KEET_STRICT_ORIGINS_DEMO_URL = strict.demo;
  const stoppers = [...Object.values(servers), strict];
  // The link frame as a customer deploys it: the packed package's frame and
  // nginx template under a real nginx, on a third origin; a shop page on two
  // more. Its frame-ancestors list the first shop and not the second, and its
  // sandbox registers both shops and the frame.
  if (existsSync("target/consumers/installed-deploy")) {
    const api = await startSandbox("deploy-api", ["--rate-limit", "500"]);
    const nginx = await startFrameServer({
      pkg: "target/consumers/installed-pkg", deploy: "target/consumers/installed-deploy",
      apiOrigin: api.api, ancestors: (shops) => shops[0],
    });
    process.env.KEET_DEPLOY = JSON.stringify({ api: api.api, apiKey: api.apiKey, frameUrl: nginx.frameUrl, shops: nginx.shops });
    stoppers.push(api, nginx);
  }
  return async () => {
    for (const server of stoppers) server.stop();
  };
}
