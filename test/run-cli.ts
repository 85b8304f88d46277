/** Runs `roux` in-process with captured output, as a user would see it (no colour, no TTY). */
import { Writable } from "node:stream";
import { main } from "../cli/main.js";
import { REPO_ROOT } from "./recipes.js";

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join("") };
}

/** `env` is the command's whole environment, but for the test's temporary ROUX_CACHE (test/temporary-cache.ts) unless it names its own. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const stdout = capture();
  const stderr = capture();
  const status = await main(args, { stdout: stdout.stream, stderr: stderr.stream, env: { ROUX_CACHE: process.env.ROUX_CACHE, ...env }, cwd: REPO_ROOT });
  return { status, stdout: stdout.text(), stderr: stderr.text() };
}

/**
 * The options a case asks `roux check` for on its first line, `// roux check --target verl`:
 * what a golden case or a docs/errors.md example needs beyond the file (an export target).
 */
export function checkOptions(source: string): string[] {
  const first = /^\/\/ roux check (.+)$/m.exec(source.split("\n", 1)[0] ?? "");
  return first ? first[1]!.trim().split(/\s+/) : [];
}
