// The hand-computed cases are test/rewards.test.ts; these are the command's arguments, errors and output format.
import { execFileSync } from "node:child_process";
import { mkdtempSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { planOfFile } from "../../compiler/plan/testing.js";
import { BATCH_MAX_BYTES, BATCH_MAX_RESPONSES, BATCH_MAX_TOKENS, readBatch } from "../../runtime/reward-graph/batch.js";
import { batchTokenizer, packBatch } from "../../runtime/reward-graph/pack-batch.js";
import { REPO_ROOT } from "../../test/recipes.js";
import { main } from "../main.js";
import { runCli } from "../../test/run-cli.js";
import { shuffleWithinGroups } from "../../runtime/ops/shuffle.js";
import { streamRng } from "../../runtime/run/seeds.js";
import { formatJson, malformedJson, shortestFloat32 } from "./rewards.js";

const GRPO = "test/rewards/grpo/recipe.recipe";
const FLAGSHIP = "test/fixtures/showcase.recipe";

function batchFile(text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "roux-rewards-")), "batch.json");
  writeFileSync(file, text);
  return file;
}

const ONE_GROUP = JSON.stringify({
  groups: [
    {
      responses: [
        { text: "1", rewards: { correct: 1 } },
        { text: "2\n3", rewards: { correct: 0 } },
      ],
    },
  ],
});

