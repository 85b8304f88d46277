/** The stages in run order: done (with their time), the current one (with its step), the next ones. */
import { Box, Text } from "ink";
import { clock } from "./clock.js";
import type { StageLine } from "./run-state.js";

export function Timeline({ stages }: { stages: readonly StageLine[] }) {
  if (stages.length === 0) return <Text dimColor>no stages yet</Text>;
  return (
    <Box flexWrap="wrap" columnGap={3}>
      {stages.map((s) => (
        <Stage key={s.name} stage={s} />
      ))}
    </Box>
  );
}

function Stage({ stage: s }: { stage: StageLine }) {
  if (s.state === "done")
    return <Text color="green">{`✔ ${s.name} (${s.kind}, ${s.steps} steps${s.seconds === undefined ? "" : `, ${clock(s.seconds)}`})`}</Text>;
  if (s.state === "current") return <Text color="cyan" bold>{`▶ ${s.name} (${s.kind}, ${s.step}/${s.steps})`}</Text>;
  return <Text dimColor>{`· ${s.name} (${s.kind}, ${s.steps} steps)`}</Text>;
}
