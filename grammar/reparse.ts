/**
 * Parsing a file again after an edit, reusing what the edit did not touch: the language server
 * parses each document on every keystroke, and a 10,000-line recipe costs far more to parse
 * whole than the one item an edit changes (docs/architecture.md "roux lsp").
 *
 * The last parse of each file that had no diagnostics is kept. The next text is compared with
 * its text; the top-level units (the header and the items) that lie wholly before or after the
 * changed characters are kept, and only the text between them is parsed, alone. That text
 * begins and ends where units began and ended, at top level, so when it parses clean it parses
 * as it would inside the file; anything else (a syntax error, a header out of place) falls back
 * to parsing the whole file, so what the caller gets is always what `parse` gives (the tests
 * hold the two equal over edits of every recipe in recipes/).
 */
import { LineIndex, type Position, type Span } from "../diagnostics/span.js";
import type * as A from "./ast.js";
import { parse, type ParseResult } from "./parse.js";

type Unit = A.Header | A.Item;

interface Kept {
  text: string;
  ast: A.RecipeFile;
}

export class Reparser {
  /** Each file's last parse without diagnostics. */
  private readonly kept = new Map<string, Kept>();

  parse(text: string, file: string): ParseResult {
    const previous = this.kept.get(file);
    const result = (previous && reparse(previous, text, file)) ?? parse(text, file);
    if (result.diagnostics.length === 0) this.kept.set(file, { text, ast: result.ast });
    return result;
  }
}

/** `text` parsed by reusing `previous`'s unchanged units; undefined when only a whole parse will do. */
export function reparse(previous: Kept, text: string, file: string): ParseResult | undefined {
  const old = previous.text;
  const lines = new LineIndex(text);
  if (old === text) return { ast: previous.ast, diagnostics: [], lines };
  // The changed characters: [start, oldEnd) of the old text became [start, newEnd) of the new.
  let start = 0;
  const shorter = Math.min(old.length, text.length);
  while (start < shorter && old.charCodeAt(start) === text.charCodeAt(start)) start++;
  let same = 0;
  while (same < shorter - start && old.charCodeAt(old.length - 1 - same) === text.charCodeAt(text.length - 1 - same)) same++;
  const oldEnd = old.length - same;
  const delta = text.length - old.length;

  const units: Unit[] = [...(previous.ast.header ? [previous.ast.header] : []), ...previous.ast.items];
  // The units next to the edit are parsed again with it: text typed after one (`b = 2 ` then
  // `+ 4`) may continue it, and one before another may join it.
  const before = units.filter((u) => u.span.end.offset < start).slice(0, -1);
  const after = units.filter((u) => u.span.start.offset > oldEnd).slice(1);
  const from = before.at(-1)?.span.end.offset ?? 0;
  const oldTo = after[0]?.span.start.offset ?? old.length;
  const to = oldTo + delta;

  const region = parse(text.slice(from, to), file);
  if (region.diagnostics.length > 0) return undefined;
  const intoRegion = shifter({ line: 1, column: 1, offset: 0 }, lines.position(from));
  const intoAfter = shifter(after[0]?.span.start ?? lines.position(oldTo), lines.position(to));
  const moved = <T>(values: readonly T[], shift: Shift | undefined): T[] => (shift ? values.map((v) => shift.clone(v)) : [...values]);

  const regionUnits: Unit[] = moved([...(region.ast.header ? [region.ast.header] : []), ...region.ast.items], intoRegion);
  const all = [...before, ...regionUnits, ...moved(after, intoAfter)];
  // A header anywhere but first is a syntax error, which only the whole parse reports.
  if (all.some((u, i) => u.kind === "header" && i > 0)) return undefined;
  const header = all[0]?.kind === "header" ? all[0] : undefined;
  const comments = [
    ...previous.ast.comments.filter((c) => c.span.end.offset <= from),
    ...moved(region.ast.comments, intoRegion),
    ...moved(
      previous.ast.comments.filter((c) => c.span.start.offset >= oldTo),
      intoAfter,
    ),
  ];
  const ast: A.RecipeFile = {
    kind: "file",
    ...(header ? { header } : {}),
    items: (header ? all.slice(1) : all) as A.Item[],
    comments,
    span: lines.span(file, 0, text.length),
  };
  return { ast, diagnostics: [], lines };
}

interface Shift {
  clone<T>(value: T): T;
}

/**
 * Moves AST nodes whose text moved from `oldAt` to `newAt`: offsets and lines by the difference,
 * columns only on that first line (the rest of a line after it moves with it). Undefined when
 * nothing moves, so the nodes are shared as they are.
 */
function shifter(oldAt: Position, newAt: Position): Shift | undefined {
  if (oldAt.offset === newAt.offset && oldAt.line === newAt.line && oldAt.column === newAt.column) return undefined;
  const position = (p: Position): Position => ({
    line: p.line - oldAt.line + newAt.line,
    column: p.line === oldAt.line ? p.column - oldAt.column + newAt.column : p.column,
    offset: p.offset - oldAt.offset + newAt.offset,
  });
  const clone = (value: unknown): unknown => {
    if (typeof value !== "object" || value === null) return value;
    if (Array.isArray(value)) return value.map(clone);
    if (isSpan(value)) return { file: value.file, start: position(value.start), end: position(value.end) };
    const copy: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) copy[key] = clone(v);
    return copy;
  };
  return { clone: <T>(value: T) => clone(value) as T };
}

function isSpan(value: object): value is Span {
  return "start" in value && "end" in value && "file" in value;
}
