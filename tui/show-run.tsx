/**
 * The terminal UI's entry point for `roux run` and `roux watch`: renders the App on the
 * terminal and keeps it fed by following the run directory, which works the same for a run
 * this process started, one another process writes, and one that has ended or crashed.
 */
import { render } from "ink";
import { POLL_MS, RunFollower } from "../runtime/record/follow-run.js";
import { App } from "./app.js";
import type { RunControl } from "./run-control.js";
import { RunModel, type RunView } from "./run-state.js";

export interface ShowRunOptions {
  dir: string;
  /** As shown in the header and in `roux resume` hints. */
  shownDir: string;
  /** Which of an eval's labels is its accuracy (plan/eval-accuracy.ts). */
  accuracyLabel?: (labels: readonly string[]) => string | undefined;
  control?: RunControl;
  /** Settles when the owned run's process has exited: the UI reads the last lines and closes. */
  finished?: Promise<unknown>;
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
}

export type Closed = "quit" | "interrupt" | "finished";

/** How the UI closed (the user left it, or the owned run finished), and the run as last shown. */
export interface Shown {
  readonly how: Closed;
  readonly view: RunView;
}

export async function showRun(options: ShowRunOptions): Promise<Shown> {
  const model = new RunModel(options.shownDir, options.accuracyLabel);
  const follower = new RunFollower(options.dir, model);
  await follower.poll();
  let leave!: (how: Closed) => void;
  const left = new Promise<Closed>((resolve) => (leave = resolve));
  const app = () => <App view={model.view()} control={options.control} onLeave={leave} />;
  const instance = render(app(), { stdout: options.stdout, stdin: options.stdin, exitOnCtrlC: false });
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
  return { how, view: model.view() };
}
