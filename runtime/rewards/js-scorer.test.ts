import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RewardSource as PlanRewardSource } from "../../plan/plan.js";
import { createJsScorer, type JsScorerOptions } from "./js-scorer.js";
import type { RewardScorer, ScoreResult } from "./source.js";
import { rewardSource, sample } from "./testing.js";

let dir: string;
const open: RewardScorer[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "roux-js-reward-"));
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((scorer) => scorer.close()));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function module(name: string, code: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, code);
  return path;
}

function jsSource(path: string, exportName: string, fields: Partial<PlanRewardSource> = {}): PlanRewardSource {
  return rewardSource({ kind: "js", path, export: exportName, range: fields.range ?? { lo: 0, hi: 1 } }, fields);
}

function scorer(source: PlanRewardSource, options?: JsScorerOptions): RewardScorer {
  const created = createJsScorer(source, options);
  open.push(created);
  return created;
}

/** Values as plain arrays (a failed sample's are NaN). */
function plain(result: ScoreResult): number[][] {
  return result.values.map((values) => Array.from(values));
}

/** An outcome reward's value per sample (NaN where it has none, as for a failed sample). */
function outcomes(result: ScoreResult): number[] {
  return result.values.map((values) => values[0] ?? NaN);
}

describe("js reward functions", () => {
  it("scores outcomes with the sample's fields", async () => {
    const path = await module(
      "outcome.mjs",
      `export function correct(s) {
         if (s.prompt !== "2+2=") throw new Error("prompt " + s.prompt);
         return s.response.trim() === s.answer ? 1 : 0;
       }`,
    );
    const result = await scorer(jsSource(path, "correct")).score([
      sample(" 4 ", { prompt: "2+2=", answer: "4" }),
      sample("5", { prompt: "2+2=", answer: "4" }),
    ]);
    expect(result.failures).toEqual([]);
    expect(plain(result)).toEqual([[1], [0]]);
  });

  it("gives the steps and tokens, and takes one value per step from a process source", async () => {
    const path = await module(
      "process.mjs",
      `export const steps = ({ steps, tokens }) => steps.map((step, k) => (step.includes("=") ? 1 : 0) * (tokens.length > 0 ? 1 : 0));
       export const shape = ({ steps, tokens }) => [steps.length / 10, tokens.length / 100];`,
    );
    const samples = [sample("1+1=2\nso 2\n"), sample("a\n\nb=c"), sample("x=1")];
    const result = await scorer(jsSource(path, "steps", { granularity: "process" })).score(samples);
    expect(result.failures).toEqual([]);
    // Steps: ["1+1=2", "so 2"], ["a", "", "b=c"], ["x=1"].
    expect(plain(result)).toEqual([[1, 0], [0, 0, 1], [1]]);
    const shape = await scorer(jsSource(path, "shape", { granularity: "token", range: { lo: 0, hi: 1 } })).score([sample("ab")]);
    // 1 step, 2 tokens: [0.1, 0.02] as float32.
    expect(shape.failures).toEqual([]);
    expect(shape.values[0]).toEqual(Float32Array.of(0.1, 0.02));
  });

  it("awaits an async function", async () => {
    const path = await module(
      "async.mjs",
      `export async function slow(s) {
         await new Promise((resolve) => setTimeout(resolve, 20));
         return [s.response.length / 10];
       }`,
    );
    const result = await scorer(jsSource(path, "slow")).score([sample("abc"), sample("abcde")]);
    expect(result.failures).toEqual([]);
    expect(result.values).toEqual([Float32Array.of(0.3), Float32Array.of(0.5)]);
  });

  it("fails a sample whose function throws, with the message and where, and scores the others", async () => {
    const path = await module(
      "throws.mjs",
      `export function f(s) {
         if (s.response === "bad") throw new TypeError("cannot score " + s.response);
         if (s.response === "odd") throw "a string";
         return 1;
       }`,
    );
    const result = await scorer(jsSource(path, "f")).score([sample("ok"), sample("bad"), sample("odd"), sample("ok")]);
    expect(result.failures).toEqual([
      { sample: 1, reason: `"f" threw TypeError: cannot score bad (at throws.mjs:2:42)` },
      { sample: 2, reason: `"f" threw "a string"` },
    ]);
    expect(plain(result)).toEqual([[1], [Number.NaN], [Number.NaN], [1]]);
  });

  it("times out a function that never returns, restarts the worker and goes on", async () => {
    const path = await module(
      "loop.mjs",
      `export function f(s) {
         if (s.response === "loop") for (;;) {}
         if (s.response === "hang") return new Promise(() => {});
         return process.pid / 1e7;
       }`,
    );
    const js = scorer(jsSource(path, "f"), { timeLimitMs: 200 });
    const first = await js.score([sample("a"), sample("loop"), sample("b"), sample("hang"), sample("c")]);
    expect(first.failures).toEqual([
      { sample: 1, reason: `"f" timed out after 200 ms` },
      { sample: 3, reason: `"f" timed out after 200 ms` },
    ]);
    const workers = outcomes(first).map((value) => Math.round(value * 1e7));
    // a, b and c each ran in a fresh worker: the loop and the hang each cost one.
    expect(new Set([workers[0], workers[2], workers[4]]).size).toBe(3);
    const second = await js.score([sample("d"), sample("e")]);
    expect(second.failures).toEqual([]);
    const [d, e] = outcomes(second).map((value) => Math.round(value * 1e7));
    // The worker of the last sample is reused.
    expect([d, e]).toEqual([workers[4], workers[4]]);
  });

  it("times each call of a batch, even when the run is too busy to read the replies for a while", async () => {
    // 40 calls of 25 ms, each replying 20 kB, while this process reads nothing for longer than
    // the limit: the replies fill the channel and wait in the worker; each call keeps to the limit.
    const path = await module(
      "wordy.mjs",
      `export function f({ response }) {
         const until = Date.now() + 25;
         while (Date.now() < until) {}
         if (response === "wordy") throw new Error("x".repeat(20000));
         return 1;
       }`,
    );
    const js = scorer(jsSource(path, "f"), { timeLimitMs: 300 });
    expect((await js.score([sample("warm")])).failures).toEqual([]);
    const scoring = js.score(Array.from({ length: 40 }, () => sample("wordy")));
    // Let the calls go out, then keep this thread busy.
    await new Promise((resolve) => setImmediate(resolve));
    const until = Date.now() + 600;
    while (Date.now() < until) {}
    const result = await scoring;
    expect(new Set(result.failures.map((failure) => failure.reason))).toEqual(new Set([`"f" threw Error: ${"x".repeat(20000)} (at wordy.mjs:4:42)`]));
    expect(result.failures).toHaveLength(40);
  });

  it("fails a sample whose function returns the wrong number of values", async () => {
    const path = await module(
      "length.mjs",
      `export const pair = () => [1, 0];
       export const one = () => 1;
       export const perStep = ({ steps }) => steps.slice(1).map(() => 1);`,
    );
    const outcome = await scorer(jsSource(path, "pair")).score([sample("a")]);
    expect(outcome.failures).toEqual([{ sample: 0, reason: `"pair" returned 2 numbers [1, 0]; an outcome reward returns one number` }]);
    const single = await scorer(jsSource(path, "one", { granularity: "process" })).score([sample("a\nb")]);
    expect(single.failures).toEqual([
      { sample: 0, reason: `"one" returned 1 number 1 for a response of 2 steps; a process reward returns one number per step` },
    ]);
    const process = await scorer(jsSource(path, "perStep", { granularity: "process" })).score([sample("a\nb\nc"), sample("a")]);
    expect(process.failures).toEqual([
      { sample: 0, reason: `"perStep" returned 2 numbers [1, 1] for a response of 3 steps; a process reward returns one number per step` },
      { sample: 1, reason: `"perStep" returned 0 numbers [] for a response of 1 step; a process reward returns one number per step` },
    ]);
    expect(plain(process)).toEqual([[Number.NaN, Number.NaN, Number.NaN], [Number.NaN]]);
  });

  it("fails NaN, infinities, values outside the range and things that are not numbers", async () => {
    const path = await module(
      "values.mjs",
      `export function f({ response }) {
         switch (response.split("\\n")[0]) {
           case "nan": return Number.NaN;
           case "inf": return [0, Infinity];
           case "big": return 1.5;
           case "half": return 0.5;
           case "text": return "1";
           case "none": return;
           case "mixed": return [1, "x"];
           case "typed": return Float64Array.of(0.25, 0.75);
         }
       }`,
    );
    const outcomes = await scorer(jsSource(path, "f")).score(["nan", "big", "text", "none"].map((r) => sample(r)));
    expect(outcomes.failures.map((f) => f.reason)).toEqual([
      `"f" returned NaN`,
      `"f" returned 1.5, outside the reward's declared range 0..1`,
      `"f" returned the string "1"; a js reward returns a number or an array of numbers`,
      `"f" returned undefined (a missing return?); a js reward returns a number or an array of numbers`,
    ]);
    const binary = await scorer(jsSource(path, "f", { binary: true })).score([sample("half")]);
    expect(binary.failures).toEqual([{ sample: 0, reason: `"f" returned 0.5; the reward is binary (0 or 1)` }]);
    const process = await scorer(jsSource(path, "f", { granularity: "process" })).score([sample("inf\nx"), sample("mixed\nx"), sample("typed\nx")]);
    expect(process.failures.map((f) => f.reason)).toEqual([
      `"f" returned Infinity at index 1 of [0, Infinity]`,
      `"f" returned an array with the string "x" at index 1; a js reward returns a number or an array of numbers`,
    ]);
    // A typed array is as good as an array.
    expect(process.values[2]).toEqual(Float32Array.of(0.25, 0.75));
  });

  it("loads a TypeScript module with types, importing a TypeScript file by its .js name", async () => {
    await module("helper.ts", `export interface Weights { correct: number }\nexport const weights: Weights = { correct: 1 };\n`);
    const path = await module(
      "typed.ts",
      `import { weights, type Weights } from "./helper.js";
       interface Sample { response: string; answer: string | null; steps: string[] }
       type Score = number;
       export function score(sample: Sample): Score {
         const w: Weights = weights;
         return sample.response === sample.answer ? w.correct : 0;
       }
       export const explode = (sample: Sample): Score => {
         const missing = undefined as unknown as { x: number };
         return missing.x;
       };`,
    );
    const result = await scorer(jsSource(path, "score")).score([sample("4", { answer: "4" }), sample("5", { answer: "4" })]);
    expect(result.failures).toEqual([]);
    expect(plain(result)).toEqual([[1], [0]]);
    // Stripping keeps lines and columns: the error points into the TypeScript source.
    const thrown = await scorer(jsSource(path, "explode")).score([sample("4")]);
    expect(thrown.failures[0]?.reason).toMatch(/^"explode" threw TypeError: .*\(at typed\.ts:10:25\)$/);
  });

  it("loads CommonJS modules, in JavaScript and TypeScript", async () => {
    const cjs = await module("reward.cjs", `module.exports = { f: (s) => s.response.length / 10 };`);
    const cts = await module(
      "reward.cts",
      `const path = require("node:path");\nexports.f = (s: { response: string }): number => (path.sep === "/" ? 0.5 : 0.5);\n`,
    );
    const detected = await module("detected.ts", `exports.f = (s: unknown): number => 0.25;\n`);
    for (const [path, expected] of [
      [cjs, 0.2],
      [cts, 0.5],
      [detected, 0.25],
    ] as const) {
      const result = await scorer(jsSource(path, "f")).score([sample("ab")]);
      expect(result.failures, path).toEqual([]);
      expect(result.values[0]?.[0], path).toBeCloseTo(expected, 6);
    }
  });

  it("fails every sample when the module does not load, without rejecting", async () => {
    const cases: [string, string, string, RegExp][] = [
      [
        "syntax.mjs",
        "export const f = (s) => {\n  return s +;\n};",
        "f",
        /^could not load "f" from syntax\.mjs: SyntaxError: Unexpected token ';' \(at syntax\.mjs:2\)$/,
      ],
      ["types.ts", "export const f = (s: ) => 1;", "f", /^could not load "f" from types\.ts: SyntaxError: TypeScript in types\.ts.*: Unexpected token/],
      [
        "enum.ts",
        "export enum E { A }\nexport const f = () => 1;",
        "f",
        /^could not load "f" from enum\.ts: SyntaxError: TypeScript in enum\.ts.*not supported/,
      ],
      ["missing.mjs", "export const g = () => 1;", "f", /^could not load "f" from missing\.mjs: missing\.mjs has no export "f" \(its exports: g\)$/],
      ["number.mjs", "export const f = 3;", "f", /^could not load "f" from number\.mjs: export "f" of number\.mjs is the number 3, not a function$/],
      [
        "top.mjs",
        `throw new RangeError("no config");\nexport const f = () => 1;`,
        "f",
        /^could not load "f" from top\.mjs: RangeError: no config \(at top\.mjs:1:7\)$/,
      ],
      ["imports.mjs", `import "./absent.mjs";\nexport const f = () => 1;`, "f", /^could not load "f" from imports\.mjs: Error: Cannot find module/],
    ];
    for (const [name, code, exportName, reason] of cases) {
      const path = await module(name, code);
      const result = await scorer(jsSource(path, exportName)).score([sample("a"), sample("b")]);
      expect(
        result.failures.map((f) => f.sample),
        name,
      ).toEqual([0, 1]);
      expect(result.failures[0]?.reason, name).toMatch(reason);
      expect(result.failures[1]?.reason, name).toBe(result.failures[0]?.reason);
    }
    const absent = await scorer(jsSource(join(dir, "nowhere.mjs"), "f")).score([sample("a")]);
    expect(absent.failures[0]?.reason).toMatch(/^could not load "f" from nowhere\.mjs: Error: Cannot find module/);
  });

  it("times out a module that never finishes loading", async () => {
    const path = await module("stuck.mjs", `for (;;) {}\nexport const f = () => 1;`);
    const result = await scorer(jsSource(path, "f"), { loadTimeLimitMs: 300 }).score([sample("a")]);
    expect(result.failures).toEqual([{ sample: 0, reason: `could not load "f" from stuck.mjs: loading stuck.mjs timed out after 300 ms` }]);
  });

  it("survives a function that crashes its worker or exhausts its memory", async () => {
    const path = await module(
      "crash.mjs",
      `export function f({ response }) {
         if (response === "exit") process.exit(3);
         if (response === "oom") { const hoard = []; for (;;) hoard.push(new Array(1e5).fill(response)); }
         return 1;
       }`,
    );
    const js = scorer(jsSource(path, "f"), { memoryLimitMb: 128, timeLimitMs: 10_000 });
    const result = await js.score(["exit", "a", "oom", "b"].map((response) => sample(response)));
    expect(result.failures).toEqual([
      { sample: 0, reason: `the worker exited with code 3 while running "f"` },
      { sample: 2, reason: `the worker went over its memory cap of 128 MiB while running "f"` },
    ]);
    expect(plain(result)).toEqual([[Number.NaN], [1], [Number.NaN], [1]]);
  });

  it("caps all of a function's memory, Buffers outside V8's heap included", async () => {
    // 300 MiB of filled Buffers, held: V8's heap stays small; only a cap on the whole process sees it.
    const path = await module(
      "buffers.mjs",
      `const hoard = [];
       export function f({ response }) {
         if (response !== "hoard") return 1;
         for (let i = 0; i < 300; i++) hoard.push(Buffer.alloc(1 << 20, 1));
         return new Promise(() => {});
       }`,
    );
    const js = scorer(jsSource(path, "f"), { memoryLimitMb: 128, timeLimitMs: 60_000 });
    const result = await js.score([sample("a"), sample("hoard"), sample("b")]);
    expect(result.failures).toEqual([{ sample: 1, reason: `the worker went over its memory cap of 128 MiB while running "f"` }]);
    expect(plain(result)).toEqual([[1], [Number.NaN], [1]]);
  });

  it("keeps the signals a function sends to its own process (or process group) from the run", async () => {
    const path = await module(
      "signal.mjs",
      `export function f({ response }) {
         if (response === "term") process.kill(process.pid, "SIGTERM");
         if (response === "kill") process.kill(process.pid, "SIGKILL");
         if (response === "group") process.kill(0, "SIGTERM");
         return 1;
       }`,
    );
    const js = scorer(jsSource(path, "f"), { timeLimitMs: 10_000 });
    const result = await js.score(["term", "a", "kill", "b", "group", "c"].map((response) => sample(response)));
    expect(result.failures).toEqual([
      { sample: 0, reason: `the worker was ended by signal SIGTERM while running "f"` },
      { sample: 2, reason: `the worker was ended by signal SIGKILL while running "f"` },
      { sample: 4, reason: `the worker was ended by signal SIGTERM while running "f"` },
    ]);
    expect(plain(result)).toEqual([[Number.NaN], [1], [Number.NaN], [1], [Number.NaN], [1]]);
    // This process is still here, and the next batch starts a worker again.
    expect((await js.score([sample("d")])).failures).toEqual([]);
  });

  it("refuses a process sample whose text and tokens split into different steps", async () => {
    const path = await module("steps.mjs", `export const f = ({ steps }) => steps.map(() => 1);`);
    const result = await scorer(jsSource(path, "f", { granularity: "process" })).score([sample("a\nb", { stepEnds: [2] }), sample("c")]);
    expect(result.failures).toEqual([
      { sample: 0, reason: `the response's text has 2 steps (split on "\\n") but its tokens have 1; a process reward needs both to agree` },
    ]);
    expect(plain(result)).toEqual([[Number.NaN], [1]]);
  });

  it("close() stops the worker, and score() after close() rejects", async () => {
    const beat = join(dir, "beat.txt");
    const path = await module(
      "beat.mjs",
      `import { writeFileSync } from "node:fs";
       let count = 0;
       setInterval(() => writeFileSync(${JSON.stringify(beat)}, String(++count)), 5);
       export const f = () => 1;`,
    );
    const js = createJsScorer(jsSource(path, "f"));
    expect((await js.score([sample("a")])).failures).toEqual([]);
    await sleep(30);
    await js.close();
    const last = await readFile(beat, "utf8");
    await sleep(60);
    expect(await readFile(beat, "utf8")).toBe(last);
    await expect(js.score([sample("a")])).rejects.toThrow(/score\(\) after close\(\)/);
  });

  it("runs concurrent score() calls one after the other", async () => {
    const path = await module(
      "count.mjs",
      `let calls = 0;
       export const f = async () => { const mine = ++calls; await new Promise((r) => setTimeout(r, 5)); return mine / 100; };`,
    );
    const js = scorer(jsSource(path, "f"));
    const [a, b] = await Promise.all([js.score([sample("a"), sample("b")]), js.score([sample("c")])]);
    expect([...outcomes(a), ...outcomes(b)].map((v) => Math.round(v * 100))).toEqual([1, 2, 3]);
  });
});
