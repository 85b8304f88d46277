/**
 * A recipe's source read from disk (docs/language.md §2: UTF-8, E0004 when it is not), a failure
 * thrown as one sentence. The commands and the language server read a sweep's recipes through
 * it, so both say the same thing about a recipe that cannot be read.
 */
import { promises as fs } from "node:fs";
import { decodeSource, type SourceText } from "../grammar/source-text.js";
import { describeFsError } from "../plan/fs-error.js";

export async function readSourceFile(file: string): Promise<SourceText> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    throw new Error(`cannot read ${file}: ${describeFsError(error)}`);
  }
  return decodeSource(bytes, file);
}
