/**
 * The scorer of a Plan's reward source, by its kind (docs/language.md §5): the built-in
 * verifiers, a user's js(...) function, an onnx(...) reward model, a standard task's verifier
 * (`std/arith`'s answer_match, step_check: runtime/tasks/scorer.ts).
 *
 * Throws only for a source that cannot be scored at all, before anything runs (an unknown task
 * verifier, an onnx process model whose step separator is not the run's). What goes wrong while
 * scoring, a bad pattern, a module or model that does not load, is reported per sample by `score`.
 */
import type { RewardSource as PlanRewardSource } from "../../plan/plan.js";
import { createTaskScorer } from "../tasks/scorer.js";
import { createJsScorer, type JsScorerOptions } from "./js-scorer.js";
import { createOnnxScorer, type OnnxScorerOptions } from "./onnx-scorer.js";
import type { RewardScorer } from "./source.js";
import { createVerifierScorer } from "./verifiers.js";

export interface ScorerOptions {
  js?: JsScorerOptions;
  onnx?: OnnxScorerOptions;
}

export function createScorer(source: PlanRewardSource, options: ScorerOptions = {}): RewardScorer {
  const kind = source.source;
  switch (kind.kind) {
    case "exact_match":
    case "numeric_match":
    case "regex_match":
      return createVerifierScorer(source);
    case "js":
      return createJsScorer(source, options.js);
    case "onnx":
      return createOnnxScorer(source, options.onnx);
    case "task":
      return createTaskScorer(source);
  }
}
