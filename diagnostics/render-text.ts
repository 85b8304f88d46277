/**
 * Diagnostics for a person, in rustc's layout (docs/language.md §7):
 *
 *     error[E3102]: min-form credit assignment needs step-level rewards
 *       --> recipes/bad.recipe:14:12
 *        |
 *     14 |   credit = min_form(temperature = 0.1)
 *        |            ^^^^^^^^^^^^^^^^^^^^^^^^^^^ needs a process or token reward
 *      9 |   reward = correct
 *        |            ------- `correct` is an outcome reward (one value per response)
 *        = note: ...
 *        = help: use a process reward, ...
 *
 * Layout choices:
 * - Spans are shown primary first, then secondary ones in the order given. Spans in one file
 *   share one `-->` line and snippet; each source line is printed once with all the underlines
 *   that start on it. A file other than the primary's gets its own `-->` line.
 * - A span covering several lines is underlined from its start to the end of its first line.
 * - A span whose source is unknown (or whose line is past the end of the text we have) still
 *   gets its `-->` line, followed by its label as `= label` so nothing the reporter said is lost.
 * - The gutter is as wide as the largest line number printed (the primary's if none is).
 * - A line longer than `MAX_LINE` is clipped around its first span (clip-line.ts), and at most
 *   `MAX_PER_FILE` diagnostics are shown per file (cap.ts), then one line counting the rest, so
 *   the output stays linear in the input (docs/language.md §7 "Long output").
 */
import type { Severity } from "./codes.js";
import type { Diagnostic } from "./diagnostic.js";
import { capPerFile } from "./cap.js";
import { clipLine } from "./clip-line.js";
import { painter, type Paint } from "./color.js";
import { layoutLine } from "./display-line.js";
import { plural } from "./render-summary.js";
import { LineIndex, type Span } from "./span.js";
import { drawUnderlines, type Underline } from "./underline.js";

/**
 * The text of each file, by the name its spans use: a map of what the caller read, or a lookup.
 * A file without text is shown without a snippet.
 */
export type Sources = ReadonlyMap<string, string> | ((file: string) => string | undefined);

export interface TextOptions {
  /** ANSI colours; decide with `shouldUseColor`. */
  color: boolean;
}

/** One diagnostic as lines of text, ending with a newline. */
export function renderDiagnostic(diagnostic: Diagnostic, sources: Sources, options: TextOptions): string {
  return renderBlock(diagnostic, indexSources(sources), painter(options.color));
}

/**
 * Diagnostics in the order given, each followed by a blank line (as rustc and `roux check` print
 * them); past the cap of a file, `and 6656 more errors in FILE` instead of the rest.
 */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], sources: Sources, options: TextOptions): string {
  const lines = indexSources(sources);
  const paint = painter(options.color);
  const { shown, omitted } = capPerFile(diagnostics);
  const blocks = shown.map((d) => `${renderBlock(d, lines, paint)}\n`);
  for (const [file, { errors, warnings }] of omitted) {
    const counts = [errors > 0 ? plural(errors, "more error") : "", warnings > 0 ? plural(warnings, "more warning") : ""];
    blocks.push(`${paint("bold", `and ${counts.filter(Boolean).join(" and ")} in ${file}`)}\n\n`);
  }
  return blocks.join("");
}

type LineLookup = (file: string) => LineIndex | undefined;

/** Reads and indexes each file once, however many diagnostics point into it. */
function indexSources(sources: Sources): LineLookup {
  const read = typeof sources === "function" ? sources : (file: string) => sources.get(file);
  const cache = new Map<string, LineIndex | undefined>();
  return (file) => {
    if (!cache.has(file)) {
      const text = read(file);
      cache.set(file, text === undefined ? undefined : new LineIndex(text));
    }
    return cache.get(file);
  };
}

interface Mark {
  span: Span;
  primary: boolean;
  label?: string;
}

/** A file's printed lines, each with the marks starting on it, in first-appearance order. */
interface Snippet {
  kind: "snippet";
  at: Span;
  source: LineIndex;
  lines: Map<number, Mark[]>;
}

