/**
 * The terminal UI as a person sees it. `roux watch` in a real terminal (tmux, 80x24) on a
 * recorded run directory, which the test then writes to as a run would: new metrics lines, an
 * eval, a line that is not JSON and a line written in two halves. The screen is read back with
 * `tmux capture-pane`. And `roux run` with its UI: pausing the run's process, and stopping it
 * after asking; and `--no-tui`. And `roux watch` on a sweep's directory, a line per point. Needs tmux (.ci/run installs it); without it, the test says so and skips.
 */
import { spawnSync } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeSweepRecord } from "../../cli/sweep/sweep-dir.js";
import { REPO_ROOT } from "../recipes.js";

const HAVE_TMUX = spawnSync("tmux", ["-V"]).status === 0;
const SOCKET = `roux-e2e-${process.pid}`;
const FIXTURE = path.join(REPO_ROOT, "test", "fixtures", "runs", "arith_chord-20261203-114542");

// A person's terminal, not CI's: under CI (CI=true) roux prints plain lines instead of the UI.
const TERMINAL_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => key !== "CI" && key !== "CONTINUOUS_INTEGRATION" && !key.startsWith("CI_")),
);

function tmux(...args: string[]): string {
  const result = spawnSync("tmux", ["-L", SOCKET, ...args], { encoding: "utf8", env: TERMINAL_ENV });
  if (result.status !== 0) throw new Error(`tmux ${args[0]}: ${result.stderr}`);
  return result.stdout;
}

/**
 * The test's own ROUX_CACHE (test/temporary-cache.ts) for a command run in tmux, whose server keeps
 * the environment it started with: without it, a run would find the stages of an earlier test's run.
 */
const ownCache = () => `ROUX_CACHE='${process.env.ROUX_CACHE}' `;

const screen = (session = "watch") => tmux("capture-pane", "-p", "-t", session);

async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The state letter of a process (/proc/PID/stat): T when stopped. */
async function processState(pid: number): Promise<string> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, "utf8");
  const [state = ""] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return state;
}

