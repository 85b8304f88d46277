/**
 * The rows drawn beneath one source line: `^` under the primary span, `-` under secondary ones,
 * and their labels. With one span the label follows its marks. With several on the same line
 * (rustc's layout) only the span reaching furthest right keeps its label on the marks row; the
 * others hang below on `|` connectors, rightmost first, so no label runs across another's marks:
 *
 *     foo(bar, baz)
 *     ---      ^^^ primary label
 *     |
 *     secondary label
 */
import type { Severity } from "./codes.js";
import type { Paint, Style } from "./color.js";

export interface Underline {
  /** First cell under the span (0-based, in display cells of the printed line). */
  start: number;
  /** The cell just past the span; greater than `start`, so every span gets at least one mark. */
  end: number;
  primary: boolean;
  label?: string;
}

/** The rows, without the gutter; a diagnostic's severity colours its primary marks. */
export function drawUnderlines(underlines: readonly Underline[], severity: Severity, paint: Paint): string[] {
  const style = (u: Underline): Style => (u.primary ? severity : "accent");

  const marks = new Row();
  // Secondary spans first, so a primary span's carets win wherever the two overlap.
  for (const u of [...underlines].sort((a, b) => Number(a.primary) - Number(b.primary))) {
    marks.write(u.start, (u.primary ? "^" : "-").repeat(u.end - u.start), style(u));
  }

  // Ties go to the span starting later, then to the primary: its marks are the ones visible at the end.
  const rightmost = underlines.reduce((best, u) =>
    u.end > best.end || (u.end === best.end && (u.start > best.start || (u.start === best.start && u.primary))) ? u : best,
  );
  // The separating space takes the label's style, so marks and label are painted as one run.
  if (rightmost.label) marks.write(rightmost.end, ` ${rightmost.label}`, style(rightmost));
  const rows = [marks];

  const hanging = underlines.filter((u) => u.label && u !== rightmost).sort((a, b) => b.start - a.start);
  if (hanging.length > 0) {
    const connectors = new Row();
    for (const u of hanging) connectors.write(u.start, "|", style(u));
    rows.push(connectors);
    hanging.forEach((u, i) => {
      const row = new Row();
      for (const waiting of hanging.slice(i + 1)) row.write(waiting.start, "|", style(waiting));
      row.write(u.start, u.label as string, style(u));
      rows.push(row);
    });
  }
  return rows.map((row) => row.render(paint));
}

/** A row of cells written at columns; later writes overwrite earlier ones. */
class Row {
  private readonly cells: { char: string; style: Style }[] = [];

  write(column: number, text: string, style: Style): void {
    let at = column;
    for (const char of text) this.cells[at++] = { char, style };
  }

  /** Gaps become spaces; consecutive cells of one style are painted as one run. */
  render(paint: Paint): string {
    let out = "";
    let run = "";
    let runStyle: Style | undefined;
    for (let i = 0; i < this.cells.length; i++) {
      const cell = this.cells[i];
      if (cell?.style !== runStyle) {
        out += runStyle ? paint(runStyle, run) : run;
        run = "";
        runStyle = cell?.style;
      }
      run += cell?.char ?? " ";
    }
    return out + (runStyle ? paint(runStyle, run) : run);
  }
}
