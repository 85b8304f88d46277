/**
 * The launch script of an export. Started anywhere with RAY_ADDRESS pointing at a Ray cluster, it
 * resolves the folder checkpoints and logs go under to an absolute path (ROUX_OUT, or the
 * recipe's `run.out`), prepares the data the engine reads, and submits itself as a job (`ray job
 * submit`) with the export folder as the job's working directory, so the config, the reward
 * module and the data travel with it. In the job (`launch.sh --job`) it starts the engine with
 * what the job's environment chooses: a local copy of the model, and wandb beside TensorBoard.
 */
import type { Plan } from "../../plan/plan.js";
import { ENGINES, type ExportTarget, pinLine } from "./engines.js";
import { type Conversion, type ExportedConfig, hubName, OUT_ENV } from "./exported.js";
import { REWARD_MODULE, trinityRewardNames } from "./reward-python.js";
import { VERL_LOGGERS } from "./verl.js";

export const LAUNCH_SCRIPT = "launch.sh";

/** A local copy of the policy to load instead of its hub name. */
const MODEL_PATH_ENV = "ROUX_MODEL_PATH";

export function configFileName(target: ExportTarget): string {
  return `${target}.yaml`;
}

export function launchScript(plan: Plan, target: ExportTarget, lowered: Pick<ExportedConfig, "conversions" | "jobDir">): string {
  // verl's TensorBoard logger writes where TENSORBOARD_DIR says; Trinity-RFT's monitor writes
  // under its checkpoint folder by itself.
  const jobEnv = target === "verl" ? [["TENSORBOARD_DIR", `$${OUT_ENV}/${lowered.jobDir}/tensorboard`] as const] : [];
  const passed = [OUT_ENV, MODEL_PATH_ENV, "WANDB_API_KEY", ...jobEnv.map(([name]) => name)];
  return [
    "#!/usr/bin/env bash",
    `# Trains recipe \`${plan.recipe.name}\` on a Ray cluster with ${ENGINES[target].name}; written by \`roux export --target ${target}\``,
    `# for ${pinLine(target)}.`,
    "# Run it from anywhere with RAY_ADDRESS pointing at the cluster (e.g. http://HEAD:8265). It reads:",
    `#   ${OUT_ENV}         the folder checkpoints and logs go under (default \`${plan.settings.out}\`, the recipe's run.out),`,
    "#                    relative to where you start this script; on more than one node, a filesystem",
    `#                    every node shares. This job writes to $${OUT_ENV}/${lowered.jobDir}.`,
    `#   ${MODEL_PATH_ENV}  a copy of the model on the cluster's disks, to load instead of ${hubName(plan)}`,
    "#   WANDB_API_KEY    log to Weights & Biases as well (passed on to the job's environment)",
    "set -euo pipefail",
    `if [ "\${1:-}" = "--job" ]; then`,
    "  # In the job, on the cluster, in Ray's copy of this folder.",
    ...(target === "verl" ? verlJob() : trinityJob(plan)),
    "fi",
    'absolute() { case "$1" in /*) printf \'%s\' "$1" ;; *) printf \'%s/%s\' "$PWD" "$1" ;; esac; }',
    `run_out=${singleQuoted(plan.settings.out)}`,
    `export ${OUT_ENV}="$(absolute "\${${OUT_ENV}:-$run_out}")"`,
    `if [ -n "\${${MODEL_PATH_ENV}:-}" ]; then export ${MODEL_PATH_ENV}="$(absolute "$${MODEL_PATH_ENV}")"; fi`,
    ...jobEnv.map(([name, value]) => `export ${name}="${value}"`),
    'cd "$(dirname "$0")"',
    ...(lowered.conversions.length > 0 ? parquetStep(lowered.conversions) : []),
    "# The job's environment: each of these that is set.",
    `runtime_env="$(python3 -c 'import json, os, sys; print(json.dumps({"env_vars": {k: os.environ[k] for k in sys.argv[1:] if os.environ.get(k)}}))' ${passed.join(" ")})"`,
    `ray job submit --working-dir . --runtime-env-json "$runtime_env" -- bash ${LAUNCH_SCRIPT} --job`,
    "",
  ].join("\n");
}

/** verl takes the job's choices as Hydra overrides on its command line. */
function verlJob(): string[] {
  return [
    "  overrides=()",
    `  if [ -n "\${WANDB_API_KEY:-}" ]; then overrides+=("trainer.logger=[${[...VERL_LOGGERS, "wandb"].join(",")}]"); fi`,
    `  if [ -n "\${${MODEL_PATH_ENV}:-}" ]; then overrides+=("actor_rollout_ref.model.path='$${MODEL_PATH_ENV}'"); fi`,
    `  exec ${ENGINES.verl.entryPoint} --config-path="$(pwd)" --config-name=${configFileName("verl").replace(/\.yaml$/, "")} \${overrides[@]+"\${overrides[@]}"}`,
  ];
}

