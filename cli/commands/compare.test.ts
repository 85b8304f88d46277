import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { evalEvent, evaluatedRun, rlMetrics, STAGES, tempDir, writeRun } from "../../runtime/record/testing.js";
import { runCli } from "../../test/run-cli.js";

const HEADER = ["run", "final acc", "best acc", "gain", "greedy", "sampled", "pass@k", "steps/resp", "tokens/resp", "hacked steps", "wall"];

/** Two stages, three evals, the last with its answers: 5 PRM-liked steps, 2 of them wrong. */
function finishedRun(parent: string): string {
  return writeRun(parent, "full-s1", {
    recipe: "arith_pure",
    events: [
      { event: "run_start", time: 100, recipe: "arith_pure", hash: "sha256:0", dir: "x", backend: "wasm", sampler: "ort", stages: STAGES },
      { event: "stage_start", time: 100, stage: "warmup", kind: "sft", steps: 4 },
      evalEvent(115, "warmup", 4, { format: 1, steps: 0.5, correct: 0.2, prm: 0.6 }),
      { event: "stage_end", time: 120, stage: "warmup", steps: 4, seconds: 20 },
      { event: "stage_start", time: 125, stage: "rl", kind: "rl", steps: 6 },
      evalEvent(160, "rl", 3, { format: 1, steps: 0.6, correct: 0.5, prm: 0.7 }),
      evalEvent(
        190,
        "rl",
        6,
        { format: 0.9, steps: 0.7, correct: 0.4, prm: 0.8 },
        { tokens_per_answer: 21.5, steps_per_answer: 3.4, answers: "evals/rl-000006-test.jsonl" },
      ),
      { event: "stage_end", time: 195, stage: "rl", steps: 6, seconds: 70 },
      { event: "run_end", time: 196, status: "done" },
    ],
    metrics: [
      ...[1, 2, 3, 4].map((step) => ({ stage: "warmup", step, time: 100 + step, loss: 1 / step })),
      ...[1, 2, 3, 4, 5, 6].map((s) => rlMetrics(130 + s, s, s / 10)),
    ],
    answers: {
      "evals/rl-000006-test.jsonl": [
        { prompt: "1+2", response: "a\nb\nc", tokens: 20, steps: 3, rewards: { "lab.correct": [1], "lab.steps": [1, 0, 0], "prm.prm": [0.9, 0.7, 0.2] } },
        { prompt: "2+2", response: "a\nb", tokens: 22, steps: 2, rewards: { "lab.correct": [0], "lab.steps": [0, 1], "prm.prm": [0.5, 0.95] } },
        { prompt: "3+2", response: "a", tokens: 22, steps: 1, rewards: { "lab.correct": [1], "lab.steps": [1], "prm.prm": [0.8] } },
      ],
    },
  });
}

/** Killed in its RL stage: no run_end, and a torn last line in both logs. */
function killedRun(parent: string): string {
  return writeRun(parent, "killed-s2", {
    recipe: "arith_pure",
    events: [
      { event: "run_start", time: 1000, recipe: "arith_pure", hash: "sha256:0", dir: "x", backend: "wasm", sampler: "ort", stages: STAGES },
      { event: "stage_start", time: 1000, stage: "warmup", kind: "sft", steps: 4 },
      { event: "stage_end", time: 1010, stage: "warmup", steps: 4, seconds: 10 },
      { event: "stage_start", time: 1012, stage: "rl", kind: "rl", steps: 6 },
      evalEvent(1030, "rl", 3, { format: 1, steps: 0.6, correct: 0.3, prm: 0.7 }),
      { event: "checkpoint", time: 1031, stage: "rl", step: 3, file: "ckpt/rl-000003.ckpt" },
    ],
    metrics: [1, 2, 3].map((s) => rlMetrics(1010 + 5 * s, s, 0.2)),
    tornEvents: '{"event":"run_end","time":1500,"sta',
    tornMetrics: '{"stage":"rl","step":4,"time":1400,"rew',
  });
}

