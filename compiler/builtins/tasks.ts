/**
 * Members of standard task modules that the runtime implements (generators and verifiers). A
 * `use "std/NAME"` module exposes these beside the declarations of recipes/std/NAME.recipe.
 */
import { T } from "../types.js";
import type { Builtin } from "./shape.js";

const generatorParams = [
  { name: "count", type: T.int, min: 1, doc: "how many problems" },
  { name: "depth", type: T.range, default: { range: [2, 4] as [number, number] }, doc: "operators per problem" },
  { name: "seed", type: T.int, default: 0, doc: "generator seed" },
];

export const TASK_MEMBERS: Readonly<Record<string, readonly Builtin[]>> = {
  arith: [
    {
      name: "problems",
      doc: "seeded arithmetic problems like `((7+5)*3)-4`, with their answers",
      params: generatorParams,
      result: T.dataset,
      positional: 0,
      refine: "promptsOnly",
    },
    {
      name: "solutions",
      doc: "problems with expert solutions: one step per line, then `answer: N`",
      params: generatorParams,
      result: T.dataset,
      positional: 0,
      refine: "withResponses",
    },
    {
      name: "answer_match",
      doc: "1 when the final `answer: N` is right, else 0",
      params: [],
      result: T.reward("outcome"),
      positional: 0,
      refine: "binaryReward",
    },
    {
      name: "step_check",
      doc: "per step: 1 when its operands come from the problem or earlier results and its result is right",
      params: [],
      result: T.reward("process"),
      positional: 0,
      refine: "binaryProcess",
    },
  ],
};
