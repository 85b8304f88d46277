/** A position in a source file: 1-based line and column (in UTF-16 code units), 0-based offset. */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

/** A half-open range of source text: `end` is the position just past the last character. */
export interface Span {
  file: string;
  start: Position;
  end: Position;
}

/** The smallest span covering both `a` and `b` (which must be in the same file). */
export function joinSpans(a: Span, b: Span): Span {
  return {
    file: a.file,
    start: a.start.offset <= b.start.offset ? a.start : b.start,
    end: a.end.offset >= b.end.offset ? a.end : b.end,
  };
}

/** Maps offsets of one source text to line/column positions. */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    // indexOf finds each newline with a native scan, several times faster than a loop over
    // every character on a file of megabyte-long lines.
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.lineStarts.push(i + 1);
  }

  /**
   * The line of the last position asked for. Passes ask in nearly source order, so the next
   * offset is usually on that line or the one after, found without the binary search.
   */
  private lastLine = 0;

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.lineStarts;
    const near = this.lastLine;
    for (let line = near; line <= near + 1 && line < starts.length; line++) {
      const lineStart = starts[line]!;
      if (lineStart <= clamped && clamped < (starts[line + 1] ?? Infinity)) {
        this.lastLine = line;
        return { line: line + 1, column: clamped - lineStart + 1, offset: clamped };
      }
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? Infinity) <= clamped) lo = mid;
      else hi = mid - 1;
    }
    this.lastLine = lo;
    return { line: lo + 1, column: clamped - (this.lineStarts[lo] ?? 0) + 1, offset: clamped };
  }

  span(file: string, startOffset: number, endOffset: number): Span {
    return { file, start: this.position(startOffset), end: this.position(endOffset) };
  }

  /** The text of line `line` (1-based) without its newline. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1] ?? this.text.length;
    const next = this.lineStarts[line];
    const end = next === undefined ? this.text.length : next - 1;
    // Not a `/\r$/` replace: that scans the whole line, and a line can be megabytes long.
    return this.text.slice(start, this.text.charCodeAt(end - 1) === 13 && end > start ? end - 1 : end);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }
}
