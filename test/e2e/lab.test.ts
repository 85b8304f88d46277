/**
 * Every recipe of the arithmetic lab (recipes/arith/) runs end to end, shrunken: its plan with
 * each stage cut to 2 steps, an RL stage's batch to 12 rows and its test set to 8 problems, through `roux run PLAN.json`. It
 * shows the recipes and the learned PRM (prm.onnx) work together, and
 * that each eval leaves its answers, with the PRM's and step_check's step scores where the
 * recipe declares both (what `roux compare` measures reward hacking from).
 *
 * Then `npm run lab` itself, shrunken, over three seeds: the sweep of the warm-ups, the methods,
 * the null controls and the SFT continuations, each seed's warm-up trained once and taken from
 * the stage cache by the other points (lab/README.md "One warm-up a seed"), and the table.
 */
import { spawnSync } from "node:child_process";
import { existsSync, promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../../plan/plan.js";
import { readJsonl } from "../../runtime/record/jsonl-log.js";
import { REPO_ROOT } from "../recipes.js";
import { runCli } from "../run-cli.js";

const LAB = path.join(REPO_ROOT, "recipes", "arith");
// The lab's sweep shrunk: its variants' names, three seeds, a few steps (test/e2e/recipes/README.md).
const SWEEP = path.join(REPO_ROOT, "test", "e2e", "recipes", "lab-tiny.sweep");
const recipes = (await fs.readdir(LAB)).filter((f) => f.endsWith(".recipe")).sort();

let out: string;
beforeAll(async () => {
  out = await fs.mkdtemp(path.join(os.tmpdir(), "roux-lab-"));
});
afterAll(async () => {
  await fs.rm(out, { recursive: true, force: true });
});

function shrink(plan: Plan, base: string): Plan {
  for (const stage of plan.stages) {
    stage.length = { value: 2, unit: "steps" };
    // A few prompts a step: the shrunken run shows the recipe works, not what it learns.
    if (stage.kind === "rl") stage.batch = Math.min(stage.batch, 12);
    if (stage.eval) stage.eval.every = { value: 2, unit: "steps" };
  }
  for (const dataset of plan.datasets) if (dataset.name.endsWith("test")) dataset.transforms.push({ op: "take", n: 8 });
  plan.settings.out = base;
  return plan;
}

describe("the arithmetic lab", () => {
  it("has the recipes the lab compares", () => {
    expect(recipes).toEqual(
      expect.arrayContaining([
        "sft.recipe",
        "grpo.recipe",
        "prof.recipe",
        "pure.recipe",
        "sumform.recipe",
        "renorm.recipe",
        "blend.recipe",
        "gate.recipe",
        "chord.recipe",
        "sft-more.recipe",
        "depth3-sft.recipe",
        "depth3-grpo.recipe",
        "depth3-sft-more.recipe",
        "chord-mu.recipe",
        "chord-phi.recipe",
        "flagship.recipe",
      ]),
    );
  });

  it("has its sweep, recipes/arith/lab.sweep, which checks: each task's warm-up, methods, null controls and SFT continuation over three seeds", async () => {
    const checked = await runCli(["check", path.join(LAB, "lab.sweep")]);
    expect(checked.status).toBe(0);
    const output = checked.stdout + checked.stderr;
    expect(output).toContain("57 runs, 0 errors");
    const variants = ["sft", "grpo", "prof", "blend", "pure", "sumform", "renorm", "gate", "chord", "sft_more", "depth3_sft", "depth3_grpo", "depth3_sft_more"];
    // A null control for every method whose credit admits one (E3108 refuses pure's, sumform's and renorm's).
    const controls = ["grpo_null", "prof_null", "blend_null", "gate_null", "chord_null", "depth3_grpo_null"];
    for (const variant of [...variants, ...controls]) for (const seed of [17, 18, 19]) expect(output).toContain(`  ${variant}-seed=${seed}\n`);
  });

  it.each(recipes)(
    "%s runs end to end, shrunken",
    async (recipe) => {
      const planned = await runCli(["plan", path.join(LAB, recipe)]);
      expect(planned.stderr).toBe("");
      const base = path.join(out, recipe);
      const planFile = path.join(out, `${recipe}.json`);
      const plan = shrink(JSON.parse(planned.stdout) as Plan, base);
      await fs.writeFile(planFile, JSON.stringify(plan));
      const ran = await runCli(["run", planFile]);
      expect(ran.stderr).toBe("");
      expect(ran.status).toBe(0);
      const [name] = await fs.readdir(base);
      const dir = path.join(base, name ?? "missing");
      const events = (await readJsonl(path.join(dir, "events.jsonl"))).records;
      expect(events.at(-1)).toMatchObject({ event: "run_end", status: "done" });
      const metrics = (await readJsonl(path.join(dir, "metrics.jsonl"))).records;
      expect(metrics.map((m) => `${m.stage}@${m.step}`)).toEqual(plan.stages.flatMap((s) => [`${s.name}@1`, `${s.name}@2`]));
      const evals = events.filter((e) => e.event === "eval");
      expect(evals.length).toBeGreaterThan(0);
      const last = evals.at(-1)!;
      expect(last.examples).toBe(8);
      const answers = (await readJsonl(path.join(dir, last.answers as string))).records;
      // An eval that samples answers each problem greedily too (docs/language.md §5 "Stages").
      const perProblem = (last.temperature as number) > 0 ? (last.samples as number) + 1 : 1;
      expect(answers).toHaveLength(8 * perProblem);
      const prm = plan.rewards.find((r) => r.source.kind === "onnx");
      for (const answer of answers) {
        const rewards = answer.rewards as Record<string, number[]>;
        expect(rewards.correct).toHaveLength(1);
        if (prm) {
          // One PRM score per step, in [0, 1], beside step_check's verdicts on the same steps.
          expect(rewards[prm.name]).toHaveLength(answer.steps as number);
          expect(rewards.steps).toHaveLength(answer.steps as number);
          for (const p of rewards[prm.name] ?? []) expect(p >= 0 && p <= 1).toBe(true);
        }
      }
      expect(existsSync(path.join(dir, "ckpt", "LATEST"))).toBe(true);
    },
    120_000,
  );
});

describe("npm run lab, shrunken", () => {
  it("sweeps the methods, null control and SFT continuation over three seeds, trains each seed's warm-up once, and reports the paired gains", async () => {
    const readme = path.join(out, "README.md");
    await fs.writeFile(readme, "# lab\n<!-- lab:begin -->\nold\n<!-- lab:end -->\n");
    const lab = path.join(out, "lab");
    const npmRunLab = (...args: string[]) =>
      spawnSync(
        process.execPath,
        [path.join(REPO_ROOT, "dist", "lab", "run-lab.js"), "--sweep", SWEEP, "--out", lab, "--readme", readme, "--plots", path.join(out, "plots"), ...args],
        { cwd: REPO_ROOT, encoding: "utf8" },
      );
    const ran = npmRunLab("--jobs", "2");
    expect(ran.stderr).toContain("lab_tiny: 27/27 done");
    expect(ran.status).toBe(0);
    const run = async (point: string) => {
      const [dir] = await fs.readdir(path.join(lab, point));
      return (await readJsonl(path.join(lab, point, dir ?? "", "events.jsonl"))).records;
    };
    for (const seed of [1, 2, 3]) {
      // Each task's warm-up point trains the warm-up; every other point of its seed takes it from the stage cache.
      for (const [warmup, others] of [
        ["sft", ["grpo", "grpo_null", "pure", "sft_more"]],
        ["depth3_sft", ["depth3_grpo", "depth3_grpo_null", "depth3_sft_more"]],
      ] as const) {
        const trained = await run(`${warmup}-seed=${seed}`);
        expect(trained.some((e) => e.event === "stage_cached")).toBe(false);
        const warmupEval = trained.find((e) => e.event === "eval" && e.stage === "warmup");
        expect(warmupEval).toBeDefined();
        for (const variant of others) {
          const events = await run(`${variant}-seed=${seed}`);
          expect(events.filter((e) => e.event === "stage_cached").map((e) => e.stage)).toEqual(["warmup"]);
          expect(events.find((e) => e.event === "eval" && e.stage === "warmup")?.values).toEqual(warmupEval?.values);
          expect(events.filter((e) => e.event === "eval").map((e) => e.stage)).toEqual(["warmup", variant.endsWith("sft_more") ? "more" : "rl"]);
          expect(events.at(-1)).toMatchObject({ event: "run_end", status: "done" });
        }
      }
    }
    const table = await fs.readFile(path.join(lab, "results.md"), "utf8");
    // One table a task, each method under its own task's heading.
    const [main, depth3] = table.split("### Depth-3 generalisation");
    expect(main).toContain("### Problems of 1 to 3 operators");
    expect(depth3).toMatch(/\| depth3_grpo \| 3 \|/);
    expect(main).not.toContain("depth3_grpo");
    expect(table).toContain("| method | seeds | warm-up | after | gain over warm-up | gain over null control | gain over equal-compute SFT |");
    const cell = String.raw`[+-]\d+\.\d ± \d+\.\d (not )?shown`;
    // grpo: three seeds, each gain a paired mean ± SE; pure's credit admits no null control.
    expect(table).toMatch(new RegExp(String.raw`\| grpo \| 3 \| [\d.]+ \| [\d.]+ \| ${cell} \| ${cell} \| ${cell} \|`));
    expect(table).toMatch(new RegExp(String.raw`\| pure \| 3 \| [\d.]+ \| [\d.]+ \| ${cell} \| no control \(E3108\) \| ${cell} \|`));
    expect(table).toMatch(new RegExp(String.raw`\| grpo \| ${cell} \| ${cell} \| ${cell} \|`));
    const section = await fs.readFile(readme, "utf8");
    expect(section).not.toContain("old");
    expect(section).toContain("27 of 27 runs done");
    expect(section).toContain("gain over null control");
    expect(existsSync(path.join(out, "plots", "compare.png"))).toBe(true);

    // --report-only runs nothing and remakes the same table from the sweep directory.
    await fs.rm(path.join(lab, "results.md"));
    const points = await fs.readdir(path.join(lab, "grpo-seed=1"));
    const again = npmRunLab("--report-only");
    expect(again.status).toBe(0);
    expect(again.stderr).not.toContain("started");
    expect(await fs.readdir(path.join(lab, "grpo-seed=1"))).toEqual(points);
    expect(await fs.readFile(path.join(lab, "results.md"), "utf8")).toBe(table);
  }, 600_000);
});
