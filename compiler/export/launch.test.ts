/**
 * The launch script as a user runs it: with bash, on exports of the hub recipes. There is no Ray
 * cluster here, so `ray`, and in the job the engine's own command, are programs that write down
 * the arguments they were given: what the script hands to Ray and to the engine is what it does.
 * verl's data step runs its Python table reader on a JSONL file (where there is a python3).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { copiedText } from "./data-files.js";
import type { ExportTarget } from "./engines.js";
import { exportPlan } from "./export.js";
import { checkForTarget } from "./testing.js";

const root = mkdtempSync(path.join(tmpdir(), "roux-launch-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The hub recipe's export written into a folder of its own, as `roux export` writes it. */
function exported(recipe: string, target: ExportTarget, out?: string): string {
  const folder = mkdtempSync(path.join(root, `${target}-`));
  const plan = checkForTarget(`recipes/hub/${recipe}.recipe`, target).plan!;
  // What `--set run.out=...` gives the plan.
  if (out !== undefined) plan.settings.out = out;
  const files = exportPlan(plan, target, 8);
  for (const f of files.files) writeFileSync(path.join(folder, f.path), f.text, { mode: f.executable ? 0o755 : 0o644 });
  // Each copy's folder: verl's copies share `data/`, Trinity-RFT's have a folder each.
  for (const c of files.copies) {
    mkdirSync(path.dirname(path.join(folder, c.to)), { recursive: true });
    writeFileSync(path.join(folder, c.to), copiedText(c, readFileSync(c.from, "utf8")));
  }
  return folder;
}

/** A folder with commands that write their arguments, one a line, to `<name>.args` beside them. */
function recorders(...names: string[]): string {
  const bin = mkdtempSync(path.join(root, "bin-"));
  for (const name of names) {
    writeFileSync(path.join(bin, name), `#!/usr/bin/env bash\nprintf '%s\\n' "$@" > "${path.join(bin, `${name}.args`)}"\n`);
    chmodSync(path.join(bin, name), 0o755);
  }
  return bin;
}

function recorded(bin: string, name: string): string[] {
  return readFileSync(path.join(bin, `${name}.args`), "utf8")
    .trimEnd()
    .split("\n");
}

/** Runs the launch script from `cwd` with `env` on top of a clean environment. */
function launch(folder: string, args: string[], cwd: string, bin: string, env: Record<string, string> = {}) {
  const result = spawnSync("bash", [path.join(folder, "launch.sh"), ...args], {
    cwd,
    encoding: "utf8",
    env: { PATH: `${bin}:${process.env.PATH}`, HOME: root, ...env },
  });
  expect(result.status, result.stderr).toBe(0);
  return result;
}

const python = spawnSync("python3", ["--version"]).status === 0;

