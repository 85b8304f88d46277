import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { TextDocument } from "vscode-languageserver-textdocument";
import { RECORDS } from "../compiler/builtins/records.js";
import { lookupBuiltin } from "../compiler/builtins/table.js";
import { TASK_MEMBERS } from "../compiler/builtins/tasks.js";
import type { ProgramResult } from "../compiler/program.js";
import { REPO_ROOT } from "../test/recipes.js";
import { analyze } from "./analysis.js";
import { completionsAt } from "./completion.js";

/** A recipe that checks: the last analysis completion reads names and types from. */
const CHECKED = `use "std/arith" as arith

model policy = transformer { layers = 1, d_model = 16, heads = 2, context = 128, tokenizer = arith.tokenizer }
data train = arith.problems { count = 100 }
data test = arith.problems { count = 50, seed = 9 }
reward correct : outcome = arith.answer_match
reward steps : process = arith.step_check

stage rl = grpo with {
  data = train
  steps = 100 steps
  batch = 16
  group = 4
  sample = { max_tokens = 64 tokens }
  reward = correct
  eval = { data = test, every = 50 steps, rewards = [correct, steps] }
}

run {
  stages = rl
}
`;

async function checkedProgram(): Promise<ProgramResult> {
  const uri = pathToFileURL(path.join(REPO_ROOT, "recipes", "arith", "completion.recipe")).href;
  const analysis = await analyze(TextDocument.create(uri, "roux", 1, CHECKED), { env: {}, open: () => undefined, openUri: () => undefined });
  expect(analysis.program?.diagnostics).toEqual([]);
  return analysis.program!;
}

/** The labels offered where `|` stands in `CHECKED` with `edit` applied (the `|` removed). */
async function labelsAt(replace: string, by: string): Promise<string[]> {
  expect(CHECKED).toContain(replace);
  const marked = CHECKED.replace(replace, by);
  const offset = marked.indexOf("|");
  return completionsAt(marked.slice(0, offset) + marked.slice(offset + 1), offset, await checkedProgram()).map((c) => c.label);
}

describe("completion", () => {
  it("offers the fields a built-in's block takes that are not written yet", async () => {
    const labels = await labelsAt("  reward = correct\n", "  reward = correct\n  optimizer = adam { lr = 1e-3, | }\n");
    expect(labels).toEqual(
      lookupBuiltin("adam")!
        .params.map((p) => p.name)
        .filter((n) => n !== "lr"),
    );
  });

  it("offers a stage's fields in `with`, a record's in its braces, and run's in `run`", async () => {
    const rl = await labelsAt("  group = 4\n", "  group = 4\n  |\n");
    const written = ["data", "steps", "batch", "group", "sample", "reward", "eval"];
    expect(rl).toEqual(
      lookupBuiltin("rl")!
        .params.map((p) => p.name)
        .filter((n) => !written.includes(n)),
    );
    const sample = await labelsAt("64 tokens }", "64 tokens, | }");
    expect(sample).toEqual(RECORDS.sample.map((p) => p.name).filter((n) => n !== "max_tokens"));
    expect(await labelsAt("  stages = rl\n", "  stages = rl\n  |")).toEqual(RECORDS.run.map((p) => p.name).filter((n) => n !== "stages"));
  });

  it("offers an imported module's members after its alias and a dot, though the text does not parse", async () => {
    const labels = await labelsAt("data test = arith.problems", "data test = arith.|problems");
    expect(labels).toEqual(expect.arrayContaining(["tokenizer", ...TASK_MEMBERS.arith!.map((t) => t.name)]));
  });

  it("offers the names and built-ins of the type a field or declaration takes", async () => {
    const data = await labelsAt("  data = train\n", "  data = |\n");
    expect(data).toEqual(expect.arrayContaining(["train", "test", "jsonl"]));
    expect(data).not.toContain("correct");
    expect(data).not.toContain("adam");
    const rewards = await labelsAt("rewards = [correct, steps]", "rewards = [correct, |]");
    expect(rewards).toEqual(expect.arrayContaining(["correct", "steps"]));
    expect(rewards).not.toContain("train");
    const reward = await labelsAt("reward steps : process = arith.step_check", "reward steps : process = |");
    expect(reward).toEqual(expect.arrayContaining(["correct", "exact_match"]));
    expect(reward).not.toContain("test");
    const stages = await labelsAt("  stages = rl\n", "  stages = |\n");
    expect(stages).toEqual(expect.arrayContaining(["rl", "grpo"]));
    expect(stages).not.toContain("train");
  });

  it("offers item keywords at the start of an item", async () => {
    expect(await labelsAt("\nrun {", "\n|\nrun {")).toEqual(["use", "let", "model", "data", "reward", "stage", "run"]);
  });
});
