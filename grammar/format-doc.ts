/**
 * A small document language for the formatter, after Wadler's "prettier printer" (the algorithm
 * Prettier uses). The formatter describes the layout once, as a tree of text, indentation and
 * line breaks grouped into `group`s; the printer then lays each group out flat (its `line`s print
 * their flat text) when it fits in the width, or broken (its `line`s print as newlines) when it
 * does not or when the formatter marked it as broken. Deciding group by group, outermost first,
 * is what makes a too-long block break before the call inside it.
 */

export type Doc = string | Doc[] | Group | Indent | Line | IfBreak | Suffix;

interface Group {
  kind: "group";
  /** Broken whatever the width (the source had it on several lines, or it holds comments). */
  broken: boolean;
  body: Doc;
}

interface Indent {
  kind: "indent";
  body: Doc;
}

/** `flat` in a flat group; a newline (after an empty line if `blank`) in a broken one. */
interface Line {
  kind: "line";
  flat: string;
  blank: boolean;
}

interface IfBreak {
  kind: "ifBreak";
  broken: Doc;
  flat: Doc;
}

/** Text that ends its line (a trailing comment): it does not count towards the width. */
interface Suffix {
  kind: "suffix";
  text: string;
}

export const group = (broken: boolean, body: Doc): Doc => ({ kind: "group", broken, body });
export const indent = (body: Doc): Doc => ({ kind: "indent", body });
export const line = (flat: string, blank = false): Doc => ({ kind: "line", flat, blank });
export const ifBreak = (broken: Doc, flat: Doc): Doc => ({ kind: "ifBreak", broken, flat });
export const suffix = (text: string): Doc => ({ kind: "suffix", text });

type Mode = "flat" | "break";

interface Command {
  indent: number;
  mode: Mode;
  doc: Doc;
}

const INDENT = 2;

/** Prints `doc` in `width` columns. Lines carry no trailing spaces. */
export function render(doc: Doc, width: number): string {
  const out: string[] = [];
  let column = 0;
  const stack: Command[] = [{ indent: 0, mode: "break", doc }];
  const write = (text: string): void => {
    out.push(text);
    const newline = text.lastIndexOf("\n");
    column = newline < 0 ? column + text.length : text.length - newline - 1;
  };

  for (let command = stack.pop(); command !== undefined; command = stack.pop()) {
    const { indent: depth, mode, doc: current } = command;
    if (typeof current === "string") {
      write(current);
    } else if (Array.isArray(current)) {
      // Pushed last part first, so the first pops first; no reversed copy of every list.
      for (let i = current.length - 1; i >= 0; i--) stack.push({ indent: depth, mode, doc: current[i]! });
    } else {
      switch (current.kind) {
        case "group": {
          const flat = !current.broken && (mode === "flat" || fits(current.body, stack, width - column));
          stack.push({ indent: depth, mode: flat ? "flat" : "break", doc: current.body });
          break;
        }
        case "indent":
          stack.push({ indent: depth + INDENT, mode, doc: current.body });
          break;
        case "ifBreak":
          stack.push({ indent: depth, mode, doc: mode === "break" ? current.broken : current.flat });
          break;
        case "line":
          if (mode === "flat") {
            write(current.flat);
          } else {
            trimTrailingSpaces(out);
            write(current.blank ? "\n\n" : "\n");
            write(" ".repeat(depth));
          }
          break;
        case "suffix":
          write(current.text);
          break;
      }
    }
  }
  trimTrailingSpaces(out);
  return out.join("");
}

/**
 * Whether `next`, laid out flat, fits in `width` together with what follows it on its line: the
 * rest of the pending commands up to their first line break (Prettier's rule; groups still to be
 * decided are measured broken, so a following call is measured up to its `(`).
 */
function fits(next: Doc, rest: Command[], width: number): boolean {
  const todo: { mode: Mode; doc: Doc }[] = [{ mode: "flat", doc: next }];
  let restIndex = rest.length;
  while (width >= 0) {
    const command = todo.pop() ?? rest[--restIndex];
    if (command === undefined) return true;
    const { mode, doc } = command;
    if (typeof doc === "string") {
      const newline = doc.indexOf("\n");
      if (newline >= 0) return width >= newline;
      width -= doc.length;
    } else if (Array.isArray(doc)) {
      for (let i = doc.length - 1; i >= 0; i--) todo.push({ mode, doc: doc[i]! });
    } else {
      switch (doc.kind) {
        case "group":
          todo.push({ mode: doc.broken ? "break" : mode, doc: doc.body });
          break;
        case "indent":
          todo.push({ mode, doc: doc.body });
          break;
        case "ifBreak":
          todo.push({ mode, doc: mode === "break" ? doc.broken : doc.flat });
          break;
        case "line":
          if (mode === "break") return true;
          width -= doc.flat.length;
          break;
        case "suffix":
          break;
      }
    }
  }
  return false;
}

/** Indentation written before an empty or comment-only line is removed once the line ends. */
function trimTrailingSpaces(out: string[]): void {
  for (let last = out.pop(); last !== undefined; last = out.pop()) {
    const trimmed = last.replace(/ +$/, "");
    if (trimmed !== "") {
      out.push(trimmed);
      return;
    }
  }
}
