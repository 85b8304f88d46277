/**
 * `roux.lock`: the sha256 of every registry module a project pulled, keyed by
 * `OWNER/NAME@VERSION`. `roux pull` writes it; `roux check` finds the nearest one above the
 * recipe and refuses a `use` whose pin disagrees with it (E1103), so a pin edited by hand, or
 * copied from another version, cannot slip past the record of what was actually pulled.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export const LOCK_FILE = "roux.lock";

export interface LockEntry {
  sha256: string;
  /** The registry it was pulled from, for the reader; resolution never contacts it. */
  registry: string;
}

export interface Lock {
  modules: Record<string, LockEntry>;
}

export type LockRead = { ok: true; file: string; lock: Lock } | { ok: false; file: string; reason: string };

/** The nearest `roux.lock` in `dir` or a folder above it. */
export function findLock(dir: string): string | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const candidate = path.join(current, LOCK_FILE);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(current) === current) return undefined;
  }
}

const HEX = /^[0-9a-f]{64}$/;

export function readLock(file: string): LockRead {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return { ok: false, file, reason: (error as Error).message };
  }
  const modules = (parsed as { modules?: unknown } | null)?.modules;
  if (typeof modules !== "object" || modules === null) return { ok: false, file, reason: "it has no `modules` object" };
  for (const [key, entry] of Object.entries(modules)) {
    if (!HEX.test(String((entry as LockEntry | null)?.sha256))) return { ok: false, file, reason: `\`${key}\` has no sha256 of 64 hex digits` };
  }
  return { ok: true, file, lock: { modules: modules as Record<string, LockEntry> } };
}

/** Keys sorted, so that pulling in another order writes the same file (and a small diff). */
export function formatLock(lock: Lock): string {
  const modules = Object.fromEntries(
    Object.keys(lock.modules)
      .sort()
      .map((key) => [key, lock.modules[key]]),
  );
  return `${JSON.stringify({ lockfileVersion: 1, modules }, null, 2)}\n`;
}
