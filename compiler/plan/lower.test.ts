import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../test/recipes.js";
import { recipeHash } from "../hash.js";
import { checkProgram } from "../program.js";
import { nodeOf } from "./nodes.js";
import { nth, planOf, planOfFile, recipe, stageNamed } from "./testing.js";

const FLAGSHIP = "test/fixtures/showcase.recipe";

describe("lowering the flagship recipe", () => {
  const plan = planOfFile(FLAGSHIP);

  it("has the recipe's identity, hash and resolved settings", () => {
    expect(plan.version).toBe(1);
    expect(plan.recipe).toEqual({ name: "arith_chord", description: "SFT warm-up, then GRPO with PROF-filtered process rewards and CHORD" });
    expect(plan.hash).toBe(recipeHash(checkProgram(FLAGSHIP, readFileSync(path.join(REPO_ROOT, FLAGSHIP), "utf8"))));
    expect(plan.settings).toEqual({ seed: 17, device: "auto", checkpoint_every: { value: 50, unit: "steps" }, out: "runs" });
    expect(plan.policy).toMatchObject({ kind: "transformer", name: "policy", layers: 2, d_model: 64, heads: 4, context: 96, dropout: 0 });
    expect(plan.policy.kind === "transformer" && plan.policy.tokenizer).toEqual({ kind: "chars", alphabet: "0123456789+-*/()= \nanswer:" });
  });

  it("lists datasets by source and rewards with their granularity and range", () => {
    expect(plan.datasets.find((d) => d.name === "demos")).toEqual({
      name: "demos",
      source: { kind: "task", task: "arith", generator: "solutions", args: { count: 1000, depth: { lo: 2, hi: 4 }, seed: 2 } },
      transforms: [],
      responses: true,
    });
    expect(plan.rewards).toEqual([
      {
        name: "correct",
        granularity: "outcome",
        range: { lo: 0, hi: 1 },
        binary: true,
        source: { kind: "task", task: "arith", verifier: "answer_match", args: {} },
      },
      {
        name: "steps",
        granularity: "process",
        range: { lo: 0, hi: 1 },
        binary: true,
        source: { kind: "task", task: "arith", verifier: "step_check", args: {} },
      },
    ]);
  });

  it("gives the SFT stage Batch → Loss → Step and the RL stage the whole pipeline, in order", () => {
    expect(plan.stages.map((s) => s.name)).toEqual(["warmup", "rl"]);
    expect(stageNamed(plan, "warmup").graph.map((n) => n.op)).toEqual(["Batch", "Loss", "Step"]);
    expect(stageNamed(plan, "rl").graph.map((n) => n.op)).toEqual(["Sample", "Score", "Score", "Filter", "Credit", "Advantage", "Loss", "Expert", "Step"]);
  });

  it("wires each node to what it reads", () => {
    const rl = stageNamed(plan, "rl");
    const inputs = Object.fromEntries(rl.graph.map((n) => [n.id, n.inputs]));
    expect(inputs).toEqual({
      sample: [],
      "score.correct": ["sample"],
      "score.steps": ["sample"],
      filter: ["score.correct", "score.steps"],
      credit: ["score.correct", "filter"],
      advantage: ["credit"],
      loss: ["advantage", "sample"],
      expert: ["loss"],
      step: ["expert"],
    });
  });

  it("carries hyper-parameters and schedules as data", () => {
    const rl = stageNamed(plan, "rl");
    expect(rl).toMatchObject({ kind: "rl", length: { value: 200, unit: "steps" }, batch: 16, group: 8, ppo_epochs: 1 });
    expect(nodeOf(rl.graph, "Sample")).toMatchObject({ data: "train", temperature: 1, top_p: 1, max_tokens: 64 });
    expect(nodeOf(rl.graph, "Filter").filter).toEqual({ kind: "prof", remove: 4, length_penalty: 0, step_bounds: { lo: 2, hi: 30 } });
    expect(nodeOf(rl.graph, "Loss").loss).toEqual({
      objective: "ppo",
      clip: 0.2,
      clip_high: null,
      dual_clip: 3,
      entropy: 0,
      aggregate: "token_mean",
      kl: { estimator: "k3", coef: 0.001, ref: { kind: "stage", stage: "warmup" } },
    });
    expect(nodeOf(rl.graph, "Expert").expert).toEqual({
      method: "chord",
      data: "demos",
      mu: { schedule: "warmup_cosine", peak: 0.9, valley: 0.05, warmup: { value: 0, unit: "steps" }, decay: { value: 200, unit: "steps" } },
      phi: true,
      ratio: 0.2,
    });
    expect(nodeOf(rl.graph, "Step").optimizer).toEqual({
      kind: "adam",
      lr: { schedule: "constant", value: 1e-4 },
      betas: [0.9, 0.999],
      weight_decay: 0,
      clip_grad: 1,
    });
    expect(rl.eval).toEqual({
      data: "test",
      every: { value: 50, unit: "steps" },
      temperature: 0,
      samples: 1,
      rewards: [
        { label: "correct", expr: { op: "reward", name: "correct" } },
        { label: "steps", expr: { op: "reward", name: "steps" } },
      ],
    });
  });

  it("has nothing that points back into the source", () => {
    expect(JSON.stringify(plan)).not.toMatch(/"(span|offset|line|column)"/);
  });
});