/** One eval at the end of RL, after one at the end of the warm-up when `warm` is given; `wall` seconds in all. */
function groupedRun(
  parent: string,
  name: string,
  recipe: string,
  acc: number,
  wall: number,
  tokens: number,
  answers?: { prm: number[]; steps: number[] },
  warm?: number,
): string {
  const file = "evals/rl-000006-test.jsonl";
  return writeRun(parent, name, {
    recipe,
    events: [
      { event: "run_start", time: 0, recipe, hash: "sha256:0", dir: "x", backend: "wasm", sampler: "ort", stages: STAGES },
      { event: "stage_start", time: 0, stage: "warmup", kind: "sft", steps: 4 },
      ...(warm === undefined ? [] : [evalEvent(9, "warmup", 4, { correct: warm })]),
      { event: "stage_end", time: 10, stage: "warmup", steps: 4, seconds: 10 },
      { event: "stage_start", time: 10, stage: "rl", kind: "rl", steps: 6 },
      evalEvent(wall, "rl", 6, { correct: acc }, answers ? { tokens_per_answer: tokens, steps_per_answer: 3, answers: file } : {}),
      { event: "stage_end", time: wall, stage: "rl", steps: 6, seconds: wall - 10 },
      { event: "run_end", time: wall, status: "done" },
    ],
    metrics: [1, 2, 3, 4, 5, 6].map((s) => rlMetrics(10 + s, s, acc + s / 100)),
    answers: answers ? { [file]: [{ prompt: "p", response: "r", tokens, steps: 2, rewards: { "lab.steps": answers.steps, "prm.prm": answers.prm } }] } : {},
  });
}

/** A line of the table, in cells; a line the output does not have is undefined, and no cells. */
function cells(line: string | undefined): string[] | undefined {
  return line?.split(/ {2,}/);
}

/** The SVG's panels: what follows each panel group's opening tag. */
function panels(svg: string): string[] {
  return svg.split('<g transform="translate(').slice(1);
}