describe("roux rewards", () => {
  it("prints each response's rewards, returns and advantages, and the metrics", async () => {
    const result = await runCli(["rewards", "--stage", "rl", "--batch", batchFile(ONE_GROUP), GRPO]);
    // The recipe samples 4 per prompt; the batch has groups of 2.
    expect(result.stderr).toBe(
      "warning: the batch's groups have 2 responses, and stage `rl` samples 4 per prompt (group = 4): group statistics and PROF's removals are those of 2\n",
    );
    expect(result.status).toBe(0);
    // mean 0.5, std sqrt(0.5): A = +-0.5 / (0.7071068 + 1e-6) = +-0.70710578 (float32 0.70710576).
    // Tokens [a, -a, -a, -a]: mean -a/2; squared deviations (1.5a)^2 + 3 (0.5a)^2 = 3a^2, / 3: std a.
    // CHORD's mu at step 0 with warmup 0 is the cosine's start, the peak 0.9.
    expect(result.stdout).toBe(`{
  "groups": [
    {
      "zero_signal": false,
      "responses": [
        {
          "kept": true,
          "step_ends": [0],
          "rewards": {
            "correct": 1
          },
          "reward": 1,
          "returns": [1],
          "advantages": [0.70710576]
        },
        {
          "kept": true,
          "step_ends": [1, 2],
          "rewards": {
            "correct": 0
          },
          "reward": 0,
          "returns": [0, 0, 0],
          "advantages": [-0.70710576, -0.70710576, -0.70710576]
        }
      ]
    }
  ],
  "metrics": {
    "step": 0,
    "rewards": {
      "correct": {
        "mean": 0.5,
        "std": 0.7071067811865476
      }
    },
    "reward": {
      "mean": 0.5,
      "std": 0.7071067811865476
    },
    "accuracy": 0.5,
    "zero_signal_frac": 0,
    "keep_ratio": 1,
    "mean_steps": 1.5,
    "mean_tokens": 2,
    "advantage_mean": -0.3535528779029846,
    "advantage_std": 0.7071057558059692,
    "single_row_groups": 0,
    "chord_mu": 0.9
  }
}
`);
  });

  it("is listed in roux help", async () => {
    expect((await runCli(["help"])).stdout).toMatch(/^ {2}rewards +run a stage's rewards/m);
  });

  it("marks the groups whose responses all agree, and says in its help that it cannot refill them", async () => {
    const batch = JSON.stringify({
      groups: [
        {
          responses: [
            { text: "1", rewards: { correct: 1 } },
            { text: "2", rewards: { correct: 1 } },
          ],
        },
        {
          responses: [
            { text: "1", rewards: { correct: 0 } },
            { text: "2", rewards: { correct: 1 } },
          ],
        },
        {
          responses: [
            { text: "1", rewards: { correct: 0 } },
            { text: "2", rewards: { correct: 0 } },
          ],
        },
      ],
    });
    const result = await runCli(["rewards", "--stage", "rl", "--batch", batchFile(batch), GRPO]);
    expect(result.status, result.stderr).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.groups.map((g: { zero_signal: boolean }) => g.zero_signal)).toEqual([true, false, true]);
    expect(output.metrics.zero_signal_frac).toBeCloseTo(2 / 3, 12);
    const help = await runCli(["rewards", "--help"]);
    expect(help.stdout).toMatch(/zero_signal/);
    expect(help.stdout).toMatch(/cannot refill\s+the batch/);
  });

  it("applies --set overrides before lowering", async () => {
    const result = await runCli(["rewards", "--stage", "rl", "--batch", batchFile(ONE_GROUP), "--set", "rl.advantage=rloo", GRPO]);
    expect(result.status).toBe(0);
    // rloo: 1 - 0 = 1, 0 - 1 = -1
    expect(JSON.parse(result.stdout).groups[0].responses.map((r: { advantages: number[] }) => r.advantages[0])).toEqual([1, -1]);
  });

  it("shows a null control's advantages: the method's, permuted within the group as the run permutes them at --step", async () => {
    const batch = batchFile(
      JSON.stringify({ groups: [{ responses: ["1", "2", "3", "4"].map((text, i) => ({ text, rewards: { correct: i < 2 ? 1 : 0 } })) }] }),
    );
    const advantages = async (step: number, sets: string[]) => {
      const result = await runCli(["rewards", "--stage", "rl", "--batch", batch, "--step", String(step), ...sets, GRPO]);
      expect(result.status, result.stderr).toBe(0);
      return JSON.parse(result.stdout).groups[0].responses.map((r: { advantages: number[] }) => r.advantages[0]) as number[];
    };
    const control = ["--set", "rl.control=shuffled_advantages"];
    const method = await advantages(3, []);
    // The run's control stream at (seed 1, stage 0, step 3) draws this permutation of the method's.
    const expected = shuffleWithinGroups(Float32Array.from(method), 4, new Uint8Array(4).fill(1), streamRng(1, 0, 3, "control"));
    expect(await advantages(3, control)).toEqual(Array.from(expected, shortestFloat32));
    const draws = await Promise.all([0, 1, 2, 4, 5].map((step) => advantages(step, control)));
    for (const draw of draws) expect([...draw].sort()).toEqual([...method].sort());
    expect(new Set(draws.map((d) => d.join())).size).toBeGreaterThan(1);
  });

  it("needs --stage and --batch, and a step number (exit 2)", async () => {
    expect(await runCli(["rewards", "--batch", "b.json", GRPO])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining("error: give --stage NAME\nusage: roux rewards --stage NAME"),
    });
    expect(await runCli(["rewards", "--stage", "rl", GRPO])).toMatchObject({ status: 2, stderr: expect.stringContaining("error: give --batch BATCH.json") });
    expect(await runCli(["rewards", "--stage", "rl", "--batch", "b.json", "--step", "1.5", GRPO])).toMatchObject({
      status: 2,
      stderr: "error: --step takes a step number (an integer >= 0), not `1.5`\n",
    });
  });

  it("names the run's RL stages when --stage names no RL stage (exit 1)", async () => {
    const batch = batchFile(ONE_GROUP);
    expect(await runCli(["rewards", "--stage", "r", "--batch", batch, FLAGSHIP])).toEqual({
      status: 1,
      stdout: "",
      stderr: "error: the run has no stage `r`; its RL stages: `rl`\n",
    });
    expect(await runCli(["rewards", "--stage", "warmup", "--batch", batch, FLAGSHIP])).toEqual({
      status: 1,
      stdout: "",
      stderr: "error: stage `warmup` is an sft stage, which has no rewards; its RL stages: `rl`\n",
    });
  });

  it("refuses a recipe with errors, with its diagnostics", async () => {
    const result = await runCli(["rewards", "--stage", "rl", "--batch", batchFile(ONE_GROUP), "--set", "rl.group=1", GRPO]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("error[E3106]");
  });

  it("reports malformed JSON with its line and column (exit 1)", async () => {
    const file = batchFile('{\n  "groups": [\n    {"responses": [tru]}\n  ]\n}');
    expect(await runCli(["rewards", "--stage", "rl", "--batch", file, GRPO])).toEqual({
      status: 1,
      stdout: "",
      stderr: `error: ${file}:3:23: malformed JSON: Unexpected token ']'\n`,
    });
    const cut = batchFile('{"groups": [');
    expect((await runCli(["rewards", "--stage", "rl", "--batch", cut, GRPO])).stderr).toBe(
      `error: ${cut}:1:13: malformed JSON: Unexpected end of JSON input\n`,
    );
  });

  it("reports a missing file, a batch of the wrong shape and a reward of the wrong length (exit 1)", async () => {
    expect(await runCli(["rewards", "--stage", "rl", "--batch", "no/such.json", GRPO])).toEqual({
      status: 1,
      stdout: "",
      stderr: "error: cannot read no/such.json: no such file or directory\n",
    });
    const shape = batchFile(JSON.stringify({ groups: [{ responses: [{ txt: "1" }] }] }));
    expect((await runCli(["rewards", "--stage", "rl", "--batch", shape, GRPO])).stderr).toBe(
      `error: ${shape}: groups[0].responses[0]: unknown key \`txt\` ` +
        "(the keys are `text`, `tokens`, `step_ends`, `rewards`, `logprobs`, `ref_logprobs`, `entropy`)\n",
    );
    const length = batchFile(
      JSON.stringify({
        groups: [
          {
            responses: [
              { text: "1\n2", rewards: { correct: 1, steps: [1] } },
              { text: "2", rewards: { correct: 0, steps: [1] } },
            ],
          },
        ],
      }),
    );
    const flagship = await runCli(["rewards", "--stage", "rl", "--batch", length, FLAGSHIP]);
    expect(flagship).toMatchObject({ status: 1, stdout: "" });
    expect(flagship.stderr).toBe(
      `error: ${length}: groups[0].responses[0].rewards.steps: 1 values, but the response has 2 steps (step_ends [1,2]); ` +
        "`steps` is a process reward: one value per step\n",
    );
  });

  it("scores a task verifier (std/arith's answer_match) the batch does not give", async () => {
    const file = batchFile(JSON.stringify({ groups: [{ prompt: "1+2\n", answer: "3", responses: [{ text: "1+2=3\nanswer: 3" }, { text: "answer: 4" }] }] }));
    const result = await runCli(["rewards", "--stage", "rl", "--batch", file, GRPO]);
    expect(result.status, result.stderr).toBe(0);
    const responses = JSON.parse(result.stdout).groups[0].responses;
    expect(responses.map((r: { rewards: { correct: number } }) => r.rewards.correct)).toEqual([1, 0]);
  });
});

