/**
 * Facts about a built-in's result that its parameter table cannot state: the value range of a
 * reward, `heads` dividing `d_model`, PROF's need for a binary outcome, whether a dataset has
 * responses. Each refinement is named by a built-in's `refine` entry in the table.
 */
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Span } from "../../diagnostics/span.js";
import type { Granularity } from "../../grammar/ast.js";
import type { RefinementName } from "../builtins/shape.js";
import { T } from "../types.js";
import type { Checked, RewardRange } from "../values.js";
import { checkStage } from "./stage.js";

export interface RefineContext {
  report(diagnostic: Diagnostic): void;
  file: string;
  /** The value must be complete (a stage in a recipe); a module may leave a preset incomplete. */
  complete: boolean;
  /** The fields a `with` keeps from the stage it amends (not written in this stage). */
  inherited: ReadonlySet<string>;
}

type Refinement = (value: Checked, context: RefineContext) => Checked;

function arg(value: Checked, name: string): Checked | undefined {
  return value.call?.args.get(name);
}

function num(value: Checked | undefined): number | undefined {
  return value?.constant?.kind === "number" ? value.constant.value : undefined;
}

function withReward(value: Checked, granularity: Granularity, range: RewardRange): Checked {
  return { ...value, type: T.reward(granularity), reward: { ...range, granularity } };
}

/** E3103: `op` needs a binary outcome reward in `given`. Returns whether it has one. */
function requireBinaryOutcome(op: string, given: Checked | undefined, context: RefineContext): boolean {
  if (given?.reward === undefined) return false;
  const { granularity, binary, lo, hi } = given.reward;
  // The runtime tells success by `outcome === 1` (runtime/ops/prof.ts, gate.ts, renorm.ts), so
  // a two-valued reward other than {0, 1} (`0.5 * correct`) would filter or gate silently wrong.
  if (granularity === "outcome" && binary && lo === 0 && hi === 1) return true;
  const values = binary ? `values {${lo}, ${hi}}` : `values in [${lo}, ${hi}]`;
  const why = granularity !== "outcome" ? `a ${granularity} reward (not one value per response)` : `an outcome reward with ${values}, not {0, 1}`;
  context.report(
    diagnostic("E3103", { op }, given.span, {
      label: `this is ${why}`,
      secondary: given.declaration ? [{ span: given.declaration.span, message: `\`${given.declaration.name}\` is declared here` }] : [],
      help: "use a verifier such as `exact_match(...)`, or `threshold(r, t)` to make a reward binary",
    }),
  );
  return false;
}

