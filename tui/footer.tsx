/** The last row: what the run is doing if it is not simply running, and the keys. */
import { Text } from "ink";
import type { RunView } from "./run-state.js";

export type Mode = "watching" | "asking" | "stopping";

export function Footer({ view, mode, owned, paused }: { view: RunView; mode: Mode; owned: boolean; paused: boolean }) {
  if (mode === "asking") {
    return (
      <Text wrap="wrap">
        <Text color="yellow" bold>
          stop the run?
        </Text>{" "}
        it checkpoints where it is; roux resume continues it{"  "}
        <Text bold>y</Text> stop{"  "}
        <Text bold>n</Text> keep watching
      </Text>
    );
  }
  const keys = ["q quit", ...(owned ? [paused ? "p resume" : "p pause"] : []), "←/→ metric"].join("  ");
  const status = statusLine(view, mode, paused);
  return (
    <Text wrap="wrap">
      {status && <Text color={status.color} bold>{`${status.text}  `}</Text>}
      <Text dimColor>{keys}</Text>
    </Text>
  );
}

function statusLine(view: RunView, mode: Mode, paused: boolean): { text: string; color: string } | undefined {
  if (view.status === "done") return { text: "run done", color: "green" };
  if (view.status === "failed") return { text: `run failed${view.error ? `: ${view.error}` : ""}`, color: "red" };
  if (view.status === "stopped") return { text: `stopped; continue with roux resume ${view.dir}`, color: "yellow" };
  if (view.gone)
    return { text: `the run's process${view.pid ? ` ${view.pid}` : ""} is gone without finishing; roux resume ${view.dir} continues it`, color: "red" };
  if (mode === "stopping") return { text: "stopping after this step…", color: "yellow" };
  if (paused) return { text: "paused", color: "yellow" };
  if (view.status === "starting") return { text: "waiting for the run to start", color: "yellow" };
  return undefined;
}
