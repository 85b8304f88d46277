/**
 * Where an imported dataset comes from: a Hugging Face hub name is said to be one (and where to
 * save it as JSON Lines), never taken for a file; a split names the file of a folder it reads,
 * so an eval taskset on `split: test` reads the test data, not the training data.
 */
import { describe, expect, it } from "vitest";
import { described } from "../export/testing.js";
import { importConfig } from "./import.js";
import { CLEAN_TRINITY, CLEAN_VERL, hubRewardModule, memoryContext } from "./testing.js";

const REWARD = { "roux_reward.py": hubRewardModule() };

/** CLEAN_TRINITY with its taskset at `path` (and `split`), and an eval taskset on `evalPath` / `evalSplit`. */
function trinity(path: string, split: string | undefined, evalPath: string, evalSplit: string | undefined): string {
  const splitLine = (s: string | undefined, indent: string) => (s === undefined ? "" : `${indent}split: ${s}\n`);
  return CLEAN_TRINITY.replace("      path: data/train.jsonl\n", `      path: ${path}\n${splitLine(split, "      ")}`)
    .replace(
      "    default_workflow_type",
      `    eval_tasksets:\n      - name: test\n        path: ${evalPath}\n${splitLine(evalSplit, "        ")}        format:\n          prompt_key: question\n          response_key: answer\n    default_workflow_type`,
    )
    .replace("algorithm:\n", "explorer:\n  eval_interval: 5\nalgorithm:\n");
}

describe("roux import of a hub dataset", () => {
  it("says a Trinity-RFT taskset on the hub is one, and names the file of each split", () => {
    const { recipe, diagnostics } = importConfig("t.yaml", trinity("openai/gsm8k", "train", "openai/gsm8k", "test"), "trinity", memoryContext(REWARD));
    expect(described(diagnostics)).toEqual([
      "t.yaml:16:7 E3401 the Hugging Face hub dataset `openai/gsm8k` (split `train`) is not supported by a Roux recipe",
      "t.yaml:25:9 E3401 the Hugging Face hub dataset `openai/gsm8k` (split `test`) is not supported by a Roux recipe",
    ]);
    expect(recipe).not.toContain('jsonl("openai/gsm8k")');
    expect(recipe).toContain('data train = jsonl("data/openai_gsm8k/train.jsonl")');
    expect(recipe).toContain('data test = jsonl("data/openai_gsm8k/test.jsonl")');
    expect(recipe).toContain('datasets.load_dataset("openai/gsm8k", split="test").to_json("data/openai_gsm8k/test.jsonl")');
    expect(recipe).toMatch(/eval = \{ data = test,/);
  });

  it("says a verl data file that is a hub name is one", () => {
    const config = CLEAN_VERL.replace("train_files: data/train.parquet", "train_files: openai/gsm8k");
    const { recipe, diagnostics } = importConfig("verl.yaml", config, "verl", memoryContext(REWARD));
    expect(described(diagnostics)).toEqual([
      "verl.yaml:12:3 E3401 the Hugging Face hub dataset `openai/gsm8k` (split `train`) is not supported by a Roux recipe",
    ]);
    expect(recipe).toContain('data train = jsonl("data/openai_gsm8k/train.jsonl")');
  });

  it("takes a path that exists, or has a file extension, for a file", () => {
    const files = { ...REWARD, "data/train.jsonl": "", "org/set": "" };
    expect(described(importConfig("t.yaml", CLEAN_TRINITY, "trinity", memoryContext(files)).diagnostics)).toEqual([]);
    const config = CLEAN_TRINITY.replace("path: data/train.jsonl", "path: org/set");
    expect(importConfig("t.yaml", config, "trinity", memoryContext(files)).recipe).toContain('jsonl("org/set")');
  });
});

describe("roux import of a split", () => {
  const folder = { ...REWARD, "data/gsm8k/train.jsonl": "", "data/gsm8k/test.jsonl": "" };

  it("reads an eval taskset's `split: test` from the folder's test file, not the training file", () => {
    const { recipe, diagnostics } = importConfig("t.yaml", trinity("data/gsm8k", undefined, "data/gsm8k", "test"), "trinity", memoryContext(folder));
    expect(described(diagnostics)).toEqual([]);
    expect(recipe).toContain('data train = jsonl("data/gsm8k/train.jsonl")');
    expect(recipe).toContain('data test = jsonl("data/gsm8k/test.jsonl")');
    expect(recipe).toMatch(/eval = \{ data = test,/);
  });

  it("reads the one file of a folder as its train split", () => {
    const files = { ...REWARD, "data/math/part-0.jsonl": "" };
    const { recipe, diagnostics } = importConfig("t.yaml", trinity("data/math", undefined, "data/math", undefined), "trinity", memoryContext(files));
    expect(described(diagnostics)).toEqual([]);
    expect(recipe).toContain('data train = jsonl("data/math/part-0.jsonl")');
    expect(recipe).toMatch(/eval = \{ data = train,/);
  });

  it("reports a split a single file does not have", () => {
    const files = { ...REWARD, "data/train.jsonl": "", "data/test.jsonl": "" };
    const { diagnostics } = importConfig("t.yaml", trinity("data/train.jsonl", undefined, "data/test.jsonl", "test"), "trinity", memoryContext(files));
    expect(described(diagnostics)).toEqual([
      "t.yaml:25:16 E2105 `split` is out of range: data/test.jsonl is one file, which the engine reads as the split `train`",
    ]);
  });

  it("keeps verl's val files as the eval's data", () => {
    const config = CLEAN_VERL.replace("  prompt_key", "  val_files: data/test.parquet\n  prompt_key").replace("trainer:\n", "trainer:\n  test_freq: 10\n");
    const { recipe, diagnostics } = importConfig("verl.yaml", config, "verl", memoryContext({ ...REWARD, "data/train.jsonl": "", "data/test.jsonl": "" }));
    expect(described(diagnostics)).toEqual([]);
    expect(recipe).toContain('data test = jsonl("data/test.jsonl")');
    expect(recipe).toMatch(/eval = \{ data = test, every = 10 steps/);
  });
});
