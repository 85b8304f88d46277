import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { KvCache } from "./kv-cache.js";

const shape = { layers: 2, heads: 2, dh: 3 };

function floats(tensor: ort.Tensor | null | undefined): Float32Array {
  if (!tensor) throw new Error("no such tensor");
  return tensor.data as Float32Array;
}

/** What a run would write: present value i of every output is `100 * output + i`. */
function writePresent(cache: KvCache, added: number): void {
  const fetches: Record<string, ort.Tensor | null> = {};
  cache.presentFetches(fetches, added);
  Object.values(fetches).forEach((tensor, output) => {
    const data = floats(tensor);
    for (let i = 0; i < data.length; i++) data[i] = 100 * output + i;
  });
  cache.advance(added);
}

describe("the sampler's KV cache", () => {
  it("feeds a run's present outputs to the next run as its past, and keeps the rows asked for in order", () => {
    const cache = new KvCache(ort, shape, 4, 6);
    const empty: Record<string, ort.Tensor> = {};
    cache.pastFeeds(empty);
    expect(Object.keys(empty)).toEqual(["past_key.0", "past_value.0", "past_key.1", "past_value.1"]);
    expect(empty["past_key.0"]?.dims).toEqual([4, 2, 0, 3]);

    writePresent(cache, 5);
    const before: Record<string, ort.Tensor> = {};
    cache.pastFeeds(before);
    expect(before["past_value.1"]?.dims).toEqual([4, 2, 5, 3]);
    expect(floats(before["past_value.1"])[7]).toBe(307);
    const rows = (tensor: ort.Tensor | undefined) => {
      const data = Array.from(floats(tensor));
      const size = data.length / tensor!.dims[0]!;
      return Array.from({ length: tensor!.dims[0]! }, (_, r) => data.slice(r * size, (r + 1) * size));
    };
    const kept = Object.fromEntries(Object.entries(before).map(([name, tensor]) => [name, rows(tensor)]));

    // Row 0 stays where it is, rows 2 and 3 move forward over the dropped row 1.
    cache.dropRows([0, 2, 3]);
    const after: Record<string, ort.Tensor> = {};
    cache.pastFeeds(after);
    for (const [name, tensor] of Object.entries(after)) {
      expect(tensor.dims).toEqual([3, 2, 5, 3]);
      const old = kept[name]!;
      expect(rows(tensor)).toEqual([old[0], old[2], old[3]]);
    }
    // The next run writes one more position for the rows still in, into the other buffer.
    const next: Record<string, ort.Tensor | null> = {};
    cache.presentFetches(next, 1);
    expect(next["present_key.0"]?.dims).toEqual([3, 2, 6, 3]);
    expect(floats(next["present_key.0"]).buffer).not.toBe(floats(after["past_key.0"]).buffer);
  });
});
