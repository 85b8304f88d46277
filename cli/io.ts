/** The streams and environment a command talks to, passed in so tests can capture them. */
import { promises as fs } from "node:fs";
import { decodeSource, type SourceText } from "../grammar/source-text.js";
import { writeFileAtomic as writeAtomically } from "../runtime/record/atomic-write.js";
import { describeFsError } from "../runtime/record/fs-error.js";
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

/** Reads a recipe: its text, and E0004 when its bytes are not UTF-8 (docs/language.md §2). */
export async function readRecipeSource(file: string): Promise<SourceText> {
  try {
    return decodeSource(await fs.readFile(file), file);
  } catch (error) {
    throw new CommandError(`cannot read ${file}: ${describeFsError(error)}`);
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
