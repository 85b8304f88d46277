/** `roux check`, `roux cost` and `roux run` given a sweep (docs/language.md §10). */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../test/recipes.js";
import { runCli } from "../../test/run-cli.js";

const TINY = "test/e2e/recipes/tiny.sweep";
const TINY_POINTS = ["sft-seed=1", "sft-seed=2", "rl-seed=1", "rl-seed=2", "rl_null-seed=1", "rl_null-seed=2"];

/** test/e2e/recipes/rl.recipe with `tail` added, beside the data it reads. */
function rlWith(tail: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "roux-sweep-cli-"));
  const source = readFileSync(path.join(REPO_ROOT, "test/e2e/recipes/rl.recipe"), "utf8");
  writeFileSync(path.join(dir, "prompts.jsonl"), readFileSync(path.join(REPO_ROOT, "test/e2e/recipes/prompts.jsonl")));
  const file = path.join(dir, "rl.recipe");
  writeFileSync(file, `${source}\n${tail}`);
  return file;
}

describe("roux check of a sweep", () => {
  it("prints the number of runs and each point's name", async () => {
    const result = await runCli(["check", TINY]);
    expect(result.status).toBe(0);
    const lines = result.stderr.split("\n");
    expect(lines.slice(0, 7)).toEqual([`${TINY}: 6 runs`, ...TINY_POINTS.map((n) => `  ${n}`)]);
    expect(lines[7]).toMatch(new RegExp(`^checked ${TINY}: 6 runs, 0 errors, 0 warnings \\(\\d+ ms\\)$`));
  });

  it("names the point and the field of a mistake in one point", async () => {
    const file = rlWith("sweep { rl.group = [8, 1] }\n");
    const result = await runCli(["check", file]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(": 2 runs\n  tiny_rl-group=8\n  tiny_rl-group=1\n");
    expect(result.stderr).toContain("error[E3106]");
    expect(result.stderr).toMatch(/--> .*rl\.recipe:\d+:24\n/);
    expect(result.stderr).toContain("= note: in sweep point `tiny_rl-group=1`");
  });

  it("applies --set to every point, and says in which variant's recipe it is wrong", async () => {
    const grid = rlWith("sweep { run.seed = [1, 2] }\n");
    expect((await runCli(["check", "--set", "rl.group=2", "--set", "run.checkpoint_every=1 steps", grid])).status).toBe(0);
    const wrong = await runCli(["check", "--set", "rl.group=2", TINY]);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/error\[E1101\]: unknown name `rl`\n --> --set #1:1:1\n/);
    expect(wrong.stderr).toContain("= note: applied to test/e2e/recipes/sft.recipe, the recipe of variant `sft`");
    const twice = await runCli(["check", "--set", "run.seed=3", TINY]);
    expect(twice.stderr).toMatch(/^error\[E3502\]: `run.seed` is set twice by `--set #1` and the grid$/m);
  });
});

describe("roux run of a sweep", () => {
  it("refuses a sweep file, saying what runs it", async () => {
    const result = await runCli(["run", "--no-tui", TINY]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${TINY} is a sweep file, not one recipe: \`roux sweep ${TINY}\` runs its points`);
  });

  it("runs a recipe with a sweep as written, and says so", async () => {
    const file = rlWith("sweep { run.seed = [1, 2] }\n");
    const out = path.join(path.dirname(file), "runs");
    const result = await runCli(["run", "--no-tui", "--set", "rl.steps=1 steps", "--set", `run.out="${out}"`, file]);
    expect(result.stderr).toContain(`${file} declares a sweep: this runs the recipe as written; \`roux sweep ${file}\` runs its points`);
    expect(result.status).toBe(0);
    const [run] = readdirSync(out);
    // The base point: the recipe's own seed, not one of the grid's.
    expect(JSON.parse(readFileSync(path.join(out, run!, "plan.json"), "utf8")).settings.seed).toBe(5);
  });
});

describe("roux cost of a sweep", () => {
  it("prints each point's estimate and the total", async () => {
    const result = await runCli(["cost", TINY]);
    expect(result.status).toBe(0);
    const rows = result.stdout.trimEnd().split("\n");
    expect(rows.map((r) => r.split(/ {2,}/))).toEqual([
      ["point", "stages", "est. here"],
      ...TINY_POINTS.map((name) => [name, name.startsWith("sft") ? "learn" : "rl", expect.stringMatching(/^\d+:\d\d$/)]),
      ["total (6 runs)", expect.stringMatching(/^\d+:\d\d$/)],
    ]);
  });

  it("gives the same figures as JSON, the total the sum of the points'", async () => {
    const result = await runCli(["cost", "--format", "json", TINY]);
    const report = JSON.parse(result.stdout) as { points: { point: string; seconds: number }[]; seconds: number };
    expect(report.points.map((p) => p.point)).toEqual(TINY_POINTS);
    expect(report.seconds).toBeCloseTo(report.points.reduce((sum, p) => sum + p.seconds, 0));
  });

  it("refuses a sweep with an error in a point", async () => {
    const result = await runCli(["cost", rlWith("sweep { rl.group = [8, 1] }\n")]);
    expect([result.status, result.stdout]).toEqual([1, ""]);
    expect(result.stderr).toContain("error[E3106]");
  });
});
