/**
 * Golden tests of `roux export`: for each recipe under recipes/hub and each target that can
 * express it, the config, reward module and launch script must equal the files under
 * golden/RECIPE.TARGET/. `UPDATE_GOLDEN=1 npx vitest run compiler/export` rewrites them; review
 * the diff. The recipes a target cannot express are listed with the features it lacks.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { recipeFiles, REPO_ROOT } from "../../test/recipes.js";
import { ENGINES, EXPORT_TARGETS, type ExportTarget } from "./engines.js";
import { exportPlan } from "./export.js";
import { checkForTarget, described } from "./testing.js";

/** What each target refuses among the hub recipes, by recipe: the E3401 features. */
const REFUSED: Readonly<Record<string, Partial<Record<ExportTarget, string[]>>>> = {
  chord: { verl: ["an SFT stage is not supported by verl", "CHORD's expert term (`expert = chord { ... }`) is not supported by verl"] },
  "dr-grpo": { trinity: ["`group_norm(std = false)` (Dr. GRPO) is not supported by Trinity-RFT"] },
};

describe("roux export", () => {
  for (const { file } of recipeFiles(path.join(REPO_ROOT, "recipes/hub"))) {
    const name = path.basename(file, ".recipe");
    for (const target of EXPORT_TARGETS) {
      const refused = REFUSED[name]?.[target];
      if (refused) {
        it(`refuses ${file} for ${target}, naming what ${target} lacks`, () => {
          const { diagnostics } = checkForTarget(file, target);
          expect(diagnostics.every((d) => d.code === "E3401")).toBe(true);
          expect(diagnostics.map((d) => d.message)).toEqual(refused);
        });
        continue;
      }
      it(`exports ${file} for ${target} as its golden files`, () => {
        const { plan, diagnostics } = checkForTarget(file, target);
        expect(described(diagnostics)).toEqual([]);
        const exported = exportPlan(plan!, target, 8);
        const folder = path.join(REPO_ROOT, "compiler/export/golden", `${name}.${target}`);
        for (const out of exported.files) {
          const golden = path.join(folder, out.path);
          if (process.env.UPDATE_GOLDEN) {
            mkdirSync(folder, { recursive: true });
            writeFileSync(golden, out.text);
          }
          expect(existsSync(golden), `${golden} is missing (run with UPDATE_GOLDEN=1)`).toBe(true);
          expect(out.text, golden).toBe(readFileSync(golden, "utf8"));
        }
        expect(exported.copies.map((c) => path.relative(REPO_ROOT, c.from))).toContain("recipes/hub/data/math.jsonl");
      });
    }
  }

  it("asks each engine for the eval's k samples a prompt, and leaves its default of one alone", () => {
    const file = "recipes/hub/grpo.recipe";
    const sampling = readFileSync(path.join(REPO_ROOT, file), "utf8").replace("rewards = [correct] }", "rewards = [correct], temperature = 1.0, samples = 8 }");
    const configOf = (target: ExportTarget, source?: string) => JSON.stringify(exportPlan(checkForTarget(file, target, 8, source).plan!, target, 8).config);
    expect(configOf("verl", sampling)).toContain('"val_kwargs":{"temperature":1,"do_sample":true,"n":8}');
    // Trinity-RFT's scheduler sets each task's rollout_args.n to its taskset's repeat_times
    // (trinity/explorer/scheduler.py, RunnerWrapper.run_with_retry): an `n` there is overwritten.
    expect(configOf("trinity", sampling)).toContain('"rollout_args":{"temperature":1},"repeat_times":8}');
    expect(configOf("trinity", sampling)).not.toContain('"n":8');
    expect(configOf("verl")).toContain('"val_kwargs":{"temperature":0,"do_sample":false}');
    expect(configOf("trinity")).toContain('"rollout_args":{"temperature":0}');
  });

  /** The value at a dotted path of the hub recipe's exported config. */
  const valueAt = (file: string, target: ExportTarget, key: string): unknown =>
    key
      .split(".")
      .reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part], exportPlan(checkForTarget(file, target).plan!, target, 8).config);

  it("puts checkpoints and logs under the absolute folder launch.sh sets, never a relative path inside Ray's copy of the export", () => {
    for (const file of ["recipes/hub/grpo.recipe", "recipes/hub/rloo.recipe"]) {
      expect(valueAt(file, "verl", "trainer.default_local_dir"), file).toMatch(/^\$\{oc\.env:ROUX_OUT\}\/roux\/hub_\w+-rl$/);
    }
    for (const file of ["recipes/hub/grpo.recipe", "recipes/hub/chord.recipe"]) {
      // Trinity-RFT writes its checkpoints, logs and monitor files under checkpoint_root_dir/project/name.
      expect(valueAt(file, "trinity", "checkpoint_root_dir"), file).toBe(`\${oc.env:ROUX_OUT}`);
    }
  });

  it("writes what a user of the engine expects to find: logging, the chat template, verl's padding and rollout memory", () => {
    const verl = (key: string) => valueAt("recipes/hub/grpo.recipe", "verl", key);
    // verl's own default logger list has wandb, which fails without a key: launch.sh adds it when there is one.
    expect(verl("trainer.logger")).toEqual(["console", "tensorboard"]);
    expect(verl("actor_rollout_ref.model.custom_chat_template")).toBeNull();
    expect(verl("actor_rollout_ref.model.use_remove_padding")).toBe(true);
    expect(verl("actor_rollout_ref.rollout.gpu_memory_utilization")).toBe(0.6);
    expect(valueAt("recipes/hub/grpo.recipe", "trinity", "monitor")).toEqual({ monitor_type: "tensorboard" });
    expect(valueAt("recipes/hub/grpo.recipe", "trinity", "model.custom_chat_template")).toBeNull();
  });

  it("says which engine release every file was written for", () => {
    for (const target of EXPORT_TARGETS) {
      const exported = exportPlan(checkForTarget("recipes/hub/grpo.recipe", target).plan!, target, 8);
      const { version, commit } = ENGINES[target];
      for (const file of exported.files) expect(file.text, `${target} ${file.path}`).toContain(`${version}, https://github.com/`);
      for (const file of exported.files) expect(file.text, `${target} ${file.path}`).toContain(`/tree/${commit}`);
    }
  });
});
