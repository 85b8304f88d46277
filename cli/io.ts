/** The streams and environment a command talks to, passed in so tests can capture them. */
import { promises as fs } from "node:fs";
import path from "node:path";
import { CommandError } from "./usage-error.js";

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/** Reads a source file, turning the operating system's error into one sentence. */
export async function readSource(file: string): Promise<string> {
  try {
    return await fs.readFile(file, "utf8");
  } catch (error) {
    throw new CommandError(`cannot read ${file}: ${describeFsError(error)}`);
  }
}

/**
 * Replaces a file's contents without a window in which it is partly written: the new text goes
 * to a temporary file in the same folder, is flushed to disk, then renamed over the original.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    const handle = await fs.open(temporary, "w");
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw new CommandError(`cannot write ${file}: ${describeFsError(error)}`);
  }
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const known: Record<string, string> = {
    ENOENT: "no such file or directory",
    EACCES: "permission denied",
    EISDIR: "it is a directory",
    ENOTDIR: "a parent is not a directory",
  };
  return (code && known[code]) ?? (error as Error).message;
}
