/**
 * Reward expressions (docs/language.md §5, "Reward expressions"): from the checked tree to the
 * plan's RewardExpr. The walkers and the printer belong to the plan (plan/reward-expr.ts). The
 * checker records `+ - * /` and unary minus as calls named by the operator, with `left`/`right`
 * and `operand` arguments.
 */
import type { Checked } from "../values.js";
import { isRewardSource } from "./catalog.js";
import type { RewardExpr } from "../../plan/plan.js";
import { builtinOf, LoweringError, need, num } from "./read.js";

export interface Leaves {
  /** A reward source (a verifier, a reward model) as a leaf of the tree. */
  source(value: Checked): RewardExpr;
  /** `prof(...)`: its value is the outcome, filtered; how the filter is kept is the caller's. */
  prof(value: Checked): RewardExpr;
}

export function rewardTree(value: Checked, leaves: Leaves): RewardExpr {
  if (isRewardSource(value)) return leaves.source(value);
  const sub = (name: string) => rewardTree(need(value, name), leaves);
  // An arithmetic operand is a reward or a number (`2 * steps - 1`).
  const operand = (name: string): RewardExpr => {
    const arg = need(value, name);
    return arg.reward === undefined ? { op: "const", value: num(arg) } : rewardTree(arg, leaves);
  };
  const op = builtinOf(value);
  switch (op) {
    case "+":
    case "-":
    case "*":
    case "/":
      return { op, left: operand("left"), right: operand("right") };
    case "neg":
      return { op, operand: sub("operand") };
    case "at_end":
    case "each_step":
      return { op, reward: sub("reward") };
    case "renorm":
      return { op, process: sub("process"), outcome: sub("outcome") };
    case "gate":
      return { op, process: sub("process"), on: sub("on") };
    case "clip":
      return { op, reward: sub("reward"), lo: num(need(value, "lo")), hi: num(need(value, "hi")) };
    case "threshold":
      return { op, reward: sub("reward"), t: num(need(value, "t")) };
    case "prof":
      return leaves.prof(value);
    default:
      throw new LoweringError(`\`${op}\` is not a reward expression`);
  }
}
