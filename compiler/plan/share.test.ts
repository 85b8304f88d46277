import { describe, expect, it } from "vitest";
import { shareScores } from "./share.js";
import { nodeOf } from "./nodes.js";
import { draftOf, nodesOf, planOf, recipe, stageNamed } from "./testing.js";

// `correct` is named twice: once inside renorm, once lifted to the last step.
const TWICE = recipe("reward = renorm(process = steps, outcome = correct) + at_end(correct)\n credit = min_form");

describe("sharing Score nodes", () => {
  it("lowers each use of a reward to its own Score node, before the pass", () => {
    const rl = stageNamed(draftOf(TWICE), "rl");
    expect(rl.graph.filter((n) => n.op === "Score").map((n) => n.id)).toEqual(["score.steps", "score.correct", "score.correct_2"]);
    expect(
      stageNamed(shareScores(draftOf(TWICE)), "rl")
        .graph.filter((n) => n.op === "Score")
        .map((n) => n.id),
    ).toEqual(["score.steps", "score.correct"]);
  });

  it("scores a reward used twice once, and points the expression at the one Score", () => {
    const rl = stageNamed(planOf(TWICE), "rl");
    expect(nodesOf(rl, "Score").map((n) => n.reward)).toEqual(["steps", "correct"]);
    const combine = nodeOf(rl.graph, "Combine");
    expect(combine.inputs).toEqual(["score.steps", "score.correct"]);
    expect(combine.expr).toEqual({
      op: "+",
      left: { op: "renorm", process: { op: "value", node: "score.steps" }, outcome: { op: "value", node: "score.correct" } },
      right: { op: "at_end", reward: { op: "value", node: "score.correct" } },
    });
  });

  it("shares one Score between two declarations of the same verifier, and drops the unused name", () => {
    const plan = planOf(recipe("reward = prof(outcome = correct, process = steps, remove = 2) + also\n", "reward also : outcome = arith.answer_match\n"));
    const rl = stageNamed(plan, "rl");
    expect(nodesOf(rl, "Score").map((n) => n.reward)).toEqual(["correct", "steps"]);
    expect(nodeOf(rl.graph, "Combine").expr).toMatchObject({ right: { op: "value", node: "score.correct" } });
    expect(plan.rewards.map((r) => r.name)).toEqual(["correct", "steps"]);
  });

  it("keeps sources that differ in an argument apart", () => {
    const rl = stageNamed(planOf(recipe(`reward = 0.5 * regex_match("a") + 0.5 * regex_match("b")`)), "rl");
    expect(nodesOf(rl, "Score")).toHaveLength(2);
  });
});
