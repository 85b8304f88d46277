/**
 * Writing a file while hashing it: the server storing an uploaded blob (blobs.ts) and the client
 * caching a downloaded package file (client.ts) both stream bytes into a temporary file, never
 * holding them whole, and keep the file only if its sha256 and size are the ones expected. This
 * is that shared step: the bytes written and synced to disk, their sha256 and size returned.
 * The caller decides what a mismatch means and renames or removes the file.
 */
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";

export async function writeHashed(chunks: AsyncIterable<Uint8Array>, file: string): Promise<{ sha256: string; size: number }> {
  const handle = await open(file, "wx");
  try {
    const hash = createHash("sha256");
    let size = 0;
    for await (const chunk of chunks) {
      hash.update(chunk);
      size += chunk.length;
      await handle.write(chunk);
    }
    await handle.sync();
    return { sha256: hash.digest("hex"), size };
  } finally {
    await handle.close();
  }
}
