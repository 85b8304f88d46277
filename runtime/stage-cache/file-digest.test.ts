import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fileDigest } from "./file-digest.js";

const dir = mkdtempSync(path.join(tmpdir(), "roux-digest-"));
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("fileDigest", () => {
  it("is the sha256 of the whole file, over many chunks", async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const file = path.join(dir, "big.jsonl");
    writeFileSync(file, bytes);
    expect(await fileDigest(file)).toBe(sha256(bytes));
  });

  it("hashes a file rewritten in place again, even at the same size", async () => {
    const file = path.join(dir, "train.jsonl");
    writeFileSync(file, '{"prompt":"a"}\n');
    expect(await fileDigest(file)).toBe(sha256(Buffer.from('{"prompt":"a"}\n')));
    writeFileSync(file, '{"prompt":"b"}\n');
    expect(await fileDigest(file)).toBe(sha256(Buffer.from('{"prompt":"b"}\n')));
  });

  it("refuses a FIFO at once, saying so, and a missing file by name", async () => {
    const fifo = path.join(dir, "pipe.jsonl");
    execFileSync("mkfifo", [fifo]);
    await expect(fileDigest(fifo)).rejects.toThrow(`cannot read ${fifo} to key the stage cache: it is a FIFO, not a regular file`);
    const missing = path.join(dir, "gone.jsonl");
    await expect(fileDigest(missing)).rejects.toThrow(`cannot read ${missing} to key the stage cache: no such file or directory`);
  });
});
