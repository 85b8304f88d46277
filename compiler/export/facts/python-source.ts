/**
 * Python source read as text, enough to take facts out of an engine's files without running
 * Python: its logical lines (comments dropped, bracketed continuations joined) nested by
 * indentation, the classes and functions they declare, and the parts of a signature or an
 * annotated field. It reads the declarations the facts need (dataclass fields, `__init__`
 * signatures, decorators, `return` statements, dict literals); it is no Python parser, and code
 * it does not recognise is passed over rather than guessed at.
 */
import type { ArgFact } from "./facts.js";
import { type Json, type NameResolver, pythonLiteral } from "./python-literal.js";

/** A statement: its header line, the statements indented under it, and the decorators above it. */
export interface PyBlock {
  text: string;
  /** 1-based line where the statement starts. */
  line: number;
  indent: number;
  decorators: string[];
  body: PyBlock[];
}

export interface PyParam {
  name: string;
  annotation?: string;
  /** The default's source text, when the parameter has one. */
  default?: string;
  /** `*args` or `**kwargs`. */
  star?: "*" | "**";
}

export interface PyClass {
  name: string;
  bases: string[];
  decorators: string[];
  body: PyBlock[];
}

interface Line {
  text: string;
  line: number;
  indent: number;
}

const OPEN = "([{";
const CLOSE = ")]}";

/** The logical lines of `source`, each with the indentation of its first physical line. */
function logicalLines(source: string): Line[] {
  const lines: Line[] = [];
  let text = "";
  let depth = 0;
  let line = 1;
  let start = 1;
  let indent = 0;
  let atLineStart = true;
  let i = 0;
  const finish = () => {
    const trimmed = text.trim();
    if (trimmed !== "") lines.push({ text: trimmed, line: start, indent });
    text = "";
  };
  while (i < source.length) {
    const c = source[i]!;
    if (atLineStart) {
      let spaces = 0;
      while (source[i + spaces] === " " || source[i + spaces] === "\t") spaces++;
      indent = spaces;
      start = line;
      atLineStart = false;
      i += spaces;
      continue;
    }
    if (c === "#") {
      text = text.trimEnd();
      while (i < source.length && source[i] !== "\n") i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = stringEnd(source, i);
      const literal = source.slice(i, end);
      line += literal.split("\n").length - 1;
      text += literal;
      i = end;
      continue;
    }
    if (c === "\\" && source[i + 1] === "\n") {
      line++;
      i += 2;
      text += " ";
      continue;
    }
    if (c === "\n") {
      line++;
      i++;
      if (depth > 0) {
        // A bracketed line continues the statement: one space stands for the break and its indent.
        text += " ";
        while (source[i] === " " || source[i] === "\t") i++;
        continue;
      }
      finish();
      atLineStart = true;
      continue;
    }
    if (OPEN.includes(c)) depth++;
    if (CLOSE.includes(c)) depth = Math.max(0, depth - 1);
    text += c;
    i++;
  }
  finish();
  return lines;
}

/** The index just past the string literal that opens at `i` (single or triple quoted). */
function stringEnd(source: string, i: number): number {
  const quote = source[i]!;
  const triple = source.startsWith(quote.repeat(3), i);
  const close = triple ? quote.repeat(3) : quote;
  let j = i + close.length;
  while (j < source.length) {
    if (source[j] === "\\") {
      j += 2;
      continue;
    }
    if (source.startsWith(close, j)) return j + close.length;
    if (!triple && source[j] === "\n") return j;
    j++;
  }
  return source.length;
}

/** The statements of a Python file, nested by indentation. */
export function pythonBlocks(source: string): PyBlock[] {
  const root: PyBlock = { text: "", line: 0, indent: -1, decorators: [], body: [] };
  const stack: PyBlock[] = [root];
  let decorators: string[] = [];
  for (const { text, line, indent } of logicalLines(source)) {
    while (stack.length > 1 && stack.at(-1)!.indent >= indent) stack.pop();
    if (text.startsWith("@")) {
      decorators.push(text.slice(1).trim());
      continue;
    }
    const block: PyBlock = { text, line, indent, decorators, body: [] };
    decorators = [];
    stack.at(-1)!.body.push(block);
    stack.push(block);
  }
  return root.body;
}