/** Trinity-RFT's command line takes a config file only: the job's choices go into a copy of it. */
function trinityJob(plan: Plan): string[] {
  const config = configFileName("trinity");
  return [
    `  config=${config}`,
    `  if [ -n "\${${MODEL_PATH_ENV}:-}\${WANDB_API_KEY:-}" ]; then`,
    '    config="$(mktemp --suffix=.yaml)"',
    "    python3 - \"$config\" <<'PY'",
    "import os",
    "import sys",
    "from omegaconf import OmegaConf",
    `config = OmegaConf.load("${config}")`,
    `if os.environ.get("${MODEL_PATH_ENV}"):`,
    `    config.model.model_path = os.environ["${MODEL_PATH_ENV}"]`,
    'if os.environ.get("WANDB_API_KEY"):',
    '    config.monitor.monitor_type = "wandb"',
    "OmegaConf.save(config, sys.argv[1])",
    "PY",
    "  fi",
    ...trinityRewardCheck(plan),
    `  TRINITY_PLUGIN_DIRS="$(pwd)" exec ${ENGINES.trinity.entryPoint} --config "$config"`,
  ];
}

/**
 * Trinity-RFT's plugin loader only logs a warning when a plugin fails to import, and a reward
 * name it then cannot find fails inside the explorer, which its launcher logs before exiting 0.
 * So the job first imports the reward module as that loader does (executing the file) and stops
 * with a message and a non-zero status unless every reward function the config names (each RL
 * stage's, and its eval block's) is registered.
 */
function trinityRewardCheck(plan: Plan): string[] {
  const names = trinityRewardNames(plan);
  if (names.length === 0) return [];
  return [
    `  python3 - ${REWARD_MODULE} ${names.join(" ")} <<"PY"`,
    "import importlib.util, sys",
    "module, names = sys.argv[1], sys.argv[2:]",
    "try:",
    "    from trinity.common.rewards import REWARD_FUNCTIONS, RewardFn",
    '    spec = importlib.util.spec_from_file_location("roux_reward_check", module)',
    "    spec.loader.exec_module(importlib.util.module_from_spec(spec))",
    "except Exception as error:",
    '    sys.exit(f"roux: Trinity-RFT cannot import the reward plugin {module}: {error!r}")',
    "found = REWARD_FUNCTIONS.modules",
    "missing = [n for n in names if not (isinstance(found.get(n), type) and issubclass(found[n], RewardFn))]",
    "if missing:",
    '    sys.exit(f"roux: {module} does not register {missing} in the REWARD_FUNCTIONS of Trinity-RFT")',
    "PY",
  ];
}

/**
 * verl reads parquet tables whose prompt is a chat and whose answer is
 * `reward_model.ground_truth`. The JSONL is read with Python's json module, keeping every answer
 * as the text the file writes it with (84 stays "84" beside an 84.5, where a dataframe would make
 * it 84.0) and a missing one as null, which the reward module scores as unscorable; the columns
 * are strings by the table's schema whatever the rows hold.
 */
function parquetStep(conversions: readonly Conversion[]): string[] {
  const table = conversions.map(
    (c) => `    (${[c.dataset, c.from, c.to, c.prompt, c.answer].map((s) => (s === null ? "None" : JSON.stringify(s))).join(", ")}),`,
  );
  return [
    "# verl reads parquet (pyarrow on this machine): each JSONL copy becomes a table with the prompt as one user turn.",
    "python3 - <<'PY'",
    "import json",
    "import sys",
    "",
    "",
    "def text(value):",
    '    """A JSON value as the file writes it: a string as it is, a number by its digits (parsed as text)."""',
    "    return value if value is None or isinstance(value, str) else json.dumps(value)",
    "",
    "",
    "def rows(dataset, source, prompt, answer):",
    '    """The table rows of a JSONL copy: its prompt as one user turn, its answer as the ground truth."""',
    "    table = []",
    '    with open(source, encoding="utf-8") as lines:',
    "        for number, line in enumerate(lines, 1):",
    "            if not line.strip():",
    "                continue",
    "            record = json.loads(line, parse_int=str, parse_float=str, parse_constant=str)",
    "            if not isinstance(record.get(prompt), str):",
    '                sys.exit("%s:%d: the prompt `%s` is not a string" % (source, number, prompt))',
    "            truth = None if answer is None else text(record.get(answer))",
    '            turn = [{"role": "user", "content": record[prompt]}]',
    '            table.append({"data_source": dataset, prompt: turn, "reward_model": {"style": "rule", "ground_truth": truth}})',
    "    return table",
    "",
    "",
    "def write(table, target, prompt):",
    "    import pyarrow as pa",
    "    import pyarrow.parquet as pq",
    "",
    '    turn = pa.struct([("role", pa.string()), ("content", pa.string())])',
    '    answer = pa.struct([("style", pa.string()), ("ground_truth", pa.string())])',
    '    schema = pa.schema([("data_source", pa.string()), (prompt, pa.list_(turn)), ("reward_model", answer)])',
    "    pq.write_table(pa.Table.from_pylist(table, schema=schema), target)",
    "",
    "",
    'if __name__ == "__main__":',
    "    for dataset, source, target, prompt, answer in [",
    ...table.map((line) => `    ${line}`),
    "    ]:",
    "        write(rows(dataset, source, prompt, answer), target, prompt)",
    "PY",
  ];
}

/** `text` as one bash word that expands to nothing else. */
function singleQuoted(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
