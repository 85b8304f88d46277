import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { largestDifference } from "../policy/testing.js";
import { Adam, type AdamSettings } from "./adam.js";
import { selectBackend } from "./backend.js";

/** Two parameters, w [2, 2] and b [2]. */
interface Pair<T> {
  w: T;
  b: T;
}

/** Kingma & Ba's Algorithm 1 with AdamW's decoupled decay and a global-norm clip, in float64, over the flattened parameters. */
function scalarAdam(params: number[], grads: number[][], s: AdamSettings): number[] {
  const state = params.map((p) => ({ p, m: 0, v: 0 }));
  grads.forEach((step, t) => {
    const norm = Math.sqrt(step.reduce((a, g) => a + g * g, 0));
    const scale = s.clipGrad > 0 && Number.isFinite(s.clipGrad) && norm > s.clipGrad ? s.clipGrad / (norm + 1e-6) : 1;
    state.forEach((x, j) => {
      const g = step[j]! * scale;
      x.m = s.betas[0] * x.m + (1 - s.betas[0]) * g;
      x.v = s.betas[1] * x.v + (1 - s.betas[1]) * g * g;
      const mHat = x.m / (1 - s.betas[0] ** (t + 1));
      const vHat = x.v / (1 - s.betas[1] ** (t + 1));
      x.p -= s.lr * (mHat / (Math.sqrt(vHat) + 1e-8) + s.weightDecay * x.p);
    });
  });
  return state.map((x) => x.p);
}

const flat = (x: Pair<number[]>) => [...x.w, ...x.b];
const start: Pair<number[]> = { w: [0.5, -1, 2, 0.25], b: [3, -0.5] };
const grads: Pair<number[]>[] = [
  { w: [0.1, -0.2, 0.3, 0.05], b: [1, -2] },
  { w: [-0.4, 0.2, 0.1, 0], b: [0.5, 0.5] },
  { w: [2, 1, -3, 0.7], b: [-1, 0.1] },
];

/** tf.variableGrads's map of one step's gradients for `vars`. */
function gradients(vars: Pair<tf.Variable>, step: Pair<number[]>): tf.NamedTensorMap {
  return { [vars.w.name]: tf.tensor2d(step.w, [2, 2]), [vars.b.name]: tf.tensor1d(step.b) };
}

const valuesOf = (vars: Pair<tf.Variable>) => [...vars.w.dataSync(), ...vars.b.dataSync()];

async function run(s: AdamSettings, steps = grads.length): Promise<{ values: number[]; adam: Adam; vars: Pair<tf.Variable> }> {
  await selectBackend("cpu");
  const vars = { w: tf.variable(tf.tensor2d(start.w, [2, 2])), b: tf.variable(tf.tensor1d(start.b)) };
  const adam = new Adam(
    new Map<string, tf.Variable>([
      ["w", vars.w],
      ["b", vars.b],
    ]),
  );
  for (const step of grads.slice(0, steps)) {
    const g = gradients(vars, step);
    const flatGrad = adam.flatten(g);
    adam.apply(flatGrad, Adam.globalNorm(flatGrad), s);
    tf.dispose([flatGrad, ...Object.values(g)]);
  }
  return { values: valuesOf(vars), adam, vars };
}

describe("adam", () => {
  const base: AdamSettings = { lr: 0.1, betas: [0.9, 0.99], weightDecay: 0.05, clipGrad: 1 };

  it("matches the scalar AdamW with bias correction and global-norm clipping", async () => {
    // steps 1 (norm 2.27) and 3 (norm 3.94) are clipped, step 2 (norm 0.84) is not
    const { values, adam, vars } = await run(base);
    expect(largestDifference(values, scalarAdam(flat(start), grads.map(flat), base))).toBeLessThan(1e-6);
    expect(adam.updates).toBe(3);
    tf.dispose([vars.w, vars.b]);
    adam.dispose();
  });

  it("turns the clip off at clipGrad <= 0 or Infinity, and the decay off at 0", async () => {
    for (const clipGrad of [0, -1, Infinity]) {
      const s = { ...base, clipGrad, weightDecay: 0 };
      const { values, adam, vars } = await run(s);
      expect(largestDifference(values, scalarAdam(flat(start), grads.map(flat), s))).toBeLessThan(1e-6);
      const clipped = scalarAdam(flat(start), grads.map(flat), { ...s, clipGrad: 1 });
      expect(largestDifference(values, clipped)).toBeGreaterThan(1e-3);
      tf.dispose([vars.w, vars.b]);
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
    again.vars.w.assign(first.vars.w);
    again.vars.b.assign(first.vars.b);
    again.adam.setState(saved);
    expect(again.adam.state()).toEqual(saved);
    const g = gradients(again.vars, grads[2]!);
    const flatGrad = again.adam.flatten(g);
    again.adam.apply(flatGrad, Adam.globalNorm(flatGrad), base);
    expect(largestDifference(valuesOf(again.vars), scalarAdam(flat(start), grads.map(flat), base))).toBeLessThan(1e-6);

    again.adam.setState(undefined);
    expect(again.adam.state().step).toBe(0);
    expect([...again.adam.state().v.values()].every((v) => v.every((x) => x === 0))).toBe(true);
    expect(() => again.adam.setState({ step: 1, m: new Map([["w", new Float32Array(4)]]), v: saved.v })).toThrow(/no first moment for `b`/);
    expect(() =>
      again.adam.setState({
        ...saved,
        v: new Map([
          ["w", new Float32Array(3)],
          ["b", new Float32Array(2)],
        ]),
      }),
    ).toThrow(/3 values, expected 4/);
    tf.dispose([flatGrad, ...Object.values(g), first.vars.w, first.vars.b, again.vars.w, again.vars.b]);
    first.adam.dispose();
    again.adam.dispose();
  });
});
