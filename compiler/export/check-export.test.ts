/**
 * `roux check --target`: what a target lacks is E3401 at the field that asks for it, with the
 * targets that have it; batches an engine would refuse at start-up are E2105.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../test/recipes.js";
import { lowerProgram } from "../plan/lower.js";
import { checkProgram } from "../program.js";
import { FEATURES } from "./capabilities.js";
import { checkExport } from "./check-export.js";
import { checkForTarget, described } from "./testing.js";

/** A local recipe's plan checked against an export target's capabilities (its model aside). */
function exportProblems(file: string, target: "verl" | "trinity") {
  const program = checkProgram(file, readFileSync(path.join(REPO_ROOT, file), "utf8"));
  return checkExport(program, lowerProgram(program), target, 8);
}

describe("roux check --target", () => {
  it("reports min-form credit on verl at the credit field, saying no engine has it", () => {
    const problems = exportProblems("recipes/arith/pure.recipe", "verl");
    const minForm = problems.find((d) => d.message.startsWith("min-form credit"));
    expect(minForm && described([minForm])).toEqual(["recipes/arith/pure.recipe:53:12 E3401 min-form credit (`min_form`) is not supported by verl"]);
    expect(minForm?.notes).toEqual(["supported by the local runtime"]);
    expect(problems.map((d) => d.message)).toEqual(
      expect.arrayContaining([
        "a generated task dataset (`std/...`) is not supported by verl",
        "a reward source other than `exact_match`, `numeric_match` and `regex_match` is not supported by verl",
        "a step-level reward expression (`at_end`, `each_step`, `renorm`, `gate`) is not supported by verl",
        "a composed advantage (`|> whiten`, `|> empg(...)`) is not supported by verl",
      ]),
    );
  });

  it("reports the null control on both engines at its field, saying only the local runtime has it", () => {
    const file = "recipes/hub/grpo.recipe";
    const source = readFileSync(path.join(REPO_ROOT, file), "utf8").replace(
      "  optimizer = adam { lr = 1e-6 }\n",
      "  optimizer = adam { lr = 1e-6 }\n  control = shuffled_advantages\n",
    );
    for (const [target, name] of [
      ["verl", "verl"],
      ["trinity", "Trinity-RFT"],
    ] as const) {
      const { diagnostics } = checkForTarget(file, target, 8, source);
      expect(described(diagnostics)).toEqual([`${file}:20:13 E3401 the null control (\`control = shuffled_advantages\`) is not supported by ${name}`]);
      expect(diagnostics[0]?.notes).toEqual(["supported by the local runtime"]);
    }
  });

  it("reports an SFT warm-up on verl and points to Trinity-RFT, which runs it as a stage", () => {
    const { diagnostics } = checkForTarget("recipes/hub/chord.recipe", "verl");
    expect(described(diagnostics.slice(0, 1))).toEqual(["recipes/hub/chord.recipe:10:7 E3401 an SFT stage is not supported by verl"]);
    expect(diagnostics[0]?.notes).toEqual(["supported by the local runtime and Trinity-RFT"]);
  });

  it("shows a feature inherited from a preset at the stage that inherits it", () => {
    expect(described(checkForTarget("recipes/hub/dr-grpo.recipe", "trinity").diagnostics)).toEqual([
      "recipes/hub/dr-grpo.recipe:9:7 E3401 `group_norm(std = false)` (Dr. GRPO) is not supported by Trinity-RFT",
    ]);
  });

  it("refuses a model the recipe builds for an export target, and a hub model for the local runtime", () => {
    const local = checkProgram("recipes/hub/grpo.recipe", readFileSync(path.join(REPO_ROOT, "recipes/hub/grpo.recipe"), "utf8"));
    expect(local.diagnostics.map((d) => d.message)).toEqual(["a hub model (`hf(...)`) is not supported by the local runtime"]);
    const built = checkProgram("recipes/arith/grpo.recipe", readFileSync(path.join(REPO_ROOT, "recipes/arith/grpo.recipe"), "utf8"), { target: "verl" });
    expect(built.diagnostics.map((d) => d.message)).toContain("a model the recipe builds (`transformer { ... }`) is not supported by verl");
  });

  it("checks verl's rule that a step's B x G responses split evenly over the GPUs", () => {
    // 64 prompts x 8 rollouts = 512 responses: 8 GPUs take 64 each, 3 GPUs cannot split them.
    expect(described(checkForTarget("recipes/hub/grpo.recipe", "verl", 8).diagnostics)).toEqual([]);
    expect(described(checkForTarget("recipes/hub/grpo.recipe", "verl", 3).diagnostics.slice(0, 1))).toEqual([
      "recipes/hub/grpo.recipe:14:11 E2105 `batch` x `group` is out of range: 512 rows per step do not split evenly over verl's 3 GPUs",
    ]);
  });

  it("checks that CHORD's rollout and expert rows both split over Trinity-RFT's trainer GPUs", () => {
    // batch 32 at 25%: 8 expert rows and 24 x 8 = 192 rollouts; 6 GPUs leave 3 to the trainer
    // (and all 6 to the SFT warm-up, whose 32 rows do not split over them either).
    expect(described(checkForTarget("recipes/hub/chord.recipe", "trinity", 8).diagnostics)).toEqual([]);
    expect(checkForTarget("recipes/hub/chord.recipe", "trinity", 6).diagnostics.map((d) => d.message)).toEqual([
      "`batch` is out of range: 32 rows per step do not split evenly over Trinity-RFT's trainer's 6 GPUs",
      "CHORD's expert rows (`ratio` x `batch`) is out of range: 8 rows per step do not split evenly over Trinity-RFT's trainer's 3 GPUs",
    ]);
  });

  it("reports dynamic sampling on verl and on Trinity-RFT at its field: neither engine's exported trainer refills a batch", () => {
    const file = "recipes/hub/grpo.recipe";
    const source = readFileSync(path.join(REPO_ROOT, file), "utf8").replace(
      "  reward = correct + 0.1 * format\n",
      "  reward = correct + 0.1 * format\n  dynamic_sampling = { max_refills = 4 }\n",
    );
    for (const [target, name] of [
      ["verl", "verl"],
      ["trinity", "Trinity-RFT"],
    ] as const) {
      const { diagnostics } = checkForTarget(file, target, 8, source);
      expect(described(diagnostics)).toEqual([`${file}:18:22 E3401 dynamic sampling (\`dynamic_sampling = { ... }\`) is not supported by ${name}`]);
      expect(diagnostics[0]?.notes).toEqual(["supported by the local runtime"]);
      expect(diagnostics[0]?.help).toMatch(/filter_groups/);
    }
    // Without the field the recipe exports to both.
    expect(checkForTarget(file, "verl").diagnostics).toEqual([]);
    expect(checkForTarget(file, "trinity").diagnostics).toEqual([]);
  });

  it("reports a dataset smaller than one step at the field that takes its rows, saying what the engine would do", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "roux-rows-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const hubRows = readFileSync(path.join(REPO_ROOT, "recipes/hub/data/math.jsonl"), "utf8").split("\n");
    /** A hub recipe reading the first `rows` rows of its data from a file of their own. */
    const withRows = (file: string, rows: number) => {
      const data = path.join(dir, `${rows}.jsonl`);
      writeFileSync(data, `${hubRows.slice(0, rows).join("\n")}\n`);
      return readFileSync(path.join(REPO_ROOT, file), "utf8").replaceAll('"data/math.jsonl"', JSON.stringify(data));
    };
    const problems = (file: string, target: "verl" | "trinity", rows: number) =>
      checkForTarget(file, target, 8, withRows(file, rows)).diagnostics.filter((d) => d.code === "E3203");

    // verl: 64 prompts a step; 63 rows leave its dataloader empty, 64 fill it.
    const verl = problems("recipes/hub/grpo.recipe", "verl", 63);
    expect(described(verl)).toEqual(["recipes/hub/grpo.recipe:14:11 E3203 dataset `train` has 63 rows, fewer than the 64 prompts one step takes"]);
    expect(verl[0]?.notes[0]).toMatch(/train dataloader would be empty/);
    expect(problems("recipes/hub/grpo.recipe", "verl", 64)).toEqual([]);

    // Trinity-RFT's CHORD stage takes 24 prompts and 8 expert rows a step, its warm-up 32
    // examples for 2 epochs: 16 rows fill a warm-up batch only by reading the file twice into it.
    const chord = problems("recipes/hub/chord.recipe", "trinity", 16);
    expect(described(chord)).toEqual([
      "recipes/hub/chord.recipe:13:11 E3203 dataset `demos` has 16 rows, fewer than the 32 examples one step takes",
      "recipes/hub/chord.recipe:20:11 E3203 dataset `train` has 16 rows, fewer than the 24 prompts one step takes",
    ]);
    expect(chord.map((d) => d.notes)).toEqual([
      ["Trinity-RFT reads on into the file's next pass, so one step would hold the same rows twice"],
      ["Trinity-RFT reads on into the file's next pass, so one step would hold the same rows twice"],
    ]);
    const tiny = problems("recipes/hub/chord.recipe", "trinity", 4);
    expect(described(tiny).map((d) => d.replace(/^\S+ /, ""))).toEqual([
      "E3203 dataset `demos` has 4 rows, fewer than the 32 examples one step takes",
      "E3203 dataset `train` has 4 rows, fewer than the 24 prompts one step takes",
      "E3203 dataset `demos` has 4 rows, fewer than the 8 expert rows one step takes",
    ]);
    expect(tiny[0]?.notes[0]).toMatch(/reads the file 2 times and stops/);
    expect(tiny[2]?.help).toBe("add rows to the file, or lower CHORD's `ratio`");
  });

  it("keeps the capability table's rows distinct and each one refused somewhere", () => {
    expect(new Set(FEATURES.map((f) => f.name)).size).toBe(FEATURES.length);
    for (const feature of FEATURES) expect(feature.supported.length, feature.name).toBeLessThan(3);
  });
});
