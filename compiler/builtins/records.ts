/**
 * The nested records a field takes as `{ ... }` (`sample`, `dynamic_sampling`, `eval`, `run`) and the methods of a
 * dataset (`x.take(n)`): checked like a built-in's arguments, from the same kind of table as
 * table.ts.
 */
import { T } from "../types.js";
import { type Builtin, builtin, type Param, type RecordName } from "./shape.js";

const stepsOrEpochs = T.duration("steps", "epochs");

/** Nested records a field takes as `{ ... }`: their fields, checked like a built-in's arguments. */
export const RECORDS: Readonly<Record<RecordName, readonly Param[]>> = {
  sample: [
    { name: "temperature", type: T.float, default: 1.0, min: 0, doc: "sampling temperature (0 is greedy)" },
    { name: "top_p", type: T.fraction, default: { percent: 100 }, above: 0, doc: "nucleus sampling mass" },
    { name: "max_tokens", type: T.duration("tokens"), doc: "longest response" },
  ],
  // DAPO's dynamic sampling (docs/algorithms.md §1.10). The cap has no default: each refill
  // round samples a whole batch again, so how much extra sampling a step may cost is the
  // recipe's decision.
  dynamic_sampling: [{ name: "max_refills", type: T.int, min: 1, doc: "extra rounds of `batch` prompts a step may sample, at most" }],
  eval: [
    { name: "data", type: T.dataset, doc: "evaluation prompts" },
    { name: "every", type: stepsOrEpochs, doc: "how often to evaluate" },
    {
      name: "rewards",
      type: [T.list(T.reward("outcome")), T.list(T.reward("process")), T.list(T.reward("token"))],
      doc: "rewards to report (any granularity)",
    },
    { name: "temperature", type: T.float, default: 0, min: 0, doc: "sampling temperature (0 is greedy)" },
    { name: "samples", type: T.int, default: 1, min: 1, doc: "answers drawn per prompt at `temperature` (k of pass@k)" },
  ],
  run: [
    { name: "stages", type: T.pipeline, doc: "the stages in order: `a -> b`" },
    { name: "policy", type: T.model, optional: true, doc: "the model (when the recipe declares exactly one, it is the default)" },
    { name: "seed", type: T.int, default: 0, min: 0, doc: "random seed" },
    { name: "device", type: T.device, default: { builtin: "auto" }, doc: "where training runs" },
    { name: "checkpoint_every", type: stepsOrEpochs, default: { duration: 50, unit: "steps" }, doc: "checkpoint interval" },
    { name: "out", type: T.string, default: "runs", doc: "folder for run directories" },
  ],
};

/** Dataset methods, written `x.take(n)`, `x.shuffle(seed)`. */
export const DATASET_METHODS: readonly Builtin[] = [
  builtin("take", "the first n examples", T.dataset, [{ name: "n", type: T.int, min: 1, doc: "how many" }]),
  builtin("shuffle", "the examples in a seeded random order", T.dataset, [{ name: "seed", type: T.int, doc: "the seed" }]),
];
