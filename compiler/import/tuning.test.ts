/**
 * The tuning keys are keys of the engines at their pins: each name in tuning.ts is the name of a
 * key in verl's or Trinity-RFT's key list (compiler/export/keys/), so a renamed key is noticed
 * here instead of silently never matching.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../test/recipes.js";
import { EXPORT_TARGETS } from "../export/engines.js";
import { isTuningKey, TUNING_KEYS } from "./tuning.js";

function keyNames(): Set<string> {
  const lines = EXPORT_TARGETS.flatMap((target) => readFileSync(path.join(REPO_ROOT, "compiler/export/keys", `${target}.txt`), "utf8").split("\n"));
  return new Set(
    lines
      .filter((l) => l.trim() !== "" && !l.startsWith("#"))
      .map((l) =>
        l
          .replace(/ => .*$/, "")
          .split(".")
          .at(-1)!
          .replace("[]", ""),
      ),
  );
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