export const REFINEMENTS: Readonly<Record<RefinementName, Refinement>> = {
  transformer(value, context) {
    const dModel = num(arg(value, "d_model"));
    const heads = arg(value, "heads");
    const h = num(heads);
    if (dModel !== undefined && h !== undefined && h > 0 && dModel % h !== 0) {
      context.report(
        diagnostic("E2105", { what: "`heads`", reason: `${h} does not divide d_model = ${dModel}` }, heads!.span, {
          label: "must divide d_model",
          secondary: [{ span: arg(value, "d_model")!.span, message: "d_model is set here" }],
          help: `each head gets d_model / heads dimensions; try heads = ${largestDivisorAtMost(dModel, h)}`,
        }),
      );
    }
    return value;
  },
  binaryReward: (value) => withReward(value, "outcome", { lo: 0, hi: 1, binary: true }),
  binaryProcess: (value) => withReward(value, "process", { lo: 0, hi: 1, binary: true }),
  promptsOnly: (value) => ({ ...value, dataset: { responses: false } }),
  withResponses: (value) => ({ ...value, dataset: { responses: true } }),
  jsonl: (value) => ({ ...value, dataset: { responses: arg(value, "response") !== undefined } }),
  expertData(value, context) {
    requireResponses(arg(value, "data"), `${value.call!.builtin} expert data`, context);
    return value;
  },
  onnx: (value) => withReward(value, "process", { lo: 0, hi: 1, binary: false }),
  js(value) {
    const range = arg(value, "range")?.constant;
    const known = range?.kind === "range" ? { lo: range.lo, hi: range.hi } : { lo: -Infinity, hi: Infinity };
    return withReward(value, "outcome", { ...known, binary: false });
  },
  lift(value) {
    const source = arg(value, "reward");
    return source?.reward ? withReward(value, "process", source.reward) : value;
  },
  prof(value, context) {
    const outcome = arg(value, "outcome");
    requireBinaryOutcome("PROF", outcome, context);
    return outcome?.reward ? withReward(value, "outcome", outcome.reward) : value;
  },
  renorm(value, context) {
    requireBinaryOutcome("ReNorm", arg(value, "outcome"), context);
    return withReward(value, "process", { lo: -1, hi: 1, binary: false });
  },
  gate(value, context) {
    const on = arg(value, "on");
    const process = arg(value, "process");
    requireBinaryOutcome("gate", on, context);
    const hi = (on?.reward?.hi ?? 1) + (process?.reward?.hi ?? 1);
    return withReward(value, "outcome", { lo: on?.reward?.lo ?? 0, hi, binary: false });
  },
  clip(value) {
    const source = arg(value, "reward");
    const lo = num(arg(value, "lo"));
    const hi = num(arg(value, "hi"));
    if (!source?.reward) return value;
    return withReward(value, source.reward.granularity, {
      lo: Math.max(source.reward.lo, lo ?? -Infinity),
      hi: Math.min(source.reward.hi, hi ?? Infinity),
      binary: source.reward.binary,
    });
  },
  threshold(value) {
    const source = arg(value, "reward");
    return withReward(value, source?.reward?.granularity ?? "outcome", { lo: 0, hi: 1, binary: true });
  },
  adam(value, context) {
    const lr = arg(value, "lr");
    const values = lr?.call?.args.get("values")?.constant;
    if (values?.kind === "transition" && values.to > values.from && lr?.call?.builtin !== "warmup_cosine") {
      context.report(
        diagnostic("W0002", { from: values.from, to: values.to }, lr!.span, {
          label: "the learning rate grows over the stage",
          help: "learning rates usually decay; write the transition high -> low",
        }),
      );
    }
    return value;
  },
  rl: (value, context) => checkStage(value, context),
  sft: (value, context) => checkStage(value, context),
};

/** E3202: a dataset without responses where a stage or expert learns from responses. */
export function requireResponses(data: Checked | undefined, user: string, context: RefineContext): void {
  if (data?.dataset === undefined || data.dataset.responses) return;
  const name = datasetName(data);
  const declared = declaredDataset(data);
  context.report(
    diagnostic("E3202", { name }, data.span, {
      label: `${user} learns from responses, and \`${name}\` has none`,
      secondary: declared ? [{ span: declared.span, message: `\`${declared.name}\` is declared here` }] : [],
      help: 'use a dataset with responses (`jsonl(...) { response = "..." }`, or a task\'s solutions)',
    }),
  );
}

/** How the user wrote a dataset: its name, `train.take(...)`, or `problems { ... }`. */
function datasetName(data: Checked): string {
  if (data.declaration) return data.declaration.name;
  const source = data.call?.args.get("dataset");
  if (source && data.call) return `${datasetName(source)}.${data.call.builtin}(...)`;
  return data.call ? `${data.call.builtin} { ... }` : "this dataset";
}

/** The declaration a dataset comes from, through `.take` and `.shuffle`. */
function declaredDataset(data: Checked): { name: string; span: Span } | undefined {
  const source = data.call?.args.get("dataset");
  return data.declaration ?? (source ? declaredDataset(source) : undefined);
}

function largestDivisorAtMost(n: number, limit: number): number {
  for (let d = Math.min(limit, n); d > 1; d--) if (n % d === 0) return d;
  return 1;
}

export function refine(name: RefinementName, value: Checked, context: RefineContext): Checked {
  return REFINEMENTS[name](value, context);
}
