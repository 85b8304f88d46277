import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { countJsonlRows } from "./jsonl-rows.js";

const dir = mkdtempSync(join(tmpdir(), "roux-rows-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe("countJsonlRows", () => {
  it("counts the lines with something on them, with or without a final newline, LF or CRLF", () => {
    expect(countJsonlRows(file("a.jsonl", '{"q": 1}\n\n{"q": 2}\n  \n{"q": 3}'), 100)).toBe(3);
    expect(countJsonlRows(file("b.jsonl", '{"q": 1}\r\n\r\n{"q": 2}\r\n'), 100)).toBe(2);
    expect(countJsonlRows(file("c.jsonl", ""), 100)).toBe(0);
  });

  it("counts across the chunks it reads, and stops at the most it is asked for", () => {
    const row = `${JSON.stringify({ question: "x".repeat(200) })}\n`;
    const path = file("big.jsonl", row.repeat(1000));
    expect(countJsonlRows(path, 5000)).toBe(1000);
    expect(countJsonlRows(path, 64)).toBe(64);
  });

  it("returns a failure for a file it cannot read", () => {
    expect(countJsonlRows(join(dir, "none.jsonl"), 10)).toMatchObject({ ok: false, kind: "missing" });
    expect(countJsonlRows(dir, 10)).toMatchObject({ ok: false, kind: "unreadable" });
  });

  it("refuses a FIFO without waiting for a writer, and a symlink to /dev/zero without reading it", () => {
    const fifo = join(dir, "pipe.jsonl");
    execFileSync("mkfifo", [fifo]);
    expect(countJsonlRows(fifo, 10)).toEqual({ ok: false, kind: "unreadable", path: fifo, reason: "is a FIFO, not a regular file" });
    const zero = join(dir, "zero.jsonl");
    symlinkSync("/dev/zero", zero);
    expect(countJsonlRows(zero, 10)).toMatchObject({ ok: false, kind: "unreadable", reason: "is a device, not a regular file" });
  });
});
