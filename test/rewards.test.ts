/**
 * `roux rewards` on the checked-in cases of test/rewards/: each case's recipe and
 * batch against an expected.json computed by hand from docs/algorithms.md, the arithmetic written
 * out in the case's README.md. Numbers agree to 1e-5; everything else exactly.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./recipes.js";
import { runCli } from "./run-cli.js";

const CASES: { name: string; what: string; args?: string[] }[] = [
  { name: "grpo", what: "GRPO, outcome rewards, group_norm; CHORD's mu at --step 50", args: ["--step", "50"] },
  { name: "prof", what: "PROF (remove 2 of 4, length penalty), group_norm on the kept rows" },
  { name: "renorm_sum_form", what: "ReNorm, sum_form(gamma = 0.5), step-level group_norm" },
  { name: "min_form", what: "min_form on 2 * prm - 1 + at_end(correct), rloo |> whiten" },
  { name: "gate", what: "Posterior-GRPO gate, outcome credit, rloo" },
];

const TOLERANCE = 1e-5;

/** Where `actual` differs from `expected`: numbers by more than TOLERANCE, anything else at all. */
function differences(actual: unknown, expected: unknown, at = "$"): string[] {
  if (typeof expected === "number") {
    return typeof actual === "number" && Math.abs(actual - expected) <= TOLERANCE ? [] : [`${at}: expected ${expected}, got ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return [`${at}: expected ${expected.length} items, got ${JSON.stringify(actual)}`];
    return expected.flatMap((item, i) => differences(actual[i], item, `${at}[${i}]`));
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return [`${at}: expected an object, got ${JSON.stringify(actual)}`];
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    return [...keys].flatMap((key) =>
      key in expected
        ? differences((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${at}.${key}`)
        : [`${at}.${key}: not expected`],
    );
  }
  return actual === expected ? [] : [`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

describe("roux rewards on the hand-computed cases of test/rewards/", () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.what}`, async () => {
      const dir = `test/rewards/${c.name}`;
      const result = await runCli(["rewards", "--stage", "rl", "--batch", `${dir}/batch.json`, ...(c.args ?? []), `${dir}/recipe.recipe`]);
      // No diagnostic (the recipe checks clean) and no warning.
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      const expected: unknown = JSON.parse(readFileSync(path.join(REPO_ROOT, dir, "expected.json"), "utf8"));
      expect(differences(JSON.parse(result.stdout), expected)).toEqual([]);
    });
  }

  it("compares strictly: a wrong number, a missing key and a flipped flag are all caught", () => {
    expect(differences({ a: [1, 2.00002], b: true }, { a: [1, 2], b: true, c: 0 })).toEqual([
      "$.a[1]: expected 2, got 2.00002",
      "$.c: expected 0, got undefined",
    ]);
    expect(differences({ kept: false }, { kept: true })).toEqual(["$.kept: expected true, got false"]);
  });
});
