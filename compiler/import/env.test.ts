/**
 * `${oc.env:VAR}` in a config: the engine reads the variable when it loads the config, so the
 * import does too, and says so at the value; an unset variable without a default is an error,
 * never a path written literally into the recipe.
 */
import { describe, expect, it } from "vitest";
import { described } from "../export/testing.js";
import { importConfig } from "./import.js";
import { CLEAN_VERL, hubRewardModule, memoryContext } from "./testing.js";

const FILES = { "roux_reward.py": hubRewardModule(), "data/train.jsonl": "", "/srv/gsm8k/train.jsonl": "" };
const WITH_ENV = CLEAN_VERL.replace("train_files: data/train.parquet", `train_files: \${oc.env:DATA_DIR}/train.parquet`);

describe("roux import of an environment variable (oc.env)", () => {
  it("takes the variable's value from the environment and warns at the value", () => {
    const { recipe, diagnostics } = importConfig("verl.yaml", WITH_ENV, "verl", memoryContext(FILES, { DATA_DIR: "/srv/gsm8k" }));
    expect(described(diagnostics)).toEqual(["verl.yaml:12:16 W0004 `data.train_files` takes its value from the environment variable `DATA_DIR`"]);
    expect(diagnostics[0]?.label).toContain("/srv/gsm8k/train.parquet");
    expect(recipe).toContain('jsonl("/srv/gsm8k/train.jsonl")');
    expect(recipe).not.toContain("oc.env");
  });

  it("takes the default when the variable is unset", () => {
    const config = WITH_ENV.replace(`\${oc.env:DATA_DIR}`, `\${oc.env:DATA_DIR,/srv/gsm8k}`);
    const { recipe, diagnostics } = importConfig("verl.yaml", config, "verl", memoryContext(FILES));
    expect(described(diagnostics)).toEqual(["verl.yaml:12:16 W0004 `data.train_files` takes its value from the environment variable `DATA_DIR`"]);
    expect(diagnostics[0]?.label).toContain("its default");
    expect(recipe).toContain('jsonl("/srv/gsm8k/train.jsonl")');
  });

  it("is an error at the value when the variable is unset and has no default", () => {
    const { recipe, diagnostics } = importConfig("verl.yaml", WITH_ENV, "verl", memoryContext(FILES));
    expect(described(diagnostics)).toEqual(["verl.yaml:12:16 E2102 unset environment variable `DATA_DIR` read by `data.train_files`"]);
    expect(recipe).not.toContain("oc.env");
    expect(recipe).not.toContain("DATA_DIR");
  });

  it("reads a number from the environment as a number", () => {
    const config = CLEAN_VERL.replace("total_training_steps: 100", `total_training_steps: \${oc.env:STEPS}`);
    const { recipe, diagnostics } = importConfig("verl.yaml", config, "verl", memoryContext(FILES, { STEPS: "250" }));
    expect(diagnostics.map((d) => d.code)).toEqual(["W0004"]);
    expect(recipe).toContain("steps = 250 steps");
  });

  it("resolves a reference to another key as OmegaConf does, without a warning", () => {
    const config = CLEAN_VERL.replace("ppo_mini_batch_size: 16", `ppo_mini_batch_size: \${data.train_batch_size}`);
    const { diagnostics } = importConfig("verl.yaml", config, "verl", memoryContext(FILES));
    expect(described(diagnostics)).toEqual([]);
  });

  it("reports an interpolation it cannot resolve at the value", () => {
    const config = CLEAN_VERL.replace("prompt_key: question", `prompt_key: \${oc.select:data.key,question}`);
    const { recipe, diagnostics } = importConfig("verl.yaml", config, "verl", memoryContext(FILES));
    expect(described(diagnostics)).toEqual([
      `verl.yaml:13:15 E3401 the OmegaConf interpolation \`\${oc.select:data.key,question}\` is not supported by a Roux recipe`,
    ]);
    expect(recipe).not.toContain("oc.select");
  });
});
