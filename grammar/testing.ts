/**
 * Test support for the editor grammar: a small TextMate tokenizer that runs
 * editors/roux.tmLanguage.json's rules on recipe text, so the tests can compare the scopes an
 * editor shows with what the lexer reads.
 */
import { readFileSync } from "node:fs";

type Captures = Record<string, { name: string }>;

interface Rule {
  comment?: string;
  include?: string;
  name?: string;
  match?: string;
  begin?: string;
  end?: string;
  captures?: Captures;
  beginCaptures?: Captures;
  endCaptures?: Captures;
  patterns?: Rule[];
}

interface Grammar {
  name: string;
  scopeName: string;
  fileTypes: string[];
  patterns: Rule[];
  repository: Record<string, Rule>;
}

export interface Token {
  /** Offset of the token's first character in the tokenized text. */
  offset: number;
  text: string;
  scopes: string[];
}

/** editors/roux.tmLanguage.json, the grammar editors highlight recipes with. */
export const grammar = JSON.parse(readFileSync(new URL("../editors/roux.tmLanguage.json", import.meta.url), "utf8")) as Grammar;

/**
 * Editors run these regexes with Oniguruma. The `u` flag makes JS reject escapes it does not
 * know (`\h`, `\A`, `\G`, `\z`) instead of silently matching the letter, so the tests below run
 * the grammar's regexes as written rather than a JS misreading of them.
 */
const compiled = new Map<string, RegExp>();
function compile(source: string): RegExp {
  let regex = compiled.get(source);
  if (regex === undefined) {
    regex = new RegExp(source, "dgu");
    compiled.set(source, regex);
  }
  return regex;
}

const SUPPORTED_KEYS = new Set(["comment", "include", "name", "match", "begin", "end", "captures", "beginCaptures", "endCaptures", "patterns"]);

/** The rules a pattern list offers, with `#name` includes and pattern-only containers expanded. */
export function expand(rules: Rule[]): Rule[] {
  return rules.flatMap((rule) => {
    const unsupported = Object.keys(rule).filter((key) => !SUPPORTED_KEYS.has(key));
    if (unsupported.length > 0) throw new Error(`the test matcher does not implement ${unsupported.join(", ")}`);
    if (rule.begin !== undefined && rule.end === undefined) throw new Error(`${rule.begin} begins a rule that never ends`);
    if (rule.include !== undefined) {
      const target = grammar.repository[rule.include.replace(/^#/, "")];
      if (!rule.include.startsWith("#") || target === undefined) throw new Error(`unknown include ${rule.include}`);
      return expand([target]);
    }
    return rule.match === undefined && rule.begin === undefined ? expand(rule.patterns ?? []) : [rule];
  });
}

/** A scope name with `$n` replaced by the text of group n, as TextMate does. */
function scopeName(name: string, match: RegExpExecArray): string {
  return name.replace(/\$(\d+)/g, (_, group: string) => match[Number(group)] ?? "");
}

/**
 * A small TextMate tokenizer: line by line, the earliest match among the current context's
 * patterns wins (ties go to the end pattern, then to the first listed), `begin`/`end` rules nest
 * across lines, and each capture becomes a token of its own. It does not implement nested
 * captures, `while`, `contentName` or `\G`, and refuses a grammar that uses them.
 */
export function tokenize(text: string): Token[][] {
  const open: { rule: Rule; scopes: string[] }[] = [];
  let lineOffset = 0;
  return text.split("\n").map((line) => {
    const tokens: Token[] = [];
    let pos = 0;
    const emit = (until: number, scopes: string[]) => {
      if (until > pos) tokens.push({ offset: lineOffset + pos, text: line.slice(pos, until), scopes });
      pos = until;
    };
    const emitMatch = (match: RegExpExecArray, scopes: string[], captures: Captures = {}) => {
      const whole = captures["0"] ? [...scopes, scopeName(captures["0"].name, match)] : scopes;
      for (let group = 1; group < match.length; group++) {
        const span = match.indices?.[group];
        const capture = captures[String(group)];
        if (span === undefined || capture === undefined || span[0] === span[1]) continue;
        if (span[0] < pos) throw new Error("the test matcher does not implement nested captures");
        emit(span[0], whole);
        emit(span[1], [...whole, scopeName(capture.name, match)]);
      }
      emit(match.index + match[0].length, whole);
    };

    for (;;) {
      const context = open.at(-1);
      const scopes = context?.scopes ?? [grammar.scopeName];
      let best: { rule: Rule; match: RegExpExecArray; ends: boolean } | undefined;
      if (context !== undefined) {
        const regex = compile(context.rule.end!);
        regex.lastIndex = pos;
        const match = regex.exec(line);
        if (match !== null) best = { rule: context.rule, match, ends: true };
      }
      // Inside a begin/end rule only its own patterns apply: none at all if it lists none.
      for (const rule of expand(context === undefined ? grammar.patterns : (context.rule.patterns ?? []))) {
        const regex = compile(rule.match ?? rule.begin!);
        regex.lastIndex = pos;
        const match = regex.exec(line);
        if (match !== null && (best === undefined || match.index < best.match.index)) best = { rule, match, ends: false };
      }
      if (best === undefined) break;
      const { rule, match, ends } = best;
      emit(match.index, scopes);
      if (ends) {
        emitMatch(match, scopes, rule.endCaptures);
        open.pop();
        continue;
      }
      if (match[0] === "") throw new Error(`empty match for ${rule.match ?? rule.begin} would not advance`);
      const inner = rule.name === undefined ? scopes : [...scopes, scopeName(rule.name, match)];
      if (rule.match !== undefined) {
        emitMatch(match, inner, rule.captures);
      } else {
        emitMatch(match, inner, rule.beginCaptures);
        open.push({ rule, scopes: inner });
      }
    }
    emit(line.length, open.at(-1)?.scopes ?? [grammar.scopeName]);
    lineOffset += line.length + 1;
    return tokens;
  });
}

/**
 * The tokens of the line holding `lineText` as [text, innermost scope]. Whitespace is left out,
 * and trimmed from text that only has the root scope (the gaps between scoped tokens).
 */
export function tokensOf(lines: Token[][], text: string, lineText: string): [string, string][] {
  const line = lines[text.split("\n").findIndex((l) => l.includes(lineText))];
  if (line === undefined) throw new Error(`no line with ${lineText}`);
  return line
    .filter((token) => token.text.trim() !== "")
    .map((token) => [token.scopes.length === 1 ? token.text.trim() : token.text, token.scopes.at(-1) ?? ""]);
}
