/**
 * Test support: plans of the shipped recipes and of small ones written inline. `recipe(body)`
 * is a complete recipe
 * around one RL stage's body (the arithmetic task, two rewards, an SFT warm-up), so a test
 * shows only what it varies.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { REPO_ROOT } from "../../test/recipes.js";
import { checkProgram, type ProgramResult } from "../program.js";
import { lowerDraft, lowerProgram } from "./lower.js";
import type { DraftPlan } from "./draft.js";
import type { Node, Plan, Stage } from "../../plan/plan.js";

export function recipe(rlBody: string, extra = ""): string {
  return `recipe inline "a test recipe"

use "std/arith" as arith

model policy = transformer { layers = 2, d_model = 64, heads = 4, context = 96, tokenizer = arith.tokenizer }

data train = arith.problems { count = 400, seed = 1 }
data demos = arith.solutions { count = 100, seed = 2 }

reward correct : outcome = arith.answer_match
reward steps : process = arith.step_check
${extra}
stage warmup = sft { data = demos, steps = 10 steps, batch = 8, optimizer = adam { lr = 3e-4 } }

stage rl = grpo with {
  data = train
  steps = 20 steps
  batch = 4
  group = 4
  sample = { max_tokens = 32 tokens }
${rlBody}
}

run { stages = warmup -> rl }
`;
}

function checked(source: string, file = "inline.recipe"): ProgramResult {
  const program = checkProgram(file, source);
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return program;
}

export function planOf(source: string): Plan {
  return lowerProgram(checked(source));
}

/** The plan of a recipe shipped in the repository, named relative to its root. */
export function planOfFile(file: string): Plan {
  return lowerProgram(checked(readFileSync(path.join(REPO_ROOT, file), "utf8"), file));
}

/** The plan as lowering leaves it, before any pass. */
export function draftOf(source: string): DraftPlan {
  return lowerDraft(checked(source));
}

export function stageNamed<S extends { name: string }>(plan: { stages: readonly S[] }, name: string): S {
  const stage = plan.stages.find((s) => s.name === name);
  if (stage === undefined) throw new Error(`no stage ${name} in ${plan.stages.map((s) => s.name).join(", ")}`);
  return stage;
}

/** The item at `index`, which the test's recipe guarantees: a clear failure when it is not there. */
export function nth<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`expected an item at ${index}, found ${items.length} items`);
  return item;
}

export function nodesOf<Op extends Node["op"]>(stage: Stage, op: Op): Extract<Node, { op: Op }>[] {
  return stage.graph.filter((n): n is Extract<Node, { op: Op }> => n.op === op);
}
