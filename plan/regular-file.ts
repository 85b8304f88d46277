/**
 * How a file a recipe or plan names (a module, a dataset, a batch) is opened without trusting
 * what is at the path: only a regular file is read, so a FIFO cannot hang `roux check` or `roux
 * run` waiting for a writer, and a symlink to a device such as /dev/zero cannot feed either one
 * bytes without end. The compiler (modules, the outside checks) and the runtime (datasets) both
 * read such files, and plan/ is the layer both import, so the rule has its one home here.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";

/**
 * Read-only and non-blocking: opening a FIFO returns at once instead of waiting for a writer,
 * and the check that follows is on what was opened, not on the path, which could change between.
 * A regular file ignores O_NONBLOCK.
 */
export const OPEN_NO_WAIT = constants.O_RDONLY | constants.O_NONBLOCK;

/** Why what was opened cannot be read as a file (`is a FIFO, not a regular file`, to follow its path), or undefined for a regular file. */
export function notRegularFile(
  stat: Pick<Stats, "isFile" | "isDirectory" | "isFIFO" | "isCharacterDevice" | "isBlockDevice" | "isSocket">,
): string | undefined {
  if (stat.isFile()) return undefined;
  const kind = stat.isDirectory()
    ? "a directory"
    : stat.isFIFO()
      ? "a FIFO"
      : stat.isCharacterDevice() || stat.isBlockDevice()
        ? "a device"
        : stat.isSocket()
          ? "a socket"
          : "not a file";
  return `is ${kind}, not a regular file`;
}

export type RegularFile = { ok: true; bytes: Uint8Array } | { ok: false; missing: boolean; reason: string };

const CHUNK_BYTES = 64 * 1024;

/**
 * A regular file's bytes, at most `maxBytes` of them: it reads at most `maxBytes + 1`, so a file
 * growing while it is read cannot pass the cap either. `what` names the file in the message of
 * one over the cap (`a module`, `a batch`).
 */
export function readRegularFile(file: string, maxBytes: number, what: string): RegularFile {
  let fd: number;
  try {
    fd = openSync(file, OPEN_NO_WAIT);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, missing: code === "ENOENT" || code === "ENOTDIR", reason: `cannot open ${file} (${code ?? "error"})` };
  }
  try {
    const refused = notRegularFile(fstatSync(fd));
    if (refused !== undefined) return { ok: false, missing: false, reason: `${file} ${refused}` };
    const chunks: Buffer[] = [];
    let total = 0;
    while (total <= maxBytes) {
      const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, maxBytes + 1 - total));
      const got = readSync(fd, chunk, 0, chunk.length, total);
      if (got === 0) break;
      chunks.push(chunk.subarray(0, got));
      total += got;
    }
    if (total > maxBytes) return { ok: false, missing: false, reason: `${file} is larger than the ${maxBytes}-byte limit for ${what}` };
    return { ok: true, bytes: Buffer.concat(chunks, total) };
  } catch (error) {
    return { ok: false, missing: false, reason: `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})` };
  } finally {
    closeSync(fd);
  }
}
