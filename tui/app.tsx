/**
 * The interactive screen: keys on top of RunScreen. `q` leaves (for a run this `roux run` owns
 * and did not detach, after asking whether to stop it: it cannot keep going without the
 * process), `p` pauses and resumes an owned run, the arrow keys pick the charted metric,
 * Ctrl-C stops an owned run as it does without the UI (a second one leaves at once).
 */
import { useInput, useStdout } from "ink";
import { useEffect, useState } from "react";
import type { Mode } from "./footer.js";
import { METRICS } from "./metrics.js";
import type { RunControl } from "./run-control.js";
import { RunScreen } from "./run-screen.js";
import type { RunView } from "./run-state.js";

export interface AppProps {
  view: RunView;
  control?: RunControl;
  /** The user left the UI: the caller unmounts it (and, for Ctrl-C twice, quits). */
  onLeave(how: "quit" | "interrupt"): void;
}

export function App({ view, control, onLeave }: AppProps) {
  const size = useTerminalSize();
  const [selectedKey, setSelectedKey] = useState(METRICS[0].key);
  const [mode, setMode] = useState<Mode>("watching");
  const [paused, setPaused] = useState(false);
  const live = (view.status === "starting" || view.status === "running") && !view.gone;
  const owned = control !== undefined && live;
  const metrics = METRICS.filter((m) => (view.series[m.key]?.length ?? 0) > 0);
  const selected = Math.max(
    0,
    metrics.findIndex((m) => m.key === selectedKey),
  );

  const stop = () => {
    if (paused) control?.resume();
    setPaused(false);
    control?.stop();
    setMode("stopping");
  };

  useInput((input, key) => {
    if (key.ctrl && input === "c") {
      if (owned && mode !== "stopping") stop();
      else onLeave("interrupt");
      return;
    }
    if (mode === "asking") {
      if (input === "y") stop();
      if (input === "n" || key.escape) setMode("watching");
      return;
    }
    if (input === "q") {
      if (owned && !control.detached && mode !== "stopping") setMode("asking");
      else {
        if (paused) control?.resume();
        onLeave("quit");
      }
    } else if (input === "p" && owned && mode !== "stopping") {
      if (paused) control.resume();
      else control.pause();
      setPaused(!paused);
    } else if (key.leftArrow || key.upArrow || key.rightArrow || key.downArrow) {
      const step = key.leftArrow || key.upArrow ? -1 : 1;
      // Undefined while the run has no metrics: there is nothing to step to.
      const next = metrics[(selected + step + metrics.length) % metrics.length];
      if (next !== undefined) setSelectedKey(next.key);
    }
  });

  return (
    <RunScreen view={view} metrics={metrics} selected={selected} columns={size.columns} rows={size.rows} mode={mode} owned={owned} paused={paused && live} />
  );
}

function terminalSize(stdout: NodeJS.WriteStream): { columns: number; rows: number } {
  return { columns: stdout.columns || 80, rows: stdout.rows || 24 };
}

function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => terminalSize(stdout));
  useEffect(() => {
    const onResize = () => setSize(terminalSize(stdout));
    stdout.on("resize", onResize);
    return () => {
      stdout.off("resize", onResize);
    };
  }, [stdout]);
  return size;
}