describe("a batch's bounds", () => {
  it("refuses a batch file over the byte limit without reading it whole, and a FIFO or a device without waiting", async () => {
    const big = batchFile("");
    truncateSync(big, BATCH_MAX_BYTES + 1);
    expect(await runCli(["rewards", "--stage", "rl", "--batch", big, GRPO])).toEqual({
      status: 1,
      stdout: "",
      stderr: `error: ${big} is larger than the ${BATCH_MAX_BYTES}-byte limit for a batch (one step's responses)\n`,
    });
    const fifo = path.join(path.dirname(big), "pipe.json");
    execFileSync("mkfifo", [fifo]);
    expect((await runCli(["rewards", "--stage", "rl", "--batch", fifo, GRPO])).stderr).toBe(`error: ${fifo} is a FIFO, not a regular file\n`);
    const zero = path.join(path.dirname(big), "zero.json");
    symlinkSync("/dev/zero", zero);
    expect((await runCli(["rewards", "--stage", "rl", "--batch", zero, GRPO])).stderr).toBe(`error: ${zero} is a device, not a regular file\n`);
  });

  it("refuses more responses or tokens than a batch may have, before packing them", async () => {
    const response = { text: "1", rewards: { correct: 1 } };
    const many = { groups: Array.from({ length: BATCH_MAX_RESPONSES / 2 + 1 }, () => ({ responses: [response, response] })) };
    expect(() => readBatch(many)).toThrow(
      `groups: ${BATCH_MAX_RESPONSES + 2} responses, more than the ${BATCH_MAX_RESPONSES} a batch may have; give one step's responses at a time`,
    );
    const long = { text: "1".repeat(BATCH_MAX_TOKENS / 2 + 1), rewards: { correct: 1 } };
    const plan = planOfFile(GRPO);
    expect(() => packBatch(readBatch({ groups: [{ responses: [long, long] }] }), batchTokenizer(plan))).toThrow(
      `groups[0].responses[1]: the responses so far have ${BATCH_MAX_TOKENS + 2} tokens, more than the ${BATCH_MAX_TOKENS} a batch may have`,
    );
  });

  it("writes its output a group at a time, waiting for a slow reader, so it never holds the whole output", async () => {
    const groups = Array.from({ length: 40 }, (_, g) => ({
      responses: [
        { text: `${g}\n1+1=2`, rewards: { correct: 1 } },
        { text: `${g}`, rewards: { correct: 0 } },
      ],
    }));
    // A reader that takes each chunk a turn later; `held` is the most the command left buffered in it.
    const chunks: string[] = [];
    let held = 0;
    const stdout = new Writable({
      highWaterMark: 1024,
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        held = Math.max(held, stdout.writableLength);
        setImmediate(done);
      },
    });
    const stderr = new Writable({ write: (_chunk, _encoding, done) => done() });
    const status = await main(["rewards", "--stage", "rl", "--batch", batchFile(JSON.stringify({ groups })), GRPO], {
      stdout,
      stderr,
      env: {},
      cwd: REPO_ROOT,
    });
    expect(status).toBe(0);
    const output = chunks.join("");
    expect(JSON.parse(output).groups).toHaveLength(40);
    const group = Math.max(...chunks.map((chunk) => chunk.length));
    // Every chunk is at most a group (or the metrics), and the command waits for each to drain.
    expect(group * 10).toBeLessThan(output.length);
    expect(held).toBeLessThanOrEqual(group + 1024);
  });
});

describe("output helpers", () => {
  it("prints float32 values at their shortest", () => {
    expect(shortestFloat32(Math.fround(0.3))).toBe(0.3);
    expect(shortestFloat32(Math.fround(0.70710578))).toBe(0.70710576);
    expect(shortestFloat32(Math.fround(1 / 3))).toBe(0.33333334);
    expect(shortestFloat32(0)).toBe(0);
  });

  it("keeps lists of numbers on one line", () => {
    expect(formatJson({ a: [1, 2], b: { c: [] }, d: [{ e: null }] })).toBe(
      '{\n  "a": [1, 2],\n  "b": {\n    "c": []\n  },\n  "d": [\n    {\n      "e": null\n    }\n  ]\n}',
    );
  });

  it("finds the position of a JSON error V8 gives none for", () => {
    expect(malformedJson('{"a": trux}', 'Unexpected token \'x\', "{"a": trux}" is not valid JSON')).toBe("1:10: malformed JSON: Unexpected token 'x'");
    expect(malformedJson("[1 2]", "Expected ',' or ']' after array element in JSON at position 3 (line 1 column 4)")).toBe(
      "1:4: malformed JSON: Expected ',' or ']' after array element",
    );
  });
});
