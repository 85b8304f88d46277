import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { validatePlan } from "../../plan/validate.js";
import { REPO_ROOT } from "../../test/recipes.js";
import { runCli } from "../../test/run-cli.js";

const FLAGSHIP = "test/fixtures/showcase.recipe";

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), "roux-plan-"));
}

describe("roux plan", () => {
  it("prints the plan as JSON that the schema accepts", async () => {
    const result = await runCli(["plan", FLAGSHIP]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
    const plan = JSON.parse(result.stdout);
    expect(validatePlan(plan)).toMatchObject({ ok: true });
    expect(plan.stages.map((s: { name: string }) => s.name)).toEqual(["warmup", "rl"]);
  });

  it("writes the plan to a file with -o, and nothing to stdout", async () => {
    const file = path.join(tempDir(), "plan.json");
    const result = await runCli(["plan", FLAGSHIP, "-o", file]);
    expect(result).toMatchObject({ status: 0, stdout: "", stderr: `wrote ${file}\n` });
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(JSON.parse((await runCli(["plan", FLAGSHIP])).stdout));
  });

  it("applies --set overrides before lowering", async () => {
    const plan = JSON.parse((await runCli(["plan", "--set", "rl.group=16", FLAGSHIP])).stdout);
    expect(plan.stages[1].group).toBe(16);
  });

  it("refuses a recipe with errors: diagnostics on stderr, exit 1, no plan written", async () => {
    const dir = tempDir();
    const out = path.join(dir, "plan.json");
    const result = await runCli(["plan", "--set", "rl.batch=0", FLAGSHIP, "-o", out]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("error[E2105]");
    expect(result.stderr.trimEnd().split("\n").at(-1)).toBe(`error: 1 error, 0 warnings in ${FLAGSHIP}`);
    expect(existsSync(out)).toBe(false);
  });

  it("shows warnings and still lowers", async () => {
    const file = path.join(tempDir(), "warn.recipe");
    writeFileSync(
      file,
      readFileSync(path.join(REPO_ROOT, FLAGSHIP), "utf8").replace("reward correct", 'reward unused : outcome = regex_match("x")\nreward correct'),
    );
    const result = await runCli(["plan", file]);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain("warning[W0001]");
    expect(JSON.parse(result.stdout).rewards.map((r: { name: string }) => r.name)).toEqual(["correct", "steps"]);
  });

  it("explains that a module has no plan", async () => {
    const result = await runCli(["plan", "recipes/std/presets.recipe"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      "error: recipes/std/presets.recipe is a module (it has no `run` block), so there is nothing to plan; use it from a recipe with `use`\n",
    );
  });

  it("takes exactly one recipe", async () => {
    const result = await runCli(["plan", FLAGSHIP, FLAGSHIP]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("error: give one recipe\nusage: roux plan");
  });
});
