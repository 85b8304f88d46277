/**
 * The Trinity-RFT algorithm block names only what the release registers and accepts: the stand-in
 * export wrote `kl_loss_fn: low_var_kl` and `clip_ratio_c` where the release had neither (a
 * crash at start-up), and `algorithm_type: grpo` with `advantage_fn: rloo`, which the experience
 * pipeline refuses. Another release is the pinned facts with names taken away.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../test/recipes.js";
import { exportPlan } from "./export.js";
import { pinnedFacts } from "./facts/facts.js";
import { factsWithout, registryProblems } from "./facts/testing.js";
import { checkForTarget, described } from "./testing.js";
import { trinityAlgorithmType, trinityKl, trinityRlAlgorithm } from "./trinity-algorithm.js";
import type { RlStage } from "../../plan/plan.js";

const recipe = (file: string) => readFileSync(path.join(REPO_ROOT, file), "utf8");

/** The hub GRPO recipe's RL stage, from `source` (the recipe's text, changed). */
function rlStage(source = recipe("recipes/hub/grpo.recipe")): RlStage {
  const { plan } = checkForTarget("recipes/hub/grpo.recipe", "trinity", 8, source);
  return plan!.stages.find((s): s is RlStage => s.kind === "rl")!;
}

describe("the Trinity-RFT algorithm block", () => {
  it("names the clamped k3 `low_var_kl` where the release has it, and plain `k3` where it does not", () => {
    expect(trinityKl("k3")).toBe("low_var_kl");
    // Trinity-RFT 0.3.x registered abs, k1, k2, k3 and none.
    const older = factsWithout(pinnedFacts(), "trinity", [
      { registry: "KL_FN", name: "low_var_kl" },
      { registry: "KL_FN", name: "corrected_k3" },
    ]);
    expect(trinityKl("k3", older.trinity)).toBe("k3");
    expect(trinityRlAlgorithm(rlStage(), {}, 8, older.trinity).kl_loss_fn).toBe("k3");
  });

  it("writes PPO's dual clip only to a PPO loss that takes `clip_ratio_c`, and refuses the recipe where it cannot", () => {
    expect(trinityRlAlgorithm(rlStage(), {}, 8).policy_loss_fn_args).toMatchObject({ clip_ratio_c: 3 });
    const older = factsWithout(pinnedFacts(), "trinity", [{ registry: "POLICY_LOSS_FN", name: "ppo", arg: "clip_ratio_c" }]);
    const args = trinityRlAlgorithm(rlStage(), {}, 8, older.trinity).policy_loss_fn_args;
    expect(args).toEqual({ clip_range_low: 0.2, clip_range_high: 0.28, loss_agg_mode: "token-mean" });
    const { diagnostics } = checkForTarget("recipes/hub/grpo.recipe", "trinity", 8, undefined, older);
    expect(diagnostics.map((d) => d.message)).toEqual(["PPO's dual clip (`dual_clip`) is not supported by Trinity-RFT"]);
    expect(diagnostics[0]?.notes).toEqual(["supported by the local runtime and verl"]);
  });

  it("trains RLOO with an algorithm type that computes the advantage in the trainer, where rloo can be computed", () => {
    const facts = pinnedFacts().trinity;
    expect(trinityAlgorithmType("ppo", "grpo")).toBe("grpo");
    expect(trinityAlgorithmType("ppo", "rloo")).toBe("rloo");
    expect(facts.registries.ADVANTAGE_FN?.names.rloo?.computeInTrainer).toBe(true);
    expect(facts.registries.ALGORITHM_TYPE?.names.rloo?.attributes?.compute_advantage_in_trainer).toBe(true);
    const { plan } = checkForTarget("recipes/hub/rloo.recipe", "trinity");
    const { config } = exportPlan(plan!, "trinity", 8);
    expect(config.algorithm).toMatchObject({ algorithm_type: "rloo", advantage_fn: "rloo" });
    expect(registryProblems("trinity", facts, config)).toEqual([]);
    // Without the rloo type, another that computes the advantage in the trainer, with PPO's loss
    // and a reference model for the KL term, trains it the same.
    const older = factsWithout(pinnedFacts(), "trinity", [{ registry: "ALGORITHM_TYPE", name: "rloo" }]);
    expect(trinityAlgorithmType("ppo", "rloo", older.trinity)).toBe("reinforceplusplus");
  });

  it("refuses RLOO with CHORD, whose algorithm types compute the advantage in the experience pipeline", () => {
    expect(trinityAlgorithmType("mix_chord", "grpo")).toBe("mix_chord");
    expect(trinityAlgorithmType("mix_chord", "rloo")).toBeUndefined();
    const source = recipe("recipes/hub/chord.recipe").replace("stage rl = grpo with {", "stage rl = rloo with {");
    const { diagnostics } = checkForTarget("recipes/hub/chord.recipe", "trinity", 8, source);
    expect(described(diagnostics)).toEqual([
      "recipes/hub/chord.recipe:17:7 E3401 the `rloo` advantage with CHORD's expert term is not supported by Trinity-RFT",
    ]);
    expect(diagnostics[0]?.help).toMatch(/can only be computed in the trainer/);
  });

  it("sets the loss aggregate where Trinity-RFT's validator reads it, the policy loss's argument agreeing", () => {
    const source = recipe("recipes/hub/grpo.recipe").replace("kl = k3(0.001, ref = init) }", "kl = k3(0.001, ref = init), aggregate = seq_mean_token_mean }");
    const algorithm = trinityRlAlgorithm(rlStage(source), {}, 8);
    expect(algorithm.loss_agg_mode).toBe("seq-mean-token-mean");
    expect(algorithm.policy_loss_fn_args).toMatchObject({ loss_agg_mode: "seq-mean-token-mean" });
  });
});
