/** The streams and environment a command talks to, passed in so tests can capture them. */
import { promises as fs } from "node:fs";
import { readSourceFile } from "../compiler/source-file.js";
import type { SourceText } from "../grammar/source-text.js";
import { writeFileAtomic as writeAtomically } from "../runtime/record/atomic-write.js";
import { describeFsError } from "../plan/fs-error.js";
import { CommandError } from "./usage-error.js";

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Reads a source file, turning the operating system's error into one sentence. */
export async function readSource(file: string): Promise<string> {
  try {
    return await fs.readFile(file, "utf8");
  } catch (error) {
    throw new CommandError(`cannot read ${file}: ${describeFsError(error)}`);
  }
}

/** Reads a recipe: its text, and E0004 when its bytes are not UTF-8 (docs/language.md §2); a failure is the command's. */
export async function readRecipeSource(file: string): Promise<SourceText> {
  try {
    return await readSourceFile(file);
  } catch (error) {
    throw new CommandError((error as Error).message);
  }
}

/** writeFileAtomic of runtime/record/atomic-write.ts, with the failure as one sentence. */
export async function writeFileAtomic(file: string, text: string | Uint8Array): Promise<void> {
  try {
    await writeAtomically(file, text);
  } catch (error) {
    throw new CommandError(`cannot write ${file}: ${describeFsError(error)}`);
  }
}
