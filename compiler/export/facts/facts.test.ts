/**
 * The checked-in facts: each file parses, names the commit and release engines.ts pins, and holds
 * what the exporters ask of it; key and argument lookups answer as the engines read them.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ENGINES, EXPORT_TARGETS } from "../engines.js";
import { acceptsArg, type EngineFacts, factsFile, keyFact, pinnedFacts, registered } from "./facts.js";
import { factsJson, REGENERATE } from "./generate.js";

describe("the checked-in engine facts", () => {
  for (const target of EXPORT_TARGETS) {
    it(`for ${target} name the pinned commit and release, and how to write them again`, () => {
      const facts = JSON.parse(readFileSync(factsFile(target), "utf8")) as EngineFacts;
      expect(facts.commit).toBe(ENGINES[target].commit);
      expect(facts.release).toBe(ENGINES[target].version);
      expect(facts.repository).toBe(ENGINES[target].repository);
      expect(facts.regenerate).toContain(REGENERATE);
      expect(Object.keys(facts.keys).length).toBeGreaterThan(100);
      // The file is the generator's own output: one key or name a line.
      expect(readFileSync(factsFile(target), "utf8")).toBe(factsJson(facts));
    });
  }

  it("hold the registries the exports choose from", () => {
    const { verl, trinity } = pinnedFacts();
    expect(Object.keys(verl.registries).sort()).toEqual(["adv_estimator", "kl_loss_type", "loss_agg_mode", "policy_loss"]);
    expect(Object.keys(trinity.registries).sort()).toEqual([
      "ADVANTAGE_FN",
      "ALGORITHM_TYPE",
      "ENTROPY_LOSS_FN",
      "KL_FN",
      "POLICY_LOSS_FN",
      "SAMPLE_STRATEGY",
      "loss_agg_mode",
    ]);
    expect(keyFact(verl, "actor_rollout_ref.actor.kl_loss_type")?.fact).toEqual({ type: "string", default: "low_var_kl" });
    expect(keyFact(trinity, "algorithm.optimizer.weight_decay")?.fact).toEqual({ type: "float", default: 0.01 });
    expect(registered(trinity, "ALGORITHM_TYPE", "grpo")?.defaults?.kl_loss_fn).toBe("k2");
  });

  it("match a map of configs by name, and any key under a free-form map", () => {
    const { trinity } = pinnedFacts();
    expect(keyFact(trinity, "buffer.trainer_input.auxiliary_buffers.expert.path")?.key).toBe("buffer.trainer_input.auxiliary_buffers.*.path");
    expect(keyFact(trinity, "algorithm.kl_loss_fn_args.kl_coef")?.key).toBe("algorithm.kl_loss_fn_args");
    expect(keyFact(trinity, "buffer.trainer_input.auxiliary_buffers.expert.no_such_key")).toBeUndefined();
  });

  it("accept a **kwargs argument only when the class is known to read it", () => {
    const mix = registered(pinnedFacts().trinity, "SAMPLE_STRATEGY", "mix");
    expect(mix?.anyArgs).toBe(true);
    expect(acceptsArg(mix, "expert_data_ratio")).toBe(true);
    expect(acceptsArg(mix, "expert_ratio")).toBe(false);
  });
});
