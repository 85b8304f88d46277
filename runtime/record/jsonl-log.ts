/**
 * metrics.jsonl and events.jsonl: one JSON object per line, appended. Each line goes to the
 * file in one write(2) on a descriptor opened for appending, so a reader following the file
 * (`roux watch`, another process) sees whole lines, and a process killed at any moment leaves
 * at most one torn last line, which `readJsonl` reports and `rewriteJsonl` drops.
 */
import { closeSync, fsyncSync, openSync, promises as fs, writeSync } from "node:fs";
import { writeFileAtomic } from "./atomic-write.js";

export class JsonlLog {
  private readonly fd: number;

  constructor(readonly file: string) {
    this.fd = openSync(file, "a");
  }

  append(record: object): void {
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
  }

  /** Flushes to disk: after a checkpoint, so the log is at least as far as the checkpoint. */
  sync(): void {
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

export interface JsonlContents {
  readonly records: Record<string, unknown>[];
  /** A last line without its newline (the writer was killed mid-line), left out of `records`. */
  readonly tornTail: boolean;
  /** 1-based numbers of lines that are not JSON objects, left out of `records`. */
  readonly badLines: number[];
}

export async function readJsonl(file: string): Promise<JsonlContents> {
  const text = await fs.readFile(file, "utf8");
  const lines = text.split("\n");
  const tail = lines.pop() ?? "";
  const records: Record<string, unknown>[] = [];
  const badLines: number[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    const record = parseRecord(line);
    if (record === undefined) badLines.push(i + 1);
    else records.push(record);
  });
  return { records, tornTail: tail !== "", badLines };
}

/** One whole line as a record, or undefined when it is not a JSON object. */
export function parseRecord(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Not JSON: the caller counts it as a bad line, like a value that is not an object.
  }
  return undefined;
}

/**
 * Replaces the file, atomically, with the records `keep` accepts (whole lines only); says how
 * many it dropped, and which lines were not records at all (dropped too).
 */
export async function rewriteJsonl(
  file: string,
  keep: (record: Record<string, unknown>) => boolean,
): Promise<{ kept: number; dropped: number; badLines: number[] }> {
  const { records, badLines } = await readJsonl(file);
  const kept = records.filter(keep);
  await writeFileAtomic(file, kept.map((r) => `${JSON.stringify(r)}\n`).join(""));
  return { kept: kept.length, dropped: records.length - kept.length, badLines };
}
