/**
 * The stage cache's entries on disk (runtime/stage-cache/README.md "Entries"): `<dir>/<key>/`
 * holding entry.json and the files a run needs to go on after the stage. An entry is written in
 * a temporary folder and renamed into place, so it is whole or absent; a reader checks it before
 * use (its key against its folder and its material, every file against its size and sha256) and
 * removes one that fails, saying why.
 */
import { randomUUID } from "node:crypto";
import { existsSync, promises as fs } from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../record/atomic-write.js";
import { describeFsError } from "../../plan/fs-error.js";
import { keyOf, sha256Hex, STAGE_CACHE_VERSION } from "./stage-key.js";

export const ENTRY_FILE = "entry.json";
/**
 * Folders being written (`.tmp-<key>-<pid>-<id>`) or removed (`.gone-…`), and a lock being made
 * (`.lock-<pid>-<id>`, stage-lock.ts), start with a dot and name their process; keys never do.
 */
const TEMPORARY = /^\.(?:tmp-[0-9a-f]+|gone-[0-9a-f]+|lock)-(\d+)-/;
const KEY = /^[0-9a-f]{64}$/;

export interface EntryFile {
  /** Relative to the entry's folder, `/`-separated, as in a run directory. */
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface EntryInfo {
  readonly key: string;
  readonly material: Record<string, unknown>;
  readonly runtime: number;
  readonly recipe: string;
  /** The stage's name and its place in the run order. */
  readonly stage: string;
  readonly index: number;
  readonly seed: number;
  readonly created: string;
  /** The end-of-stage checkpoint among `files`. */
  readonly checkpoint: string;
  readonly files: readonly EntryFile[];
}

export type EntryRead = { status: "absent" } | { status: "ok"; info: EntryInfo } | { status: "invalid"; reason: string };

/** A file to store: copied from `from`, or written from `text`. */
export type NewFile = { path: string; from: string } | { path: string; text: string };

export function entryDir(dir: string, key: string): string {
  return path.join(dir, key);
}

/** Writes the entry whole, or leaves the one another process stored first (they are the same result). */
export async function storeEntry(dir: string, info: Omit<EntryInfo, "files" | "runtime">, files: readonly NewFile[]): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const temporary = path.join(dir, `.tmp-${info.key.slice(0, 16)}-${process.pid}-${randomUUID()}`);
  try {
    const listed: EntryFile[] = [];
    for (const file of files) {
      const target = path.join(temporary, file.path);
      await fs.mkdir(path.dirname(target), { recursive: true });
      if ("from" in file) await fs.copyFile(file.from, target);
      else await fs.writeFile(target, file.text);
      const bytes = await fs.readFile(target);
      listed.push({ path: file.path, bytes: bytes.length, sha256: sha256Hex(bytes) });
    }
    const entry: EntryInfo = { ...info, runtime: STAGE_CACHE_VERSION, files: listed };
    await writeFileAtomic(path.join(temporary, ENTRY_FILE), `${JSON.stringify(entry, null, 2)}\n`);
    await fs.rename(temporary, entryDir(dir, info.key));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EEXIST" && code !== "ENOTEMPTY") throw error;
  } finally {
    await fs.rm(temporary, { recursive: true, force: true });
  }
}

/** The entry of `key`, checked: every way it can fail is a reason, for the warning that removes it. */
export async function readEntry(dir: string, key: string): Promise<EntryRead> {
  const folder = entryDir(dir, key);
  if (!existsSync(folder)) return { status: "absent" };
  const invalid = (reason: string): EntryRead => ({ status: "invalid", reason });
  let info: EntryInfo;
  try {
    info = JSON.parse(await fs.readFile(path.join(folder, ENTRY_FILE), "utf8")) as EntryInfo;
  } catch (error) {
    return invalid(error instanceof SyntaxError ? `its ${ENTRY_FILE} is not JSON` : `its ${ENTRY_FILE} cannot be read (${describeFsError(error)})`);
  }
  if (info.key !== key) return invalid(`its ${ENTRY_FILE} names key ${String(info.key).slice(0, 12)}…, not its folder's`);
  if (keyOf(info.material) !== key) return invalid(`its key material no longer hashes to its key`);
  if (!Array.isArray(info.files)) return invalid(`its ${ENTRY_FILE} lists no files`);
  for (const file of info.files) {
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(path.join(folder, file.path));
    } catch {
      return invalid(`its file ${file.path} is missing`);
    }
    if (bytes.length !== file.bytes || sha256Hex(bytes) !== file.sha256) return invalid(`its file ${file.path} does not match its checksum`);
  }
  return { status: "ok", info };
}

/** Gone at once (renamed aside, then deleted): a reader sees the whole entry or none. */
export async function removeEntry(dir: string, key: string): Promise<void> {
  const aside = path.join(dir, `.gone-${key.slice(0, 16)}-${process.pid}-${randomUUID()}`);
  try {
    await fs.rename(entryDir(dir, key), aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  await fs.rm(aside, { recursive: true, force: true });
}

/** Marks the entry used now: `last used` is what the size limit evicts by. */
export async function markUsed(dir: string, key: string): Promise<void> {
  const now = new Date();
  await fs.utimes(path.join(entryDir(dir, key), ENTRY_FILE), now, now);
}

export interface EntryListing {
  readonly key: string;
  /** Undefined when entry.json cannot be read: such an entry is listed so that gc and rm reach it. */
  readonly info?: EntryInfo;
  readonly bytes: number;
  readonly lastUsed: Date;
}

/** Every entry, unchecked (ls and gc must not read every checkpoint), oldest use first. */
export async function listEntries(dir: string): Promise<EntryListing[]> {
  if (!existsSync(dir)) return [];
  const listings: EntryListing[] = [];
  for (const name of await fs.readdir(dir)) {
    if (!KEY.test(name)) continue;
    const folder = entryDir(dir, name);
    const stat = await fs.stat(path.join(folder, ENTRY_FILE)).catch(() => undefined);
    let info: EntryInfo | undefined;
    try {
      info = JSON.parse(await fs.readFile(path.join(folder, ENTRY_FILE), "utf8")) as EntryInfo;
    } catch {
      info = undefined;
    }
    listings.push({ key: name, info, bytes: await folderBytes(folder), lastUsed: stat?.mtime ?? new Date(0) });
  }
  return listings.sort((a, b) => a.lastUsed.getTime() - b.lastUsed.getTime());
}

/** Leftovers of a store or a removal whose process died: their writer is named in their name. */
export async function abandonedFolders(dir: string, alive: (pid: number) => boolean): Promise<string[]> {
  if (!existsSync(dir)) return [];
  return (await fs.readdir(dir)).filter((name) => {
    const match = TEMPORARY.exec(name);
    return match !== null && !alive(Number(match[1]));
  });
}

async function folderBytes(folder: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(folder, { withFileTypes: true })) {
    const file = path.join(folder, entry.name);
    total += entry.isDirectory() ? await folderBytes(file) : (await fs.stat(file)).size;
  }
  return total;
}
