/**
 * The run's events, one line each, through ink's `<Static>`: printed once above the live panel,
 * so the log scrolls with the terminal and the panel stays put.
 */
import { Box, Static, Text } from "ink";
import type { LogEntry } from "./run-state.js";

const TONE = { info: undefined, warning: "yellow", error: "red" } as const;

export function EventLog({ log, width }: { log: readonly LogEntry[]; width: number }) {
  return (
    <Static items={[...log]}>
      {(entry) => (
        <Box key={entry.id} width={width}>
          <Text color={TONE[entry.tone]} wrap="truncate">
            <Text dimColor>{timeOfDay(entry.time)}</Text> {entry.text}
          </Text>
        </Box>
      )}
    </Static>
  );
}

/** The local time of a record's `time` (seconds since the epoch). */
function timeOfDay(seconds: number): string {
  return new Date(seconds * 1000).toTimeString().slice(0, 8);
}
