/**
 * Training the arithmetic lab's process reward model (prm-model.ts) on step_check's labels
 * with label noise (runtime/tasks/arith-step-labels.ts), then measuring it on held-out problems
 * against the clean labels, and writing it as ONNX (prm-graph.ts).
 *
 * Held-out figures are what a user needs to judge the PRM before trusting it as a reward:
 * agreement with step_check, and the two ways it errs. `falseAccept` (a wrong step scored
 * >= 0.5) is the door to reward hacking.
 */
import { below, mulberry32 } from "../ops/rng.js";
import { splitSteps } from "../ops/batch.js";
import type { Architecture, Weights } from "../policy/architecture.js";
import type { Expr } from "../tasks/arith-expr.js";
import { labelledResponses, type LabelledResponse } from "../tasks/arith-step-labels.js";
import type { Tokenizer } from "../tokenizer.js";
import type { Device } from "../trainer/backend.js";
import { prmGraph } from "./prm-graph.js";
import { PrmModel, prmBatch, type PrmBatch } from "./prm-model.js";

export interface PrmTrainingOptions {
  readonly arch: Architecture;
  readonly tokenizer: Tokenizer;
  readonly train: readonly Expr[];
  readonly heldOut: readonly Expr[];
  /** Probability of flipping each training label. */
  readonly noise: number;
  readonly steps: number;
  /** Responses per step. */
  readonly batch: number;
  readonly lr: number;
  readonly seed: number;
  readonly device: Device;
  /** The decoder's starting weights (a policy checkpoint's); fresh when absent. */
  readonly init?: Weights;
  onStep?(step: number, loss: number): void;
}

export interface HeldOutReport {
  readonly steps: number;
  /** Steps where p(right) >= 0.5 matches step_check. */
  readonly agreement: number;
  /** Of the steps step_check rejects, the share the PRM scores >= 0.5. */
  readonly falseAccept: number;
  /** Of the steps step_check accepts, the share the PRM scores < 0.5. */
  readonly falseReject: number;
  /** The share of steps step_check accepts: the agreement of a PRM that calls every step right. */
  readonly rightShare: number;
}

export interface PrmTrainingResult {
  readonly onnx: Uint8Array;
  readonly finalLoss: number;
  readonly heldOut: HeldOutReport;
}

/** Of the responses, the share that are expert solutions; the rest are damaged. */
const CLEAN_SHARE = 0.3;
const ADAM = { betas: [0.9, 0.999] as [number, number], weightDecay: 0, clipGrad: 1 };

export async function trainPrm(options: PrmTrainingOptions): Promise<PrmTrainingResult> {
  const rng = mulberry32(options.seed);
  const separator = options.tokenizer.separator;
  if (separator === undefined) throw new Error("the tokenizer has no newline, so a response has no steps for a PRM to score");
  const encode = (responses: LabelledResponse[], clean: boolean) =>
    responses.map((r) => {
      const tokens = options.tokenizer.encode(r.steps.join("\n"));
      return { tokens, stepEnds: Array.from(splitSteps(tokens, separator)), labels: clean ? r.clean : r.labels };
    });
  if (options.train.length === 0) throw new Error("PRM training needs at least one training problem");
  const train = encode(labelledResponses(options.train, rng, { noise: options.noise, clean: CLEAN_SHARE }), false);
  const heldOut = prmBatch(encode(labelledResponses(options.heldOut, rng, { noise: 0, clean: CLEAN_SHARE }), true), options.arch);
  const model = await PrmModel.create(options.arch, options.seed, options.device, options.init);
  try {
    let loss = NaN;
    for (let step = 0; step < options.steps; step++) {
      const rows = Array.from({ length: options.batch }, () => train[below(rng, train.length)]!);
      // Cosine decay to a tenth: the same shape as the recipes' SFT warm-ups.
      const lr = options.lr * (0.1 + 0.45 * (1 + Math.cos((Math.PI * step) / options.steps)));
      loss = model.step(prmBatch(rows, options.arch), { ...ADAM, lr });
      options.onStep?.(step + 1, loss);
    }
    return { onnx: prmGraph(options.arch, model.weights()), finalLoss: loss, heldOut: report(model, heldOut) };
  } finally {
    model.dispose();
  }
}

function report(model: PrmModel, batch: PrmBatch): HeldOutReport {
  const p = model.probabilities(batch);
  let agree = 0;
  let wrong = 0;
  let accepted = 0;
  let right = 0;
  let rejected = 0;
  // p holds one probability per label, in order.
  batch.labels.forEach((label, k) => {
    const says = p[k]! >= 0.5 ? 1 : 0;
    if (says === label) agree++;
    if (label === 0) {
      wrong++;
      accepted += says;
    } else {
      right++;
      rejected += 1 - says;
    }
  });
  const share = (a: number, b: number) => (b > 0 ? a / b : 0);
  return {
    steps: batch.labels.length,
    agreement: share(agree, batch.labels.length),
    falseAccept: share(accepted, wrong),
    falseReject: share(rejected, right),
    rightShare: share(right, batch.labels.length),
  };
}
