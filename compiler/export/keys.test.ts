/**
 * Every key an export writes is a key of the pinned engine release's config, and every
 * registered name and argument it writes (or leaves to the algorithm type's default) is
 * registered and accepted there: the facts under facts/ are generated from the engine's files at
 * the commit engines.ts pins, and every export of the hub recipes is walked against them.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { recipeFiles, REPO_ROOT } from "../../test/recipes.js";
import { EXPORT_TARGETS } from "./engines.js";
import { exportPlan } from "./export.js";
import { pinnedFacts } from "./facts/facts.js";
import { registryProblems, unknownKeys } from "./facts/testing.js";
import { checkForTarget } from "./testing.js";

describe("the exported keys and names", () => {
  for (const target of EXPORT_TARGETS) {
    it(`are keys, names and arguments of ${target} at the pinned release`, () => {
      const facts = pinnedFacts()[target];
      let exports = 0;
      for (const { file } of recipeFiles(path.join(REPO_ROOT, "recipes/hub"))) {
        const { plan, diagnostics } = checkForTarget(file, target);
        if (plan === undefined || diagnostics.some((d) => d.severity === "error")) continue;
        exports++;
        const { config } = exportPlan(plan, target, 8);
        expect(unknownKeys(target, facts, config), file).toEqual([]);
        expect(registryProblems(target, facts, config), file).toEqual([]);
      }
      expect(exports).toBeGreaterThanOrEqual(3);
    });
  }

  it("catches a key the pinned release does not have, through lists and maps of configs", () => {
    const { verl, trinity } = pinnedFacts();
    expect(unknownKeys("verl", verl, { actor_rollout_ref: { actor: { clip_ratio_low: 0.2, clip_low: 0.2 } } })).toEqual(["actor_rollout_ref.actor.clip_low"]);
    expect(
      unknownKeys("trinity", trinity, {
        stages: [{ algorithm: { repeat_times: 8, n: 8 } }],
        buffer: { trainer_input: { auxiliary_buffers: { sft_dataset: { path: "x", paths: "y" } } } },
        // A free-form dict (`Optional[dict]`) takes any key: its registered class checks them.
        algorithm: { policy_loss_fn_args: { anything: 1 } },
      }),
    ).toEqual(["stages[].algorithm.n", "buffer.trainer_input.auxiliary_buffers.sft_dataset.paths"]);
  });

  it("catches a name or an argument the pinned release does not register", () => {
    const { verl, trinity } = pinnedFacts();
    expect(registryProblems("verl", verl, { actor_rollout_ref: { actor: { kl_loss_type: "k9" } }, algorithm: { adv_estimator: "rloo" } })).toEqual([
      "actor_rollout_ref.actor.kl_loss_type: k9 is not in kl_loss_type",
    ]);
    expect(
      registryProblems("trinity", trinity, {
        algorithm: { algorithm_type: "grpo", kl_loss_fn: "k9", policy_loss_fn_args: { clip_range_low: 0.2, clip_rato_c: 3 } },
      }),
    ).toEqual(["algorithm.policy_loss_fn_args.clip_rato_c: POLICY_LOSS_FN ppo takes no clip_rato_c", "algorithm.kl_loss_fn: k9 is not in KL_FN"]);
    // Defect 3 of the stand-in export: grpo computes the advantage in the experience pipeline,
    // which asserts rloo "can only be computed in the trainer".
    expect(registryProblems("trinity", trinity, { algorithm: { algorithm_type: "grpo", advantage_fn: "rloo" } })).toEqual([
      "algorithm.advantage_fn: rloo can only be computed in the trainer, and grpo computes it in the experience pipeline",
    ]);
  });
});
