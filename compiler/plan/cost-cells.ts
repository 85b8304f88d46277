/**
 * A stage's cost estimate (cost.ts) as text, the same columns and rounding wherever it is shown:
 * `roux cost`'s table (docs/architecture.md "roux cost") and the language server's hover on a
 * stage. The time column is the caller's, since durations are formatted by the terminal UI.
 */
import type { StageCost } from "./cost.js";

export const COST_COLUMNS = ["params", "tokens/step", "rollout GFLOP", "train GFLOP", "reward GFLOP", "mem (MiB)"];

export function costCells(cost: StageCost): string[] {
  const reward = cost.rewardKind === "none" ? "–" : cost.rewardKind === "rules" ? "0 (rules)" : "? (model)";
  return [
    count(cost.params),
    cost.tokens.join("x"),
    cost.rolloutFlops === null ? "–" : gflop(cost.rolloutFlops),
    gflop(cost.trainFlops),
    reward,
    String(Math.round(cost.memoryBytes / 2 ** 20)),
  ];
}

/** 106176 as 106k. */
function count(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${Math.round(n / 1e3)}k`;
  return String(n);
}

/** One decimal, or two significant digits below 0.1 GFLOP. */
function gflop(flops: number): string {
  const g = flops / 1e9;
  return g === 0 ? "0" : g >= 0.1 ? g.toFixed(1) : g.toPrecision(2);
}
