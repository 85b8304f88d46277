/**
 * What `roux run` and `roux resume` share once the run directory exists: progress lines on
 * stdout, Ctrl-C to stop cleanly (the run checkpoints where it is, and `roux resume` goes on
 * from there; a second Ctrl-C quits at once), and the exit status (0 done or stopped, 1 failed).
 */
import type { RunOptions, RunOutcome } from "../../runtime/run/runner.js";
import type { Io } from "../io.js";
import { ProgressPrinter } from "./progress.js";

export async function watchRun(io: Io, dir: string, start: (options: RunOptions) => Promise<RunOutcome>): Promise<number> {
  // A reader that goes away (`roux run ... | head`) must not kill the training: stop printing
  // and let the run finish; its run directory has every line anyway.
  let closed = false;
  const onError = () => (closed = true);
  io.stdout.on("error", onError);
  const printer = new ProgressPrinter((line) => {
    if (!closed) io.stdout.write(`${line}\n`);
  });
  const controller = new AbortController();
  const interrupt = () => {
    if (controller.signal.aborted) process.exit(130);
    io.stderr.write("stopping after this step (Ctrl-C again to quit now)\n");
    controller.abort();
  };
  process.on("SIGINT", interrupt);
  try {
    const outcome = await start({ signal: controller.signal, onEvent: (e) => printer.event(e), onMetrics: (r) => printer.metrics(r) });
    if (outcome.status === "failed") {
      io.stderr.write(`error: ${outcome.message}\nthe run directory keeps everything written so far: ${dir}\n`);
      return 1;
    }
    if (outcome.status === "stopped") io.stderr.write(`stopped; continue with: roux resume ${dir}\n`);
    return 0;
  } finally {
    process.off("SIGINT", interrupt);
    io.stdout.off("error", onError);
  }
}