describe("lowering reward expressions, credit and advantages", () => {
  it("combines sources in one Combine node holding the expression tree", () => {
    const rl = stageNamed(planOf(recipe("reward = 2 * steps - 1 + at_end(correct)\n credit = min_form\n advantage = rloo |> whiten")), "rl");
    expect(rl.graph.map((n) => n.op)).toEqual(["Sample", "Score", "Score", "Combine", "Credit", "Advantage", "Loss", "Step"]);
    const combine = nodeOf(rl.graph, "Combine");
    expect(combine.granularity).toBe("process");
    expect(combine.inputs).toEqual(["score.steps", "score.correct"]);
    expect(combine.expr).toEqual({
      op: "+",
      left: { op: "-", left: { op: "*", left: { op: "const", value: 2 }, right: { op: "value", node: "score.steps" } }, right: { op: "const", value: 1 } },
      right: { op: "at_end", reward: { op: "value", node: "score.correct" } },
    });
    expect(nodeOf(rl.graph, "Credit")).toMatchObject({ inputs: ["combine"], credit: { kind: "min_form", temperature: 0.1, strict: false } });
    expect(nodeOf(rl.graph, "Advantage").ops).toEqual([{ kind: "rloo" }, { kind: "whiten" }]);
  });

  it("omits Filter without PROF, Combine for a single source and Expert without `expert`", () => {
    const rl = stageNamed(planOf(recipe("reward = correct")), "rl");
    expect(rl.graph.map((n) => n.op)).toEqual(["Sample", "Score", "Credit", "Advantage", "Loss", "Step"]);
    expect(nodeOf(rl.graph, "Step").inputs).toEqual(["loss"]);
  });

  it("puts a null control on the Advantage node, which leaves the field out for the method itself", () => {
    const control = nodeOf(stageNamed(planOf(recipe("reward = correct\n control = shuffled_advantages")), "rl").graph, "Advantage");
    expect(control).toMatchObject({ ops: [{ kind: "group_norm", std: true, eps: 1e-6 }], control: "shuffled_advantages" });
    const method = nodeOf(stageNamed(planOf(recipe("reward = correct")), "rl").graph, "Advantage");
    expect("control" in method).toBe(false);
  });

  it("names inline sources and datasets for where they are written", () => {
    const plan = planOf(recipe(`reward = exact_match(r"answer: (\\d+)")\n eval = { data = train.take(10), every = 5 steps, rewards = [correct] }`));
    expect(plan.rewards.map((r) => r.name)).toEqual(["correct", "rl.reward"]);
    expect(nth(plan.rewards, 1).source).toEqual({ kind: "exact_match", extract: "answer: (\\d+)" });
    expect(plan.datasets.find((d) => d.name === "rl.eval.data")?.transforms).toEqual([{ op: "take", n: 10 }]);
  });

  it("carries an eval's samples and temperature, one greedy answer when it sets neither", () => {
    const sampled = planOf(recipe("reward = correct\n eval = { data = train, every = 5 steps, rewards = [correct], temperature = 1.0, samples = 8 }"));
    expect(stageNamed(sampled, "rl").eval).toMatchObject({ temperature: 1, samples: 8 });
    const greedy = planOf(recipe("reward = correct\n eval = { data = train, every = 5 steps, rewards = [correct] }"));
    expect(stageNamed(greedy, "rl").eval).toMatchObject({ temperature: 0, samples: 1 });
  });

  it("resolves a dataset file against the recipe's folder", () => {
    const plan = planOf(
      recipe("reward = correct", `data files = jsonl("data/train.jsonl") { prompt = "q", answer = "a" }`).replace("data = train\n", "data = files\n"),
    );
    expect(plan.datasets.find((d) => d.name === "files")?.source).toEqual({
      kind: "jsonl",
      path: path.resolve("data/train.jsonl"),
      prompt: "q",
      response: null,
      answer: "a",
    });
  });

  it("lowers a KL term to the initial policy and a schedule over epochs", () => {
    const plan = planOf(recipe("reward = correct\n loss = ppo { kl = k1(0.01) }\n optimizer = adam { lr = linear(1e-4 -> 1e-5, over = 2 epochs) }"));
    const rl = stageNamed(plan, "rl");
    expect(nodeOf(rl.graph, "Loss").loss).toMatchObject({ kl: { estimator: "k1", coef: 0.01, ref: { kind: "init" } } });
    expect(nodeOf(rl.graph, "Step").optimizer.lr).toEqual({ schedule: "linear", from: 1e-4, to: 1e-5, over: { value: 2, unit: "epochs" } });
  });
});
