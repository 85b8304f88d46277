/**
 * The learned PRM: its ONNX file, read by the `onnx(...)` reward scorer, computes what the
 * tfjs model it was trained as computes; and training on step_check's labels gives a model
 * that tells right steps from wrong ones on problems it never saw.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { splitSteps } from "../ops/batch.js";
import type { Architecture } from "../policy/architecture.js";
import { largestDifference } from "../policy/testing.js";
import { createOnnxScorer } from "../rewards/onnx-scorer.js";
import { rewardSource, sample } from "../rewards/testing.js";
import { generateProblems } from "../tasks/arith-generate.js";
import { createTokenizer } from "../tokenizer.js";
import { prmGraph, PRM_OUTPUT } from "./prm-graph.js";
import { PrmModel, prmBatch } from "./prm-model.js";
import { trainPrm } from "./train-prm.js";

const tokenizer = createTokenizer({ kind: "chars", alphabet: "0123456789+-*/()= \nanswer:" });
const arch: Architecture = { layers: 2, dModel: 64, heads: 4, context: 48, vocab: tokenizer.vocabSize + 1, eos: tokenizer.vocabSize, dropout: 0 };
const ADAM = { lr: 3e-3, betas: [0.9, 0.999] as [number, number], weightDecay: 0, clipGrad: 1 };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "roux-prm-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function encoded(responses: readonly { text: string; labels: number[] }[]) {
  return responses.map(({ text, labels }) => {
    const tokens = tokenizer.encode(text);
    return { text, tokens, stepEnds: Array.from(splitSteps(tokens, tokenizer.separator!)), labels };
  });
}

describe("learned PRM", () => {
  it("scores the same through its ONNX file as in training, batched with padding", async () => {
    const responses = encoded([
      { text: "7+5=12\n12*3=36\nanswer: 36", labels: [1, 1, 1] },
      { text: "1+1=2\nanswer: 2", labels: [0, 0] },
      { text: "9-3=6\n6/2=3\n3+3=6\nanswer: 6", labels: [1, 0, 0, 0] },
    ]);
    const model = await PrmModel.create(arch, 3, "cpu");
    try {
      const batch = prmBatch(responses, arch);
      for (let i = 0; i < 20; i++) model.step(batch, ADAM);
      const expected = model.probabilities(batch);
      const file = join(dir, "prm.onnx");
      await writeFile(file, prmGraph(arch, model.weights()));
      const scorer = createOnnxScorer(
        rewardSource({ kind: "onnx", path: file, input: "input_ids", output: PRM_OUTPUT, positive: 1, steps: "\n" }, { granularity: "process" }),
        {
          padId: arch.eos,
        },
      );
      try {
        const result = await scorer.score(responses.map((e) => sample(e.text, { tokens: e.tokens, stepEnds: e.stepEnds })));
        expect(result.failures).toEqual([]);
        const got = result.values.flatMap((v) => Array.from(v));
        expect(got).toHaveLength(expected.length);
        expect(largestDifference(got, expected)).toBeLessThan(5e-5);
        // Trained on these labels, it has moved toward them.
        expect(got[3]).toBeLessThan(got[0]!);
      } finally {
        await scorer.close();
      }
    } finally {
      model.dispose();
    }
  });

  it("learns step_check's labels on one-operator problems better than calling every step right", async () => {
    const problems = generateProblems(3000, { lo: 1, hi: 1 }, 11).map((p) => p.expr);
    const result = await trainPrm({
      arch,
      tokenizer,
      train: problems.slice(300),
      heldOut: problems.slice(0, 300),
      noise: 0,
      steps: 400,
      batch: 32,
      lr: 1e-3,
      seed: 1,
      device: "wasm",
    });
    // Calling every step right agrees on the right ones only and accepts every wrong one.
    expect(result.heldOut.agreement).toBeGreaterThan(result.heldOut.rightShare + 0.1);
    expect(result.heldOut.falseAccept).toBeLessThan(0.6);
    expect(result.onnx.length).toBeGreaterThan(1000);
  }, 120_000);
});
