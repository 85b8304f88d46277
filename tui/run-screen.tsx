/**
 * The whole screen (docs/architecture.md "roux run (a terminal)"): the event log above (`<Static>`), then a
 * panel with the recipe, the stage timeline, the current stage's bar, a sparkline per metric, a
 * chart of the selected one, and the footer. It fits 80x24; a taller terminal gets a taller
 * chart, a wider one more sparkline columns and longer curves.
 */
import { Box } from "ink";
import { EventLog } from "./event-log.js";
import { Footer, type Mode } from "./footer.js";
import { Header } from "./header.js";
import { MetricChart } from "./metric-chart.js";
import { gridColumns, MetricGrid } from "./metric-grid.js";
import type { MetricSpec } from "./metrics.js";
import { ProgressBar } from "./progress-bar.js";
import type { RunView } from "./run-state.js";
import { Timeline } from "./timeline.js";

/** Rows the panel needs besides the chart's and the grid's, and rows left for the log above it. */
const FIXED_ROWS = 8;
const LOG_ROWS = 5;

export interface ScreenProps {
  view: RunView;
  /** The metrics with values, in METRICS order, and the index of the one the chart shows. */
  metrics: readonly MetricSpec[];
  selected: number;
  columns: number;
  rows: number;
  mode: Mode;
  owned: boolean;
  paused: boolean;
}

export function RunScreen({ view, metrics, selected, columns, rows, mode, owned, paused }: ScreenProps) {
  const inner = columns - 4;
  const gridRows = Math.ceil(metrics.length / gridColumns(inner));
  const chartHeight = Math.max(2, Math.min(16, rows - FIXED_ROWS - LOG_ROWS - gridRows));
  const metric = metrics[selected];
  return (
    <Box flexDirection="column">
      <EventLog log={view.log} width={columns} />
      <Box flexDirection="column" borderStyle="round" borderColor={view.status === "failed" || view.gone ? "red" : undefined} paddingX={1} width={columns}>
        <Header view={view} width={inner} />
        <Timeline stages={view.stages} />
        <ProgressBar progress={view.progress} width={inner} paused={paused} />
        <MetricGrid metrics={metrics} series={view.series} selected={metric?.key} width={inner} />
        {metric && <MetricChart metric={metric} values={view.series[metric.key] ?? []} width={inner} height={chartHeight} />}
        <Footer view={view} mode={mode} owned={owned} paused={paused} />
      </Box>
    </Box>
  );
}
