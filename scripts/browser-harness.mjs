// What the wasm browser tests (tests/browser.rs) read at run time: the
// sandbox's URL and the link tokens minted for them, as JSON at
// http://127.0.0.1:<port>/harness.json (CORS open: the test page is another
// origin). The tests know only this fixed address, so a new sandbox or new
// tokens never rebuild them. scripts/browser-tests.sh runs it:
//   node scripts/browser-harness.mjs <port> <file>   serves <file>, read anew on each request
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";

const [port, file] = process.argv.slice(2);
const server = createServer(async (request, response) => {
  const headers = { "Access-Control-Allow-Origin": "*", "Cache-Control": "no-store" };
  if (request.method !== "GET" || request.url !== "/harness.json") {
    response.writeHead(404, headers).end();
    return;
  }
  try {
    const body = await readFile(file);
    response.writeHead(200, { ...headers, "Content-Type": "application/json" }).end(body);
  } catch {
    response.writeHead(503, headers).end();
  }
});
server.on("error", (error) => {
  console.error(`browser harness: cannot listen on 127.0.0.1:${port} (${error.code}); set KEET_BROWSER_HARNESS_PORT to a free port`);
  process.exit(1);
});
server.listen(Number(port), "127.0.0.1", () => console.log("listening"));
