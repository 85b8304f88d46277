/** The selected metric over the stage's last steps, as tall as the terminal leaves room for. */
import { Box, Text } from "ink";
import { fixed } from "./figures.js";
import { formatValue } from "./metric-grid.js";
import type { MetricSpec } from "./metrics.js";
import { chart } from "./sparkline.js";

export function MetricChart({ metric, values, width, height }: { metric: MetricSpec; values: readonly number[]; width: number; height: number }) {
  const axis = 8;
  const shown = values.slice(-(width - axis));
  const low = shown.reduce((a, b) => Math.min(a, b), Infinity);
  const high = shown.reduce((a, b) => Math.max(a, b), -Infinity);
  const rows = chart(shown, width - axis, height);
  const title = shown.length === 0 ? `${metric.label}: no values yet` : `${metric.label}  ${formatValue(metric, shown.at(-1))}  (last ${shown.length} ${metric.key.startsWith("eval:") ? "evals" : "steps"})`;
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">{title}</Text>
      {shown.length > 0 &&
        rows.map((row, i) => (
          <Text key={i} wrap="truncate">
            <Text dimColor>{(i === 0 ? fixed(high) : i === rows.length - 1 ? fixed(low) : "").padStart(axis - 1)} </Text>
            <Text color="cyan">{row}</Text>
          </Text>
        ))}
    </Box>
  );
}
