/**
 * The granularity of a reward expression's value, as the runtime computes it
 * (runtime/reward-graph/expr.ts): arithmetic keeps its operands' granularity (a number
 * broadcasts), `at_end` and `each_step` lift an outcome reward to steps, `renorm` gives a
 * process reward and `gate` an outcome one. The checker types recipes by the same rules
 * (E2104); plan/check-plan.ts holds a plan to them.
 */
import type { Granularity, RewardExpr } from "./plan.js";

/** A reward's granularity, or "number" for an expression without a reward. */
export type Typed = Granularity | "number";

/**
 * `value` and `reward` give a leaf's granularity, undefined when it has none (a broken
 * reference, which another rule reports). Each mismatch is reported and makes the result
 * undefined, so one mistake is reported once.
 */
export function rewardGranularity(
  expr: RewardExpr,
  value: (node: string) => Granularity | undefined,
  reward: (name: string) => Granularity | undefined,
  report: (message: string) => void,
): Typed | undefined {
  const sub = (e: RewardExpr) => rewardGranularity(e, value, reward, report);
  const need = (e: RewardExpr, wanted: Granularity, role: string): boolean => {
    const found = sub(e);
    if (found !== undefined && found !== wanted) report(`${role} of \`${expr.op}\` is ${article(found)}, not ${article(wanted)}`);
    return found === wanted;
  };
  switch (expr.op) {
    case "value":
      return value(expr.node);
    case "reward":
      return reward(expr.name);
    case "const":
      return "number";
    case "+":
    case "-":
    case "*":
    case "/": {
      const [left, right] = [sub(expr.left), sub(expr.right)];
      if (left === undefined || right === undefined) return undefined;
      if (left === "number" || right === "number" || left === right) return left === "number" ? right : left;
      report(`\`${expr.op}\` of ${article(left)} and ${article(right)}`);
      return undefined;
    }
    case "neg":
      return sub(expr.operand);
    case "clip":
    case "threshold":
      return sub(expr.reward);
    case "at_end":
    case "each_step":
      return need(expr.reward, "outcome", "the argument") ? "process" : undefined;
    case "renorm":
      return [need(expr.process, "process", "`process`"), need(expr.outcome, "outcome", "`outcome`")].every(Boolean) ? "process" : undefined;
    case "gate":
      return [need(expr.process, "process", "`process`"), need(expr.on, "outcome", "`on`")].every(Boolean) ? "outcome" : undefined;
  }
}

/** `an outcome reward`, `a number`: a type as messages name it. */
export function article(typed: Typed | undefined): string {
  if (typed === undefined) return "no reward";
  return typed === "number" ? "a number" : `${typed === "outcome" ? "an" : "a"} ${typed} reward`;
}
