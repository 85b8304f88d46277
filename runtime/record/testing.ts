/**
 * Test support: run directories written by hand, line by line, as runtime/run/ writes them, for
 * the tests of read-run.ts and of `roux compare` (cli/compare/). A test gives the events,
 * metrics and answers it is about; the plan is a small valid one (it passes plan.schema.json,
 * as readRun reads it) with an SFT warm-up and an RL stage, an eval block whose accuracy is
 * `correct` (after a binary outcome `format` that is not answer_match), and the rule verifier
 * and learned PRM that compare's hacked steps compares.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Plan, RewardSource } from "../../plan/plan.js";
import type { MetricsRecord, StageSummary } from "./events.js";

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), "roux-compare-"));
}

const reward = (name: string, granularity: RewardSource["granularity"], binary: boolean, source: RewardSource["source"]): RewardSource => ({
  name,
  granularity,
  range: { lo: 0, hi: 1 },
  binary,
  source,
});

export function testPlan(recipe: string, rewards = TEST_REWARDS): Plan {
  const output = { name: "out", shape: [] };
  const evalBlock = {
    data: "test",
    every: { value: 3, unit: "steps" as const },
    temperature: 0,
    samples: 1,
    rewards: rewards.map((r) => ({ label: r.name.replace(/^lab\./, ""), expr: { op: "reward" as const, name: r.name } })),
  };
  return {
    version: 1,
    recipe: { name: recipe, description: null },
    hash: `sha256:${"0".repeat(64)}`,
    settings: { seed: 1, device: "auto", checkpoint_every: { value: 3, unit: "steps" }, out: "runs" },
    policy: { kind: "transformer", name: "policy", layers: 1, d_model: 8, heads: 1, context: 8, dropout: 0, tokenizer: { kind: "bytes" } },
    datasets: [
      {
        name: "test",
        source: { kind: "jsonl", path: "/nowhere/test.jsonl", prompt: "prompt", response: "response", answer: null },
        transforms: [],
        responses: true,
      },
    ],
    rewards,
    stages: [
      {
        kind: "sft",
        name: "warmup",
        length: { value: 4, unit: "steps" },
        batch: 2,
        eval: evalBlock,
        graph: [{ id: "batch", op: "Batch", inputs: [], data: "test", output }],
      },
      {
        kind: "rl",
        name: "rl",
        length: { value: 6, unit: "steps" },
        batch: 2,
        group: 2,
        ppo_epochs: 1,
        dynamic_sampling: null,
        eval: evalBlock,
        graph: [{ id: "sample", op: "Sample", inputs: [], data: "test", temperature: 1, top_p: 1, max_tokens: 8, output }],
      },
    ],
  };
}

export const TEST_REWARDS: RewardSource[] = [
  reward("lab.format", "outcome", true, { kind: "regex_match", pattern: "=" }),
  reward("lab.steps", "process", true, { kind: "task", task: "arith", verifier: "step_check", args: {} }),
  reward("lab.correct", "outcome", true, { kind: "task", task: "arith", verifier: "answer_match", args: {} }),
  reward("prm.prm", "process", false, { kind: "onnx", path: "/nowhere/prm.onnx", input: "input_ids", output: "probs", positive: 1, steps: "\n" }),
];

export const STAGES: StageSummary[] = [
  { name: "warmup", kind: "sft", steps: 4 },
  { name: "rl", kind: "rl", steps: 6 },
];

export interface RunFiles {
  recipe: string;
  plan?: Plan;
  events: object[];
  metrics?: object[];
  /** Relative path → the answers, one per line. */
  answers?: Record<string, object[]>;
  /** Appended as they are, without a newline: what a writer killed mid-line leaves. */
  tornEvents?: string;
  tornMetrics?: string;
}

