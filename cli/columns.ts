/**
 * Text columns for a terminal, as `roux runs`, `roux compare` and `roux cost` print their
 * tables: left-aligned, two spaces apart, no trailing spaces. A row shorter than the others is
 * blank in the columns it lacks.
 */
export function aligned(rows: readonly (readonly string[])[]): string {
  const columns = Math.max(0, ...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows
    .map(
      (r) =>
        `${widths
          .map((width, i) => (r[i] ?? "").padEnd(width))
          .join("  ")
          .trimEnd()}\n`,
    )
    .join("");
}
