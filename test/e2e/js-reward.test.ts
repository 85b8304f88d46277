/**
 * A js(...) reward's code is contained (runtime/rewards/README.md "Decisions"): `roux rewards`
 * scoring a function that signals its own process, hoards Buffers, or loops while the command
 * is killed. The command reports the sample and its reason, and is never taken down with it;
 * nothing of the function's outlives the command. Runs the built binary (`npm run build`).
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it, vi } from "vitest";
import { REPO_ROOT } from "../recipes.js";

const run = promisify(execFile);
const BIN = path.join(REPO_ROOT, "bin/roux.js");

const RECIPE = `recipe hostile "a js reward whose code misbehaves"

use "std/arith" as arith

model policy = transformer {
  layers = 1
  d_model = 16
  heads = 2
  context = 32
  tokenizer = arith.tokenizer
}

data train = arith.problems { count = 8, depth = 2..2, seed = 1 }

reward judge : outcome = js("judge.mjs", "score") { range = 0..1 }

stage rl = grpo with {
  data = train
  steps = 10 steps
  batch = 1
  group = 2
  sample = { temperature = 1.0, max_tokens = 16 tokens }
  reward = judge
}

run {
  stages = rl
  seed = 1
}
`;

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A recipe dir whose `judge` runs `body` (with `response`, `dir` and `hoard` in scope), then scores 1; the batch has two responses, "5" and "13". */
function recipeDir(body: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "roux-e2e-js-"));
  dirs.push(dir);
  writeFileSync(path.join(dir, "recipe.recipe"), RECIPE);
  writeFileSync(
    path.join(dir, "judge.mjs"),
    `import { writeFileSync } from "node:fs";\nconst dir = ${JSON.stringify(dir)};\nconst hoard = [];\nexport function score({ response }) {\n${body}\n  return 1;\n}\n`,
  );
  const batch = { groups: [{ prompt: "2+3", answer: "5", responses: [{ text: "5" }, { text: "13" }] }] };
  writeFileSync(path.join(dir, "batch.json"), JSON.stringify(batch));
  return dir;
}

function args(dir: string): string[] {
  return [BIN, "rewards", "--stage", "rl", "--batch", path.join(dir, "batch.json"), path.join(dir, "recipe.recipe")];
}

async function rewards(dir: string): Promise<{ status: number | null; signal: string | null; stderr: string }> {
  try {
    const { stderr } = await run(process.execPath, args(dir), { cwd: REPO_ROOT, env: { PATH: process.env.PATH } });
    return { status: 0, signal: null, stderr };
  } catch (error) {
    const e = error as { code: number | null; signal: string | null; stderr: string };
    return { status: e.code, signal: e.signal, stderr: e.stderr };
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("a js reward's code cannot take roux down", () => {
  for (const signal of ["SIGTERM", "SIGKILL"]) {
    it(`a function that sends ${signal} to its own process fails its sample, and roux reports it`, async () => {
      const result = await rewards(recipeDir(`  if (response === "13") process.kill(process.pid, "${signal}");`));
      expect(result.signal).toBeNull();
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`groups[0].responses[1]: scoring \`judge\` failed: the worker was ended by signal ${signal} while running "score"`);
    });
  }

  it("a function that holds more Buffers than the memory cap fails its sample", async () => {
    // 700 MiB of filled Buffers, held (the call does not end): over the default cap of 512 MiB,
    // though V8's heap stays small.
    const hoarding = `  if (response === "13") {\n    for (let i = 0; i < 700; i++) hoard.push(Buffer.alloc(1 << 20, 1));\n    return new Promise(() => {});\n  }`;
    const result = await rewards(recipeDir(hoarding));
    expect(result.signal).toBeNull();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('groups[0].responses[1]: scoring `judge` failed: the worker went over its memory cap of 512 MiB while running "score"');
  });

  it("a function still looping when roux is killed does not outlive it", async () => {
    const dir = recipeDir(`  writeFileSync(dir + "/pid", String(process.pid));\n  for (;;) {}`);
    let roux: ChildProcess | undefined;
    try {
      roux = spawn(process.execPath, args(dir), { cwd: REPO_ROOT, stdio: "ignore" });
      const pidFile = path.join(dir, "pid");
      await vi.waitFor(() => expect(existsSync(pidFile)).toBe(true), { timeout: 30_000, interval: 50 });
      const worker = Number(readFileSync(pidFile, "utf8"));
      expect(alive(worker)).toBe(true);
      roux.kill("SIGKILL");
      await vi.waitFor(() => expect(alive(worker)).toBe(false), { timeout: 30_000, interval: 50 });
    } finally {
      roux?.kill("SIGKILL");
    }
  });
});