/** A span shown by location only, because its source line is not available. */
interface Bare {
  kind: "bare";
  mark: Mark;
}

function sections(diagnostic: Diagnostic, linesOf: LineLookup): (Snippet | Bare)[] {
  const marks: Mark[] = [
    { span: diagnostic.span, primary: true, label: diagnostic.label },
    ...diagnostic.secondary.map((s) => ({ span: s.span, primary: false, label: s.message })),
  ];
  const result: (Snippet | Bare)[] = [];
  const snippets = new Map<string, Snippet>();
  for (const mark of marks) {
    const { file, start } = mark.span;
    const source = linesOf(file);
    if (source === undefined || start.line < 1 || start.line > source.lineCount) {
      result.push({ kind: "bare", mark });
      continue;
    }
    let snippet = snippets.get(file);
    if (snippet === undefined) {
      snippet = { kind: "snippet", at: mark.span, source, lines: new Map() };
      snippets.set(file, snippet);
      result.push(snippet);
    }
    const onLine = snippet.lines.get(start.line);
    if (onLine) onLine.push(mark);
    else snippet.lines.set(start.line, [mark]);
  }
  return result;
}

function renderBlock(diagnostic: Diagnostic, linesOf: LineLookup, paint: Paint): string {
  const parts = sections(diagnostic, linesOf);
  const printed = parts.flatMap((p) => (p.kind === "snippet" ? [...p.lines.keys()] : []));
  const pad = " ".repeat(String(printed.length > 0 ? Math.max(...printed) : diagnostic.span.start.line).length);
  const gutter = (mark: string) => paint("accent", `${pad} ${mark}`);

  const out = [`${paint(diagnostic.severity, `${diagnostic.severity}[${diagnostic.code}]`)}${paint("bold", `: ${diagnostic.message}`)}`];
  for (const part of parts) {
    const at = part.kind === "snippet" ? part.at : part.mark.span;
    out.push(`${pad}${paint("accent", "-->")} ${at.file}:${at.start.line}:${at.start.column}`);
    if (part.kind === "bare") {
      const { label, primary } = part.mark;
      if (label) out.push(`${gutter("=")} ${paint(primary ? diagnostic.severity : "accent", label)}`);
      continue;
    }
    out.push(gutter("|"));
    for (const [line, marks] of part.lines) {
      out.push(...sourceLine(part.source.lineText(line), line, marks, pad, diagnostic.severity, paint));
    }
  }
  for (const note of diagnostic.notes) out.push(...annotation("note", note, pad, paint));
  if (diagnostic.help) out.push(...annotation("help", diagnostic.help, pad, paint));
  return `${out.join("\n")}\n`;
}

/** One numbered source line and the underlines of the marks starting on it. */
function sourceLine(text: string, line: number, marks: Mark[], pad: string, severity: Severity, paint: Paint): string[] {
  const clipped = clipLine(text, Math.min(...marks.map((mark) => mark.span.start.column - 1)));
  const display = layoutLine(clipped.text);
  const cell = (index: number) => display.column(clipped.index(index));
  const underlines = marks.map((mark): Underline => {
    const { start, end } = mark.span;
    const first = cell(start.column - 1);
    // A span running onto later lines is underlined to the end of its first line.
    const last = cell(end.line > start.line ? text.length : end.column - 1);
    return { start: first, end: Math.max(last, first + 1), primary: mark.primary, label: mark.label };
  });
  return [
    paint("accent", `${String(line).padStart(pad.length)} |`) + (display.text ? ` ${display.text}` : ""),
    ...drawUnderlines(underlines, severity, paint).map((row) => `${paint("accent", `${pad} |`)} ${row}`),
  ];
}

/** `= note: text`; later lines of a multi-line text line up under the first. */
function annotation(kind: "note" | "help", text: string, pad: string, paint: Paint): string[] {
  const [first, ...rest] = text.split("\n");
  const indent = " ".repeat(pad.length + 3 + kind.length + 2);
  return [`${paint("accent", `${pad} =`)} ${paint("bold", `${kind}:`)} ${first}`, ...rest.map((line) => `${indent}${line}`)];
}
