/**
 * Every recipe of the arithmetic lab (recipes/arith/) runs end to end, shrunken: its plan with
 * each stage cut to 2 steps, an RL stage's batch to 12 rows and its test set to 8 problems, through `roux run PLAN.json`. It
 * shows the recipes and the learned PRM (prm.onnx) work together, and
 * that each eval leaves its answers, with the PRM's and step_check's step scores where the
 * recipe declares both (what `roux compare` measures reward hacking from).
 *
 * Then `npm run lab` itself, shrunken, over three seeds: the warm-ups, the methods, the null
 * control and the SFT continuation forked from them (lab/README.md "Controls"), and the table.
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
  it("runs each method, its null control and the SFT continuation from each seed's warm-up, and reports the paired gains", async () => {
    const readme = path.join(out, "README.md");
    await fs.writeFile(readme, "# lab\n<!-- lab:begin -->\nold\n<!-- lab:end -->\n");
    const lab = path.join(out, "lab");
    const ran = spawnSync(
      process.execPath,
      [
        path.join(REPO_ROOT, "dist", "lab", "run-lab.js"),
        ...["--seeds", "1,2,3", "--recipes", "grpo,pure,depth3-grpo", "--rl-steps", "2", "--rl-set", "rl.batch=2"],
        ...["--set", "warmup.steps=2 steps", "--set", "test=arith.problems { count = 4, depth = 3..3, seed = 99 }"],
        ...["--out", lab, "--readme", readme, "--plots", path.join(out, "plots")],
      ],
      { cwd: REPO_ROOT, encoding: "utf8" },
    );
    expect(ran.stderr).toContain("pure-control-s1 skipped");
    expect(ran.status).toBe(0);
    // One warm-up a seed; every other run starts from its checkpoint and keeps its record.
    for (const seed of [1, 2, 3]) {
      const names = [
        `grpo-s${seed}`,
        `grpo-control-s${seed}`,
        `pure-s${seed}`,
        `sft-more-s${seed}`,
        `depth3-grpo-s${seed}`,
        `depth3-grpo-control-s${seed}`,
        `depth3-sft-more-s${seed}`,
      ];
      for (const name of names) {
        const [run] = await fs.readdir(path.join(lab, name));
        const events = (await readJsonl(path.join(lab, name, run ?? "", "events.jsonl"))).records;
        expect(events.find((e) => e.event === "resume")).toMatchObject({ from: { stageName: "warmup", step: 2 } });
        expect(events.filter((e) => e.event === "eval").map((e) => e.stage)).toEqual(["warmup", name.includes("sft-more") ? "more" : "rl"]);
        expect(events.at(-1)).toMatchObject({ event: "run_end", status: "done" });
      }
      expect(existsSync(path.join(lab, `pure-control-s${seed}`))).toBe(false);
    }
    const table = await fs.readFile(path.join(lab, "results.md"), "utf8");
    // One table a task, each method under its own task's heading.
    const [main, depth3] = table.split("### Depth-3 generalisation");
    expect(main).toContain("### Problems of 1 to 3 operators");
    expect(depth3).toMatch(/\| depth3-grpo \| 3 \|/);
    expect(main).not.toContain("depth3-grpo");
    expect(table).toContain("| method | seeds | warm-up | after | gain over warm-up | gain over null control | gain over equal-compute SFT |");
    const cell = String.raw`[+-]\d+\.\d ± \d+\.\d (not )?shown`;
    // grpo: three seeds, each gain a paired mean ± SE; pure's credit admits no null control.
    expect(table).toMatch(new RegExp(String.raw`\| grpo \| 3 \| [\d.]+ \| [\d.]+ \| ${cell} \| ${cell} \| ${cell} \|`));
    expect(table).toMatch(new RegExp(String.raw`\| pure \| 3 \| [\d.]+ \| [\d.]+ \| ${cell} \| no control \(E3108\) \| ${cell} \|`));
    expect(table).toMatch(new RegExp(String.raw`\| grpo \| ${cell} \| ${cell} \| ${cell} \|`));
    const section = await fs.readFile(readme, "utf8");
    expect(section).not.toContain("old");
    expect(section).toContain("gain over null control");
  }, 600_000);
});
