/**
 * Checkpoint files: the policy's weights, the optimizer's state and where the run stood, in
 * one binary file written atomically (atomic-write.ts), so a kill at any moment leaves the
 * previous checkpoint or the new one, never a partial file. A file that is not a whole,
 * untampered checkpoint is refused with a CheckpointError saying what is wrong with it.
 *
 * Layout: the 8 bytes `ROUXCKPT`, a little-endian uint32 header length, the header as UTF-8
 * JSON, zero padding to a multiple of 4, then every tensor as little-endian float32 in the
 * header's order. The header carries the payload's sha256, which is checked on reading.
 *
 * The header also carries the checkpoint's stamp: the hash of the plan it was trained under and
 * the identity of the run that wrote it. `roux resume` and `roux eval` refuse a checkpoint whose
 * stamp is not their run's (checkStamp), so that a checkpoint of another recipe or another run,
 * copied into `ckpt/`, is never trained on. Checkpoints written before stamps have none; they are
 * read with a warning rather than refused, so that runs killed before the upgrade still resume.
 */
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import type { Weights } from "../policy/architecture.js";
import { writeFileAtomic } from "../record/atomic-write.js";
import type { Position } from "../record/events.js";
import { describeFsError } from "../../plan/fs-error.js";

const MAGIC = "ROUXCKPT";
const FORMAT_VERSION = 1;

export interface OptimizerState {
  /** Adam's step count, for the bias correction. */
  readonly step: number;
  readonly m: Weights;
  readonly v: Weights;
}

/** Whose checkpoint it is: the plan's hash (plan.json `hash`) and the run's identity (run-dir.ts). */
export interface Stamp {
  readonly plan: string;
  readonly run: string;
}

export interface Checkpoint {
  readonly position: Position;
  /** Absent in a checkpoint written before stamps; run-dir.ts stamps every checkpoint it writes. */
  readonly stamp?: Stamp;
  readonly weights: Weights;
  /** Null for a reference snapshot, which only ever scores. */
  readonly optimizer: OptimizerState | null;
}

export class CheckpointError extends Error {}

type Group = "weights" | "m" | "v";

interface Header {
  format: number;
  stamp?: Stamp;
  position: Position;
  optimizerStep: number | null;
  tensors: { group: Group; name: string; length: number }[];
  payloadBytes: number;
  sha256: string;
}

export async function writeCheckpoint(file: string, checkpoint: Checkpoint): Promise<void> {
  const tensors: { group: Group; name: string; values: Float32Array }[] = [];
  const add = (group: Group, weights: Weights) => {
    for (const [name, values] of weights) tensors.push({ group, name, values });
  };
  add("weights", checkpoint.weights);
  if (checkpoint.optimizer) {
    add("m", checkpoint.optimizer.m);
    add("v", checkpoint.optimizer.v);
  }
  const payloadBytes = tensors.reduce((n, t) => n + 4 * t.values.length, 0);
  const payload = Buffer.alloc(payloadBytes);
  let offset = 0;
  for (const t of tensors) {
    for (const x of t.values) offset = payload.writeFloatLE(x, offset);
  }
  const header: Header = {
    format: FORMAT_VERSION,
    stamp: checkpoint.stamp,
    position: checkpoint.position,
    optimizerStep: checkpoint.optimizer?.step ?? null,
    tensors: tensors.map((t) => ({ group: t.group, name: t.name, length: t.values.length })),
    payloadBytes,
    sha256: createHash("sha256").update(payload).digest("hex"),
  };
  const json = Buffer.from(JSON.stringify(header), "utf8");
  const prefix = Buffer.alloc(12);
  prefix.write(MAGIC, 0, "latin1");
  prefix.writeUInt32LE(json.length, 8);
  const padding = Buffer.alloc((4 - ((12 + json.length) % 4)) % 4);
  await writeFileAtomic(file, Buffer.concat([prefix, json, padding, payload]));
}

export async function readCheckpoint(file: string): Promise<Checkpoint> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    throw new CheckpointError(`cannot read checkpoint ${file}: ${describeFsError(error)}`);
  }
  const fail = (why: string) => new CheckpointError(`checkpoint ${file} is corrupt: ${why}`);
  if (bytes.length < 12 || bytes.toString("latin1", 0, 8) !== MAGIC) throw fail("it does not start with a checkpoint header");
  const headerLength = bytes.readUInt32LE(8);
  if (12 + headerLength > bytes.length) throw fail(`the header runs past the end of the file (${bytes.length} bytes)`);
  let header: Header;
  try {
    header = JSON.parse(bytes.toString("utf8", 12, 12 + headerLength)) as Header;
  } catch {
    throw fail("its header is not readable");
  }
  if (header.format !== FORMAT_VERSION) throw fail(`format ${header.format}, and this runtime reads format ${FORMAT_VERSION}`);
  const start = 12 + headerLength + ((4 - ((12 + headerLength) % 4)) % 4);
  if (bytes.length - start !== header.payloadBytes) {
    throw fail(`${bytes.length - start} bytes of weights where the header says ${header.payloadBytes} (a truncated or partly written file)`);
  }
  const payload = bytes.subarray(start);
  if (createHash("sha256").update(payload).digest("hex") !== header.sha256) throw fail("its weights do not match the checksum in its header");
  const groups: Record<Group, Weights> = { weights: new Map(), m: new Map(), v: new Map() };
  let offset = 0;
  for (const t of header.tensors) {
    const values = new Float32Array(t.length);
    for (let i = 0; i < t.length; i++, offset += 4) values[i] = payload.readFloatLE(offset);
    groups[t.group].set(t.name, values);
  }
  return {
    position: header.position,
    ...(header.stamp === undefined ? {} : { stamp: header.stamp }),
    weights: groups.weights,
    optimizer: header.optimizerStep === null ? null : { step: header.optimizerStep, m: groups.m, v: groups.v },
  };
}

/**
 * Refuses a checkpoint stamped for another plan or another run, naming both; says nothing of an
 * unstamped one (the caller warns: see the file's comment).
 */
export function checkStamp(file: string, checkpoint: Checkpoint, expected: Stamp): void {
  const { stamp } = checkpoint;
  if (stamp === undefined) return;
  if (stamp.plan !== expected.plan) {
    throw new CheckpointError(
      `checkpoint ${file} was trained under plan ${stamp.plan}, and this run's plan is ${expected.plan}: it is another recipe's checkpoint, and resuming from it would train on its weights`,
    );
  }
  if (stamp.run !== expected.run) {
    throw new CheckpointError(`checkpoint ${file} was written by run ${stamp.run}, and this run is ${expected.run}: it is another run's checkpoint`);
  }
}