/** Splits `text` at `separator` where it is outside brackets and strings. */
export function splitTopLevel(text: string, separator = ","): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      const end = stringEnd(text, i);
      current += text.slice(i, end);
      i = end;
      continue;
    }
    if (OPEN.includes(c)) depth++;
    if (CLOSE.includes(c)) depth--;
    if (depth === 0 && text.startsWith(separator, i)) {
      parts.push(current.trim());
      current = "";
      i += separator.length;
      continue;
    }
    current += c;
    i++;
  }
  if (current.trim() !== "") parts.push(current.trim());
  return parts;
}

/** The index of the first top-level `=` that is an assignment (not `==`, `<=`, `>=`, `!=`), or -1. */
function assignmentAt(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      i = stringEnd(text, i) - 1;
      continue;
    }
    if (OPEN.includes(c)) depth++;
    if (CLOSE.includes(c)) depth--;
    if (depth === 0 && c === "=" && text[i + 1] !== "=" && !"=<>!".includes(text[i - 1] ?? "")) return i;
  }
  return -1;
}

/** The text between the bracket that opens at `open` and its match. */
function bracketed(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      i = stringEnd(text, i) - 1;
      continue;
    }
    if (OPEN.includes(c)) depth++;
    if (CLOSE.includes(c) && --depth === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}

