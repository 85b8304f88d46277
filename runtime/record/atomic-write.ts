/**
 * Replacing a file without a window in which it is partly written: the bytes go to a temporary
 * file in the same folder (so the rename cannot cross file systems), are flushed to disk, then
 * renamed over the target, and the folder is flushed so the rename itself survives a power
 * cut. A reader, or a process killed at any moment, sees the old file or the new one, never a
 * mix. Checkpoints, plan files and `roux fmt --write` all write this way.
 */
import { promises as fs } from "node:fs";
import path from "node:path";

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    const handle = await fs.open(temporary, "w");
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
  await syncFolder(path.dirname(file));
}

async function syncFolder(folder: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(folder, "r");
    await handle.sync();
  } catch {
    // Some file systems refuse to fsync a directory; the rename is still atomic there.
  } finally {
    await handle?.close();
  }
}
