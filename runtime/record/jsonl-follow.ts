/**
 * Follows a JSONL file another process appends to (jsonl-log.ts), for `roux watch`: each read
 * returns the whole lines added since the last one. A last line without its newline is still
 * being written (or was torn by a kill) and waits for the next read. A file that was replaced
 * or cut shorter (`roux resume` rewrites metrics.jsonl without the steps after its checkpoint)
 * is read again from its start, and the read says so.
 */
import { promises as fs } from "node:fs";
import { describeFsError } from "../../plan/fs-error.js";
import { parseRecord } from "./jsonl-log.js";

export interface FollowedLines {
  readonly records: Record<string, unknown>[];
  /** 1-based numbers of whole lines that are not JSON objects, left out of `records`. */
  readonly badLines: number[];
  /** The file was replaced or cut: `records` start again from its first line. */
  readonly restarted: boolean;
}

export class JsonlFollowError extends Error {}

export class JsonlFollower {
  private offset = 0;
  private inode: number | undefined;
  /** Bytes after the last newline, kept as bytes: a read may end inside a UTF-8 character. */
  private partial = Buffer.alloc(0);
  private lineNumber = 0;

  constructor(readonly file: string) {}

  async read(): Promise<FollowedLines> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.file, "r");
    } catch (error) {
      // Not written yet: a run has no metrics.jsonl before its first step.
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { records: [], badLines: [], restarted: false };
      throw new JsonlFollowError(`cannot read ${this.file}: ${describeFsError(error)}`);
    }
    try {
      const stat = await handle.stat();
      const restarted = this.inode !== undefined && (stat.ino !== this.inode || stat.size < this.offset);
      if (restarted) {
        this.offset = 0;
        this.partial = Buffer.alloc(0);
        this.lineNumber = 0;
      }
      this.inode = stat.ino;
      const length = stat.size - this.offset;
      const buffer = Buffer.alloc(Math.max(0, length));
      if (length > 0) await handle.read(buffer, 0, length, this.offset);
      this.offset = stat.size;
      const bytes = Buffer.concat([this.partial, buffer]);
      const end = bytes.lastIndexOf(0x0a) + 1;
      this.partial = bytes.subarray(end);
      return { ...this.lines(bytes.subarray(0, end).toString("utf8")), restarted };
    } finally {
      await handle.close();
    }
  }

  private lines(text: string): { records: Record<string, unknown>[]; badLines: number[] } {
    const lines = text.split("\n");
    lines.pop(); // the empty string after the last newline
    const records: Record<string, unknown>[] = [];
    const badLines: number[] = [];
    for (const line of lines) {
      this.lineNumber++;
      if (line.trim() === "") continue;
      const record = parseRecord(line);
      if (record === undefined) badLines.push(this.lineNumber);
      else records.push(record);
    }
    return { records, badLines };
  }
}