/** `name: annotation = value`, `name = value` or `name: annotation`, as a statement or a parameter. */
export function binding(text: string): { name: string; annotation?: string; value?: string } | undefined {
  const eq = assignmentAt(text);
  const target = eq < 0 ? text : text.slice(0, eq);
  const value = eq < 0 ? undefined : text.slice(eq + 1).trim();
  const [name, ...annotation] = splitTopLevel(target, ":");
  if (name === undefined || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return undefined;
  if (annotation.length === 0 && value === undefined) return undefined;
  // An annotation continued over lines reads as one: `Optional[\n str\n]` is `Optional[str]`.
  const type = annotation
    .join(":")
    .replace(/\s+/g, " ")
    .replace(/([[(])\s+|\s+(?=[\])])/g, "$1")
    .trim();
  return { name, ...(annotation.length > 0 ? { annotation: type } : {}), ...(value !== undefined ? { value } : {}) };
}

/** The class a block declares, if it is a class statement. */
export function classOf(block: PyBlock): PyClass | undefined {
  const match = /^class\s+([A-Za-z_][A-Za-z0-9_]*)\s*(\(|:)/.exec(block.text);
  if (!match) return undefined;
  const bases = match[2] === "(" ? splitTopLevel(bracketed(block.text, match[0].length - 1)).filter((b) => !b.includes("=")) : [];
  return { name: match[1]!, bases, decorators: block.decorators, body: block.body };
}

/** Every class declared at the top level of a file, by name. */
export function classesOf(blocks: readonly PyBlock[]): Map<string, PyClass> {
  const classes = new Map<string, PyClass>();
  for (const block of blocks) {
    const found = classOf(block);
    if (found) classes.set(found.name, found);
  }
  return classes;
}

/** The function a block declares: its name and parameters, `self` and `cls` left out. */
export function functionOf(block: PyBlock): { name: string; params: PyParam[] } | undefined {
  const match = /^(?:async\s+)?def\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(/.exec(block.text);
  if (!match) return undefined;
  const params: PyParam[] = [];
  for (const part of splitTopLevel(bracketed(block.text, match[0].length - 1))) {
    if (part === "*" || part === "/" || part === "self" || part === "cls") continue;
    const star = part.startsWith("**") ? "**" : part.startsWith("*") ? "*" : undefined;
    const bound = binding(part.slice(star?.length ?? 0)) ?? { name: part.slice(star?.length ?? 0).trim() };
    if (bound.name === "self" || bound.name === "cls") continue;
    params.push({
      name: bound.name,
      ...(bound.annotation !== undefined ? { annotation: bound.annotation } : {}),
      ...(bound.value !== undefined ? { default: bound.value } : {}),
      ...(star ? { star } : {}),
    });
  }
  return { name: match[1]!, params };
}

/** The function named `name` among `blocks` (a module's or a class's statements). */
export function findFunction(blocks: readonly PyBlock[], name: string): PyBlock | undefined {
  return blocks.find((b) => functionOf(b)?.name === name);
}

/** The expression of a function's first `return` statement at its top level. */
export function returned(fn: PyBlock): string | undefined {
  const statement = fn.body.find((b) => /^return\b/.test(b.text));
  return statement?.text.slice("return".length).trim();
}

/** The value assigned to `name` by a statement in `blocks` or the blocks under them, first found first. */
export function assignedValue(blocks: readonly PyBlock[], name: string): string | undefined {
  for (const block of blocks) {
    const bound = binding(block.text);
    if (bound?.name === name && bound.value !== undefined) return bound.value;
    const inner = assignedValue(block.body, name);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

/** The arguments of a call expression `f(a, k=v)`, keyword ones by name. */
export function callArguments(text: string): { callee: string; positional: string[]; keywords: Map<string, string> } | undefined {
  const open = text.indexOf("(");
  if (open < 0 || !text.trimEnd().endsWith(")")) return undefined;
  const positional: string[] = [];
  const keywords = new Map<string, string>();
  for (const part of splitTopLevel(bracketed(text, open))) {
    const eq = assignmentAt(part);
    const key = eq < 0 ? "" : part.slice(0, eq).trim();
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) keywords.set(key, part.slice(eq + 1).trim());
    else positional.push(part);
  }
  return { callee: text.slice(0, open).trim(), positional, keywords };
}

/**
 * The strings a function tells apart by `variable == "x"` or `variable in ("x", "y")` in its `if`
 * and `elif` tests (at any depth): the values it accepts, the way verl's `agg_loss` and
 * `kl_penalty` accept their modes. A branch whose first statement is a `raise` rejects its
 * values (verl's `kl_penalty == "full"` raises NotImplementedError), so they are left out.
 */
export function branchValues(fn: PyBlock, variable: string): string[] {
  const found: string[] = [];
  const name = variable.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const equal = new RegExp(`\\b${name}\\s*==\\s*(?:"([^"]*)"|'([^']*)')`, "g");
  const member = new RegExp(`\\b${name}\\s+in\\s+[([{]([^)\\]}]*)[)\\]}]`, "g");
  const walk = (blocks: readonly PyBlock[]) => {
    for (const block of blocks) {
      if (/^(?:if|elif)\b/.test(block.text) && !/^raise\b/.test(block.body[0]?.text ?? "")) {
        const test = block.text.replace(/:$/, "");
        for (const m of test.matchAll(equal)) found.push(m[1] ?? m[2]!);
        for (const m of test.matchAll(member)) for (const s of m[1]!.matchAll(/"([^"]*)"|'([^']*)'/g)) found.push(s[1] ?? s[2]!);
      }
      walk(block.body);
    }
  };
  walk(fn.body);
  return [...new Set(found)];
}

/** A signature's named parameters, with their annotations and literal defaults. */
export function argFacts(params: readonly PyParam[]): Record<string, ArgFact> {
  const args: Record<string, ArgFact> = {};
  for (const p of params) {
    if (p.star) continue;
    const value = p.default === undefined ? undefined : pythonLiteral(p.default);
    args[p.name] = { ...(p.annotation !== undefined ? { type: p.annotation } : {}), ...(value !== undefined ? { default: value } : {}) };
  }
  return args;
}

/** The literal constants and enum members of modules, by name (`StorageType.FILE` and `StorageType.FILE.value` are "file"). */
export function constantResolver(modules: readonly string[]): NameResolver {
  const values = new Map<string, Json>();
  for (const text of modules) {
    const blocks = pythonBlocks(text);
    for (const block of blocks) {
      const bound = binding(block.text);
      const value = bound?.value === undefined ? undefined : pythonLiteral(bound.value);
      if (bound && value !== undefined) values.set(bound.name, value);
    }
    for (const [name, cls] of classesOf(blocks)) {
      if (!cls.bases.some((b) => /Enum\b/.test(b))) continue;
      for (const member of cls.body) {
        const bound = binding(member.text);
        const value = bound?.value === undefined ? undefined : pythonLiteral(bound.value);
        if (bound && value !== undefined) values.set(`${name}.${bound.name}`, value);
      }
    }
  }
  return (name) => values.get(name.replace(/\.value$/, ""));
}
