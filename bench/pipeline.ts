/**
 * The reward-to-advantage pipeline (docs/algorithms.md §0) on B = 64 prompts, G = 16, T = 1024
 * tokens and K = 16 steps per response, for three representative configurations. The baseline
 * is one pass over the same token array (a sum), the memory-bound floor any op must pay.
 */
import { packRollouts } from "../runtime/ops/batch.js";
import { rewardsToAdvantages, type PipelineConfig, type PipelineInput } from "../runtime/ops/pipeline.js";
import { mulberry32 } from "../runtime/ops/rng.js";
import { medianMillis, type Comparison } from "./measure.js";

const B = 64;
const G = 16;
const T = 1024;
const K = 16;
const SEPARATOR = 10;

function batch(): { input: Omit<PipelineInput, "reward">; outcome: Float32Array; process: Float32Array } {
  const random = mulberry32(7);
  const responses = Array.from({ length: B * G }, () => {
    const tokens = new Int32Array(T);
    for (let t = 0; t < T; t++) tokens[t] = (t + 1) % (T / K) === 0 ? SEPARATOR : 1 + Math.floor(random() * 20);
    return tokens;
  });
  const rollouts = packRollouts(G, responses, SEPARATOR);
  const outcome = Float32Array.from({ length: B * G }, () => (random() < 0.4 ? 1 : 0));
  const process = Float32Array.from({ length: rollouts.stepEnds.length }, () => random());
  const entropy = Float32Array.from({ length: B * G * T }, () => random());
  return { input: { rollouts, entropy }, outcome, process };
}

const CONFIGS: { name: string; config: PipelineConfig; reward: "outcome" | "process"; prof?: boolean }[] = [
  {
    name: "grpo (outcome, group_norm)",
    reward: "outcome",
    config: { credit: { kind: "outcome" }, advantage: [{ kind: "group_norm", std: true, eps: 1e-6 }], filter: { kind: "none" } },
  },
  {
    name: "prof + group_norm",
    reward: "outcome",
    prof: true,
    config: {
      credit: { kind: "outcome" },
      advantage: [{ kind: "group_norm", std: true, eps: 1e-6 }],
      filter: { kind: "prof", remove: 4, lengthPenalty: 0, stepBounds: [2, 30] },
    },
  },
  {
    name: "pure (min_form, rloo |> whiten)",
    reward: "process",
    config: { credit: { kind: "min_form", temperature: 0.1, strict: false }, advantage: [{ kind: "rloo" }, { kind: "whiten" }], filter: { kind: "none" } },
  },
];

export function pipelineBenches(): Comparison[] {
  const { input, outcome, process } = batch();
  const tokens = B * G * T;
  const floor = medianMillis(() => {
    let sum = 0;
    const e = input.entropy!;
    for (let i = 0; i < e.length; i++) sum += e[i]!;
    return sum;
  }, 9);
  return CONFIGS.map(({ name, config, reward, prof }) => {
    const full: PipelineInput = {
      ...input,
      reward: reward === "outcome" ? { granularity: "outcome", values: outcome } : { granularity: "process", values: process },
      prof: prof ? { outcome, process } : undefined,
    };
    const millis = medianMillis(() => rewardsToAdvantages(full, config), 9);
    return {
      name: `${name}: ${(((tokens / millis) * 1000) / 1e6).toFixed(0)}M tok/s`,
      millis,
      baseline: "one pass over the tokens",
      baselineMillis: floor,
      goal: "none yet; watch for regressions (each op is a pass or two over the tokens)",
    };
  });
}