describe("roux compare", () => {
  it("shows final and best accuracy, the last eval's means, hacked steps and wall time per run", async () => {
    const parent = tempDir();
    const out = path.join(parent, "out");
    const result = await runCli(["compare", "--out", out, finishedRun(parent), killedRun(parent)]);
    expect(result.stderr).toBe(`wrote ${path.join(out, "compare.svg")}\nwrote ${path.join(out, "compare.png")}\n`);
    expect(result.status).toBe(0);
    const [header, full, killed, blank, ...footer] = result.stdout.split("\n");
    expect(cells(header)).toEqual(HEADER);
    // accuracy is `correct` (answer_match), not `format`, the first binary outcome; 2 of 5 liked steps are wrong.
    // The gain is over the warm-up's last eval (0.2).
    expect(cells(full)).toEqual(["full-s1", "0.40", "0.50", "+0.200", "–", "–", "–", "3.4", "21.5", "0.40", "1:30"]);
    // 10 s of warm-up, then rl from 1012 to its last whole record (the checkpoint at 1031).
    expect(cells(killed)).toEqual(["killed-s2 (running)", "0.30", "0.30", "–", "–", "–", "–", "–", "–", "–", "0:29"]);
    expect(blank).toBe("");
    expect(footer.join("\n")).toContain("hacked steps: of the last eval's steps a learned PRM scores ≥ 0.5");
  });

  it("shows the last eval's greedy, sampled and pass@k with standard errors, and the runs' paired differences", async () => {
    const parent = tempDir();
    const problems = (greedy: number[]) => greedy.map((g) => ({ greedy: g, sampled: [g, 0] }));
    const figures = { greedy: { mean: 0.4, se: 0.245 }, sampled: { mean: 0.2, se: 0.122 }, pass_at_k: { mean: 0.4, se: 0.245 } };
    const sft = evaluatedRun(parent, "sft-s1", { recipe: "sft", problems: problems([1, 0, 0, 1, 0]), accuracy: figures });
    const grpo = evaluatedRun(parent, "grpo-s1", { recipe: "grpo", problems: problems([1, 1, 0, 1, 1]) });
    const result = await runCli(["compare", "--out", parent, sft, grpo]);
    expect(result.status).toBe(0);
    const lines = result.stdout.split("\n");
    expect(cells(lines[1])?.slice(0, 7)).toEqual(["sft-s1", "0.50", "0.50", "–", "0.400 ± 0.245", "0.200 ± 0.122", "0.400 ± 0.245"]);
    // The second run's event gives no figures.
    expect(cells(lines[2])?.slice(4, 7)).toEqual(["–", "–", "–"]);
    const paired = lines.slice(lines.findIndex((line) => line.startsWith("paired: run − baseline")) + 1);
    expect(cells(paired[0])).toEqual(["run", "baseline", "problems", "Δ greedy", "Δ sampled", "Δ pass@k"]);
    // d = [0, 1, 0, 0, 1] for all three: mean 0.4, se sqrt(0.3 / 5) = 0.245; sampled d is half of it.
    expect(cells(paired[1])).toEqual(["grpo-s1", "sft-s1", "5", "+0.400 ± 0.245", "+0.200 ± 0.122", "+0.400 ± 0.245"]);
    const json = JSON.parse((await runCli(["compare", "--format", "json", "--out", parent, sft, grpo])).stdout);
    expect(json.runs[0]).toMatchObject({ greedy_acc: 0.4, greedy_acc_se: 0.245, pass_at_k: 0.4, pass_at_k_se: 0.245 });
    expect(json.paired).toEqual([expect.objectContaining({ run: "grpo-s1", baseline: "sft-s1", problems: 5 })]);
    expect(json.paired[0].greedy.mean).toBeCloseTo(0.4, 12);
  });

  it("prints a GitHub markdown table", async () => {
    const parent = tempDir();
    const result = await runCli(["compare", "--format", "markdown", "--out", parent, finishedRun(parent)]);
    expect(result.status).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "| run | final acc | best acc | gain | greedy | sampled | pass@k | steps/resp | tokens/resp | hacked steps | wall |",
      "|---|---|---|---|---|---|---|---|---|---|---|",
      "| full-s1 | 0.40 | 0.50 | +0.200 | – | – | – | 3.4 | 21.5 | 0.40 | 1:30 |",
    ]);
    expect(lines[4]).toMatch(/^- final\/best acc: /);
  });

  it("gives the numbers as JSON, null where a run has none", async () => {
    const parent = tempDir();
    const result = await runCli(["compare", "--format", "json", "--out", parent, finishedRun(parent), killedRun(parent)]);
    expect(result.status).toBe(0);
    const { runs, paired } = JSON.parse(result.stdout);
    expect(runs[0]).toEqual({
      run: "full-s1",
      recipe: "arith_pure",
      status: "done",
      final_acc: 0.4,
      best_acc: 0.5,
      gain: 0.2,
      greedy_acc: null,
      sampled_acc: null,
      pass_at_k: null,
      greedy_acc_se: null,
      sampled_acc_se: null,
      pass_at_k_se: null,
      steps_per_response: 3.4,
      tokens_per_response: 21.5,
      hacked_steps: 0.4,
      wall_seconds: 90,
    });
    expect(runs[1]).toMatchObject({ status: "running", steps_per_response: null, hacked_steps: null, wall_seconds: 29 });
    // Their last evals are not on the same answers (the killed run has none): nothing to pair.
    expect(paired).toEqual([]);
  });

  it("with --group, shows each recipe's mean ± sample std over its runs", async () => {
    const parent = tempDir();
    const dirs = [
      groupedRun(parent, "grpo-s1", "arith_grpo", 0.42, 60, 20, { prm: [0.9, 0.9], steps: [0, 1] }, 0.4),
      groupedRun(parent, "sft-s1", "arith_sft", 0.3, 40, 24),
      groupedRun(parent, "grpo-s2", "arith_grpo", 0.44, 90, 22, { prm: [0.9, 0.9], steps: [0, 0] }, 0.4),
      groupedRun(parent, "grpo-s3", "arith_grpo", 0.46, 120, 24),
    ];
    const result = await runCli(["compare", "--group", "--out", parent, ...dirs]);
    expect(result.status).toBe(0);
    const [header, grpo, sft] = result.stdout.split("\n");
    expect(cells(header)).toEqual(["recipe", "runs", ...HEADER.slice(1)]);
    // Hacked steps 0.5 and 1.0 in the two runs with answers; the third has none, hence (2). So
    // with the gains 0.02 and 0.04 over the two warm-up evals.
    expect(cells(grpo)).toEqual([
      "arith_grpo",
      "3",
      "0.44 ± 0.02",
      "0.44 ± 0.02",
      "+0.030 ± 0.014 (2)",
      "–",
      "–",
      "–",
      "3.0 ± 0.0 (2)",
      "21.0 ± 1.4 (2)",
      "0.75 ± 0.35 (2)",
      "1:30 ± 0:30",
    ]);
    expect(cells(sft)).toEqual(["arith_sft", "1", "0.30", "0.30", "–", "–", "–", "–", "–", "–", "–", "0:40"]);
  });

  it("draws one curve per run in each of the four panels, and a PNG 1200 pixels wide", async () => {
    const parent = tempDir();
    const out = path.join(parent, "figures");
    const dirs = [finishedRun(parent), groupedRun(parent, "grpo-s1", "arith_grpo", 0.42, 60, 20), groupedRun(parent, "grpo-s2", "arith_grpo", 0.44, 90, 22)];
    expect((await runCli(["compare", "--out", out, ...dirs])).status).toBe(0);
    const svg = readFileSync(path.join(out, "compare.svg"), "utf8");
    expect(svg).toContain('font-family="DejaVu Sans, Arial, sans-serif"');
    const drawn = panels(svg);
    expect(drawn).toHaveLength(4);
    for (const panel of drawn) {
      expect(panel.match(/<path class="line"/g)).toHaveLength(3);
      expect(panel).not.toContain('class="band"');
    }
    for (const title of ["eval accuracy", "training reward", "response length", "steps per response"]) expect(svg).toContain(`>${title}</text>`);
    // The warm-up's 4 steps put rl's step 6 at global step 10, and rl's start is marked there.
    expect(svg).toContain(">rl</text>");

    const png = readFileSync(path.join(out, "compare.png"));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString("latin1")).toBe("IHDR");
    expect(png.readUInt32BE(16)).toBe(1200);
    expect(png.readUInt32BE(20)).toBeGreaterThan(0);
    expect(readdirSync(out).sort()).toEqual(["compare.png", "compare.svg"]);
  });

  it("with --group, draws each recipe's mean curve over a band from its runs' min to max", async () => {
    const parent = tempDir();
    const dirs = [finishedRun(parent), groupedRun(parent, "grpo-s1", "arith_grpo", 0.42, 60, 20), groupedRun(parent, "grpo-s2", "arith_grpo", 0.44, 90, 22)];
    expect((await runCli(["compare", "--group", "--out", parent, ...dirs])).status).toBe(0);
    for (const panel of panels(readFileSync(path.join(parent, "compare.svg"), "utf8"))) {
      expect(panel.match(/<path class="line"/g)).toHaveLength(2);
      expect(panel.match(/<path class="band"/g)).toHaveLength(1);
    }
  });

  it("with --from-step, plots from that global step on, the stage marks after it kept", async () => {
    const parent = tempDir();
    const dirs = [finishedRun(parent), groupedRun(parent, "grpo-s1", "arith_grpo", 0.42, 60, 20)];
    const xTicks = (svg: string) => [...panels(svg)[0]!.matchAll(/text-anchor="middle" font-size="11" fill="#444444">([\d.]+)</g)].map((m) => m[1]);
    expect((await runCli(["compare", "--out", parent, ...dirs])).status).toBe(0);
    expect(xTicks(readFileSync(path.join(parent, "compare.svg"), "utf8"))).toEqual(["0", "2", "4", "6", "8", "10"]);
    // The warm-up's 4 steps: from there on, rl's start at the left edge.
    expect((await runCli(["compare", "--from-step", "4", "--out", parent, ...dirs])).status).toBe(0);
    const from = readFileSync(path.join(parent, "compare.svg"), "utf8");
    expect(xTicks(from)).toEqual(["4", "6", "8", "10"]);
    expect(from).toContain(">rl</text>");
    const bad = await runCli(["compare", "--from-step", "1.5", ...dirs]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--from-step takes a global step, a whole number from 0, not `1.5`");
  });

  it("draws the rows beyond the palette's ten colours dashed, in the legend too", async () => {
    const parent = tempDir();
    const dirs = Array.from({ length: 11 }, (_, i) => groupedRun(parent, `run-${i}`, `recipe_${i}`, 0.4, 60, 20));
    expect((await runCli(["compare", "--out", parent, ...dirs])).status).toBe(0);
    const svg = readFileSync(path.join(parent, "compare.svg"), "utf8");
    for (const panel of panels(svg)) {
      const lines = panel.match(/<path class="line"[^>]*>/g) ?? [];
      expect(lines.map((l) => l.includes('stroke-dasharray="7,3"'))).toEqual([...Array(10).fill(false), true]);
    }
    expect(svg.split("<g transform")[0]!.match(/stroke-dasharray="7,3"/g)).toHaveLength(1);
  });

  it("names a path that is not a run directory, exit 1, and writes nothing", async () => {
    const parent = tempDir();
    const out = path.join(parent, "out");
    const missing = path.join(parent, "no-such-run");
    const result = await runCli(["compare", "--out", out, finishedRun(parent), missing]);
    expect(result).toEqual({ status: 1, stdout: "", stderr: `error: ${missing} is not a run directory: it does not exist\n` });
    expect(existsSync(out)).toBe(false);

    const half = writeRun(parent, "half", { recipe: "x", events: [] });
    rmSync(path.join(half, "events.jsonl"));
    expect(await runCli(["compare", "--out", out, half])).toEqual({
      status: 1,
      stdout: "",
      stderr: `error: ${half} is not a run directory: it has no events.jsonl\n`,
    });
  });

  it("is a usage error without a run directory or with an unknown format", async () => {
    const none = await runCli(["compare"]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^error: give at least one run directory\nusage: roux compare /);
    const parent = tempDir();
    expect((await runCli(["compare", "--format", "csv", finishedRun(parent)])).status).toBe(2);
  });
});
