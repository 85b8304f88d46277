/**
 * The Trinity-RFT export against what the engine does with it at the pinned release (0.5.2,
 * commit eedef4b5 of https://github.com/modelscope/Trinity-RFT), read from its code because it
 * cannot run here: how it reads a dataset, how long a buffer lasts, how a stage's blocks merge
 * with the top level, and what the job does before training when the reward plugin is broken.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { recipeFiles, REPO_ROOT } from "../../test/recipes.js";
import type { Plan } from "../../plan/plan.js";
import { type Export, exportPlan } from "./export.js";
import { LAUNCH_SCRIPT } from "./launch.js";
import { REWARD_MODULE, trinityRewardNames } from "./reward-python.js";
import { checkForTarget } from "./testing.js";

type Block = Record<string, unknown>;

/** Every hub recipe Trinity-RFT can run, exported for 8 GPUs. */
function hubExports(): { file: string; plan: Plan; exported: Export }[] {
  return recipeFiles(path.join(REPO_ROOT, "recipes/hub")).flatMap(({ file }) => {
    const { plan, diagnostics } = checkForTarget(file, "trinity");
    if (plan === undefined || diagnostics.some((d) => d.severity === "error")) return [];
    return [{ file, plan, exported: exportPlan(plan, "trinity", 8) }];
  });
}

/**
 * The configs Trinity-RFT runs, one per stage. `Config.__iter__` (trinity/common/config.py) puts
 * each block a stage gives (mode, algorithm, buffer, data_processor, explorer, trainer) in place
 * of the top level's whole; `load_config` has already made a stage's block a full dataclass, so
 * the keys it leaves out hold the engine's defaults. A key absent here is the engine's default.
 */
function stageConfigs(config: Block): Block[] {
  const stages = config.stages as Block[] | undefined;
  if (stages === undefined) return [config];
  const { stages: _, ...top } = config;
  return stages.map(({ stage_name: __, ...blocks }) => ({ ...top, ...blocks }));
}

