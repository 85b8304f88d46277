import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../test/run-cli.js";

const dir = mkdtempSync(path.join(tmpdir(), "roux-export-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("roux export and roux import", () => {
  it("writes the config, reward module, launch script and data, and names the engine version", async () => {
    const out = path.join(dir, "grpo-verl");
    const result = await runCli(["export", "--target", "verl", "--out", out, "recipes/hub/grpo.recipe"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^exported hub_grpo for verl v0\.7\.0, .*tree\/f9c855f7cf04d603c9546bc01776c74806a879c1\n/);
    expect(result.stdout).toContain(`${path.join(out, "data/train.jsonl")}  copy of recipes/hub/data/math.jsonl`);
    expect(readFileSync(path.join(out, "verl.yaml"), "utf8")).toContain("adv_estimator: grpo");
    expect(readFileSync(path.join(out, "data/train.jsonl"), "utf8")).toBe(readFileSync("recipes/hub/data/math.jsonl", "utf8"));
    expect(statSync(path.join(out, "launch.sh")).mode & 0o111).not.toBe(0);
    expect(result.stdout).toContain(
      "checkpoints and logs: $ROUX_OUT/roux/hub_grpo-rl, ROUX_OUT being `runs` (run.out) from where launch.sh starts unless set\n",
    );

    // And back: the recipe it imports checks clean for the same target.
    const recipe = path.join(out, "back.recipe");
    const imported = await runCli(["import", "--from", "verl", "-o", recipe, path.join(out, "verl.yaml")]);
    expect(imported.status).toBe(0);
    expect((await runCli(["check", "--target", "verl", recipe])).status).toBe(0);
  });

  it("writes each dataset of a Trinity-RFT export into a folder of its own, the folder its config names", async () => {
    const out = path.join(dir, "grpo-trinity");
    const result = await runCli(["export", "--target", "trinity", "--out", out, "recipes/hub/grpo.recipe"]);
    expect(result.status).toBe(0);
    for (const name of ["train", "test"]) {
      expect(readFileSync(path.join(out, "data", name, "rows.jsonl"), "utf8")).toBe(readFileSync("recipes/hub/data/math.jsonl", "utf8"));
      expect(readFileSync(path.join(out, "trinity.yaml"), "utf8")).toContain(`path: data/${name}\n`);
    }
  });

  /** The hub GRPO recipe in a folder of its own, reading `rows` as its data. */
  function grpoWith(name: string, rows: string[]): string {
    const folder = path.join(dir, name);
    mkdirSync(path.join(folder, "data"), { recursive: true });
    writeFileSync(path.join(folder, "data/math.jsonl"), `${rows.join("\n")}\n`);
    writeFileSync(path.join(folder, "grpo.recipe"), readFileSync("recipes/hub/grpo.recipe", "utf8"));
    return path.join(folder, "grpo.recipe");
  }

  it("writes a Trinity-RFT dataset's answers as the file's text, so a column of 84 and 84.5 keeps 84", async () => {
    // Trinity-RFT's reader types the column float64 from its values (datasets.load_dataset), and
    // 84.0 fails exact_match against "84"; as strings each answer is what the file says.
    const rows = Array.from({ length: 64 }, (_, i) => `{"question": "q${i}", "answer": ${i % 2 === 0 ? "84" : "84.5"}}`);
    const out = path.join(dir, "mixed-trinity");
    const result = await runCli(["export", "--target", "trinity", "--out", out, grpoWith("mixed", rows)]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const copied = readFileSync(path.join(out, "data/train/rows.jsonl"), "utf8").trimEnd().split("\n");
    expect(copied.map((l) => (JSON.parse(l) as { answer: unknown }).answer)).toEqual(rows.map((_, i) => (i % 2 === 0 ? "84" : "84.5")));
  });

  it("refuses a dataset row that is not JSON, naming the file and line, and writes nothing", async () => {
    const rows = Array.from({ length: 64 }, (_, i) => (i === 40 ? `{"question": "q", "answer": 84,}` : `{"question": "q${i}", "answer": "84"}`));
    const recipe = grpoWith("broken", rows);
    const out = path.join(dir, "broken-trinity");
    const result = await runCli(["export", "--target", "trinity", "--out", out, recipe]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^error: ${path.join(path.dirname(recipe), "data/math.jsonl")}:41: not valid JSON \\([^\\n]+\\)\\n$`));
    expect(() => statSync(out)).toThrow();
  });

  it("refuses a recipe the target cannot express, with the diagnostics, and writes nothing", async () => {
    const out = path.join(dir, "chord-verl");
    const result = await runCli(["export", "--target", "verl", "--out", out, "recipes/hub/chord.recipe"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("error[E3401]: an SFT stage is not supported by verl");
    expect(() => statSync(out)).toThrow();
  });

  it("checks for a target with roux check --target, and for the local runtime without it", async () => {
    const trinity = await runCli(["check", "--target", "trinity", "recipes/hub/chord.recipe"]);
    expect(trinity.status).toBe(0);
    expect(trinity.stderr).toMatch(
      /^checked recipes\/hub\/chord.recipe for Trinity-RFT on 8 GPUs: 2 stages, 1 reward, 1 model, 0 errors, 0 warnings \(\d+ ms\)\n$/,
    );
    const local = await runCli(["check", "recipes/hub/chord.recipe"]);
    expect(local.status).toBe(1);
    expect(local.stderr).toContain("error[E3401]: a hub model (`hf(...)`) is not supported by the local runtime");
    const gpus = await runCli(["check", "--target", "verl", "--gpus", "3", "recipes/hub/grpo.recipe"]);
    expect(gpus.stderr).toContain("error[E2105]: `batch` x `group` is out of range: 512 rows per step do not split evenly over verl's 3 GPUs");
  });

  it("answers bad options and bad files with one line", async () => {
    const unknown = await runCli(["export", "--target", "openrlhf", "--out", dir, "recipes/hub/grpo.recipe"]);
    expect(unknown).toMatchObject({ status: 2, stderr: "error: --target takes `verl`, `trinity`, not `openrlhf`\n" });
    expect((await runCli(["check", "--target", "nope", "recipes/hub/grpo.recipe"])).stderr).toBe(
      "error: --target takes `local`, `verl`, `trinity`, not `nope`\n",
    );
    expect((await runCli(["check", "--gpus", "two", "recipes/hub/grpo.recipe"])).status).toBe(2);
    expect((await runCli(["import", "--from", "trl", "x.yaml"])).stderr).toMatch(/^error: --from takes `verl` or `trinity`, not `trl`\n/);
    const bad = path.join(dir, "bad.yaml");
    writeFileSync(bad, "data: [1, 2\n");
    const broken = await runCli(["import", "--from", "verl", bad]);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/^error: .*bad\.yaml:\d+:\d+ is not valid YAML: [^\n]*\n$/);
    const missing = await runCli(["import", "--from", "verl", path.join(dir, "none.yaml")]);
    expect(missing.stderr).toMatch(/^error: cannot read .*none\.yaml: [^\n]*\n$/);
  });
});
