// Names each function of an optimised wasm after its place in an order that
// brotli compresses better, so that binaryen's `--reorder-functions-by-name`
// puts them in that order (scripts/wasm-flags.sh, `optimize_wasm`):
//   node scripts/order-wasm-functions.mjs in.wasm out.wasm
//
// Why: rustc and wasm-opt leave the functions in link order, so a function
// sits beside whatever came next in its crate, and brotli's matches reach
// far back for the code it shares with its likes. Put each function beside
// the one most like it (its bytes' 4-byte sequences, and the same type)
// and the matches are nearer and the literals more alike: 2.2 to 2.6 KB
// less brotli for the frame's wasm (spec/DECISIONS.md S8). Only the order
// changes; binaryen renumbers every call, table entry and export.
//
// Likeness is estimated with MinHash (128 hashes of each body's 4-byte
// sequences); the order is greedy: the largest function first, then each
// time the unplaced function most like the last one placed, the lowest
// index on a tie, so the order is the same on every run. The name section
// written here is only for binaryen: wasm-opt writes none without `-g`.
import { readFileSync, writeFileSync } from "node:fs";

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error("usage: node scripts/order-wasm-functions.mjs in.wasm out.wasm");
  process.exit(2);
}
const bytes = readFileSync(input);

let at = 8;
const readU32 = () => {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return value;
};
const skipName = () => {
  const length = readU32();
  at += length;
};
const skipLimits = () => {
  const flags = readU32();
  readU32();
  if (flags & 1) readU32();
};

let importedFunctions = 0;
const typeOfFunction = [];
const bodies = [];
const kept = [bytes.subarray(0, 8)];
while (at < bytes.length) {
  const start = at;
  const id = bytes[at++];
  const size = readU32();
  const end = at + size;
  if (id === 0) {
    const nameLength = readU32();
    const name = bytes.toString("utf8", at, at + nameLength);
    // Any name section is replaced by the one written below.
    if (name === "name") {
      at = end;
      continue;
    }
  } else if (id === 2) {
    for (let count = readU32(); count > 0; count--) {
      skipName();
      skipName();
      const kind = bytes[at++];
      if (kind === 0) {
        readU32();
        importedFunctions++;
      } else if (kind === 1) {
        at++;
        skipLimits();
      } else if (kind === 2) {
        skipLimits();
      } else if (kind === 3) {
        at += 2;
      } else if (kind === 4) {
        at++;
        readU32();
      } else {
        throw new Error(`${input}: an import of unknown kind ${kind}`);
      }
    }
  } else if (id === 3) {
    for (let count = readU32(); count > 0; count--) typeOfFunction.push(readU32());
  } else if (id === 10) {
    for (let count = readU32(); count > 0; count--) {
      const length = readU32();
      bodies.push(bytes.subarray(at, at + length));
      at += length;
    }
  }
  kept.push(bytes.subarray(start, end));
  at = end;
}
if (bodies.length !== typeOfFunction.length) {
  throw new Error(`${input}: ${typeOfFunction.length} functions declared, ${bodies.length} bodies`);
}

const HASHES = 128;
// Enough to rank two functions of the same type first, not so much that the
// type alone decides: measured, 4 to 16 compress within 100 B of each other.
const SAME_TYPE_BONUS = 8;
const seeds = Array.from({ length: HASHES }, (_, k) => Math.imul(k + 1, 0x9e3779b1) >>> 0);
const signatures = bodies.map((body) => {
  const least = new Uint32Array(HASHES).fill(0xffffffff);
  for (let i = 0; i + 4 <= body.length; i++) {
    const sequence = body.readUInt32LE(i);
    for (let k = 0; k < HASHES; k++) {
      let hash = Math.imul(sequence ^ seeds[k], 0x85ebca6b);
      hash ^= hash >>> 13;
      hash = Math.imul(hash, 0xc2b2ae35) >>> 0;
      if (hash < least[k]) least[k] = hash;
    }
  }
  return least;
});

const placed = new Uint8Array(bodies.length);
const order = [];
let current = 0;
for (let i = 1; i < bodies.length; i++) if (bodies[i].length > bodies[current].length) current = i;
while (current >= 0) {
  placed[current] = 1;
  order.push(current);
  let next = -1;
  let bestScore = -1;
  for (let candidate = 0; candidate < bodies.length; candidate++) {
    if (placed[candidate]) continue;
    let score = typeOfFunction[candidate] === typeOfFunction[current] ? SAME_TYPE_BONUS : 0;
    const a = signatures[current];
    const b = signatures[candidate];
    for (let k = 0; k < HASHES; k++) if (a[k] === b[k]) score++;
    if (score > bestScore) {
      bestScore = score;
      next = candidate;
    }
  }
  current = next;
}

const u32 = (value) => {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return Buffer.from(out);
};
const name = (text) => {
  const utf8 = Buffer.from(text);
  return Buffer.concat([u32(utf8.length), utf8]);
};
const rank = new Array(bodies.length);
order.forEach((function_, place) => (rank[function_] = place));
const width = String(bodies.length).length;
const entries = [u32(bodies.length)];
for (let function_ = 0; function_ < bodies.length; function_++) {
  entries.push(u32(importedFunctions + function_), name(String(rank[function_]).padStart(width, "0")));
}
const functionNames = Buffer.concat(entries);
const content = Buffer.concat([name("name"), Buffer.from([1]), u32(functionNames.length), functionNames]);
writeFileSync(output, Buffer.concat([...kept, Buffer.from([0]), u32(content.length), content]));