/** Writes the run into `parent/name` and returns its path. */
export function writeRun(parent: string, name: string, files: RunFiles): string {
  const dir = path.join(parent, name);
  mkdirSync(dir, { recursive: true });
  const lines = (records: object[]) => records.map((r) => `${JSON.stringify(r)}\n`).join("");
  writeFileSync(path.join(dir, "run.json"), JSON.stringify({ recipe: files.recipe, hash: "sha256:0", started: "2026-12-01T10:00:00.000Z" }));
  writeFileSync(path.join(dir, "plan.json"), JSON.stringify(files.plan ?? testPlan(files.recipe)));
  writeFileSync(path.join(dir, "events.jsonl"), lines(files.events) + (files.tornEvents ?? ""));
  writeFileSync(path.join(dir, "metrics.jsonl"), lines(files.metrics ?? []) + (files.tornMetrics ?? ""));
  for (const [file, answers] of Object.entries(files.answers ?? {})) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), lines(answers));
  }
  return dir;
}

/** An eval event; `answers` and its means only when given, as a run from before they existed. */
export function evalEvent(time: number, stage: string, step: number, values: Record<string, number>, extra: object = {}): object {
  return { event: "eval", time, stage, step, data: "test", examples: 4, values, ...extra };
}

/** A problem of a hand-made eval: its greedy answer's `lab.correct` and, when the eval samples, its samples'. */
export interface ProblemAnswers {
  readonly greedy: number;
  readonly sampled?: readonly number[];
}

/** The lines of an eval's answers file, as runtime/run/evaluate.ts writes them; the prompts are `<problem>+1`. */
export function answerLines(problems: readonly ProblemAnswers[], temperature = 1): object[] {
  const line = (problem: number, at: number, score: number) => ({
    problem,
    temperature: at,
    prompt: `${problem}+1`,
    response: "answer: 1",
    tokens: 10,
    steps: 1,
    rewards: { "lab.correct": [score] },
  });
  return problems.flatMap(({ greedy, sampled = [] }, problem) => [line(problem, 0, greedy), ...sampled.map((score) => line(problem, temperature, score))]);
}

/**
 * A finished run of the test plan (`seed` and `plan` changed as given) whose one eval, at the end
 * of rl, answered `problems` at `temperature` with `samples` a prompt; its event's figures are
 * `accuracy` as given, its answers in their file.
 */
export function evaluatedRun(
  parent: string,
  name: string,
  eval_: { recipe: string; seed?: number; problems: readonly ProblemAnswers[]; temperature?: number; accuracy?: object; plan?: (plan: Plan) => Plan },
): string {
  const { recipe, seed = 1, problems, temperature = 1, accuracy = {} } = eval_;
  const base = testPlan(recipe);
  const plan = (eval_.plan ?? ((p: Plan) => p))({ ...base, settings: { ...base.settings, seed } });
  const file = "evals/rl-000006-test.jsonl";
  const samples = problems[0]?.sampled?.length ?? 1;
  return writeRun(parent, name, {
    recipe,
    plan,
    events: [
      { event: "run_start", time: 0, recipe, hash: "sha256:0", dir: "x", backend: "wasm", sampler: "ort", stages: STAGES },
      evalEvent(
        50,
        "rl",
        6,
        { correct: 0.5 },
        { temperature, samples, accuracy: { correct: accuracy }, tokens_per_answer: 10, steps_per_answer: 1, answers: file },
      ),
      { event: "run_end", time: 60, status: "done" },
    ],
    answers: { [file]: answerLines(problems, temperature) },
  });
}

/** One RL metrics line. */
export function rlMetrics(time: number, step: number, reward: number, extra: Record<string, number> = {}): MetricsRecord {
  return { stage: "rl", step, time, loss: 0.1, reward, accuracy: reward, response_tokens: 20 + step, steps_per_response: 3, ...extra };
}

/** The id of a process that has exited: what a killed run's events name. */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.once("exit", resolve));
  if (child.pid === undefined) throw new Error("node could not be started for a process id");
  return child.pid;
}
