/** `roux sweep` refusing what it cannot run, before it starts anything (test/e2e/sweep.test.ts runs sweeps). */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../test/recipes.js";
import { runCli } from "../../test/run-cli.js";

const RECIPE = path.join(REPO_ROOT, "test", "e2e", "recipes", "warmup-then-more.recipe");

describe("roux sweep", () => {
  it("wants one file and a whole number of jobs", async () => {
    expect((await runCli(["sweep"])).status).toBe(2);
    const jobs = await runCli(["sweep", "--jobs", "0", "test/e2e/recipes/warmup-seeds.sweep"]);
    expect(jobs.status).toBe(2);
    expect(jobs.stderr).toMatch(/--jobs takes a whole number, at least 1, not `0`/);
  });

  it("runs nothing of a sweep with an error, and names the point", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "roux-sweep-cmd-"));
    const file = path.join(dir, "bad.sweep");
    writeFileSync(
      file,
      `sweep bad "one point's learning rate is not a number"\n\nvariants {\n  ok = "${RECIPE}"\n  bad = "${RECIPE}" with { more.optimizer.lr = "fast" }\n}\n`,
    );
    const out = path.join(dir, "out");
    const result = await runCli(["sweep", "--no-tui", "--out", out, file]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error\[E2101\]: expected Schedule, found String$/m);
    expect(result.stderr).toMatch(/= note: in sweep point `bad`/);
    expect(existsSync(out)).toBe(false);
  });
});
