/** `roux` as a child process of the lab: the one way lab/run-lab.ts runs a command. */
import { spawn, type StdioOptions } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");
const ROUX = path.join(ROOT, "bin", "roux.js");

/**
 * Runs roux and resolves with its exit status: its stdout into `files.stdout` and its stderr
 * into `files.stderr`, or, without `files`, on the lab's own terminal (a sweep's progress).
 */
export async function roux(args: string[], files?: { stdout: string; stderr: string }): Promise<number> {
  const out = files === undefined ? undefined : await fs.open(files.stdout, "w");
  const err = files === undefined ? undefined : await fs.open(files.stderr, "w");
  try {
    return await new Promise((resolve, reject) => {
      const stdio: StdioOptions = out === undefined || err === undefined ? "inherit" : ["ignore", out.fd, err.fd];
      const child = spawn(process.execPath, [ROUX, ...args], { cwd: ROOT, stdio });
      child.on("error", reject);
      child.on("close", (code) => resolve(code ?? 1));
    });
  } finally {
    await out?.close();
    await err?.close();
  }
}
