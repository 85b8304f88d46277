/** When `roux run` and `roux watch` show the terminal UI, and the UI on the process's terminal. */
import type { ShowRunOptions, Shown } from "../../tui/show-run.js";
import type { Io } from "../io.js";
import { asCommandError } from "../record-error.js";

/**
 * Keys need a terminal as much as the screen does. Under CI, ink draws only the last frame (its
 * is-in-ci rule, mirrored here), so a UI there would look frozen: plain lines instead.
 */
export function isTerminal(io: Io): boolean {
  return io.stdout.isTTY === true && process.stdin.isTTY === true && !inCi(io.env);
}

function inCi(env: NodeJS.ProcessEnv): boolean {
  if (env.CI === "0" || env.CI === "false") return false;
  return "CI" in env || "CONTINUOUS_INTEGRATION" in env || Object.keys(env).some((key) => key.startsWith("CI_"));
}

export async function showRunUi(io: Io, options: Omit<ShowRunOptions, "stdout" | "stdin">): Promise<Shown> {
  // ink and React load only for the UI: `roux check` and plain runs stay as fast as before.
  const { showRun } = await import("../../tui/show-run.js");
  return asCommandError(() => showRun({ ...options, stdout: io.stdout as NodeJS.WriteStream, stdin: process.stdin }));
}
