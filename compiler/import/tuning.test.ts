/**
 * The tuning keys are keys of the engines at their pins: each name in tuning.ts is the name of a
 * key in verl's or Trinity-RFT's config as the facts generated at the pin list them
 * (compiler/export/facts/), so a renamed key is noticed here instead of silently never matching.
 */
import { describe, expect, it } from "vitest";
import { EXPORT_TARGETS } from "../export/engines.js";
import { pinnedFacts } from "../export/facts/facts.js";
import { isTuningKey, TUNING_KEYS } from "./tuning.js";

/** The last segment of every key of both engines' configs (`a.b[].c` names `c`). */
function keyNames(): Set<string> {
  const facts = pinnedFacts();
  return new Set(EXPORT_TARGETS.flatMap((target) => Object.keys(facts[target].keys).map((key) => key.split(".").at(-1)!.replace("[]", ""))));
}

describe("tuning keys", () => {
  it("are all names of keys at the engines' pins", () => {
    const names = keyNames();
    expect([...TUNING_KEYS].filter((name) => !names.has(name))).toEqual([]);
  });

  it("are matched by a key's own name, not by a longer name that contains one", () => {
    expect(isTuningKey("actor_rollout_ref.rollout.gpu_memory_utilization")).toBe(true);
    expect(isTuningKey("actor_rollout_ref.actor.fsdp_config")).toBe(true);
    expect(isTuningKey("actor_rollout_ref.actor.ppo_mini_batch_size")).toBe(false);
    expect(isTuningKey("data.train_batch_size")).toBe(false);
  });
});
