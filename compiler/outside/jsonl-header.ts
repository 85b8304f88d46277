/**
 * Reads the first records of a JSONL dataset so `roux check` can report a key the recipe names
 * but the file lacks (E3201) or a dataset without responses where a stage needs them (E3202).
 * Datasets can be gigabytes, so only the start of the file is read, in chunks, and never more
 * than `maxBytes`.
 */
import type { FileHandle } from "node:fs/promises";
import { invalid, withFile, type OutsideFailure } from "./failure.js";

export type JsonType = "string" | "number" | "boolean" | "null" | "array" | "object";

export interface JsonlHeader {
  readonly ok: true;
  readonly path: string;
  /** Non-empty lines parsed (at most `maxLines`). */
  readonly linesRead: number;
  /** Keys present in every line read, in the order first seen. */
  readonly keysInEveryLine: readonly string[];
  /** Keys present in some of the lines read but not all, in the order first seen. */
  readonly keysInSomeLines: readonly string[];
  /** For every key, the JSON types of its values, in the order first seen, each with the first line (1-based) it is on. */
  readonly types: ReadonlyMap<string, ReadonlyMap<JsonType, number>>;
}

export interface JsonlHeaderOptions {
  /** Non-empty lines to read; default JSONL_CHECK_LINES. */
  readonly maxLines?: number;
  /** Bytes to read at most; default 1 MiB. A first line longer than this is a failure. */
  readonly maxBytes?: number;
}

/**
 * The lines `roux check` reads of a dataset (docs/language.md §9 "Checking"): enough to catch a
 * misnamed key, never the cost of a large file; `roux run` reads every line.
 */
export const JSONL_CHECK_LINES = 20;

const CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

export function readJsonlHeader(path: string, options: JsonlHeaderOptions = {}): Promise<JsonlHeader | OutsideFailure> {
  const maxLines = options.maxLines ?? JSONL_CHECK_LINES;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  return withFile(path, (handle) => readLines(handle, path, maxLines, maxBytes));
}

async function readLines(handle: FileHandle, path: string, maxLines: number, maxBytes: number): Promise<JsonlHeader | OutsideFailure> {
  const records = new Records();
  // A fresh decode drops a leading UTF-8 BOM, which is where a BOM can be: on line 1.
  const decoder = new TextDecoder();
  let lineNumber = 0;

  /** Parses the next line; a failure, or undefined to go on. */
  const take = (bytes: Uint8Array): OutsideFailure | undefined => {
    lineNumber += 1;
    const text = decoder.decode(bytes);
    // The CR of a CRLF line end is JSON whitespace, so it needs no stripping.
    if (text.trim() === "") return undefined;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return invalid(path, `line ${lineNumber} is not valid JSON: ${(error as Error).message}`, lineNumber);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return invalid(path, `line ${lineNumber} is ${describeJsonType(jsonType(value))}, not a JSON object`, lineNumber);
    }
    records.add(value as Record<string, unknown>, lineNumber);
    return undefined;
  };

  let pending = Buffer.alloc(0);
  let bytesRead = 0;
  while (records.count < maxLines) {
    const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, maxBytes - bytesRead));
    const { bytesRead: got } = await handle.read(chunk, 0, chunk.length, bytesRead);
    bytesRead += got;
    pending = Buffer.concat([pending, chunk.subarray(0, got)]);
    let start = 0;
    for (let end = pending.indexOf(NEWLINE); end !== -1 && records.count < maxLines; end = pending.indexOf(NEWLINE, start)) {
      const failure = take(pending.subarray(start, end));
      if (failure) return failure;
      start = end + 1;
    }
    pending = pending.subarray(start);
    if (got < chunk.length) {
      // End of file: the last line need not end with a newline.
      const failure = records.count < maxLines && pending.length > 0 ? take(pending) : undefined;
      if (failure) return failure;
      break;
    }
    if (bytesRead >= maxBytes) {
      if (records.count > 0) break;
      const line = lineNumber + 1;
      return invalid(path, `line ${line} is longer than ${maxBytes} bytes, the most read to find the first record`, line);
    }
  }

  if (records.count === 0) return invalid(path, "the file is empty: it has no JSON lines");
  return { ok: true, path, linesRead: records.count, ...records.keys(), types: records.types };
}

/** Which keys the lines read so far have, and the types of their values. */
class Records {
  count = 0;
  readonly types = new Map<string, Map<JsonType, number>>();
  private readonly linesWithKey = new Map<string, number>();

  add(record: Record<string, unknown>, line: number): void {
    this.count += 1;
    for (const [key, value] of Object.entries(record)) {
      this.linesWithKey.set(key, (this.linesWithKey.get(key) ?? 0) + 1);
      const types = this.types.get(key) ?? new Map<JsonType, number>();
      const type = jsonType(value);
      if (!types.has(type)) types.set(type, line);
      this.types.set(key, types);
    }
  }

  keys(): { keysInEveryLine: string[]; keysInSomeLines: string[] } {
    const counted = [...this.linesWithKey];
    return {
      keysInEveryLine: counted.filter(([, lines]) => lines === this.count).map(([key]) => key),
      keysInSomeLines: counted.filter(([, lines]) => lines < this.count).map(([key]) => key),
    };
  }
}

function jsonType(value: unknown): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value as "string" | "number" | "boolean" | "object";
}

/** `a number`, `an array`, `null`: a JSON type in a sentence. */
export function describeJsonType(type: JsonType): string {
  return type === "null" ? "null" : type === "array" ? "an array" : `a ${type}`;
}
