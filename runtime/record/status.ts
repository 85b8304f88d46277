/**
 * A run's status, read from its events in the order they were written: the one reading that the
 * terminal UI, `roux watch`, `roux runs` and `roux compare` share.
 *
 * Each run_start or resume opens an attempt, written by the process it names (`pid`), and the
 * attempt's run_end closes it. A run that was stopped, or failed, and was then resumed is
 * running again until its next run_end. One whose latest attempt has no run_end is still going,
 * or its process died (killed, crashed) before it could write one: `writerLiveness` tells which,
 * and a follower that finds the writer gone records it with `afterWriterGone`.
 */
import type { StageSummary } from "./events.js";
import type { LoggedEvent } from "./read-run.js";

/**
 * `starting`: no run_start yet. The runner writes it once its engines have loaded, so this is a
 * run still loading, or one killed while it did.
 */
export type RunStatus = "starting" | "running" | "done" | "failed" | "stopped";

export interface RunState {
  readonly status: RunStatus;
  /** The process writing the latest attempt; runs recorded before starts named it have none. */
  readonly writer?: number;
  /** The writer exited without the attempt's run_end. Not in the files: a follower finds it. */
  readonly writerGone: boolean;
  /** The stages as the latest start lists them. */
  readonly stages: readonly StageSummary[];
  /** The message of the latest attempt's last error. */
  readonly error?: string;
}

export const NOT_STARTED: RunState = { status: "starting", stages: [], writerGone: false };

export function afterEvent(state: RunState, e: LoggedEvent): RunState {
  switch (e.event) {
    case "run_start":
    case "resume":
      return { status: "running", writer: e.pid, stages: e.stages, writerGone: false };
    case "error":
      return { ...state, error: e.message };
    case "run_end":
      return { ...state, status: e.status };
    default:
      return state;
  }
}

export function runState(events: Iterable<LoggedEvent>): RunState {
  let state = NOT_STARTED;
  for (const e of events) state = afterEvent(state, e);
  return state;
}

export function afterWriterGone(state: RunState): RunState {
  return { ...state, writerGone: true };
}

/** The latest attempt has its run_end: nothing more will be written until a resume. */
export function hasEnded(status: RunStatus): boolean {
  return status === "done" || status === "failed" || status === "stopped";
}

/**
 * For a run whose latest attempt has no run_end: whether the process writing it is still there
 * (`unnamed`: the run's events name none).
 */
export function writerLiveness(state: RunState): "alive" | "gone" | "unnamed" {
  if (state.writer === undefined) return "unnamed";
  return processAlive(state.writer) ? "alive" : "gone";
}

/** Whether a process of this machine has that id (one of another user's counts: EPERM). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
