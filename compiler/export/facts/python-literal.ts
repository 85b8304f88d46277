/**
 * A Python literal expression as a JSON value: numbers, strings (adjacent ones joined), `True`,
 * `False`, `None`, lists, tuples (as lists) and dicts with string keys, and a name the caller
 * can resolve (an enum member, a module constant). Anything else (a call, arithmetic, an
 * f-string) is not a literal: the reader answers undefined and the fact is left out rather
 * than guessed.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A dotted name's value, or undefined when the caller does not know it. */
export type NameResolver = (name: string) => Json | undefined;

type Token = { kind: "string"; value: string } | { kind: "number"; value: number } | { kind: "name"; value: string } | { kind: "punct"; value: string };

function tokens(text: string): Token[] | undefined {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const prefixed = /^([rRuU]?)(['"])/.exec(text.slice(i));
    if (prefixed) {
      const raw = prefixed[1] !== "" && prefixed[1]!.toLowerCase() === "r";
      const start = i + prefixed[1]!.length;
      const quote = prefixed[2]!;
      const triple = text.startsWith(quote.repeat(3), start);
      const close = triple ? quote.repeat(3) : quote;
      let j = start + close.length;
      let value = "";
      while (j < text.length && !text.startsWith(close, j)) {
        if (text[j] === "\\" && !raw) {
          const escaped = text[j + 1] ?? "";
          value += ({ n: "\n", t: "\t", "\\": "\\", "'": "'", '"': '"' } as Record<string, string>)[escaped] ?? `\\${escaped}`;
          j += 2;
          continue;
        }
        value += text[j];
        j++;
      }
      if (j >= text.length) return undefined;
      out.push({ kind: "string", value });
      i = j + close.length;
      continue;
    }
    const number = /^(?:\d[\d_]*\.?[\d_]*(?:[eE][+-]?\d+)?|\.\d[\d_]*(?:[eE][+-]?\d+)?)/.exec(text.slice(i));
    if (number) {
      out.push({ kind: "number", value: Number(number[0].replace(/_/g, "")) });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*(?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*/.exec(text.slice(i));
    if (name) {
      out.push({ kind: "name", value: name[0].replace(/\s+/g, "") });
      i += name[0].length;
      continue;
    }
    if ("()[]{},:-+".includes(c)) {
      out.push({ kind: "punct", value: c });
      i++;
      continue;
    }
    return undefined;
  }
  return out;
}

const NOT_LITERAL = Symbol("not a literal");

/** The JSON value of a Python literal expression, or undefined when it is not one. */
export function pythonLiteral(text: string, resolve: NameResolver = () => undefined): Json | undefined {
  const list = tokens(text);
  if (list === undefined || list.length === 0) return undefined;
  let at = 0;
  const peek = () => list[at];
  const punct = (value: string) => {
    const t = peek();
    if (t?.kind === "punct" && t.value === value) {
      at++;
      return true;
    }
    return false;
  };
  const sequence = (close: string): Json[] | typeof NOT_LITERAL => {
    const items: Json[] = [];
    while (!punct(close)) {
      const item = value();
      if (item === NOT_LITERAL) return NOT_LITERAL;
      items.push(item);
      if (!punct(",")) return punct(close) ? items : NOT_LITERAL;
    }
    return items;
  };
  const value = (): Json | typeof NOT_LITERAL => {
    const t = peek();
    if (t === undefined) return NOT_LITERAL;
    at++;
    if (t.kind === "string") {
      let joined = t.value;
      while (peek()?.kind === "string") joined += (list[at++] as { value: string }).value;
      return joined;
    }
    if (t.kind === "number") return t.value;
    if (t.kind === "name") {
      if (t.value === "True") return true;
      if (t.value === "False") return false;
      if (t.value === "None") return null;
      if (peek()?.kind === "punct" && peek()!.value === "(") return NOT_LITERAL;
      return resolve(t.value) ?? NOT_LITERAL;
    }
    if (t.value === "-" || t.value === "+") {
      const inner = value();
      return typeof inner === "number" ? (t.value === "-" ? -inner : inner) : NOT_LITERAL;
    }
    if (t.value === "[") return sequence("]");
    if (t.value === "(") {
      // `(x)` is x; `()`, `(x,)` and `(x, y)` are tuples.
      if (punct(")")) return [];
      const first = value();
      if (first === NOT_LITERAL || punct(")")) return first;
      if (!punct(",")) return NOT_LITERAL;
      const rest = sequence(")");
      return rest === NOT_LITERAL ? NOT_LITERAL : [first, ...rest];
    }
    if (t.value === "{") {
      const entries: { [key: string]: Json } = {};
      while (!punct("}")) {
        const key = value();
        if (typeof key !== "string" || !punct(":")) return NOT_LITERAL;
        const item = value();
        if (item === NOT_LITERAL) return NOT_LITERAL;
        entries[key] = item;
        if (!punct(",")) return punct("}") ? entries : NOT_LITERAL;
      }
      return entries;
    }
    return NOT_LITERAL;
  };
  const result = value();
  return result === NOT_LITERAL || at !== list.length ? undefined : result;
}
