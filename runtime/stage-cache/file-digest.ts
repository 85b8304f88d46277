/**
 * The sha256 of a file the stage key names (a JSONL dataset, an ONNX model, a JS reward module),
 * read a chunk at a time with a FIFO refused (plan/file-sha256.ts: a whole read would hold the
 * file, and refuse one over 2 GiB that the runtime reads line by line), and remembered while the
 * file stays the same (plan/read-unchanged.ts: its size, times and inode, as Bazel's digest
 * cache keys a file), so `roux sweep`, which keys every point's stages to order them, hashes a
 * dataset its points share once and not once a point.
 */
import { fileSha256 } from "../../plan/file-sha256.js";
import { describeFsError } from "../../plan/fs-error.js";
import { readUnchanged } from "../../plan/read-unchanged.js";

const remembered = readUnchanged(fileSha256);

/** The file's sha256 in hex; an Error saying why when it cannot be read. */
export async function fileDigest(file: string): Promise<string> {
  try {
    return await remembered(file);
  } catch (error) {
    throw new Error(`cannot read ${file} to key the stage cache: ${describeFsError(error)}`);
  }
}
