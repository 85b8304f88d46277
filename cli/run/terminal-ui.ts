/** When `roux run` and `roux watch` show the terminal UI, and the UI on the process's terminal. */
import type { showRun, ShowRunOptions } from "../../tui/show-run.js";
import type { Io } from "../io.js";

/** Keys need a terminal as much as the screen does. */
export function isTerminal(io: Io): boolean {
  return io.stdout.isTTY === true && process.stdin.isTTY === true;
}

export async function showRunUi(io: Io, options: Omit<ShowRunOptions, "stdout" | "stdin">): ReturnType<typeof showRun> {
  // ink and React load only for the UI: `roux check` and plain runs stay as fast as before.
  const { showRun } = await import("../../tui/show-run.js");
  return showRun({ ...options, stdout: io.stdout as NodeJS.WriteStream, stdin: process.stdin });
}
