/**
 * The one way the outside readers say "this file cannot tell you that". A recipe names files the
 * compiler does not own (datasets, ONNX models, JS modules); a missing or malformed one is the
 * user's mistake, to be reported as a diagnostic, so the readers return this value instead of
 * throwing and the checker handles all of them alike. An exception from a reader is a bug in
 * the reader.
 */
import { open, type FileHandle } from "node:fs/promises";
import { notRegularFile, OPEN_NO_WAIT } from "../../plan/regular-file.js";

/**
 * `missing`: nothing at `path`; `unreadable`: the OS refused to read it (a directory, no
 * permission); `invalid`: it was read but its content is not what the reader expects.
 */
export type FailureKind = "missing" | "unreadable" | "invalid";

export interface OutsideFailure {
  readonly ok: false;
  readonly kind: FailureKind;
  /** The path as the caller gave it, so the message names the file the recipe names. */
  readonly path: string;
  /** A sentence fragment without the path, e.g. `line 3 is not valid JSON: ...`. */
  readonly reason: string;
  /** 1-based line in the file, when the problem has one. */
  readonly line?: number;
}

export function invalid(path: string, reason: string, line?: number): OutsideFailure {
  return line === undefined ? { ok: false, kind: "invalid", path, reason } : { ok: false, kind: "invalid", path, reason, line };
}

/**
 * Opens `path` for `read` and closes it after; a file system error on the way is a failure, and
 * so is a path that is not a regular file (plan/regular-file.ts): a FIFO would hang the check.
 */
export async function withFile<T>(path: string, read: (handle: FileHandle) => Promise<T | OutsideFailure>): Promise<T | OutsideFailure> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, OPEN_NO_WAIT);
    const refused = notRegularFile(await handle.stat());
    if (refused !== undefined) return { ok: false, kind: "unreadable", path, reason: refused };
    return await read(handle);
  } catch (error) {
    return fileFailure(path, error);
  } finally {
    await handle?.close();
  }
}

/**
 * Turns an error from `node:fs` into a failure. Anything else is rethrown: only the file system
 * reports problems with the user's file, everything else is a bug here.
 */
export function fileFailure(path: string, error: unknown): OutsideFailure {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (!(error instanceof Error) || typeof code !== "string") throw error;
  switch (code) {
    case "ENOENT":
    case "ENOTDIR":
      return { ok: false, kind: "missing", path, reason: "no such file" };
    case "EACCES":
    case "EPERM":
      return { ok: false, kind: "unreadable", path, reason: "permission denied" };
    default:
      return { ok: false, kind: "unreadable", path, reason: `cannot be read (${code})` };
  }
}
