/**
 * Reads an ONNX model's graph input and output names and its versions, so `roux check` can
 * report an `onnx { input, output }` name the model does not have (E3301) without loading
 * onnxruntime. It walks the protobuf wire format itself with positional reads and jumps over
 * every field it does not need: the initializers hold the weights and can be hundreds of MB,
 * and come before the inputs in the file, so a large model costs a few small reads.
 */
import type { FileHandle } from "node:fs/promises";
import { invalid, withFile, type OutsideFailure } from "./failure.js";

export interface OnnxHeader {
  readonly ok: true;
  readonly path: string;
  readonly irVersion: number;
  readonly opsets: readonly OpsetImport[];
  /** Graph inputs that are not also initializers: the ones a caller must feed. */
  readonly inputs: readonly string[];
  /** Every graph input, including initializers listed as inputs (weights with defaults a caller may override). */
  readonly allInputs: readonly string[];
  readonly outputs: readonly string[];
}

export interface OpsetImport {
  /** `""` is the default domain, ai.onnx. */
  readonly domain: string;
  readonly version: number;
}

/**
 * Field numbers from onnx.proto, checked against the schema compiled into the onnx-proto
 * package (ONNX 1.10); they are stable across ONNX versions.
 */
const MODEL = { irVersion: 1, graph: 7, opsetImport: 8 } as const;
const GRAPH = { initializer: 5, input: 11, output: 12, sparseInitializer: 15 } as const;
const VALUE_INFO = { name: 1 } as const;
const TENSOR = { name: 8 } as const;
const SPARSE_TENSOR = { values: 1 } as const;
const OPSET_ID = { domain: 1, version: 2 } as const;

const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;
const WINDOW_BYTES = 64 * 1024;
const MAX_VARINT_BYTES = 10;

export function readOnnxHeader(path: string): Promise<OnnxHeader | OutsideFailure> {
  return withFile(path, async (handle) => {
    const source = new Source(handle, (await handle.stat()).size);
    if (source.size === 0) return invalid(path, "the file is empty, not an ONNX model");
    try {
      return await readModel(source, path);
    } catch (error) {
      if (error instanceof Corrupt) return invalid(path, `not an ONNX model, or a truncated one: ${error.message}`);
      throw error;
    }
  });
}

async function readModel(source: Source, path: string): Promise<OnnxHeader | OutsideFailure> {
  let irVersion: number | undefined;
  let hasGraph = false;
  const opsets: OpsetImport[] = [];
  const graph: Graph = { allInputs: [], outputs: [], initializers: new Set() };
  for await (const field of fields(source, 0, source.size)) {
    switch (field.number) {
      case MODEL.irVersion:
        irVersion = expectWire(field, WIRE.varint).value;
        break;
      case MODEL.graph:
        // A message field given twice is merged by protobuf: its repeated fields concatenate.
        hasGraph = true;
        await readGraph(source, expectWire(field, WIRE.bytes), graph);
        break;
      case MODEL.opsetImport:
        opsets.push(await readOpset(source, expectWire(field, WIRE.bytes)));
        break;
    }
  }
  if (irVersion === undefined) return invalid(path, "not an ONNX model: it has no ir_version");
  if (!hasGraph) return invalid(path, "the ONNX model has no graph");
  const inputs = graph.allInputs.filter((name) => !graph.initializers.has(name));
  return { ok: true, path, irVersion, opsets, inputs, allInputs: graph.allInputs, outputs: graph.outputs };
}

interface Graph {
  allInputs: string[];
  outputs: string[];
  initializers: Set<string>;
}

async function readGraph(source: Source, graph: Field, into: Graph): Promise<void> {
  for await (const field of fields(source, graph.start, graph.end)) {
    switch (field.number) {
      case GRAPH.input:
        into.allInputs.push(await stringField(source, expectWire(field, WIRE.bytes), VALUE_INFO.name));
        break;
      case GRAPH.output:
        into.outputs.push(await stringField(source, expectWire(field, WIRE.bytes), VALUE_INFO.name));
        break;
      case GRAPH.initializer:
        into.initializers.add(await stringField(source, expectWire(field, WIRE.bytes), TENSOR.name));
        break;
      case GRAPH.sparseInitializer: {
        // A sparse initializer is named by its `values` tensor.
        const values = await lastField(source, expectWire(field, WIRE.bytes), SPARSE_TENSOR.values);
        if (values) into.initializers.add(await stringField(source, expectWire(values, WIRE.bytes), TENSOR.name));
        break;
      }
    }
  }
}

