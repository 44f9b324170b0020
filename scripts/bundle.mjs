// The JavaScript half of scripts/build-widget.sh, after the wasm is built:
// every bundle through esbuild's own API, every name a bundle needs set by
// `define` (the content-named wasm and glue, the wasm's sha384) or by a
// resolver plugin (where an external import points once installed), and
// the wasm-bindgen typings rewritten from TypeScript's syntax tree. Nothing
// is patched as text after the fact. Run from the repository's root:
//   node scripts/bundle.mjs
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as esbuild from "esbuild";
import ts from "typescript";

const common = { bundle: true, minify: true, legalComments: "none", logLevel: "warning", write: false };

/** `<stem>.<first 12 hex digits of its sha256>.<ext>`, as every pinned file is named. */
const contentName = (stem, bytes, ext) => `${stem}.${createHash("sha256").update(bytes).digest("hex").slice(0, 12)}.${ext}`;
const sri = (bytes) => `sha384-${createHash("sha384").update(bytes).digest("base64")}`;
/** The one output file of an esbuild run, as bytes. */
const only = (result) => result.outputFiles[0].contents;
/** A plugin that makes `from` an external import of `to` (where it is once installed). */
const pointExternal = (from, to) => ({
  name: `external ${from}`,
  setup(build) {
    build.onResolve({ filter: new RegExp(`^${from.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`) }, () => ({ path: to, external: true }));
  },
});

// wasm-bindgen also exports the classes of dependencies (wasm-streams'
// `IntoUnderlying*`, through leptos's server_fn) from every crate that links
// them. They are not keet-link's API: their exports are not in the wasm
// (scripts/link-without-foreign-exports.sh), and their `[Symbol.dispose]`
// members break consumers compiled for ES2022. The glue and the typings are
// printed again from their syntax tree without every top-level statement
// that names one (the class, its finalization registry, its dispose alias).
const namesForeign = (node) => (ts.isIdentifier(node) && /^IntoUnderlying/.test(node.text)) || ts.forEachChild(node, namesForeign) === true;
function withoutForeignClasses(path, kind) {
  const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true, kind);
  const kept = source.statements.filter((statement) => !namesForeign(statement));
  writeFileSync(path, ts.createPrinter().printFile(ts.factory.updateSourceFile(source, kept)));
  return source.statements.length - kept.length;
}
// The glue also carries fallbacks for browsers older than any this package
// runs in (its stylesheet needs light-dark(): Chromium 123, Firefox 120,
// Safari 17.5), each added to the glue's code by wasm-bindgen: a TextEncoder
// without encodeInto, and no FinalizationRegistry (every one of those
// browsers has both). Printed again without them (DECISIONS S8).
const isEncodeIntoPolyfill = (statement) => ts.isIfStatement(statement)
  && statement.expression.getText() === "!('encodeInto' in cachedTextEncoder)";
/** `(typeof FinalizationRegistry === 'undefined') ? {…} : new FinalizationRegistry(…)`, as its last branch. */
function withoutRegistryFallback(statement) {
  const declaration = ts.isVariableStatement(statement) ? statement.declarationList.declarations[0] : undefined;
  const value = declaration?.initializer;
  if (!value || !ts.isConditionalExpression(value)
      || value.condition.getText() !== "(typeof FinalizationRegistry === 'undefined')") return undefined;
  return ts.factory.updateVariableStatement(statement, statement.modifiers,
    ts.factory.updateVariableDeclarationList(statement.declarationList, [ts.factory.updateVariableDeclaration(
      declaration, declaration.name, declaration.exclamationToken, declaration.type, value.whenFalse)]));
}
function withoutOldBrowserFallbacks(path) {
  const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  let removed = 0;
  const statements = [];
  for (const statement of source.statements) {
    if (isEncodeIntoPolyfill(statement)) {
      removed += 1;
      continue;
    }
    const replaced = withoutRegistryFallback(statement);
    if (replaced) removed += 1;
    statements.push(replaced ?? statement);
  }
  writeFileSync(path, ts.createPrinter().printFile(ts.factory.updateSourceFile(source, statements)));
  return removed;
}
for (const glue of ["pkg/web/keet_link.js", "target/frame-web/keet_link.js"]) {
  const removed = withoutForeignClasses(glue, ts.ScriptKind.JS);
  if (removed === 0) console.log(`build: ${glue} names no foreign class any more: this step can go`);
  const fallbacks = withoutOldBrowserFallbacks(glue);
  if (fallbacks !== 2) console.log(`build: ${glue} had ${fallbacks} of the 2 old-browser fallbacks to remove; see scripts/bundle.mjs`);
}

