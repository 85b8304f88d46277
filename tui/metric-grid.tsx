/**
 * A sparkline per metric the run has, with its latest value, in as many columns as the width
 * allows; the metric the chart shows is highlighted.
 */
import { Box, Text } from "ink";
import { fixed, tokenRate } from "./figures.js";
import type { MetricSpec } from "./metrics.js";
import { sparkline } from "./sparkline.js";

const LABEL = 9;

export function MetricGrid({
  metrics,
  series,
  selected,
  width,
}: {
  metrics: readonly MetricSpec[];
  series: Readonly<Record<string, readonly number[]>>;
  selected: string | undefined;
  width: number;
}) {
  if (metrics.length === 0) return <Text dimColor>no metrics yet</Text>;
  const columns = gridColumns(width);
  const cell = Math.floor(width / columns);
  const rows: MetricSpec[][] = [];
  for (let i = 0; i < metrics.length; i += columns) rows.push(metrics.slice(i, i + columns));
  return (
    <Box flexDirection="column">
      {rows.map((row) => (
        <Box key={row.map((m) => m.key).join(" ")}>
          {row.map((m) => (
            <Cell key={m.key} metric={m} values={series[m.key] ?? []} selected={m.key === selected} width={cell} />
          ))}
        </Box>
      ))}
    </Box>
  );
}

/** Columns of sparklines a width holds: a cell needs about 40 characters to show a curve. */
export function gridColumns(width: number): number {
  return width >= 120 ? 3 : width >= 64 ? 2 : 1;
}

function Cell({ metric, values, selected, width }: { metric: MetricSpec; values: readonly number[]; selected: boolean; width: number }) {
  // A fixed width per kind of value keeps the sparklines of a column the same length.
  const value = formatValue(metric, values.at(-1)).padStart(metric.rate ? 11 : 7);
  // Two spaces after the value part it from the next column.
  const spark = Math.max(0, width - LABEL - value.length - 3);
  return (
    <Box width={width}>
      <Text inverse={selected}>{metric.label.padEnd(LABEL - 1).slice(0, LABEL - 1)}</Text>
      <Text color="cyan">{` ${sparkline(values, spark).padEnd(spark)} `}</Text>
      <Text bold>{value}</Text>
    </Box>
  );
}

export function formatValue(metric: MetricSpec, value: number | undefined): string {
  if (value === undefined) return "–";
  return metric.rate ? tokenRate(value) : fixed(value);
}
