import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CheckpointError, checkStamp, readCheckpoint, writeCheckpoint, type Checkpoint } from "./checkpoint.js";

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "roux-ckpt-"));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const weights = (scale: number) =>
  new Map([
    ["tok_emb", Float32Array.from({ length: 30 }, (_, i) => scale * (i - 7.5) * 0.1)],
    ["ln_f.g", Float32Array.from([1, -2.5, Number.MIN_VALUE, 3e38])],
  ]);
const checkpoint = (scale: number): Checkpoint => ({
  position: { stage: 1, stageName: "rl", step: 50 * scale },
  weights: weights(scale),
  optimizer: { step: 7, m: weights(scale / 2), v: weights(scale / 4) },
});

describe("checkpoints", () => {
  it("read back exactly what was written, optimizer state included", async () => {
    const file = path.join(dir, "a.ckpt");
    await writeCheckpoint(file, checkpoint(1));
    expect(await readCheckpoint(file)).toEqual(checkpoint(1));
    const reference: Checkpoint = { ...checkpoint(2), optimizer: null };
    await writeCheckpoint(file, reference);
    expect(await readCheckpoint(file)).toEqual(reference);
  });

  it("refuse a truncated, bit-flipped or foreign file with a message naming it", async () => {
    const file = path.join(dir, "a.ckpt");
    await writeCheckpoint(file, checkpoint(1));
    const bytes = await fs.readFile(file);
    const cases: [Buffer, RegExp][] = [
      [bytes.subarray(0, bytes.length - 3), /truncated or partly written/],
      [Buffer.concat([bytes.subarray(0, bytes.length - 1), Buffer.from([bytes.readUInt8(bytes.length - 1) ^ 1])]), /checksum/],
      [Buffer.from("not a checkpoint at all"), /does not start with a checkpoint header/],
      [bytes.subarray(0, 20), /header runs past the end|not readable/],
    ];
    for (const [content, message] of cases) {
      await fs.writeFile(file, content);
      const error = await readCheckpoint(file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CheckpointError);
      expect((error as Error).message).toContain(file);
      expect((error as Error).message).toMatch(message);
    }
    await expect(readCheckpoint(path.join(dir, "missing.ckpt"))).rejects.toThrow(/cannot read checkpoint .*no such file/);
  });

  it("are the old file or the new one while being replaced, never a partial file", async () => {
    // A reader polling the file while it is rewritten many times must always read a whole
    // checkpoint: writes go to a temporary file that is renamed over the old one.
    const file = path.join(dir, "a.ckpt");
    await writeCheckpoint(file, checkpoint(1));
    let writing = true;
    const reads: number[] = [];
    const reader = (async () => {
      while (writing) {
        const read = await readCheckpoint(file);
        reads.push(read.position.step);
      }
    })();
    for (let i = 1; i <= 40; i++) await writeCheckpoint(file, checkpoint(i));
    writing = false;
    await reader;
    expect(reads.length).toBeGreaterThan(0);
    for (const step of reads) expect(step % 50).toBe(0);
    expect((await fs.readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("carry their stamp, and one of another plan or run is refused naming both; an unstamped one is read", async () => {
    const file = path.join(dir, "a.ckpt");
    const stamp = { plan: "sha256:aa", run: "run-1" };
    await writeCheckpoint(file, { ...checkpoint(1), stamp });
    const read = await readCheckpoint(file);
    expect(read.stamp).toEqual(stamp);
    expect(() => checkStamp(file, read, stamp)).not.toThrow();
    expect(() => checkStamp(file, read, { plan: "sha256:bb", run: "run-1" })).toThrow(/trained under plan sha256:aa, and this run's plan is sha256:bb/);
    expect(() => checkStamp(file, read, { plan: "sha256:aa", run: "run-2" })).toThrow(/written by run run-1, and this run is run-2/);
    // Written before stamps: readable, and not refused (the runner warns instead).
    await writeCheckpoint(file, checkpoint(1));
    const old = await readCheckpoint(file);
    expect(old).toEqual(checkpoint(1));
    expect("stamp" in old).toBe(false);
    expect(() => checkStamp(file, old, stamp)).not.toThrow();
  });
});
