/**
 * Reads a module's file for `use "..."` without trusting what is at the path (docs/language.md
 * §6): only a regular file is read, so a FIFO cannot hang `roux check` and a symlink to a device
 * such as /dev/zero cannot feed it gigabytes, and at most MODULE_MAX_BYTES + 1 bytes are read, so
 * a file growing while it is read cannot pass the cap either. The JSONL reader
 * (compiler/outside/jsonl-header.ts) bounds its reads the same way.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";

/** The largest module file read: far above any hand-written recipe, far below a hostile one. */
export const MODULE_MAX_BYTES = 8 * 1024 * 1024;

const CHUNK_BYTES = 64 * 1024;

export type ModuleFile = { ok: true; bytes: Uint8Array } | { ok: false; missing: boolean; reason: string };

export function readModuleFile(file: string, maxBytes = MODULE_MAX_BYTES): ModuleFile {
  let fd: number;
  try {
    // Non-blocking, so opening a FIFO returns at once instead of waiting for a writer; the
    // check that follows is on what was opened, not on the path, which could change between.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, missing: code === "ENOENT" || code === "ENOTDIR", reason: `cannot open ${file} (${code ?? "error"})` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, missing: false, reason: `${file} is ${kindOf(stat)}, not a regular file` };
    const chunks: Buffer[] = [];
    let total = 0;
    while (total <= maxBytes) {
      const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, maxBytes + 1 - total));
      const got = readSync(fd, chunk, 0, chunk.length, total);
      if (got === 0) break;
      chunks.push(chunk.subarray(0, got));
      total += got;
    }
    if (total > maxBytes) return { ok: false, missing: false, reason: `${file} is larger than the ${maxBytes}-byte limit for a module` };
    return { ok: true, bytes: Buffer.concat(chunks, total) };
  } catch (error) {
    return { ok: false, missing: false, reason: `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})` };
  } finally {
    closeSync(fd);
  }
}

function kindOf(stat: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (stat.isDirectory()) return "a directory";
  if (stat.isFIFO()) return "a FIFO";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
  if (stat.isSocket()) return "a socket";
  return "not a file";
}
