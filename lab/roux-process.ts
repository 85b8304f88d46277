/** `roux` as a child process of the lab: the one way lab/run-lab.ts runs a command. */
import { spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");
const ROUX = path.join(ROOT, "bin", "roux.js");

/** Runs roux with its stdout into `stdout` and its stderr into `stderr` (may be the same file); resolves with its exit status. */
export async function roux(args: string[], stdout: string, stderr: string, sideBySide: boolean): Promise<number> {
  const out = await fs.open(stdout, "w");
  const err = stderr === stdout ? out : await fs.open(stderr, "w");
  try {
    return await new Promise((resolve, reject) => {
      const env = sideBySide ? { ...process.env, ROUX_THREADS: "1" } : process.env;
      const child = spawn(process.execPath, [ROUX, ...args], { cwd: ROOT, env, stdio: ["ignore", out.fd, err.fd] });
      child.on("error", reject);
      child.on("close", (code) => resolve(code ?? 1));
    });
  } finally {
    await out.close();
    if (err !== out) await err.close();
  }
}
