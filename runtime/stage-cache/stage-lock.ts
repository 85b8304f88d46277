/**
 * A lock per key (runtime/stage-cache/README.md "Locks"): `<dir>/<key>.lock` holds the id of the
 * process computing that stage, so that a second run of the same prefix waits for the entry
 * instead of training it again. The file appears whole (written beside, then hard-linked into
 * place, which fails when it exists), so a reader never sees a lock without its pid. A lock whose
 * process is gone (killed, crashed) is stale and taken over.
 *
 * Two processes taking over the same stale lock at once can both end up computing the stage;
 * that costs the work twice, never a wrong entry: both compute the same result and the second
 * store leaves the first (entry-store.ts).
 */
import { randomUUID } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { processAlive } from "../record/status.js";

export interface StageLock {
  release(): Promise<void>;
}

export type LockAttempt = { held: StageLock } | { holder: number };

export function lockFile(dir: string, key: string): string {
  return path.join(dir, `${key}.lock`);
}

/** Takes the lock of `key`, or says which live process holds it. */
export async function tryLock(dir: string, key: string): Promise<LockAttempt> {
  await fs.mkdir(dir, { recursive: true });
  const file = lockFile(dir, key);
  const mine = path.join(dir, `.lock-${process.pid}-${randomUUID()}`);
  await fs.writeFile(mine, `${process.pid}\n`);
  try {
    for (;;) {
      try {
        await fs.link(mine, file);
        return { held: { release: () => releaseIfMine(file) } };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const holder = await liveHolder(file);
      if (holder !== undefined) return { holder };
      // Stale (its process is gone) or gone meanwhile: try again.
      await fs.rm(file, { force: true });
    }
  } finally {
    await fs.rm(mine, { force: true });
  }
}

/** Waits while a live process holds the lock of `key` (or until `signal` aborts). */
export async function waitWhileLocked(dir: string, key: string, signal?: AbortSignal): Promise<void> {
  const file = lockFile(dir, key);
  for (;;) {
    if ((await liveHolder(file)) === undefined || signal?.aborted) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The live process a lock file names; undefined when there is no lock or it is stale. */
async function liveHolder(file: string): Promise<number | undefined> {
  let pid: number;
  try {
    pid = Number.parseInt(await fs.readFile(file, "utf8"), 10);
  } catch {
    return undefined;
  }
  // A file that names no process is a lock no one holds: stale, like a dead process's.
  return Number.isInteger(pid) && pid > 0 && processAlive(pid) ? pid : undefined;
}

async function releaseIfMine(file: string): Promise<void> {
  if ((await liveHolder(file)) === process.pid) await fs.rm(file, { force: true });
}
