/**
 * The stage key of a stage scored by a JS/TS reward holds the files the module loads by relative
 * specifiers, through every module so loaded (compiler/outside/module-loads.ts): editing a helper
 * the reward imports trains the stage again, as editing the reward does, and the same files in
 * another folder keep the key (runtime/stage-cache/README.md "The key").
 */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { codeLoads } from "../../cli/run/stage-cache-settings.js";
import type { Plan } from "../../plan/plan.js";
import { stageKeys } from "../../runtime/stage-cache/stage-key.js";
import { runCli } from "../run-cli.js";

const KERNELS = { training: "wasm", sampling: "cpu" };

const RECIPE = `recipe judged "GRPO scored by a JS reward that imports its rule"

use "std/arith" as arith

model policy = transformer { layers = 1, d_model = 16, heads = 2, context = 32, tokenizer = arith.tokenizer }
data train = arith.problems { count = 8, depth = 2..2, seed = 1 }
reward judge : outcome = js("judge.mjs", "score") { range = 0..1 }

stage rl = grpo with {
  data = train
  steps = 2 steps
  batch = 1
  group = 2
  sample = { temperature = 1.0, max_tokens = 8 tokens }
  reward = judge
}

run { stages = rl, seed = 1 }
`;

/** A recipe folder: judge.mjs scores by lib/rule.mjs, which imports lib/limit.cjs by require's rules. */
function recipeDir(limit: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), "roux-cache-code-"));
  mkdirSync(path.join(dir, "lib"));
  writeFileSync(path.join(dir, "recipe.recipe"), RECIPE);
  writeFileSync(path.join(dir, "judge.mjs"), 'import { rule } from "./lib/rule.mjs";\nexport function score(response) { return rule(response); }\n');
  writeFileSync(path.join(dir, "lib", "rule.mjs"), 'import limit from "./limit.cjs";\nexport const rule = (r) => (r.length < limit ? 1 : 0);\n');
  writeFileSync(path.join(dir, "lib", "limit.cjs"), `module.exports = ${limit};\n`);
  return dir;
}

async function plan(dir: string): Promise<Plan> {
  const r = await runCli(["plan", path.join(dir, "recipe.recipe")]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Plan;
}

describe("the stage key of a JS reward", () => {
  it("changes with a file the module loads two imports away, not with the folder it is in", async () => {
    const dir = recipeDir(5);
    const [key] = await stageKeys(await plan(dir), KERNELS, codeLoads);
    const copy = mkdtempSync(path.join(tmpdir(), "roux-cache-code-copy-"));
    cpSync(dir, copy, { recursive: true });
    expect((await stageKeys(await plan(copy), KERNELS, codeLoads))[0]).toBe(key);
    writeFileSync(path.join(copy, "lib", "limit.cjs"), "module.exports = 6;\n");
    expect((await stageKeys(await plan(copy), KERNELS, codeLoads))[0]).not.toBe(key);
  });

  it("makes roux run train the stage again after a helper is edited, and take it from the cache while it is not", async () => {
    const dir = recipeDir(5);
    const run = async () => {
      const r = await runCli(["run", "--no-tui", "--set", `run.out="${path.join(dir, "runs")}"`, path.join(dir, "recipe.recipe")]);
      expect(r.status, r.stderr).toBe(0);
      return r.stdout;
    };
    expect(await run()).not.toContain("from the stage cache");
    expect(await run()).toContain("stage rl from the stage cache");
    writeFileSync(path.join(dir, "lib", "limit.cjs"), "module.exports = 6;\n");
    expect(await run()).not.toContain("from the stage cache");
  });
});
