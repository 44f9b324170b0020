// What a TypeScript declaration file declares, read by TypeScript's own
// parser, as JSON on stdout, for the Rust contract tests (tests/contracts.rs):
//   node scripts/declarations.mjs spec/keet-link.d.ts
// {
//   "unions":     { Name: ["a", "b"] }                 each type alias that is a union of string
//                                                       literals, or of other such aliases (resolved)
//   "interfaces": { Name: [{ name, optional, parameters?, literalMembers?, number? }] }   in order
//                 parameters: a method's parameter names; a rest parameter `...args: T` gives the
//                 labels of the first labelled tuple in alias T. literalMembers: the members of the
//                 object-literal parts of the member's type (`A & { view: V }` gives ["view"]).
//                 number: a member whose type is a number literal (`version: 1`).
// }
import { readFileSync } from "node:fs";
import ts from "typescript";

const [file] = process.argv.slice(2);
const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
const aliases = new Map();
const interfaces = new Map();
for (const statement of source.statements) {
  if (ts.isTypeAliasDeclaration(statement)) aliases.set(statement.name.text, statement.type);
  if (ts.isInterfaceDeclaration(statement)) interfaces.set(statement.name.text, statement);
}

/** The string literals of a union type, resolving aliases; null if it is anything else. */
function literals(type, seen = new Set()) {
  if (ts.isParenthesizedTypeNode(type)) return literals(type.type, seen);
  if (ts.isLiteralTypeNode(type) && ts.isStringLiteral(type.literal)) return [type.literal.text];
  if (ts.isUnionTypeNode(type)) {
    const all = type.types.map((part) => literals(part, seen));
    return all.every(Array.isArray) ? all.flat() : null;
  }
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && !type.typeArguments) {
    const name = type.typeName.text;
    if (!aliases.has(name) || seen.has(name)) return null;
    return literals(aliases.get(name), new Set([...seen, name]));
  }
  return null;
}

/** The labels of the first labelled tuple inside `type`. */
function tupleLabels(type) {
  let found = null;
  const visit = (node) => {
    if (found) return;
    if (ts.isTupleTypeNode(node) && node.elements.every(ts.isNamedTupleMember)) {
      found = node.elements.map((element) => element.name.text);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(type);
  return found;
}

/** The parameter names of a method or call signature. */
function parameterNames(parameters) {
  return parameters.flatMap((parameter) => {
    if (parameter.dotDotDotToken && parameter.type && ts.isTypeReferenceNode(parameter.type)) {
      const alias = aliases.get(parameter.type.typeName.getText(source));
      const labels = alias && tupleLabels(alias);
      if (labels) return labels;
    }
    return [parameter.name.getText(source)];
  });
}

/** The members of the object-literal parts of `type` (an intersection, or one literal). */
function literalMembers(type) {
  const parts = ts.isIntersectionTypeNode(type) ? type.types : [type];
  return parts.filter(ts.isTypeLiteralNode).flatMap((literal) => literal.members.map((m) => m.name.getText(source)));
}

const unions = {};
for (const [name, type] of aliases) {
  const values = literals(type);
  if (values) unions[name] = values;
}
const declaredInterfaces = {};
for (const [name, declaration] of interfaces) {
  const members = [];
  for (const member of declaration.members) {
    if (!member.name) continue;
    const entry = { name: member.name.getText(source), optional: Boolean(member.questionToken) };
    if (ts.isMethodSignature(member)) entry.parameters = parameterNames(member.parameters);
    if (ts.isPropertySignature(member) && member.type && ts.isLiteralTypeNode(member.type)
      && ts.isNumericLiteral(member.type.literal)) entry.number = Number(member.type.literal.text);
    if (ts.isPropertySignature(member) && member.type) {
      const own = literalMembers(member.type);
      if (own.length > 0 || ts.isIntersectionTypeNode(member.type)) entry.literalMembers = own;
    }
    members.push(entry);
  }
  declaredInterfaces[name] = members;
}
process.stdout.write(`${JSON.stringify({ unions, interfaces: declaredInterfaces })}\n`);
