/**
 * A source line as a terminal shows it. Spans count UTF-16 code units, a terminal counts cells:
 * a tab jumps to the next tab stop, a CJK character or emoji takes two cells, a combining mark
 * none. Underlines must be placed in cells, so the printed line and every column under it come
 * from this one mapping.
 */

const TAB_STOP = 4;

export interface DisplayLine {
  /** The line as printed: tabs expanded to spaces, control characters shown as symbols. */
  text: string;
  /** The 0-based cell where UTF-16 index `index` of the line starts; past the end is the end. */
  column(index: number): number;
}

export function layoutLine(line: string): DisplayLine {
  let text = "";
  // columns[i] is the cell of code unit i; the extra last entry is the cell just past the line.
  const columns: number[] = [];
  let cell = 0;
  for (let i = 0; i < line.length; ) {
    const codePoint = line.codePointAt(i) as number;
    const units = codePoint > 0xffff ? 2 : 1;
    for (let k = 0; k < units; k++) columns.push(cell);
    if (codePoint === 0x09) {
      const width = TAB_STOP - (cell % TAB_STOP);
      text += " ".repeat(width);
      cell += width;
    } else if (codePoint < 0x20 || codePoint === 0x7f) {
      // Printed raw, a stray ESC or CR in a recipe would drive the terminal instead of showing up.
      text += String.fromCodePoint(codePoint === 0x7f ? 0x2421 : 0x2400 + codePoint);
      cell += 1;
    } else {
      text += String.fromCodePoint(codePoint);
      cell += cellWidth(codePoint);
    }
    i += units;
  }
  columns.push(cell);
  return { text, column: (index) => columns[Math.max(0, Math.min(index, line.length))] ?? cell };
}

// An approximation of wcwidth covering the scripts a recipe is likely to hold in strings and
// comments; an exact table would need the full Unicode East Asian Width data.
const ZERO_WIDTH: readonly (readonly [number, number])[] = [
  [0x0300, 0x036f], // combining diacritical marks
  [0x200b, 0x200f], // zero-width space, joiners, direction marks
  [0x20d0, 0x20ff], // combining marks for symbols
  [0xfe00, 0xfe0f], // variation selectors
  [0xfe20, 0xfe2f], // combining half marks
];
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], // Hangul Jamo
  [0x2e80, 0x303e], // CJK radicals, punctuation
  [0x3041, 0x33ff], // kana, CJK compatibility
  [0x3400, 0x4dbf], // CJK extension A
  [0x4e00, 0x9fff], // CJK unified ideographs
  [0xa000, 0xa4cf], // Yi
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe30, 0xfe4f], // CJK compatibility forms
  [0xff00, 0xff60], // fullwidth forms
  [0xffe0, 0xffe6], // fullwidth signs
  [0x1f300, 0x1f64f], // pictographs, emoticons
  [0x1f900, 0x1f9ff], // supplemental pictographs
  [0x20000, 0x3fffd], // CJK extensions B and later
];

function cellWidth(codePoint: number): number {
  const within = ([lo, hi]: readonly [number, number]) => codePoint >= lo && codePoint <= hi;
  if (ZERO_WIDTH.some(within)) return 0;
  return WIDE.some(within) ? 2 : 1;
}
