import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_PER_FILE } from "../../diagnostics/cap.js";
import { runCli } from "../../test/run-cli.js";

const FLAGSHIP = "test/fixtures/showcase.recipe";

describe("roux check", () => {
  it("lists each declaration's type with --types", async () => {
    const result = await runCli(["check", "--types", FLAGSHIP]);
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toContain("let    depth   : Range = 2..4");
    expect(lines).toContain("reward correct : Reward<outcome> in {0, 1}");
    expect(lines).toContain("stage  rl      : Stage<rl>");
    expect(lines).toHaveLength(9);
  });

  it("prints a hash that layout does not change but values do", async () => {
    const hashOf = async (args: string[]) => (await runCli(["check", "--hash", ...args, FLAGSHIP])).stdout.split(" ")[0];
    const plain = await hashOf([]);
    expect(plain).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await hashOf(["--set", "rl.group=16"])).not.toBe(plain);
    expect(await hashOf(["--set", "rl.group=8"])).toBe(await hashOf(["--set", "rl.group = 8"]));
  });

  it("checks --set overrides like source and points errors at the override", async () => {
    const result = await runCli(["check", "--set", "rl.group=1", "--set", "run.seed=1.5", FLAGSHIP]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("error[E3106]");
    expect(result.stderr).toContain(" --> --set #1:1:10\n  |\n1 | rl.group=1\n  |          ^ one response per prompt");
    expect(result.stderr).toContain("error[E2101]: expected Int, found Float\n --> --set #2:1:10");
    // The PROF check sees the overridden group and names the override as the cause.
    expect(result.stderr).toContain("PROF removes 4 responses from groups of 1");
  });

  it("reports an override of a name the recipe does not declare, with a suggestion", async () => {
    const result = await runCli(["check", "--set", "rll.group=4", FLAGSHIP]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("error[E1101]: unknown name `rll`\n --> --set #1:1:1");
    expect(result.stderr).toContain("did you mean `rl`?");
  });

  it("reports an override of the whole run block instead of failing inside", async () => {
    const result = await runCli(["check", "--set", "run=1", FLAGSHIP]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("error[E2102]: cannot override `run` as a whole\n --> --set #1:1:1");
    expect(result.stderr).toContain("--set run.FIELD=VALUE");
  });

  it("reports a syntax error inside an override", async () => {
    const result = await runCli(["check", "--set", "rl.group=(8", FLAGSHIP]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("error[E0001]: expected `)`, found end of file\n --> --set #1:1:12");
  });

  describe('on a recipe with thousands of errors (docs/language.md §7 "Long output")', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "roux-check-")), "stray.recipe");
    writeFileSync(file, `let a = ${"@ ".repeat(6000)}\n`);

    it("shows the first of each file's diagnostics, counts the rest, and stays small", async () => {
      const result = await runCli(["check", file]);
      expect(result.status).toBe(1);
      const shown = result.stderr.match(/^error\[/gm) ?? [];
      expect(shown).toHaveLength(MAX_PER_FILE);
      const [, more] = /^and (\d+) more errors in (?:.*)stray\.recipe$/m.exec(result.stderr) ?? [];
      const total = Number(/^error: (\d+) errors, 0 warnings in /m.exec(result.stderr)?.[1]);
      expect(Number(more)).toBe(total - MAX_PER_FILE);
      expect(total).toBeGreaterThan(1000);
      // Each shown diagnostic prints a clipped window of the 12 KB line: a few hundred bytes.
      expect(result.stderr.length).toBeLessThan(MAX_PER_FILE * 1000);
    });

    it("lists as many in JSON and says how many it left out", async () => {
      const result = await runCli(["check", "--format", "json", file]);
      const report = JSON.parse(result.stdout);
      expect(report.diagnostics).toHaveLength(MAX_PER_FILE);
      expect(report.omitted).toBe(report.errors - MAX_PER_FILE);
      expect(report.errors).toBeGreaterThan(1000);
      expect(result.stdout.length).toBeLessThan(MAX_PER_FILE * 1000);
    });
  });
});
