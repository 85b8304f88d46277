/**
 * The sampler's KV cache on buffers it owns, so a decoding step allocates and copies nothing the
 * graph does not: onnxruntime writes each run's `present_*` outputs straight into one buffer per
 * layer and kind (pre-allocated outputs), and the next run reads them from there as its `past_*`
 * inputs. Two buffers per input take turns (a run cannot read and write one), each sized for the
 * longest cache of the batch, and a step's tensors are views of their fronts: [rows, heads, T, dh]
 * is contiguous, so a shorter or narrower cache is a prefix.
 *
 * Rows that finish leave the cache by moving the rows after them forward in place (dropRows),
 * which also keeps the draw order: rows stay in prompt order.
 */
import type { Tensor } from "onnxruntime-node";
import { pastKey, pastValue, presentKey, presentValue } from "./policy-graph.js";

type Ort = typeof import("onnxruntime-node");

export interface CacheShape {
  readonly layers: number;
  readonly heads: number;
  /** Head width, d_model / heads. */
  readonly dh: number;
}

export class KvCache {
  /** [past, present] per graph input: past_key.{l}, past_value.{l} for every layer l. */
  private readonly buffers: [Float32Array, Float32Array][];
  private readonly names: { past: string; present: string }[];
  private rows: number;
  /** Positions in the past buffers, padding included. */
  private cached = 0;

  /**
   * Room for `rows` rows of up to `positions` positions; no rows cached yet (the prefill's
   * past is empty).
   */
  constructor(
    private readonly ort: Ort,
    private readonly shape: CacheShape,
    rows: number,
    positions: number,
  ) {
    this.rows = rows;
    const size = rows * shape.heads * positions * shape.dh;
    this.names = Array.from({ length: shape.layers }, (_, l) => [
      { past: pastKey(l), present: presentKey(l) },
      { past: pastValue(l), present: presentValue(l) },
    ]).flat();
    this.buffers = this.names.map(() => [new Float32Array(size), new Float32Array(size)]);
  }

  /** Positions cached, padding included. */
  get positions(): number {
    return this.cached;
  }

  /** The past inputs of the next run: every cached position of every row still in. */
  pastFeeds(feeds: Record<string, Tensor>): void {
    this.names.forEach(({ past }, i) => {
      feeds[past] = this.view(this.buffers[i]![0], this.cached);
    });
  }

  /** Where the next run writes its present outputs: `added` more positions than the past. */
  presentFetches(fetches: Record<string, Tensor | null>, added: number): void {
    this.names.forEach(({ present }, i) => {
      fetches[present] = this.view(this.buffers[i]![1], this.cached + added);
    });
  }

  /** After the run: its present becomes the past of the next one. */
  advance(added: number): void {
    for (const pair of this.buffers) pair.reverse();
    this.cached += added;
  }

  /** Keeps rows `keep` (ascending indices among the rows cached) and drops the others. */
  dropRows(keep: readonly number[]): void {
    const size = this.shape.heads * this.cached * this.shape.dh;
    for (const [past] of this.buffers) {
      // keep[j] >= j: each move goes forward onto rows already moved or dropped.
      keep.forEach((r, j) => {
        if (r !== j) past.copyWithin(j * size, r * size, (r + 1) * size);
      });
    }
    this.rows = keep.length;
  }

  private view(buffer: Float32Array, positions: number): Tensor {
    const { heads, dh } = this.shape;
    return new this.ort.Tensor("float32", buffer.subarray(0, this.rows * heads * positions * dh), [this.rows, heads, positions, dh]);
  }
}
