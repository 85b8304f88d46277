import { describe, expect, it } from "vitest";
import { eliminateDead } from "./dead.js";
import { draftOf, planOf, recipe } from "./testing.js";

describe("dead-node elimination", () => {
  const unused = recipe("reward = correct", `reward unused : outcome = regex_match("x")\ndata spare = arith.problems { count = 5 }\n`);

  it("drops a declared reward and a dataset that no stage or eval uses", () => {
    const draft = draftOf(unused);
    expect(draft.rewards.map((r) => r.name)).toEqual(["correct", "steps", "unused"]);
    expect(draft.datasets.map((d) => d.name)).toEqual(["train", "demos", "spare"]);
    const live = eliminateDead(draft);
    expect(live.rewards.map((r) => r.name)).toEqual(["correct"]);
    expect(live.datasets.map((d) => d.name)).toEqual(["train", "demos"]);
  });

  it("keeps what only an eval block or an expert uses", () => {
    const plan = planOf(
      recipe(
        `reward = correct
  expert = chord { data = demos, mu = 0.1 }
  eval = { data = spare, every = 5 steps, rewards = [unused] }`,
        `reward unused : outcome = regex_match("x")\ndata spare = arith.problems { count = 5 }\n`,
      ),
    );
    expect(plan.rewards.map((r) => r.name)).toEqual(["correct", "unused"]);
    expect(plan.datasets.map((d) => d.name)).toEqual(["train", "demos", "spare"]);
  });
});
