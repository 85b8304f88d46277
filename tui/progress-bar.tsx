/** The current stage's bar, with its pace and the time left at that pace. */
import { Text } from "ink";
import { clock } from "./clock.js";
import type { Progress } from "./run-state.js";

export function ProgressBar({ progress, width, paused }: { progress: Progress | undefined; width: number; paused: boolean }) {
  if (progress === undefined) return <Text dimColor>waiting for the first step</Text>;
  const { stage, step, total, secondsPerStep, secondsLeft } = progress;
  const fraction = total > 0 ? Math.min(1, step / total) : 0;
  const percent = `${String(Math.floor(100 * fraction)).padStart(3)}%`;
  const pace = secondsPerStep > 0 ? `${stepsPerSecond(1 / secondsPerStep)} steps/s` : "";
  const eta = step >= total ? "done" : paused ? "paused" : `eta ${clock(secondsLeft)}`;
  const tail = `  ${percent}  ${pace}${pace && "  "}${eta}`;
  const barWidth = Math.max(4, width - stage.length - 1 - tail.length);
  const filled = Math.round(barWidth * fraction);
  return (
    <Text wrap="truncate">
      {`${stage} `}
      <Text color="cyan">{"█".repeat(filled)}</Text>
      <Text dimColor>{"░".repeat(barWidth - filled)}</Text>
      {tail}
    </Text>
  );
}

function stepsPerSecond(rate: number): string {
  return rate >= 10 ? rate.toFixed(0) : rate.toFixed(1);
}
