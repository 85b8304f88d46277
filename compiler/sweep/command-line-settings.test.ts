import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../test/recipes.js";
import { runCli } from "../../test/run-cli.js";
import { loadSweep } from "./load-sweep.js";

const RL = path.join(REPO_ROOT, "test/e2e/recipes/rl.recipe");

/** A sweep file over test/e2e/recipes/rl.recipe and its null control, with `grid`, in a fresh folder. */
function sweepOfRl(grid: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "roux-sweep-set-"));
  const file = path.join(dir, "set.sweep");
  const variants = `variants {\n  rl = "${RL}"\n  rl_null = "${RL}" with { rl.control = shuffled_advantages }\n}\n`;
  writeFileSync(file, `sweep set "--set and a sweep"\n\n${variants}${grid}`);
  return file;
}

describe("--set given to a sweep", () => {
  it("comes first in every point: each plan is `roux plan RECIPE --set GIVEN --set POINT...`", async () => {
    const given = ["rl.steps=1 steps", "rl.group=2"];
    const { sweep, diagnostics } = await loadSweep(sweepOfRl("sweep { run.seed = [1, 2] }\n"), { overrides: given });
    expect(diagnostics).toEqual([]);
    expect(sweep?.points.length).toBe(4);
    for (const point of sweep?.points ?? []) {
      expect(point.values.slice(0, 2)).toEqual([
        { path: "rl.steps", value: "1 steps" },
        { path: "rl.group", value: "2" },
      ]);
      const sets = point.values.flatMap((v) => ["--set", `${v.path}=${v.value}`]);
      const planned = await runCli(["plan", ...sets, point.recipeFile]);
      expect(planned.stderr, point.name).toBe("");
      expect(JSON.parse(planned.stdout), point.name).toEqual(point.plan);
      expect(JSON.stringify(point.plan), point.name).toContain('"group":2');
    }
  });

  it("is E3502 where the sweep sets the same path again, or a path holding it", async () => {
    const file = sweepOfRl("sweep { run.seed = [1, 2], rl = [{ steps = 3 steps }] }\n");
    const { sweep, diagnostics } = await loadSweep(file, { overrides: ["run.seed=7", "rl.group=2"] });
    expect(sweep).toBeUndefined();
    const source = readFileSync(file, "utf8");
    const shown = diagnostics.map((d) => [d.code, d.message, source.slice(d.span.start.offset, d.span.end.offset), d.secondary[0]?.span.file]);
    expect(shown).toEqual([
      ["E3502", "`run.seed` is set twice by `--set #1` and the grid", "run.seed", "--set #1"],
      ["E3502", "`rl.group` is set twice by `--set #2` and the grid", "rl", "--set #2"],
    ]);
  });

  it("reports a mistake in a given value once, at the option, not once a point", async () => {
    const file = sweepOfRl("sweep { run.seed = [1, 2, 3] }\n");
    const { sweep, diagnostics } = await loadSweep(file, { overrides: ["rl.group=0"] });
    expect(sweep).toBeUndefined();
    const errors = diagnostics.filter((d) => d.severity === "error");
    expect(errors.length).toBe(1);
    expect(errors[0]?.span.file).toBe("--set #1");
    expect(errors[0]?.notes.some((n) => n.includes("sweep point"))).toBe(false);
  });
});
