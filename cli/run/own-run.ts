/**
 * `roux run` on a terminal, or with `--detach`: the run goes on in a process of its own,
 * `roux resume DIR` (which starts a run with no checkpoint from its first step), writing its
 * plain lines to DIR/output.log, while this process shows it in the terminal UI by following the
 * run directory as `roux watch` does. So `q` can leave a `--detach` run going, and the screen
 * answers keys while a step trains. Pausing sends that process SIGSTOP and SIGCONT; stopping
 * sends it the SIGINT that Ctrl-C sends a plain `roux run` (it checkpoints after the step and
 * stops; a second one quits at once).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import path from "node:path";
import type { Plan } from "../../plan/plan.js";
import { OUTPUT_LOG } from "../../runtime/record/layout.js";
import type { RunControl } from "../../tui/run-control.js";
import { accuracyLabel } from "../../plan/eval-accuracy.js";
import type { Io } from "../io.js";
import { rouxScript } from "./roux-script.js";
import { showRunUi } from "./terminal-ui.js";

export async function ownRun(io: Io, dir: string, shown: string, plan: Plan, options: { detach: boolean; ui: boolean; noCache: boolean }): Promise<number> {
  const child = startRunProcess(io, dir, options);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
    // Not started at all (no such executable, no memory): reported below as a run that never ran.
    child.once("error", () => resolve({ code: null, signal: null }));
  });
  if (!options.ui) {
    child.unref();
    io.stdout.write(
      `run ${shown} goes on in the background (process ${child.pid}); its output is in ${path.join(shown, OUTPUT_LOG)}\nwatch it with: roux watch ${shown}\n`,
    );
    return 0;
  }
  const running = () => child.exitCode === null && child.signalCode === null;
  // Without --detach the run is this command's: leaving, dying or being killed stops it with a
  // checkpoint. Once: a second SIGINT would make it quit without one.
  let stopping = false;
  const stop = () => {
    if (stopping || !running()) return;
    stopping = true;
    stopProcess(child);
  };
  const terminated = () => {
    stop();
    process.exit(143);
  };
  if (!options.detach) {
    process.on("exit", stop);
    process.on("SIGTERM", terminated);
  }
  const control: RunControl = {
    detached: options.detach,
    pause: () => child.kill("SIGSTOP"),
    resume: () => child.kill("SIGCONT"),
    stop,
  };
  try {
    const { how, view } = await showRunUi(io, { dir, shownDir: shown, accuracyLabel: (labels) => accuracyLabel(plan, labels), control, finished: exited });
    if (how === "quit" && options.detach && running()) {
      child.unref();
      io.stderr.write(`the run goes on in the background (process ${child.pid}); watch it again with: roux watch ${shown}\n`);
      return 0;
    }
    if (how === "interrupt" && running()) {
      child.kill("SIGINT");
      await exited;
      return 130;
    }
    // Left (or finished) with the run over: its process is exiting, if not gone already.
    const { code, signal } = await exited;
    if (view.status === "failed") {
      io.stderr.write(`error: ${view.error ?? "the run failed"}\nthe run directory keeps everything written so far: ${shown}\n`);
      return 1;
    }
    if (view.status === "stopped") {
      io.stderr.write(`stopped; continue with: roux resume ${shown}\n`);
      return 0;
    }
    if (view.status !== "done") {
      io.stderr.write(
        `error: the run's process ended (${signal ?? `status ${code}`}) before the run did; its output is in ${path.join(shown, OUTPUT_LOG)}\n` +
          `continue with: roux resume ${shown}\n`,
      );
      return 1;
    }
    return 0;
  } finally {
    process.off("exit", stop);
    process.off("SIGTERM", terminated);
  }
}

function startRunProcess(io: Io, dir: string, { detach, noCache }: { detach: boolean; noCache: boolean }): ChildProcess {
  const roux = rouxScript("the run's process");
  const log = openSync(path.join(dir, OUTPUT_LOG), "a");
  try {
    return spawn(process.execPath, [...process.execArgv, roux, "resume", ...(noCache ? ["--no-cache"] : []), dir], {
      cwd: io.cwd,
      env: io.env,
      detached: detach,
      stdio: ["ignore", log, log],
    });
  } finally {
    closeSync(log);
  }
}

/** A paused process gets SIGINT only once it runs again. */
function stopProcess(child: ChildProcess): void {
  child.kill("SIGCONT");
  child.kill("SIGINT");
}
