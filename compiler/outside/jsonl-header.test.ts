import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, open, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { readJsonlHeader } from "./jsonl-header.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "roux-jsonl-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function file(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

const lines = (records: object[]): string => records.map((r) => `${JSON.stringify(r)}\n`).join("");

function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${text} is valid JSON`);
}

/** Counts the bytes asked of every open file, to show a reader stays at the start of one. */
async function countReads(): Promise<() => number> {
  const handle = await open(await file("probe", ""), "r");
  const read = vi.spyOn(Object.getPrototypeOf(handle), "read");
  await handle.close();
  return () => read.mock.calls.reduce((sum, call) => sum + Number(call[2]), 0);
}

describe("readJsonlHeader", () => {
  it("reports keys in every line, keys in some, and the types of their values", async () => {
    const path = await file(
      "mixed.jsonl",
      lines([
        { prompt: "1+1", response: "2", answer: 2 },
        { prompt: "2+2", response: null, meta: { id: 1 } },
        { prompt: "3+3", answer: "6", tags: ["easy"], ok: true },
      ]),
    );
    const header = await readJsonlHeader(path);
    expect(header).toMatchObject({ ok: true, path, linesRead: 3 });
    if (!header.ok) return;
    expect(header.keysInEveryLine).toEqual(["prompt"]);
    expect(header.keysInSomeLines).toEqual(["response", "answer", "meta", "tags", "ok"]);
    expect(Object.fromEntries([...header.types].map(([key, types]) => [key, [...types]]))).toEqual({
      prompt: [["string", 1]],
      response: [
        ["string", 1],
        ["null", 2],
      ],
      answer: [
        ["number", 1],
        ["string", 3],
      ],
      meta: [["object", 2]],
      tags: [["array", 3]],
      ok: [["boolean", 3]],
    });
  });

  it("reads the first 20 non-empty lines by default, or maxLines", async () => {
    const records = Array.from({ length: 100 }, (_, i) => (i < 20 ? { prompt: "p" } : { prompt: "p", late: i }));
    const path = await file("many.jsonl", lines(records));
    const header = await readJsonlHeader(path);
    expect(header).toMatchObject({ ok: true, linesRead: 20, keysInEveryLine: ["prompt"], keysInSomeLines: [] });
    expect(await readJsonlHeader(path, { maxLines: 25 })).toMatchObject({ linesRead: 25, keysInSomeLines: ["late"] });
  });

  it("handles CRLF, a UTF-8 BOM, blank lines and a last line without a newline", async () => {
    const text = '\uFEFF{"prompt":"a","response":"b"}\r\n\r\n  \r\n{"prompt":"c","response":"d"}';
    const header = await readJsonlHeader(await file("crlf.jsonl", Buffer.from(text, "utf8")));
    expect(header).toMatchObject({ ok: true, linesRead: 2, keysInEveryLine: ["prompt", "response"] });
  });

  it("decodes a multi-byte character that straddles a read chunk", async () => {
    const long = `${"é".repeat(40_000)}🙂`;
    const header = await readJsonlHeader(await file("wide.jsonl", lines([{ prompt: long }, { prompt: "short" }])));
    expect(header).toMatchObject({ ok: true, linesRead: 2, keysInEveryLine: ["prompt"] });
  });

  it("reads only the start of a large file", async () => {
    const records = Array.from({ length: 200_000 }, (_, i) => ({ prompt: `problem ${i}`, answer: i }));
    const path = await file("large.jsonl", lines(records));
    const bytesAsked = await countReads();
    expect(await readJsonlHeader(path)).toMatchObject({ ok: true, linesRead: 20 });
    expect(bytesAsked()).toBeLessThanOrEqual(64 * 1024);
  });

  it("stops at maxBytes, keeping the lines that fit", async () => {
    const path = await file("budget.jsonl", lines(Array.from({ length: 50 }, () => ({ prompt: "x".repeat(30) }))));
    const bytesAsked = await countReads();
    // Each line is 44 bytes: 100 bytes hold two of them.
    expect(await readJsonlHeader(path, { maxBytes: 100 })).toMatchObject({ ok: true, linesRead: 2 });
    expect(bytesAsked()).toBe(100);
  });

  it("fails on a first line longer than maxBytes", async () => {
    const path = await file("long.jsonl", `\n${lines([{ prompt: "x".repeat(500) }])}`);
    expect(await readJsonlHeader(path, { maxBytes: 100 })).toEqual({
      ok: false,
      kind: "invalid",
      path,
      reason: "line 2 is longer than 100 bytes, the most read to find the first record",
      line: 2,
    });
  });

  it("fails on a missing file, naming it", async () => {
    const path = join(dir, "nope.jsonl");
    expect(await readJsonlHeader(path)).toEqual({ ok: false, kind: "missing", path, reason: "no such file" });
  });

  it("fails on a directory", async () => {
    const path = join(dir, "a-directory.jsonl");
    await mkdir(path);
    expect(await readJsonlHeader(path)).toMatchObject({ ok: false, kind: "unreadable", reason: "is a directory, not a regular file" });
  });

  it("fails on a FIFO without waiting for a writer, and on a symlink to a device", async () => {
    const fifo = join(dir, "pipe.jsonl");
    execFileSync("mkfifo", [fifo]);
    expect(await readJsonlHeader(fifo)).toEqual({ ok: false, kind: "unreadable", path: fifo, reason: "is a FIFO, not a regular file" });
    const zero = join(dir, "zero.jsonl");
    await symlink("/dev/zero", zero);
    expect(await readJsonlHeader(zero)).toMatchObject({ ok: false, kind: "unreadable", reason: "is a device, not a regular file" });
  });

  it("fails on an empty file or one with only blank lines", async () => {
    for (const content of ["", "\n  \r\n\n"]) {
      const path = await file("empty.jsonl", content);
      expect(await readJsonlHeader(path)).toEqual({
        ok: false,
        kind: "invalid",
        path,
        reason: "the file is empty: it has no JSON lines",
      });
    }
  });

  it("fails on a line that is not JSON, with its line number and the JSON error", async () => {
    const path = await file("bad.jsonl", '{"prompt":"a"}\n\n{"prompt": oops}\n{"prompt":"b"}\n');
    expect(await readJsonlHeader(path)).toEqual({
      ok: false,
      kind: "invalid",
      path,
      reason: `line 3 is not valid JSON: ${jsonError('{"prompt": oops}')}`,
      line: 3,
    });
  });

  it("fails on a line that is JSON but not an object", async () => {
    const cases: [string, string][] = [
      ["[1, 2]", "an array"],
      ['"text"', "a string"],
      ["42", "a number"],
      ["null", "null"],
    ];
    for (const [line, what] of cases) {
      const path = await file("scalar.jsonl", `{"prompt":"a"}\n${line}\n`);
      expect(await readJsonlHeader(path)).toMatchObject({
        ok: false,
        reason: `line 2 is ${what}, not a JSON object`,
        line: 2,
      });
    }
  });
});
