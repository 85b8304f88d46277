/**
 * A long source line cut down to a window around the span it shows, with `...` where text was
 * left out, as rustc does for lines wider than the terminal (docs/language.md §7 "Long output").
 * Laying out and printing a whole 1 MB line for each of its diagnostics would make the output
 * grow with errors times line length; a window keeps each diagnostic's cost fixed.
 */

/** Lines up to this many UTF-16 code units are shown whole; longer ones are clipped to it. */
export const MAX_LINE = 160;
/** How much of the line before the first span the window keeps, for context. */
const BEFORE = 40;
const ELLIPSIS = "...";

export interface ClippedLine {
  /** The window of the line, with `...` on each side where text was cut. */
  text: string;
  /** Where UTF-16 index `index` of the whole line falls in `text`; outside the window, its nearest edge. */
  index(index: number): number;
}

/** The line clipped around `first`, the 0-based index where the first span on it starts. */
export function clipLine(line: string, first: number): ClippedLine {
  if (line.length <= MAX_LINE) return { text: line, index: (i) => i };
  let from = Math.max(0, Math.min(first - BEFORE, line.length - MAX_LINE));
  let to = Math.min(line.length, from + MAX_LINE);
  // Never cut a surrogate pair in half: half a character would print as U+FFFD.
  if (from > 0 && isLowSurrogate(line.charCodeAt(from))) from++;
  if (to < line.length && isLowSurrogate(line.charCodeAt(to))) to--;
  const lead = from > 0 ? ELLIPSIS : "";
  const tail = to < line.length ? ELLIPSIS : "";
  return {
    text: lead + line.slice(from, to) + tail,
    index: (i) => lead.length + Math.max(0, Math.min(i, to) - from),
  };
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