const wasm = readFileSync("pkg/web/keet_link_bg.wasm");
const wasmName = contentName("keet_link_bg", wasm, "wasm");

/**
 * One minified ES module bundled from `entry` in a staging folder laid out
 * as `files` (its path there: the file to copy), so that a source that
 * imports a glue or js/early-session.js finds them where they will be.
 */
async function bundleStaged(files, entry, options = {}) {
  const staging = mkdtempSync(join(tmpdir(), "keet-bundle-"));
  try {
    for (const [to, from] of Object.entries(files)) {
      mkdirSync(dirname(join(staging, to)), { recursive: true });
      copyFileSync(from, join(staging, to));
    }
    return only(await esbuild.build({ ...common, entryPoints: [join(staging, entry)], format: "esm", target: "es2020", ...options }));
  } finally {
    rmSync(staging, { recursive: true });
  }
}

// The in-page build's module: its glue and js/in-page.js (which starts a
// widget's session request while the wasm downloads) as one minified file
// in the glue's place; the glue's exports keep their names.
writeFileSync("pkg/web/keet_link.js", await bundleStaged({
  "in-page.js": "js/in-page.js", "early-session.js": "js/early-session.js", "keet_link.js": "pkg/web/keet_link.js",
}, "in-page.js"));

// The link frame: frame.js and the glue of its own wasm (target/frame-web,
// feature frame-app) as one script, every file named by its content, with
// the words file of each locale but English (target/frame-words, `<tag>.txt`)
// as `words_<tag>.<hash>.txt`, which frame.js maps by tag.
mkdirSync("pkg/frame", { recursive: true });
const frameWasm = readFileSync("target/frame-web/keet_link_bg.wasm");
const frameWasmName = contentName("keet_link_bg", frameWasm, "wasm");
writeFileSync(`pkg/frame/${frameWasmName}`, frameWasm);
const words = {};
for (const file of readdirSync("target/frame-words").filter((name) => name.endsWith(".txt")).sort()) {
  const tag = file.slice(0, -".txt".length);
  const bytes = readFileSync(join("target/frame-words", file));
  words[tag] = contentName(`words_${tag.toLowerCase().replace(/-/g, "_")}`, bytes, "txt");
  writeFileSync(`pkg/frame/${words[tag]}`, bytes);
}
if (Object.keys(words).length === 0) throw new Error("target/frame-words has no words files");
const frameScript = await bundleStaged({
  "frame/frame.js": "js/frame/frame.js", "frame/keet_link.js": "target/frame-web/keet_link.js",
  "early-session.js": "js/early-session.js",
}, "frame/frame.js", { define: { KEET_FRAME_WASM: JSON.stringify(frameWasmName), KEET_FRAME_WORDS: JSON.stringify(words) } });
const frameScriptName = contentName("frame", frameScript, "js");
writeFileSync(`pkg/frame/${frameScriptName}`, frameScript);
const style = readFileSync("js/frame/frame.css");
const styleName = contentName("frame", style, "css");
writeFileSync(`pkg/frame/${styleName}`, style);
// frame.html is the page, not a bundle: its three references, each exactly once.
let page = readFileSync("js/frame/frame.html", "utf8");
for (const [reference, name] of [['href="frame.css"', styleName], ['src="frame.js"', frameScriptName], ['href="keet_link_bg.wasm"', frameWasmName]]) {
  const parts = page.split(reference);
  if (parts.length !== 2) throw new Error(`js/frame/frame.html should have ${reference} once`);
  page = parts.join(reference.replace(/"[^"]*"/, `"${name}"`));
}
writeFileSync("pkg/frame/frame.html", page);

// The classic script, and the in-page build beside it under content names,
// so that pinning the script with `integrity` pins the wasm too.
mkdirSync("pkg/script", { recursive: true });
copyFileSync("pkg/web/keet_link_bg.wasm", `pkg/script/${wasmName}`);
const glue = readFileSync("pkg/web/keet_link.js");
const glueName = contentName("keet_link", glue, "js");
writeFileSync(`pkg/script/${glueName}`, glue);
const classic = only(await esbuild.build({
  ...common, entryPoints: ["js/script.js"], format: "iife", target: "es2020",
  define: {
    KEET_IN_PAGE_GLUE: JSON.stringify(glueName),
    KEET_IN_PAGE_WASM: JSON.stringify(wasmName),
    KEET_IN_PAGE_WASM_INTEGRITY: JSON.stringify(sri(wasm)),
  },
}));
const classicName = contentName("keet-link", classic, "js");
writeFileSync(`pkg/script/${classicName}`, classic);
writeFileSync("pkg/script/keet-link.js", classic);
const integrity = Object.fromEntries([classicName, glueName, wasmName, "keet-link.js"]
  .map((name) => [name, sri(readFileSync(`pkg/script/${name}`))]));
writeFileSync("pkg/script/integrity.json", `${JSON.stringify(integrity, null, 2)}\n`);
console.log(`build: pin the classic script with
  <script src=".../${classicName}" integrity="${integrity[classicName]}" crossorigin="anonymous"></script>
build: every file's sha384 is in pkg/script/integrity.json`);

// The "." entry: its lazy import of the in-page build, and the wasm it
// fetches beside it, point at pkg/web once installed.
mkdirSync("pkg/loader", { recursive: true });
writeFileSync("pkg/loader/keet-link.js", only(await esbuild.build({
  ...common, entryPoints: ["js/index.js"], format: "esm", target: "es2020",
  define: { KEET_LOADER_WASM_PATH: JSON.stringify("../web/keet_link_bg.wasm") },
  plugins: [pointExternal("../pkg/web/keet_link.js", "../web/keet_link.js")],
})));
// "./element", on top of the "." entry (imported, so configure() is shared).
mkdirSync("pkg/element", { recursive: true });
writeFileSync("pkg/element/keet-link-element.js", only(await esbuild.build({
  ...common, entryPoints: ["js/element.js"], format: "esm", target: "es2022",
  plugins: [pointExternal("./index.js", "../loader/keet-link.js")],
})));
// Their typings import "../spec/keet-link", which resolves beside them too.
mkdirSync("pkg/spec", { recursive: true });
copyFileSync("spec/keet-link.d.ts", "pkg/spec/keet-link.d.ts");
copyFileSync("js/index.d.ts", "pkg/loader/keet-link.d.ts");
copyFileSync("js/element.d.ts", "pkg/element/keet-link-element.d.ts");

// The typings without the foreign classes too (see withoutForeignClasses).
const typingsPath = "pkg/web/keet_link.d.ts";
const removed = withoutForeignClasses(typingsPath, ts.ScriptKind.TS);
console.log(`build: ${typingsPath}: removed ${removed} foreign classes from the typings`);

// The build's own checks: each bundle carries the names it must.
const mustHave = [
  [frameScript, frameWasmName, "the frame script lost its wasm URL"],
  ...Object.values(words).map((name) => [frameScript, name, `the frame script lost its words file ${name}`]),
  [classic, glueName, "the classic script lost its in-page glue"],
  [classic, wasmName, "the classic script lost its in-page wasm"],
  [classic, "sha384-", "the classic script lost its wasm's integrity"],
  [readFileSync("pkg/loader/keet-link.js"), '"../web/keet_link.js"', "the loader lost its in-page import"],
  [readFileSync("pkg/element/keet-link-element.js"), '"../loader/keet-link.js"', "the element lost its loader import"],
];
for (const [bytes, needle, problem] of mustHave) {
  if (!Buffer.from(bytes).includes(needle)) throw new Error(`build: ${problem}`);
}
