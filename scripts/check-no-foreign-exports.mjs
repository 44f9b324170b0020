// Fails the build when the wasm exports another crate's classes: wasm-bindgen
// exports wasm-streams' `IntoUnderlying*` (leptos's server_fn links it), and
// an export keeps its code and every closure that code makes in the wasm.
// scripts/link-without-foreign-exports.sh, the release wasm's linker, leaves
// them out (8.2 KB of wasm); this says so if it ever stops doing it, for
// example when rustc passes its exports some other way.
//   node scripts/check-no-foreign-exports.mjs <wasm>...
import { readFileSync } from "node:fs";

const FOREIGN = /intounderlying/i;
let failed = false;
for (const path of process.argv.slice(2)) {
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(path)));
  const foreign = exports.map((e) => e.name).filter((name) => FOREIGN.test(name));
  if (foreign.length > 0) {
    console.error(`build: ${path} exports other crates' classes (${foreign.join(", ")}): ` +
      "was it linked by scripts/link-without-foreign-exports.sh?");
    failed = true;
  }
}
if (failed) process.exit(1);