describe("launch.sh", () => {
  it("is a bash script bash can read, for every export", () => {
    for (const [recipe, target] of [
      ["grpo", "verl"],
      ["rloo", "verl"],
      ["grpo", "trinity"],
      ["chord", "trinity"],
    ] as const) {
      const result = spawnSync("bash", ["-n", path.join(exported(recipe, target), "launch.sh")], { encoding: "utf8" });
      expect(result.stderr, `${recipe} for ${target}`).toBe("");
    }
  });

  it.skipIf(!python)("submits the job with the checkpoint folder and the model path made absolute from where it starts (needs python3)", () => {
    const folder = exported("chord", "trinity");
    const start = mkdtempSync(path.join(root, "start-"));
    const bin = recorders("ray");
    launch(folder, [], start, bin, { ROUX_MODEL_PATH: "models/qwen", WANDB_API_KEY: "key" });
    const args = recorded(bin, "ray");
    expect(args.slice(0, 4)).toEqual(["job", "submit", "--working-dir", "."]);
    expect(args.slice(-4)).toEqual(["--", "bash", "launch.sh", "--job"]);
    const env = JSON.parse(args[args.indexOf("--runtime-env-json") + 1]!) as { env_vars: Record<string, string> };
    // The recipe's run.out (`runs`), from where the script was started: never the job's copy of the folder.
    expect(env.env_vars).toEqual({ ROUX_OUT: path.join(start, "runs"), ROUX_MODEL_PATH: path.join(start, "models/qwen"), WANDB_API_KEY: "key" });

    launch(folder, [], start, bin, { ROUX_OUT: "/shared/roux" });
    const given = recorded(bin, "ray");
    expect(JSON.parse(given[given.indexOf("--runtime-env-json") + 1]!)).toEqual({ env_vars: { ROUX_OUT: "/shared/roux" } });

    // The recipe's run.out, as `--set run.out=...` sets it, quotes and spaces and all.
    launch(exported("chord", "trinity", "it's my runs"), [], start, bin);
    const fromRecipe = recorded(bin, "ray");
    expect(JSON.parse(fromRecipe[fromRecipe.indexOf("--runtime-env-json") + 1]!)).toEqual({ env_vars: { ROUX_OUT: path.join(start, "it's my runs") } });
  });

  it("starts verl in the job with wandb beside TensorBoard when there is a key, and a local model when there is a path", () => {
    const folder = exported("grpo", "verl");
    const bin = recorders("python3");
    launch(folder, ["--job"], folder, bin);
    const plain = ["-m", "verl.trainer.main_ppo", `--config-path=${folder}`, "--config-name=verl"];
    expect(recorded(bin, "python3")).toEqual(plain);
    launch(folder, ["--job"], folder, bin, { WANDB_API_KEY: "key", ROUX_MODEL_PATH: "/models/qwen 0.5b" });
    expect(recorded(bin, "python3")).toEqual([...plain, "trainer.logger=[console,tensorboard,wandb]", "actor_rollout_ref.model.path='/models/qwen 0.5b'"]);
  });

  it("starts Trinity-RFT in the job on the exported config, with this folder's reward plugin", () => {
    const folder = exported("grpo", "trinity");
    // python3 stands for the check that the reward plugin registers the stage's reward and its
    // eval's before training (what it does with a broken plugin: trinity.test.ts, "the Trinity-RFT job's start").
    const bin = recorders("trinity", "python3");
    launch(folder, ["--job"], folder, bin);
    expect(recorded(bin, "python3")).toEqual(["-", "roux_reward.py", "roux_rl", "roux_rl-eval"]);
    expect(recorded(bin, "trinity")).toEqual(["run", "--config", "trinity.yaml"]);
  });

  it.skipIf(!python)("keeps each answer as the text the JSONL writes it with, and a missing one as null (needs python3)", () => {
    const folder = exported("grpo", "verl");
    const script = readFileSync(path.join(folder, "launch.sh"), "utf8");
    const reader = script.slice(script.indexOf("<<'PY'\n") + 7, script.indexOf("\nPY\n"));
    const data = path.join(folder, "mixed.jsonl");
    const lines = [
      { question: "12 * 7?", answer: 84 },
      { question: "169 / 2?", answer: 84.5 },
      { question: "no answer" },
      { question: "a string", answer: "12" },
      { question: "null", answer: null },
    ].map((r) => JSON.stringify(r));
    writeFileSync(data, `${lines.join("\n")}\n{"question": "written 1e3", "answer": 1e3}\n\n`);
    const run = [
      "import json, sys",
      "module = {'__name__': 'launch'}",
      "exec(sys.argv[1], module)",
      "print(json.dumps(module['rows']('train', sys.argv[2], 'question', 'answer')))",
    ].join("\n");
    const result = spawnSync("python3", ["-c", run, reader, data], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    const rows = JSON.parse(result.stdout) as {
      data_source: string;
      question: { role: string; content: string }[];
      reward_model: { ground_truth: string | null };
    }[];
    expect(rows.map((r) => r.reward_model.ground_truth)).toEqual(["84", "84.5", null, "12", null, "1e3"]);
    expect(rows[0]).toEqual({ data_source: "train", question: [{ role: "user", content: "12 * 7?" }], reward_model: { style: "rule", ground_truth: "84" } });
  });
});
