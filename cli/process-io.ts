/**
 * The real process's streams, environment and working folder: the Io that `roux` run from a
 * shell talks to (cli/main.ts). Apart from io.ts's file helpers, so that the CLI's entry loads
 * nothing more than it needs before the command's own module (docs/architecture.md "Start-up").
 */
import { ignoreClosedPipe } from "./closed-pipe.js";
import type { Io } from "./io.js";

export function processIo(): Io {
  ignoreClosedPipe(process.stdout);
  ignoreClosedPipe(process.stderr);
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}
