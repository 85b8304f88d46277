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
import { REWARD_MODULE } from "./reward-python.js";
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
    expect(result.stdout).toBe("['roux_rl']\n");
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

  it("stops with a message and a failure before training when the plugin cannot be imported", () => {
    // Trinity-RFT's plugin loader (trinity/utils/plugin_loader.py, load_plugin_from_dirs) only
    // logs this as a warning and carries on without the reward.
    const result = runJob(text(REWARD_MODULE).replace("from trinity.common.rewards import", "from trinity.common.rewards.reward_fn import"));
    expect(result.status).not.toBe(0);
    expect(result.stdout).not.toContain("training started");
    expect(result.stderr).toMatch(/^roux: Trinity-RFT cannot import the reward plugin roux_reward.py: ImportError\(.*REWARD_FUNCTIONS/m);
  });
});
