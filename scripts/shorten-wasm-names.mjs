// Gives the wasm's imports and exports short names, in the wasm and in the
// files of its glue alike. wasm-bindgen names each import after its JS
// function and a 16-digit hash (`__wbg_observe_079b979bb30dea5e`), and each
// closure's entry point after its whole Rust type; a name is written once in
// the wasm and once in the glue, and the hashes do not compress. Only those
// names change: `memory`, `startFrame`, `__wbindgen_malloc` and the other
// names wasm-bindgen writes without a hash stay as they are.
//   node scripts/shorten-wasm-names.mjs <wasm> <glue.js> [<typings.d.ts>...]
// rewrites them all in place. It fails, and writes nothing, when a name it
// renames is not in the glue exactly where it should be; and it fails when
// the glue, rewritten, cannot instantiate the wasm (a name they disagree on).
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const HASHED = /_[0-9a-f]{16}$/;
const CLOSURE_ENTRY = /^wasm_bindgen_[0-9a-f]{16}___convert__closures_/;
const [wasmPath, gluePath, ...typingsPaths] = process.argv.slice(2);
if (!wasmPath || !gluePath) {
  console.error("usage: node scripts/shorten-wasm-names.mjs <wasm> <glue.js> [<typings.d.ts>...]");
  process.exit(2);
}

const wasm = readFileSync(wasmPath);
let at = 8;
const byte = () => wasm[at++];
function leb() {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = byte();
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return value;
  }
}
function name() {
  const length = leb();
  const text = wasm.subarray(at, at + length).toString("utf8");
  at += length;
  return text;
}
function limits() {
  const flags = byte();
  leb();
  if (flags & 1) leb();
}
function encodeLeb(value) {
  const bytes = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    bytes.push(b);
  } while (value > 0);
  return Buffer.from(bytes);
}
const encodeName = (text) => {
  const bytes = Buffer.from(text, "utf8");
  return Buffer.concat([encodeLeb(bytes.length), bytes]);
};

// Each renamed name, old to new: `$` and a number, which no wasm-bindgen name
// is, so nothing can collide.
const renamed = new Map();
const rename = (old) => {
  const short = `$${renamed.size.toString(36)}`;
  renamed.set(old, short);
  return short;
};
const imports = new Set();

const pieces = [wasm.subarray(0, 8)];
while (at < wasm.length) {
  const sectionStart = at;
  const id = byte();
  const size = leb();
  const contentStart = at;
  const contentEnd = contentStart + size;
  if (id !== 2 && id !== 7) {
    pieces.push(wasm.subarray(sectionStart, contentEnd));
    at = contentEnd;
    continue;
  }
  const count = leb();
  const entries = [encodeLeb(count)];
  for (let index = 0; index < count; index += 1) {
    if (id === 2) {
      const module = name();
      const field = name();
      const descStart = at;
      const kind = byte();
      if (kind === 0 || kind === 4) {
        if (kind === 4) byte();
        leb();
      } else if (kind === 1) {
        byte();
        limits();
      } else if (kind === 2) {
        limits();
      } else if (kind === 3) {
        byte();
        byte();
      } else {
        throw new Error(`${wasmPath}: an import of unknown kind ${kind}`);
      }
      const desc = wasm.subarray(descStart, at);
      let short = field;
      if (kind === 0 && HASHED.test(field)) {
        short = rename(field);
        imports.add(field);
      }
      entries.push(encodeName(module), encodeName(short), desc);
    } else {
      const exported = name();
      const descStart = at;
      byte();
      leb();
      const desc = wasm.subarray(descStart, at);
      const short = CLOSURE_ENTRY.test(exported) || HASHED.test(exported) ? rename(exported) : exported;
      entries.push(encodeName(short), desc);
    }
  }
  if (at !== contentEnd) throw new Error(`${wasmPath}: section ${id} is not what it says`);
  const content = Buffer.concat(entries);
  pieces.push(Buffer.from([id]), encodeLeb(content.length), content);
}

// Each old name is an identifier with a hash: as a whole word, it means that
// import or export and nothing else.
const word = (old) => new RegExp(`(?<![\\w$])${old.replace(/\$/g, "\\$")}(?![\\w$])`, "g");
function rewrite(path, mustHaveEach) {
  let text = readFileSync(path, "utf8");
  for (const [old, short] of renamed) {
    const pattern = word(old);
    const found = text.match(pattern)?.length ?? 0;
    if (mustHaveEach && found === 0) {
      throw new Error(`${path}: ${old} is not in the glue, so the wasm and its glue would disagree`);
    }
    // Every import is one key of the glue's import object.
    if (mustHaveEach && imports.has(old) && found !== 1) {
      throw new Error(`${path}: the import ${old} is there ${found} times, not once`);
    }
    text = text.replace(pattern, () => short);
  }
  return text;
}
const glue = rewrite(gluePath, true);
const typings = typingsPaths.map((path) => [path, rewrite(path, false)]);
writeFileSync(wasmPath, Buffer.concat(pieces));
writeFileSync(gluePath, glue);
for (const [path, text] of typings) writeFileSync(path, text);
// Instantiating checks every import against the glue's import object. A wasm
// with a start function then runs it, which in Node may throw for want of a
// document: only a LinkError says the names disagree.
const glueModule = await import(pathToFileURL(resolve(gluePath)).href);
try {
  glueModule.initSync({ module: readFileSync(wasmPath) });
} catch (error) {
  if (error instanceof WebAssembly.LinkError) throw error;
}
console.log(`build: ${wasmPath}: ${renamed.size} imports and exports given short names`);
