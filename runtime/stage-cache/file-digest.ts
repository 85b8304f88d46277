/**
 * The sha256 of a file the stage key names (a JSONL dataset, an ONNX model, a JS reward module).
 * Read a chunk at a time, so a dataset of any size is hashed in the memory of one chunk (a whole
 * read would hold the file, and refuse one over 2 GiB that the runtime reads line by line);
 * opened as every file a plan names is (plan/regular-file.ts), so a FIFO is refused, not waited
 * on; and remembered while the file stays the same (plan/read-unchanged.ts: its size, times and
 * inode, as Bazel's digest cache keys a file), so `roux sweep`, which keys every point's stages
 * to order them, hashes a dataset its points share once and not once a point.
 */
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { describeFsError } from "../../plan/fs-error.js";
import { readUnchanged } from "../../plan/read-unchanged.js";
import { notRegularFile, OPEN_NO_WAIT } from "../../plan/regular-file.js";

const CHUNK_BYTES = 1024 * 1024;

const remembered = readUnchanged(digest);

/** The file's sha256 in hex; an Error saying why when it cannot be read. */
export async function fileDigest(file: string): Promise<string> {
  try {
    return await remembered(file);
  } catch (error) {
    throw new Error(`cannot read ${file} to key the stage cache: ${describeFsError(error)}`);
  }
}

async function digest(file: string): Promise<string> {
  const handle = await open(file, OPEN_NO_WAIT);
  try {
    const refused = notRegularFile(await handle.stat());
    if (refused !== undefined) throw new Error(`it ${refused}`);
    const hash = createHash("sha256");
    const chunk = Buffer.alloc(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) return hash.digest("hex");
      hash.update(chunk.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
}
