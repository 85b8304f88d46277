/** The selected metric over the stage's last steps, as tall as the terminal leaves room for. */
import { Box, Text } from "ink";
import { fixed } from "./figures.js";
import { formatValue } from "./metric-grid.js";
import { isEvalCurve, type MetricSpec } from "./metrics.js";
import { chart, range } from "./sparkline.js";

export function MetricChart({ metric, values, width, height }: { metric: MetricSpec; values: readonly number[]; width: number; height: number }) {
  const axis = 8;
  const shown = values.slice(-(width - axis));
  const { low, span } = range(shown);
  const rows = chart(shown, width - axis, height);
  const title =
    shown.length === 0
      ? `${metric.label}: no values yet`
      : `${metric.label}  ${formatValue(metric, shown.at(-1))}  (last ${shown.length} ${isEvalCurve(metric.key) ? "evals" : "steps"})`;
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">
        {title}
      </Text>
      {shown.length > 0 &&
        rows.map((row, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a chart row is its position (row i is the i-th line from the top), redrawn in place
          <Text key={i} wrap="truncate">
            <Text dimColor>{(i === 0 ? fixed(low + span) : i === rows.length - 1 ? fixed(low) : "").padStart(axis - 1)} </Text>
            <Text color="cyan">{row}</Text>
          </Text>
        ))}
    </Box>
  );
}
