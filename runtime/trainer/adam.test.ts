import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { Adam, type AdamSettings } from "./adam.js";
import { selectBackend } from "./backend.js";

/** Kingma & Ba's Algorithm 1 with AdamW's decoupled decay and a global-norm clip, in float64. */
function scalarAdam(params: number[][], grads: number[][][], s: AdamSettings): number[][] {
  const p = params.map((x) => [...x]);
  const m = p.map((x) => x.map(() => 0));
  const v = p.map((x) => x.map(() => 0));
  grads.forEach((step, t) => {
    const norm = Math.sqrt(step.flat().reduce((a, g) => a + g * g, 0));
    const scale = s.clipGrad > 0 && Number.isFinite(s.clipGrad) && norm > s.clipGrad ? s.clipGrad / (norm + 1e-6) : 1;
    p.forEach((x, i) =>
      x.forEach((_, j) => {
        const g = step[i][j] * scale;
        m[i][j] = s.betas[0] * m[i][j] + (1 - s.betas[0]) * g;
        v[i][j] = s.betas[1] * v[i][j] + (1 - s.betas[1]) * g * g;
        const mHat = m[i][j] / (1 - s.betas[0] ** (t + 1));
        const vHat = v[i][j] / (1 - s.betas[1] ** (t + 1));
        x[j] -= s.lr * (mHat / (Math.sqrt(vHat) + 1e-8) + s.weightDecay * x[j]);
      }),
    );
  });
  return p;
}

const start = [[0.5, -1, 2, 0.25], [3, -0.5]];
const grads = [
  [[0.1, -0.2, 0.3, 0.05], [1, -2]],
  [[-0.4, 0.2, 0.1, 0], [0.5, 0.5]],
  [[2, 1, -3, 0.7], [-1, 0.1]],
];

async function run(s: AdamSettings, steps = grads.length): Promise<{ values: number[][]; adam: Adam; vars: tf.Variable[] }> {
  await selectBackend("cpu");
  const vars = [tf.variable(tf.tensor2d(start[0], [2, 2])), tf.variable(tf.tensor1d(start[1]))];
  const adam = new Adam(new Map([["w", vars[0]], ["b", vars[1]]]));
  for (const step of grads.slice(0, steps)) {
    const g = new Map<string, tf.Tensor>([["w", tf.tensor2d(step[0], [2, 2])], ["b", tf.tensor1d(step[1])]]);
    const flat = adam.flatten(g);
    adam.apply(flat, Adam.globalNorm(flat), s);
    tf.dispose([flat, ...g.values()]);
  }
  return { values: vars.map((x) => Array.from(x.dataSync())), adam, vars };
}

function close(a: number[][], b: number[][], tolerance = 1e-6): void {
  a.forEach((x, i) => x.forEach((value, j) => expect(Math.abs(value - b[i][j]), `[${i}][${j}] ${value} vs ${b[i][j]}`).toBeLessThan(tolerance)));
}

describe("adam", () => {
  const base: AdamSettings = { lr: 0.1, betas: [0.9, 0.99], weightDecay: 0.05, clipGrad: 1 };

  it("matches the scalar AdamW with bias correction and global-norm clipping", async () => {
    // steps 1 (norm 2.27) and 3 (norm 3.94) are clipped, step 2 (norm 0.84) is not
    const { values, adam, vars } = await run(base);
    close(values, scalarAdam(start, grads, base));
    expect(adam.updates).toBe(3);
    tf.dispose(vars);
    adam.dispose();
  });

  it("turns the clip off at clipGrad <= 0 or Infinity, and the decay off at 0", async () => {
    for (const clipGrad of [0, -1, Infinity]) {
      const s = { ...base, clipGrad, weightDecay: 0 };
      const { values, adam, vars } = await run(s);
      close(values, scalarAdam(start, grads, s));
      const clipped = scalarAdam(start, grads, { ...s, clipGrad: 1 });
      expect(Math.abs(values[1][0] - clipped[1][0])).toBeGreaterThan(1e-3);
      tf.dispose(vars);
      adam.dispose();
    }
  });

  it("exports and restores its state: a restored optimizer continues exactly", async () => {
    const first = await run(base, 2);
    const saved = first.adam.state();
    expect(saved.step).toBe(2);
    expect([...saved.m.keys()]).toEqual(["w", "b"]);
    expect(saved.m.get("w")!.length).toBe(4);

    const again = await run(base, 0);
    again.vars.forEach((x, i) => x.assign(tf.tensor(first.values[i], x.shape)));
    again.adam.setState(saved);
    expect(again.adam.state()).toEqual(saved);
    const g = new Map<string, tf.Tensor>([["w", tf.tensor2d(grads[2][0], [2, 2])], ["b", tf.tensor1d(grads[2][1])]]);
    const flat = again.adam.flatten(g);
    again.adam.apply(flat, Adam.globalNorm(flat), base);
    close(again.vars.map((x) => Array.from(x.dataSync())), scalarAdam(start, grads, base));

    again.adam.setState(undefined);
    expect(again.adam.state().step).toBe(0);
    expect([...again.adam.state().v.values()].every((v) => v.every((x) => x === 0))).toBe(true);
    expect(() => again.adam.setState({ step: 1, m: new Map([["w", new Float32Array(4)]]), v: saved.v })).toThrow(/no first moment for `b`/);
    expect(() => again.adam.setState({ ...saved, v: new Map([["w", new Float32Array(3)], ["b", new Float32Array(2)]]) })).toThrow(/3 values, expected 4/);
    tf.dispose([flat, ...g.values(), ...first.vars, ...again.vars]);
    first.adam.dispose();
    again.adam.dispose();
  });
});
