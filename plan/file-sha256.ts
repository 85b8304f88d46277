/**
 * The sha256 of a file a plan or a package names, read a chunk at a time: a file of any size is
 * hashed in the memory of one chunk. Opened as every such file is (regular-file.ts), so a FIFO
 * or a device is refused at once, with the reason, instead of waited on or read without end.
 * The stage cache keys a stage by the files it reads (runtime/stage-cache/file-digest.ts) and
 * `roux publish` lists a package's files by their hashes (registry/package-files.ts).
 */
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { notRegularFile, OPEN_NO_WAIT } from "./regular-file.js";

const CHUNK_BYTES = 1024 * 1024;

/** The file's sha256 in hex; throws the file system's error, or an Error `it is a FIFO, not a regular file`. */
export async function fileSha256(file: string): Promise<string> {
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