const at = (block: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((v, k) => (v as Block | undefined)?.[k], block);

/** The buffers of a run config whose `path` Trinity-RFT's file reader opens. */
function fileBuffers(config: Block): Block[] {
  const input = at(config, "buffer", "explorer_input") as Block | undefined;
  const trainer = at(config, "buffer", "trainer_input") as Block | undefined;
  const buffers = [
    input?.taskset,
    ...((input?.eval_tasksets as Block[] | undefined) ?? []),
    trainer?.experience_buffer,
    ...Object.values((trainer?.auxiliary_buffers as Block | undefined) ?? {}),
  ] as (Block | undefined)[];
  return buffers.filter((b): b is Block => b?.storage_type === "file");
}

/** datasets' split words (datasets/data_files.py, SPLIT_KEYWORDS), set off by `-._ 0-9` or the name's ends. */
const SPLIT_WORD = /(^|[-._ 0-9])(train|training|validation|valid|dev|val|test|testing|eval|evaluation)([-._ 0-9]|$)/;

const dir = mkdtempSync(path.join(tmpdir(), "roux-trinity-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the Trinity-RFT export, as Trinity-RFT 0.5.2 reads it", () => {
  it("names each dataset by a folder that holds its one copy, under a name that is no split", () => {
    // trinity/buffer/reader/file_reader.py, TaskFileReader and ExperienceFileReader: the buffer's
    // `path` goes to datasets.load_dataset(path, split="train"). load_dataset takes a local folder
    // (a file path, or a relative one with one slash, is looked up on the hub); a file in it whose
    // name holds a split word is that split, so `test.jsonl` would have no `train` split.
    let buffers = 0;
    for (const { file, exported } of hubExports()) {
      for (const config of stageConfigs(exported.config)) {
        for (const buffer of fileBuffers(config)) {
          buffers++;
          const inside = exported.copies.filter((c) => path.posix.dirname(c.to) === buffer.path);
          expect(inside, `${file}: ${String(buffer.path)} is a folder of one copy`).toHaveLength(1);
          expect(path.posix.basename(inside[0]!.to), file).not.toMatch(SPLIT_WORD);
          expect(inside[0]!.to, file).toMatch(/\.jsonl$/);
        }
      }
    }
    expect(buffers).toBeGreaterThanOrEqual(6);
  });

  it("sizes CHORD's expert buffer to last every step of its stage", () => {
    // trinity/algorithm/sample_strategy/mix_sample_strategy.py, MixSampleStrategy: each step reads
    // ceil(expert_data_ratio * train_batch_size) rows from the auxiliary buffer `sft_dataset`.
    // trinity/buffer/reader/file_reader.py, _HFBatchReader: a reader stops after
    // batch * total_steps rows, or rows-in-file * total_epochs when total_steps is unset, and
    // config_validator.py's _check_trainer_input sets neither on an auxiliary buffer (total_epochs 1).
    const chord = hubExports().find(({ file }) => file.endsWith("chord.recipe"));
    if (chord === undefined) throw new Error("the hub has a CHORD recipe for Trinity-RFT");
    const rl = stageConfigs(chord.exported.config).find((c) => at(c, "algorithm", "algorithm_type") === "mix_chord")!;
    const expert = at(rl, "buffer", "trainer_input", "auxiliary_buffers", "sft_dataset") as Block;
    const perStep = Math.ceil((at(rl, "algorithm", "sample_strategy_args", "expert_data_ratio") as number) * (at(rl, "buffer", "train_batch_size") as number));
    const source = chord.plan.datasets.find((d) => d.name === expert.name)?.source;
    if (source?.kind !== "jsonl") throw new Error("CHORD's expert data is a JSONL file");
    const rowsInFile = readFileSync(source.path, "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "").length;
    const lasts = typeof expert.total_steps === "number" ? perStep * expert.total_steps : rowsInFile * ((expert.total_epochs as number | undefined) ?? 1);
    expect(perStep).toBe(8); // the recipe's expert rows: 25% of its batch of 32
    expect(lasts).toBeGreaterThanOrEqual(perStep * (at(rl, "buffer", "total_steps") as number));
  });

  it("scores each eval taskset with the eval block's own rewards, through a reward function the module registers", () => {
    // trinity/buffer/schema/formatter.py, TaskFormatter: a task's reward function is its taskset's
    // default_reward_fn_type, which config_validator.py's _check_explorer_input fills from the
    // explorer input's only where the taskset names none: the eval would score the training reward.
    const grpo = hubExports().find(({ file }) => file.endsWith("grpo.recipe"));
    if (grpo === undefined) throw new Error("the hub has a GRPO recipe for Trinity-RFT");
    const input = at(grpo.exported.config, "buffer", "explorer_input") as Block;
    const [evalTaskset, ...more] = input.eval_tasksets as Block[];
    expect(more).toEqual([]);
    expect(evalTaskset!.default_reward_fn_type).toBe("roux_rl-eval");
    expect(input.default_reward_fn_type).toBe("roux_rl");
    expect(trinityRewardNames(grpo.plan)).toEqual(["roux_rl", "roux_rl-eval"]);
    expect(grpo.exported.notes).toContain("Trinity-RFT reports stage `rl`'s eval rewards as eval/test/<label>/mean@N");
  });

  it("says which eval rewards it cannot report: an SFT stage's, and one the module cannot compute", () => {
    const chord = readFileSync(path.join(REPO_ROOT, "recipes/hub/chord.recipe"), "utf8").replace(
      "optimizer = adam { lr = 1e-5 }",
      "optimizer = adam { lr = 1e-5 }\n  eval = { data = train, every = 10 steps, rewards = [correct] }",
    );
    const sft = exportPlan(checkForTarget("recipes/hub/chord.recipe", "trinity", 8, chord).plan!, "trinity", 8);
    // trinity/cli/launcher.py: a stage in `train` mode runs the trainer alone; the explorer evaluates.
    expect(sft.notes).toContain(
      "Trinity-RFT runs an SFT stage in `train` mode, without the explorer that evaluates: stage `warmup`'s eval block is not exported",
    );
    const plan = structuredClone(checkForTarget("recipes/hub/grpo.recipe", "trinity").plan!);
    const rl = plan.stages[0];
    if (rl?.kind !== "rl" || rl.eval === null) throw new Error("the hub grpo recipe's stage is RL with an eval block");
    const js = { kind: "js" as const, path: "/x.ts", export: "f", range: { lo: 0, hi: 1 } };
    plan.rewards.push({ name: "judge", granularity: "outcome", range: { lo: 0, hi: 1 }, binary: false, source: js });
    rl.eval.rewards = [{ label: "judge", expr: { op: "reward", name: "judge" } }];
    const exported = exportPlan(plan, "trinity", 8);
    expect(exported.notes).toContain(
      "the reward module computes rule verifiers only; the eval rewards `judge` are not reported; stage `rl`'s eval reports its training reward instead",
    );
    const evalTaskset = (at(exported.config, "buffer", "explorer_input", "eval_tasksets") as Block[])[0]!;
    expect(evalTaskset.default_reward_fn_type).toBeUndefined();
    expect(trinityRewardNames(plan)).toEqual(["roux_rl"]);
  });

  it("keeps every trainer setting of the recipe in each stage Trinity-RFT runs", () => {
    // trinity/common/config.py: Config.__iter__ replaces the top-level trainer with the stage's,
    // whose unset keys are TrainerConfig's defaults (save_interval 0, grad_clip 1.0).
    const clipped = (name: string) =>
      readFileSync(path.join(REPO_ROOT, name), "utf8").replace(/optimizer = adam \{ lr = ([^ ]+) \}/g, "optimizer = adam { lr = $1, clip_grad = 0.5 }");
    for (const name of ["recipes/hub/grpo.recipe", "recipes/hub/chord.recipe"]) {
      const { plan } = checkForTarget(name, "trinity", 8, clipped(name));
      const runs = stageConfigs(exportPlan(plan!, "trinity", 8).config);
      expect(runs.length, name).toBe(plan!.stages.length);
      for (const run of runs) expect(run.trainer, name).toMatchObject({ trainer_type: "verl", save_interval: 50, grad_clip: 0.5 });
    }
  });
});

/**
 * A stand-in for the part of Trinity-RFT 0.5.2 the reward plugin touches, laid out as at the pin:
 * trinity/common/rewards/__init__.py holds the REWARD_FUNCTIONS registry (register_module by name,
 * `modules` the names so far) and imports RewardFn from reward_fn.py, which holds RewardFn alone.
 */
function trinityStandIn(root: string): string {
  const files: Record<string, string> = {
    "trinity/__init__.py": "",
    "trinity/common/__init__.py": "",
    "trinity/common/rewards/reward_fn.py": "class RewardFn:\n    pass\n",
    "trinity/common/rewards/__init__.py": [
      "from trinity.common.rewards.reward_fn import RewardFn",
      "",
      "class _Registry:",
      "    def __init__(self):",
      "        self.modules = {}",
      "",
      "    def register_module(self, name):",
      "        def add(cls):",
      "            self.modules[name] = cls",
      "            return cls",
      "        return add",
      "",
      "REWARD_FUNCTIONS = _Registry()",
      "",
    ].join("\n"),
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

const tools = ["python3", "bash"].every((tool) => spawnSync(tool, ["--version"]).status === 0);

describe.skipIf(!tools)("the Trinity-RFT job's start (needs python3 and bash)", () => {
  const exported = exportPlan(checkForTarget("recipes/hub/grpo.recipe", "trinity").plan!, "trinity", 8);
  const text = (name: string) => exported.files.find((f) => f.path === name)!.text;
  const packages = trinityStandIn(path.join(dir, "site"));
  // What stands for `trinity run` on the cluster: it says that training started.
  const bin = path.join(dir, "bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, "trinity"), "#!/usr/bin/env bash\necho training started\n", { mode: 0o755 });

  /**
   * Runs the job the launch script submits to Ray (itself, `bash launch.sh --job`, in Ray's copy of
   * the export folder), in a copy of the export with `module` as its reward module.
   */
  function runJob(module: string): { status: number | null; stdout: string; stderr: string } {
    const script = text(LAUNCH_SCRIPT);
    if (!script.includes(`-- bash ${LAUNCH_SCRIPT} --job\n`)) throw new Error("launch.sh submits itself as the job");
    const folder = mkdtempSync(path.join(dir, "job-"));
    for (const f of exported.files) writeFileSync(path.join(folder, f.path), f.text);
    writeFileSync(path.join(folder, REWARD_MODULE), module);
    // The job's environment without the choices that would rewrite the config (a local model, wandb).
    const { ROUX_MODEL_PATH: _, WANDB_API_KEY: __, ...outer } = process.env;
    const env = { ...outer, PYTHONPATH: packages, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}` };
    return spawnSync("bash", [LAUNCH_SCRIPT, "--job"], { cwd: folder, env, encoding: "utf8" });
  }

  it("imports the exported reward module where Trinity-RFT keeps its registry, registering each RL stage's reward", () => {
    const script = `import runpy\nrunpy.run_path(${JSON.stringify(REWARD_MODULE)})\nfrom trinity.common.rewards import REWARD_FUNCTIONS\nprint(sorted(REWARD_FUNCTIONS.modules))\n`;
    const folder = mkdtempSync(path.join(dir, "module-"));
    writeFileSync(path.join(folder, REWARD_MODULE), text(REWARD_MODULE));
    const result = spawnSync("python3", ["-c", script], { cwd: folder, env: { ...process.env, PYTHONPATH: packages }, encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("['roux_rl', 'roux_rl-eval']\n");
  });

  it("scores a response as Trinity-RFT's workflow calls the tasksets' reward functions: the stage's reward, and the eval's by label", () => {
    // trinity/common/workflows/workflow.py, SimpleWorkflow: reward_fn(**reward_fn_args) is called
    // with response= and truth=; each key of its dict becomes a metric of the response.
    const source = readFileSync(path.join(REPO_ROOT, "recipes/hub/grpo.recipe"), "utf8").replace(
      "rewards = [correct] }",
      "rewards = [correct, 0.5 * format] }",
    );
    const evaluated = exportPlan(checkForTarget("recipes/hub/grpo.recipe", "trinity", 8, source).plan!, "trinity", 8);
    const input = at(evaluated.config, "buffer", "explorer_input") as Block;
    const names = [input.default_reward_fn_type, (input.eval_tasksets as Block[])[0]!.default_reward_fn_type];
    const cases = [
      ["7+5=12\nanswer: 12", "12"],
      ["answer: 13", "12"],
      ["twelve", "12"],
    ];
    const script = [
      "import json, runpy, sys",
      `runpy.run_path(${JSON.stringify(REWARD_MODULE)})`,
      "from trinity.common.rewards import REWARD_FUNCTIONS",
      "names, cases = json.loads(sys.argv[1]), json.loads(sys.argv[2])",
      "print(json.dumps([[REWARD_FUNCTIONS.modules[n]()(response=r, truth=t) for n in names] for r, t in cases]))",
    ].join("\n");
    const folder = mkdtempSync(path.join(dir, "eval-"));
    writeFileSync(path.join(folder, REWARD_MODULE), evaluated.files.find((f) => f.path === REWARD_MODULE)!.text);
    const result = spawnSync("python3", ["-c", script, JSON.stringify(names), JSON.stringify(cases)], {
      cwd: folder,
      env: { ...process.env, PYTHONPATH: packages },
      encoding: "utf8",
    });
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual([
      [{ reward: 1.1 }, { correct: 1, "0.5 * format": 0.5 }],
      [{ reward: 0.1 }, { correct: 0, "0.5 * format": 0.5 }],
      [{ reward: 0 }, { correct: 0, "0.5 * format": 0 }],
    ]);
  });

  it("starts training once the reward plugin registers the stage's reward", () => {
    const result = runJob(text(REWARD_MODULE));
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("training started\n");
  });

  it("stops with a message and a failure before training when the plugin registers another name", () => {
    const result = runJob(text(REWARD_MODULE).replace('register_module("roux_rl")', 'register_module("roux_other")'));
    expect(result.status).not.toBe(0);
    expect(result.stdout).not.toContain("training started");
    expect(result.stderr).toContain("roux: roux_reward.py does not register ['roux_rl']");
  });

  it("stops with a message and a failure before training when the plugin registers no eval reward function", () => {
    const result = runJob(text(REWARD_MODULE).replace('register_module("roux_rl-eval")', 'register_module("roux_other")'));
    expect(result.status).not.toBe(0);
    expect(result.stdout).not.toContain("training started");
    expect(result.stderr).toContain("roux: roux_reward.py does not register ['roux_rl-eval']");
  });

  it("stops with a message and a failure before training when the plugin cannot be imported", () => {
    // Trinity-RFT's plugin loader (trinity/utils/plugin_loader.py, load_plugin_from_dirs) only
    // logs this as a warning and carries on without the reward.
    const result = runJob(text(REWARD_MODULE).replace("from trinity.common.rewards import", "from trinity.common.rewards.reward_fn import"));
    expect(result.status).not.toBe(0);
    expect(result.stdout).not.toContain("training started");
    expect(result.stderr).toMatch(/^roux: Trinity-RFT cannot import the reward plugin roux_reward.py: ImportError\(.*REWARD_FUNCTIONS/m);
  });
});
