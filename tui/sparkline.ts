/**
 * Curves in text: a one-row sparkline, and a chart of several rows for the selected metric.
 * Both scale the shown values from their minimum to their maximum; a flat curve sits midway, so
 * "constant" does not read as "zero".
 */
const BLOCKS = "▁▂▃▄▅▆▇█";

/** The last `width` values, one cell each. */
export function sparkline(values: readonly number[], width: number): string {
  const shown = values.slice(-Math.max(0, width));
  const { low, span } = range(shown);
  return shown.map((v) => BLOCKS[span === 0 ? 3 : Math.round(((v - low) / span) * (BLOCKS.length - 1))]).join("");
}

/**
 * The last `width` values as `height` rows of eighth-blocks, top row first: each column is a
 * bar from the bottom, filled to the value's height.
 */
export function chart(values: readonly number[], width: number, height: number): string[] {
  const shown = values.slice(-Math.max(0, width));
  const { low, span } = range(shown);
  const levels = height * 8;
  const heights = shown.map((v) => (span === 0 ? levels / 2 : 1 + Math.round(((v - low) / span) * (levels - 1))));
  const rows: string[] = [];
  for (let row = height - 1; row >= 0; row--) {
    rows.push(
      heights
        .map((h) => {
          const fill = h - row * 8;
          return fill >= 8 ? "█" : fill <= 0 ? " " : BLOCKS[fill - 1];
        })
        .join(""),
    );
  }
  return rows;
}

/** The lowest value and the distance to the highest (0 for no values). */
export function range(values: readonly number[]): { low: number; span: number } {
  // A reduce, not Math.min(...values): no argument-count limit to think about.
  const low = values.reduce((a, b) => Math.min(a, b), Infinity);
  const high = values.reduce((a, b) => Math.max(a, b), -Infinity);
  return { low, span: values.length === 0 ? 0 : high - low };
}
