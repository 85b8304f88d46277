/**
 * A sweep on the terminal: one line per point, in the sweep's order, with its status, its steps
 * done over all its stages and its current metric, under a title line with the counts.
 */
import { Box, Text } from "ink";
import type { PointStatus, SweepRow } from "./sweep-row.js";

const COLOR: Record<PointStatus, string | undefined> = {
  pending: undefined,
  starting: "yellow",
  running: "cyan",
  done: "green",
  failed: "red",
  stopped: "yellow",
  killed: "red",
};

export interface SweepScreenProps {
  readonly title: string;
  readonly rows: readonly SweepRow[];
  /** The last lines of the sweep's log, numbered from its first (React's keys). */
  readonly log: readonly { readonly id: number; readonly line: string }[];
  readonly footer: string;
}

export function SweepScreen({ title, rows, log, footer }: SweepScreenProps) {
  const width = Math.max(4, ...rows.map((r) => r.name.length));
  const done = rows.filter((r) => r.status === "done").length;
  return (
    <Box flexDirection="column">
      <Text bold>{`${title}  ${done}/${rows.length} done`}</Text>
      {rows.map((row) => (
        <Text key={row.name} wrap="truncate">
          {`${row.name.padEnd(width)}  `}
          <Text color={COLOR[row.status]}>{row.status.padEnd(8)}</Text>
          {`  ${stepText(row).padStart(11)}  ${row.metric ?? ""}`}
        </Text>
      ))}
      {log.map(({ id, line }) => (
        <Text key={id} dimColor wrap="truncate">
          {line}
        </Text>
      ))}
      <Text dimColor>{footer}</Text>
    </Box>
  );
}

/** `12/40`; nothing for a point whose stages are not known yet. */
export function stepText(row: SweepRow): string {
  return row.total > 0 ? `${row.step}/${row.total}` : "";
}