async function readOpset(source: Source, opset: Field): Promise<OpsetImport> {
  const version = await lastField(source, opset, OPSET_ID.version);
  return {
    domain: await stringField(source, opset, OPSET_ID.domain),
    version: version ? expectWire(version, WIRE.varint).value : 0,
  };
}

/** The string in `message`'s field `number`, `""` when absent (proto3's default). */
async function stringField(source: Source, message: Field, number: number): Promise<string> {
  const field = await lastField(source, message, number);
  if (!field) return "";
  expectWire(field, WIRE.bytes);
  try {
    return utf8.decode(await source.bytes(field.start, field.end - field.start));
  } catch {
    throw new Corrupt(`the string at byte ${field.start} is not UTF-8`);
  }
}

/** The last occurrence of a field wins in protobuf, for a scalar as for a string. */
async function lastField(source: Source, message: Field, number: number): Promise<Field | undefined> {
  let found: Field | undefined;
  for await (const field of fields(source, message.start, message.end)) {
    if (field.number === number) found = field;
  }
  return found;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The protobuf is not well formed: wrong bytes, or a file cut short. */
class Corrupt extends Error {}

/** One field of a message: its payload is `start..end` in the file; `value` is a varint's value. */
interface Field {
  readonly number: number;
  readonly wireType: number;
  readonly at: number;
  readonly start: number;
  readonly end: number;
  readonly value: number;
}

/** The fields of the message at `start..end`, in file order; payloads are not read. */
async function* fields(source: Source, start: number, end: number): AsyncGenerator<Field> {
  let at = start;
  while (at < end) {
    const tag = await varint(source, at, end);
    const number = Math.floor(tag.value / 8);
    const wireType = tag.value % 8;
    if (number === 0) throw new Corrupt(`field number 0 at byte ${at}`);
    let payloadStart = tag.next;
    let payloadEnd: number;
    let value = 0;
    switch (wireType) {
      case WIRE.varint: {
        const read = await varint(source, tag.next, end);
        value = read.value;
        payloadEnd = read.next;
        break;
      }
      case WIRE.fixed64:
        payloadEnd = tag.next + 8;
        break;
      case WIRE.fixed32:
        payloadEnd = tag.next + 4;
        break;
      case WIRE.bytes: {
        const length = await varint(source, tag.next, end);
        payloadStart = length.next;
        payloadEnd = length.next + length.value;
        break;
      }
      default:
        throw new Corrupt(`unknown wire type ${wireType} at byte ${at}`);
    }
    if (payloadEnd > end) {
      throw new Corrupt(`field ${number} at byte ${at} ends at byte ${payloadEnd}, past the end of its message at byte ${end}`);
    }
    yield { number, wireType, at, start: payloadStart, end: payloadEnd, value };
    at = payloadEnd;
  }
}

async function varint(source: Source, at: number, end: number): Promise<{ value: number; next: number }> {
  const bytes = await source.bytes(at, Math.min(MAX_VARINT_BYTES, end - at));
  let value = 0;
  for (const [i, byte] of bytes.entries()) {
    // Numbers, not bitwise ops: those truncate to 32 bits, and versions and lengths are int64.
    value += (byte & 0x7f) * 2 ** (7 * i);
    if (byte < 0x80) return { value, next: at + i + 1 };
  }
  throw new Corrupt(`unterminated varint at byte ${at}`);
}

function expectWire(field: Field, wireType: number): Field {
  if (field.wireType !== wireType) {
    throw new Corrupt(`field ${field.number} at byte ${field.at} has wire type ${field.wireType}, onnx.proto says ${wireType}`);
  }
  return field;
}

/**
 * Random access to the file through one cached window: jumping over a field costs nothing,
 * and the tags of neighbouring small fields share one read.
 */
class Source {
  private window: Uint8Array = new Uint8Array(0);
  private windowStart = 0;

  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  /** Up to `length` bytes from `at`; fewer only at the end of the file. */
  async bytes(at: number, length: number): Promise<Uint8Array> {
    const end = Math.min(at + length, this.size);
    const windowEnd = this.windowStart + this.window.length;
    if (at < this.windowStart || end > windowEnd) {
      const buffer = Buffer.alloc(Math.min(Math.max(WINDOW_BYTES, end - at), this.size - at));
      const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, at);
      this.window = buffer.subarray(0, bytesRead);
      this.windowStart = at;
    }
    return this.window.subarray(at - this.windowStart, end - this.windowStart);
  }
}