/** Polls the screen until `pattern` is on it; the test's own timeout bounds the wait. */
async function screenShows(pattern: RegExp, session = "watch"): Promise<string> {
  for (;;) {
    const text = screen(session);
    if (pattern.test(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let work: string;
let run: string;
let last: Record<string, number | string>;

beforeAll(async () => {
  if (!HAVE_TMUX) return;
  work = await fs.mkdtemp(path.join(os.tmpdir(), "roux-watch-"));
  run = path.join(work, path.basename(FIXTURE));
  await fs.cp(FIXTURE, run, { recursive: true });
  last = JSON.parse((await fs.readFile(path.join(run, "metrics.jsonl"), "utf8")).trimEnd().split("\n").at(-1)!);
});

afterAll(async () => {
  if (!HAVE_TMUX) return;
  spawnSync("tmux", ["-L", SOCKET, "kill-server"]);
  await fs.rm(work, { recursive: true, force: true });
});

const step = (n: number, reward: number) => `${JSON.stringify({ ...last, step: n, time: (last.time as number) + (n - 12), reward })}\n`;

describe("roux watch in a terminal", () => {
  if (!HAVE_TMUX) {
    it.skip("needs tmux, which is not installed here (.ci/run installs it with apt-get)", () => {});
    return;
  }

  it("shows a recorded run, follows the lines appended to it, and leaves at q", async () => {
    const roux = [process.execPath, path.join(REPO_ROOT, "bin", "roux.js"), "watch", path.basename(run)].map((a) => `'${a}'`).join(" ");
    // After roux leaves, the pane says how it exited and stays, so the test can read that too.
    tmux("new-session", "-d", "-s", "watch", "-x", "80", "-y", "24", "-c", work, `${roux}; echo roux-exited-$?; sleep 600`);

    let text = await screenShows(/▶ rl \(rl, 12\/150\)/);
    expect(text).toMatch(/arith_chord {2}sha256:9c7797…/);
    expect(text).toMatch(/✔ lab\.warmup \(sft, 1200 steps, 3:51\)/);
    expect(text).toMatch(/rl █+░+ +8% {2}0\.9 steps\/s {2}eta 2:31/);
    expect(text).toMatch(/reward +[▁-█]+ +0\.354/);

    const metrics = path.join(run, "metrics.jsonl");
    let lines = "";
    for (let n = 13; n <= 74; n++) lines += step(n, 0.875);
    await fs.appendFile(metrics, `${lines}this is not json\n`);
    const eval50 = {
      event: "eval",
      time: (last.time as number) + 40,
      stage: "rl",
      step: 50,
      data: "lab.test",
      examples: 200,
      values: { correct: 0.81, steps: 0.7 },
      tokens_per_answer: 22,
      steps_per_answer: 3,
      answers: "evals/none.jsonl",
    };
    await fs.appendFile(path.join(run, "events.jsonl"), `${JSON.stringify(eval50)}\n`);
    // Step 75 in two writes: the first half alone must not show, nor break anything.
    const half = step(75, 0.125);
    await fs.appendFile(metrics, half.slice(0, 40));

    text = await screenShows(/▶ rl \(rl, 74\/150\)/);
    expect(text).toMatch(/rl █+░+ +49% {2}1\.0 steps\/s {2}eta 1:17/);
    expect(text).toMatch(/reward +[▁-█]+ +0\.875/);
    expect(text).toMatch(/eval rl@50: correct 0\.810/);
    expect(text).toMatch(/metrics\.jsonl: skipped line 106, not a JSON object/);

    await fs.appendFile(metrics, half.slice(40));
    text = await screenShows(/▶ rl \(rl, 75\/150\)/);
    expect(text).toMatch(/reward +[▁-█]+ +0\.125/);

    tmux("send-keys", "-t", "watch", "Right");
    text = await screenShows(/│ eval acc {2}0\.810 {2}\(last 4 evals\)/);

    tmux("send-keys", "-t", "watch", "q");
    await screenShows(/roux-exited-0/);
  });

  it("runs a recipe in the UI: p pauses its process and resumes it, q asks, y stops it with a checkpoint", async () => {
    const base = path.join(work, "runs");
    const recipe = path.join(REPO_ROOT, "test", "e2e", "recipes", "rl.recipe");
    const roux = [process.execPath, path.join(REPO_ROOT, "bin", "roux.js"), "run", "--set", `run.out="${base}"`, "--set", "rl.steps=5000 steps", recipe]
      .map((a) => `'${a}'`)
      .join(" ");
    tmux("new-session", "-d", "-s", "run", "-x", "80", "-y", "24", "-c", work, `${ownCache()}${roux}; echo roux-exited-$?; sleep 600`);

    await screenShows(/▶ rl \(rl, \d+\/5000\)/, "run");
    const [name = "missing"] = await fs.readdir(base);
    const dir = path.join(base, name);
    const [first = ""] = (await fs.readFile(path.join(dir, "events.jsonl"), "utf8")).split("\n");
    const start = JSON.parse(first);
    expect(start.pid).not.toBe(process.pid);
    tmux("send-keys", "-t", "run", "p");
    await screenShows(/paused {2}q quit {2}p resume/, "run");
    await until(async () => ((await processState(start.pid)) === "T" ? true : undefined));
    tmux("send-keys", "-t", "run", "p");
    await until(async () => ((await processState(start.pid)) !== "T" ? true : undefined));

    tmux("send-keys", "-t", "run", "q");
    await screenShows(/stop the run\?/, "run");
    tmux("send-keys", "-t", "run", "y");
    const text = await screenShows(/roux-exited-0/, "run");
    expect(text).toMatch(/stopped; continue with: roux resume /);
    const events = (await fs.readFile(path.join(dir, "events.jsonl"), "utf8"))
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(events.at(-1)).toMatchObject({ event: "run_end", status: "stopped" });
    expect(events.at(-2)).toMatchObject({ event: "checkpoint", stage: "rl" });
  });

  it("follows a sweep, a line per point, and leaves at q", async () => {
    const sweep = path.join(work, "sweep");
    const points = [1, 2].map((seed) => ({ name: `chord-seed=${seed}`, variant: "chord", values: [], plan: "sha256:0" }));
    // This process stands for the `roux sweep` running it: alive, so the watch goes on until q.
    await writeSweepRecord(sweep, { name: "lab", file: "lab.sweep", points, pid: process.pid });
    const point = path.join(sweep, "chord-seed=1", path.basename(FIXTURE));
    await fs.cp(FIXTURE, point, { recursive: true });
    const roux = [process.execPath, path.join(REPO_ROOT, "bin", "roux.js"), "watch", "sweep"].map((a) => `'${a}'`).join(" ");
    tmux("new-session", "-d", "-s", "sweep", "-x", "80", "-y", "24", "-c", work, `${roux}; echo roux-exited-$?; sleep 600`);

    let text = await screenShows(/sweep lab \(sweep\) {2}0\/2 done/, "sweep");
    // The recorded run stands at step 12 of its RL stage, after a warm-up of 1200 steps.
    expect(text).toMatch(/^chord-seed=1 +running +1212\/1350 +reward 0\.354$/m);
    expect(text).toMatch(/^chord-seed=2 +pending *$/m);
    await fs.appendFile(path.join(point, "events.jsonl"), `${JSON.stringify({ event: "run_end", time: Date.now() / 1000, status: "done" })}\n`);
    text = await screenShows(/sweep lab \(sweep\) {2}1\/2 done/, "sweep");
    expect(text).toMatch(/^chord-seed=1 +done +1212\/1350 +reward 0\.354$/m);
    tmux("send-keys", "-t", "sweep", "q");
    // Left before every point was done: exit 1, as for a sweep that did not finish.
    await screenShows(/roux-exited-1/, "sweep");
  });

  // Under CI, ink would draw only the last frame, so roux prints plain lines there too.
  for (const [name, session, flag, env] of [
    ["with --no-tui", "no-tui", "--no-tui", ""],
    ["under CI", "ci", "", "CI=true "],
  ] as const) {
    it(`prints plain lines on a terminal ${name}`, async () => {
      const base = path.join(work, session);
      const recipe = path.join(REPO_ROOT, "test", "e2e", "recipes", "sft.recipe");
      const args = [
        process.execPath,
        path.join(REPO_ROOT, "bin", "roux.js"),
        "run",
        ...(flag === "" ? [] : [flag]),
        "--set",
        `run.out="${base}"`,
        "--set",
        "learn.steps=20 steps",
        recipe,
      ];
      const roux = `${ownCache()}${env}${args.map((a) => `'${a}'`).join(" ")}`;
      tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", "-c", work, `${roux}; echo roux-exited-$?; sleep 600`);
      const text = await screenShows(/roux-exited-0/, session);
      expect(text).toMatch(/^\[learn 20\/20 100%\] loss /m);
      expect(text).toMatch(/^run done$/m);
      expect(text).not.toMatch(/╭/);
    });
  }
});
