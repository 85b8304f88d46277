/**
 * The E3401 rows computed from the facts: what a release lacks is refused at `roux check
 * --target` instead of crashing the engine, and a value an engine would drop (verl's fixed GRPO
 * epsilon, which the stand-in export dropped without a word) is refused, not lost.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../test/recipes.js";
import { exportPlan } from "./export.js";
import { capabilityTable } from "./fact-capabilities.js";
import { pinnedFacts } from "./facts/facts.js";
import { factsWithout } from "./facts/testing.js";
import { checkForTarget, described } from "./testing.js";
import { verlGrpoEpsilon, verlKl } from "./verl-names.js";

const GRPO = "recipes/hub/grpo.recipe";
const grpoWith = (field: string) =>
  readFileSync(path.join(REPO_ROOT, GRPO), "utf8").replace("  optimizer = adam { lr = 1e-6 }\n", `  optimizer = adam { lr = 1e-6 }\n  ${field}\n`);

describe("the capability rows computed from the facts", () => {
  it("refuses a group_norm epsilon verl would drop, and exports it to Trinity-RFT", () => {
    expect(verlGrpoEpsilon()).toBe(1e-6);
    const source = grpoWith("advantage = group_norm(eps = 0.01)");
    const verl = checkForTarget(GRPO, "verl", 8, source).diagnostics;
    expect(described(verl)).toEqual([`${GRPO}:20:15 E3401 \`group_norm(eps = ...)\` other than verl's fixed 1e-6 is not supported by verl`]);
    expect(verl[0]?.notes).toEqual(["supported by the local runtime and Trinity-RFT"]);
    const trinity = checkForTarget(GRPO, "trinity", 8, source);
    expect(trinity.diagnostics).toEqual([]);
    expect(exportPlan(trinity.plan!, "trinity", 8).config.algorithm).toMatchObject({ advantage_fn_args: { epsilon: 0.01 } });
    // verl's own epsilon exports without a word.
    expect(checkForTarget(GRPO, "verl", 8, grpoWith("advantage = group_norm(eps = 1e-6)")).diagnostics).toEqual([]);
  });

  it("refuses a name the release does not register, at the field that asks for it", () => {
    const noK3 = factsWithout(pinnedFacts(), "verl", [
      { registry: "kl_loss_type", name: "low_var_kl" },
      { registry: "kl_loss_type", name: "k3" },
    ]);
    expect(verlKl("k3", noK3.verl)).toBeUndefined();
    const { diagnostics } = checkForTarget(GRPO, "verl", 8, undefined, noK3);
    expect(described(diagnostics)).toEqual([`${GRPO}:18:10 E3401 a \`k3\` KL term (\`kl = k3(...)\`) is not supported by verl`]);
    expect(diagnostics[0]?.notes).toEqual(["supported by the local runtime and Trinity-RFT"]);
    expect(diagnostics[0]?.help).toMatch(/^verl v0\.7\.0 register none of its names/);

    // An argument the release's class does not take is refused too, never dropped.
    const noEntropy = factsWithout(pinnedFacts(), "trinity", [{ registry: "ENTROPY_LOSS_FN", name: "default", arg: "entropy_coef" }]);
    expect(checkForTarget("recipes/hub/rloo.recipe", "trinity", 8, undefined, noEntropy).diagnostics.map((d) => d.message)).toEqual([
      "an entropy bonus (`entropy`) is not supported by Trinity-RFT",
    ]);

    const noRloo = factsWithout(pinnedFacts(), "trinity", [{ registry: "ADVANTAGE_FN", name: "rloo" }]);
    expect(checkForTarget("recipes/hub/rloo.recipe", "trinity", 8, undefined, noRloo).diagnostics.map((d) => d.message)).toEqual([
      "the `rloo` advantage is not supported by Trinity-RFT",
    ]);
  });

  it("leaves out a row every target supports at the pins", () => {
    const names = capabilityTable().map((f) => f.name);
    expect(names).not.toContain("a `k3` KL term (`kl = k3(...)`)");
    expect(names).not.toContain("the `rloo` advantage");
    expect(names).not.toContain("Adam betas other than [0.9, 0.999]");
    const noBetas = structuredClone(pinnedFacts());
    delete noBetas.verl.keys["actor_rollout_ref.actor.optim.betas"];
    expect(capabilityTable(noBetas).find((f) => f.name === "Adam betas other than [0.9, 0.999]")?.supported).toEqual(["local", "trinity"]);
  });
});
