/**
 * The stage cache's size limit (runtime/stage-cache/README.md "Size"): past it, the entries used
 * least recently go first, after every store and on `roux cache gc`; leftovers of a store or a
 * removal whose process died go too.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { processAlive } from "../record/status.js";
import { abandonedFolders, type EntryListing, listEntries, removeEntry } from "./entry-store.js";

/** 4 GiB: a few dozen warm-ups of the lab's size, far below a disk's. */
export const DEFAULT_MAX_BYTES = 4 * 1024 ** 3;

/** Removes entries, least recently used first, until the cache holds at most `maxBytes`; `keep` (just stored) stays. */
export async function collectGarbage(dir: string, maxBytes: number, keep?: string): Promise<{ removed: EntryListing[]; bytes: number }> {
  for (const name of await abandonedFolders(dir, processAlive)) await fs.rm(path.join(dir, name), { recursive: true, force: true });
  const entries = await listEntries(dir);
  let bytes = entries.reduce((n, e) => n + e.bytes, 0);
  const removed: EntryListing[] = [];
  for (const entry of entries) {
    if (bytes <= maxBytes) break;
    if (entry.key === keep) continue;
    await removeEntry(dir, entry.key);
    bytes -= entry.bytes;
    removed.push(entry);
  }
  return { removed, bytes };
}
