/**
 * `roux registry gc`: removes the package files (blobs.ts) that no version names, left by a
 * publish that was refused or never finished, and the temporary files of uploads that broke off.
 * A yanked version still names its files, so they stay and it stays pullable. Only what is older
 * than the grace period goes: an upload whose publish is still on its way has blobs no version
 * names yet, and a publish touches each blob its manifest names before checking it
 * (package-upload.ts), so the grace period, longer than any check, covers the check too.
 */
import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { BlobStore } from "./blobs.js";
import type { Store } from "./store.js";

export const DEFAULT_GRACE_SECONDS = 3600;

export interface GcOptions {
  /** Files modified within this many seconds are kept. */
  graceSeconds: number;
  /** List what would go, removing nothing. */
  dryRun: boolean;
}

export interface Removed {
  /** Relative to the blobs' folder. */
  file: string;
  size: number;
}

export interface GcReport {
  removed: Removed[];
  bytes: number;
  /** Unnamed blobs and unfinished uploads kept for being within the grace period. */
  young: number;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Each file under `dir/sub` for the `sub` folders that `wanted` accepts, relative to `dir`. */
async function filesIn(dir: string, wanted: (sub: string) => boolean): Promise<string[]> {
  const subs = await readdir(dir).catch(() => [] as string[]);
  const found: string[] = [];
  for (const sub of subs.filter(wanted)) for (const name of await readdir(path.join(dir, sub)).catch(() => [] as string[])) found.push(`${sub}/${name}`);
  return found;
}

export async function collectGarbage(store: Store, blobs: BlobStore, options: GcOptions): Promise<GcReport> {
  // The files are listed before the versions are read: a version written in between names
  // blobs that are then kept, as the list of names read afterwards includes it.
  const stored = (await filesIn(blobs.dir, (sub) => /^[0-9a-f]{2}$/.test(sub))).filter((file) => SHA256.test(path.basename(file)));
  const unfinished = await filesIn(blobs.dir, (sub) => sub === "incoming");
  const named = store.referencedBlobs();
  const candidates = [...stored.filter((file) => !named.has(path.basename(file))), ...unfinished];
  const report: GcReport = { removed: [], bytes: 0, young: 0 };
  const oldest = Date.now() - options.graceSeconds * 1000;
  for (const file of candidates.sort()) {
    const full = path.join(blobs.dir, file);
    // Stated just before removal: a publish naming it since the versions were read has touched it.
    const info = await stat(full).catch(() => undefined);
    if (info === undefined) continue;
    if (info.mtimeMs > oldest) {
      report.young++;
      continue;
    }
    if (!options.dryRun) await rm(full, { force: true });
    report.removed.push({ file, size: info.size });
    report.bytes += info.size;
  }
  return report;
}
