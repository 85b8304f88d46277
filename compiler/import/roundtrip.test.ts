/**
 * The round trip: a recipe exported for a target and imported back has the same plan as the
 * original in every feature the export maps: the policy, each stage's length, batch, group,
 * sampling, reward expression and verifiers, data keys, advantage, loss, CHORD term and
 * optimizer. What the export does not carry is left out of the comparison: the names of
 * datasets and the data files' paths (the export copies them), the recipe's name and hash.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { recipeFiles, REPO_ROOT } from "../../test/recipes.js";
import { EXPORT_TARGETS, type ExportTarget } from "../export/engines.js";
import { exportPlan } from "../export/export.js";
import { rewardSpec } from "../export/reward-python.js";
import { checkForTarget, described } from "../export/testing.js";
import { chordExpertRows } from "../../plan/expert-rows.js";
import { findNode, nodeOf } from "../plan/nodes.js";
import type { Plan, Stage } from "../../plan/plan.js";
import { diskContext } from "./disk-context.js";
import { importConfig } from "./import.js";

const root = mkdtempSync(path.join(tmpdir(), "roux-roundtrip-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function mapped(plan: Plan) {
  const keys = (name: string) => {
    const source = plan.datasets.find((d) => d.name === name)?.source;
    return source?.kind === "jsonl" ? { prompt: source.prompt, response: source.response, answer: source.answer } : source;
  };
  const stage = (s: Stage) => {
    const step = nodeOf(s.graph, "Step").optimizer;
    const common = { kind: s.kind, length: s.length, optimizer: step };
    if (s.kind === "sft") return { ...common, batch: s.batch, data: keys(nodeOf(s.graph, "Batch").data) };
    const sample = nodeOf(s.graph, "Sample");
    const loss = nodeOf(s.graph, "Loss").loss;
    const expert = findNode(s.graph, "Expert")?.expert;
    return {
      ...common,
      batch: s.batch,
      group: s.group,
      ppo_epochs: s.ppo_epochs,
      sample: { temperature: sample.temperature, top_p: sample.top_p, max_tokens: sample.max_tokens, data: keys(sample.data) },
      reward: rewardSpec(plan, s),
      credit: nodeOf(s.graph, "Credit").credit,
      advantage: nodeOf(s.graph, "Advantage").ops,
      // clip_high equal to clip is no asymmetry: both engines take the pair.
      loss: loss.objective === "ppo" ? { ...loss, clip_high: loss.clip_high ?? loss.clip } : loss,
      eval: s.eval && { data: keys(s.eval.data), every: s.eval.every, temperature: s.eval.temperature, samples: s.eval.samples, rewards: s.eval.rewards },
      expert: expert?.method === "chord" ? { mu: expert.mu, phi: expert.phi, rows: chordExpertRows(expert.ratio, s.batch), data: keys(expert.data) } : expert,
    };
  };
  return { policy: plan.policy.kind === "hf" ? plan.policy.hub_name : plan.policy, stages: plan.stages.map(stage) };
}

function roundTrip(file: string, target: ExportTarget, source?: string): { original: Plan; imported: Plan | undefined; problems: string[] } {
  const original = checkForTarget(file, target, 8, source).plan!;
  const exported = exportPlan(original, target, 8);
  const folder = path.join(root, `${path.basename(file, ".recipe")}.${target}`);
  mkdirSync(folder, { recursive: true });
  for (const f of exported.files) writeFileSync(path.join(folder, f.path), f.text);
  for (const c of exported.copies) {
    mkdirSync(path.dirname(path.join(folder, c.to)), { recursive: true });
    writeFileSync(path.join(folder, c.to), readFileSync(c.from, "utf8"));
  }
  const config = path.join(folder, `${target}.yaml`);
  const recipeFile = path.join(folder, "imported.recipe");
  const { recipe, diagnostics } = importConfig(config, readFileSync(config, "utf8"), target, diskContext(folder, folder, {}));
  writeFileSync(recipeFile, recipe);
  const checked = checkForTarget(recipeFile, target, 8, recipe);
  return { original, imported: checked.plan, problems: [...described(diagnostics), ...described(checked.diagnostics)] };
}

describe("export then import", () => {
  for (const { file } of recipeFiles(path.join(REPO_ROOT, "recipes/hub"))) {
    for (const target of EXPORT_TARGETS) {
      if (checkForTarget(file, target).diagnostics.some((d) => d.severity === "error")) continue;
      it(`gives ${file} back for ${target} with the same plan in every mapped feature`, () => {
        const { original, imported, problems } = roundTrip(file, target);
        // The export sets tuning keys for the cluster it is given; the import says each is not carried.
        expect(problems.filter((p) => !/ W0004 `[^`]+` is not carried into the recipe$/.test(p))).toEqual([]);
        expect(mapped(imported!)).toEqual(mapped(original));
      });
    }
  }

  for (const target of EXPORT_TARGETS) {
    it(`gives back an eval block's own rewards and samples for ${target}`, () => {
      const file = "recipes/hub/grpo.recipe";
      const source = readFileSync(path.join(REPO_ROOT, file), "utf8").replace(
        "rewards = [correct] }",
        "rewards = [correct, 0.5 * format], temperature = 1.0, samples = 4 }",
      );
      const { original, imported, problems } = roundTrip(file, target, source);
      expect(problems.filter((p) => !/ W0004 `[^`]+` is not carried into the recipe$/.test(p))).toEqual([]);
      const rl = imported!.stages[0];
      if (rl?.kind !== "rl") throw new Error("the recipe's stage is RL");
      expect(rl.eval?.rewards.map((r) => r.label)).toEqual(["correct", "0.5 * format"]);
      expect(rl.eval?.samples).toBe(4);
      expect(mapped(imported!)).toEqual(mapped(original));
    });
  }

  it("would notice a feature the export dropped", () => {
    const { original, imported } = roundTrip("recipes/hub/grpo.recipe", "verl");
    const changed = structuredClone(imported!);
    const rl = changed.stages[0];
    if (rl?.kind !== "rl") throw new Error("the hub grpo recipe's stage is RL");
    rl.group = 4;
    expect(mapped(changed)).not.toEqual(mapped(original));
  });
});
