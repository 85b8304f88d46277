/**
 * Counts the rows of a JSONL dataset (its lines with something on them), for `roux check
 * --target`'s rule that a dataset fills one batch (compiler/export/dataset-rows.ts). It stops
 * once it has counted `atMost`, so a dataset of gigabytes costs one batch's lines, and it reads
 * synchronously: the export checks run on a lowered plan, after the asynchronous checks. Only a
 * regular file is read (plan/regular-file.ts).
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { notRegularFile, OPEN_NO_WAIT } from "../../plan/regular-file.js";
import { fileFailure, type OutsideFailure } from "./failure.js";

const CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

/** The rows of the file, or `atMost` when it has at least that many. */
export function countJsonlRows(path: string, atMost: number): number | OutsideFailure {
  let fd: number | undefined;
  try {
    fd = openSync(path, OPEN_NO_WAIT);
    const refused = notRegularFile(fstatSync(fd));
    if (refused !== undefined) return { ok: false, kind: "unreadable", path, reason: refused };
    const chunk = Buffer.alloc(CHUNK_BYTES);
    let rows = 0;
    // Whether the line being read has a character other than JSON whitespace.
    let filled = false;
    let position = 0;
    for (let got = readSync(fd, chunk, 0, CHUNK_BYTES, position); got > 0 && rows < atMost; got = readSync(fd, chunk, 0, CHUNK_BYTES, position)) {
      position += got;
      for (let i = 0; i < got && rows < atMost; i++) {
        const byte = chunk[i]!;
        if (byte === NEWLINE) {
          if (filled) rows++;
          filled = false;
        } else if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) {
          filled = true;
        }
      }
    }
    // The last line need not end with a newline.
    return Math.min(atMost, rows + (filled ? 1 : 0));
  } catch (error) {
    return fileFailure(path, error);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
