/**
 * The terminal UI's entry point for `roux run` and `roux watch`: renders the App on the
 * terminal and keeps it fed by following the run directory, which works the same for a run
 * this process started, one another process writes, and one that has ended or crashed.
 */
import { render } from "ink";
import { App } from "./app.js";
import { RunFollower } from "./follow-run.js";
import type { RunControl } from "./run-control.js";
import { RunModel } from "./run-state.js";

/** Often enough to look live, rarely enough to cost nothing beside training. */
const POLL_MS = 250;

export interface ShowRunOptions {
  dir: string;
  /** As shown in the header and in `roux resume` hints. */
  shownDir: string;
  accuracyOf?: (values: Record<string, number>) => number | undefined;
  control?: RunControl;
  /** Settles when the owned run's process has exited: the UI reads the last lines and closes. */
  finished?: Promise<unknown>;
}

/** Resolves with how the UI closed: the user left it, or the owned run finished. */
export async function showRun(options: ShowRunOptions): Promise<"quit" | "interrupt" | "finished"> {
  const model = new RunModel(options.shownDir, options.accuracyOf);
  const follower = new RunFollower(options.dir, model);
  await follower.poll();
  let leave!: (how: "quit" | "interrupt" | "finished") => void;
  const left = new Promise<"quit" | "interrupt" | "finished">((resolve) => (leave = resolve));
  const app = (view = model.view()) => <App view={view} control={options.control} onLeave={leave} />;
  const instance = render(app(), { exitOnCtrlC: false });
  let failure: unknown;
  const fail = (error: unknown) => {
    failure = error;
    leave("quit");
  };
  // One poll at a time: a slow disk must not have two readers racing on the same offsets.
  let pending: Promise<void> | undefined;
  const poll = () =>
    (pending ??= follower
      .poll()
      .then((changed) => {
        if (changed) instance.rerender(app());
      })
      .catch(fail)
      .finally(() => (pending = undefined)));
  const timer = setInterval(poll, POLL_MS);
  void options.finished?.then(async () => {
    // The process has exited, so what it wrote is all there is.
    while (pending) await pending;
    await poll();
    leave("finished");
  });
  const how = await left;
  clearInterval(timer);
  instance.unmount();
  await instance.waitUntilExit();
  if (failure !== undefined) throw failure;
  return how;
}
