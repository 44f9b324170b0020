// Removes from the wasm the exports that are not keet-link's: wasm-bindgen
// exports the classes of every crate it links, and leptos's server_fn brings
// wasm-streams, whose `IntoUnderlying*` classes nothing here constructs.
// Their exports kept their code alive; without them, wasm-opt (which runs
// next, in scripts/build-widget.sh) drops it as unreachable: 1.6 KB of
// brotli off the frame app. Code that something of ours reaches stays, so
// this cannot remove what runs. The glue still has the JS classes, which
// call these exports only when constructed: the typings leave them out
// (scripts/bundle.mjs), and the frame's bundle shakes them off.
//   node scripts/drop-foreign-exports.mjs <wasm>   rewrites it in place
import { readFileSync, writeFileSync } from "node:fs";
import binaryen from "binaryen";

const FOREIGN = /^(__wbg_)?intounderlying/i;
const [path] = process.argv.slice(2);
const module = binaryen.readBinary(readFileSync(path));
// The features wasm-opt is run with: emitting with more would write
// encodings that wasm-opt then cannot read.
const F = binaryen.Features;
module.setFeatures(F.BulkMemory | F.NontrappingFPToInt | F.SignExt | F.MutableGlobals | F.ReferenceTypes | F.Multivalue);
const foreign = [];
for (let index = 0; index < module.getNumExports(); index += 1) {
  const { name } = binaryen.getExportInfo(module.getExportByIndex(index));
  if (FOREIGN.test(name)) foreign.push(name);
}
for (const name of foreign) module.removeExport(name);
writeFileSync(path, module.emitBinary());
module.dispose();
console.log(`build: removed ${foreign.length} foreign exports from ${path}`);
