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

/**
 * The commands still to print, innermost last: a doc with the indentation and mode it prints in.
 * Three parallel stacks rather than an object per command, because laying out a large file
 * pushes one command for every string and line break in it.
 */
interface Pending {
  indents: number[];
  modes: Mode[];
  docs: Doc[];
}

const INDENT = 2;

/** Prints `doc` in `width` columns. Lines carry no trailing spaces. */
export function render(doc: Doc, width: number): string {
  const out: string[] = [];
  let column = 0;
  const pending: Pending = { indents: [0], modes: ["break"], docs: [doc] };
  const { indents, modes, docs } = pending;
  const push = (depth: number, mode: Mode, next: Doc): void => {
    indents.push(depth);
    modes.push(mode);
    docs.push(next);
  };
  const write = (text: string): void => {
    out.push(text);
    const newline = text.lastIndexOf("\n");
    column = newline < 0 ? column + text.length : text.length - newline - 1;
  };

  while (docs.length > 0) {
    const depth = indents.pop()!;
    const mode = modes.pop()!;
    const current = docs.pop()!;
    if (typeof current === "string") {
      write(current);
    } else if (Array.isArray(current)) {
      // Pushed last part first, so the first pops first; no reversed copy of every list.
      for (let i = current.length - 1; i >= 0; i--) push(depth, mode, current[i]!);
    } else {
      switch (current.kind) {
        case "group": {
          const flat = !current.broken && (mode === "flat" || fits(current.body, pending, width - column));
          push(depth, flat ? "flat" : "break", current.body);
          break;
        }
        case "indent":
          push(depth + INDENT, mode, current.body);
          break;
        case "ifBreak":
          push(depth, mode, mode === "break" ? current.broken : current.flat);
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
function fits(next: Doc, rest: Pending, width: number): boolean {
  const todo: { mode: Mode; doc: Doc }[] = [{ mode: "flat", doc: next }];
  let restIndex = rest.docs.length;
  while (width >= 0) {
    let command = todo.pop();
    if (command === undefined) {
      if (restIndex === 0) return true;
      restIndex--;
      command = { mode: rest.modes[restIndex]!, doc: rest.docs[restIndex]! };
    }
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
    const trimmed = last.endsWith(" ") ? last.replace(/ +$/, "") : last;
    if (trimmed !== "") {
      out.push(trimmed);
      return;
    }
  }
}
