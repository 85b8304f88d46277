/**
 * The launch script of an export: it prepares the data the engine reads and submits the
 * engine's command line to a Ray cluster as a job (`ray job submit`), with the export folder as
 * the job's working directory, so the config, the reward module and the data travel with it.
 */
import type { Plan } from "../../plan/plan.js";
import { ENGINES, type ExportTarget, pinLine } from "./engines.js";
import type { Conversion } from "./exported.js";
import { REWARD_MODULE, trinityRewardName } from "./reward-python.js";

export const LAUNCH_SCRIPT = "launch.sh";

export function configFileName(target: ExportTarget): string {
  return `${target}.yaml`;
}

export function launchScript(plan: Plan, target: ExportTarget, conversions: readonly Conversion[]): string {
  const config = configFileName(target);
  const lines = [
    "#!/usr/bin/env bash",
    `# Trains recipe \`${plan.recipe.name}\` on a Ray cluster with ${ENGINES[target].name}; written by \`roux export --target ${target}\``,
    `# for ${pinLine(target)}.`,
    "# Run it from anywhere with RAY_ADDRESS pointing at the cluster (e.g. http://HEAD:8265).",
    "set -euo pipefail",
    'cd "$(dirname "$0")"',
  ];
  if (conversions.length > 0) lines.push(...parquetStep(conversions));
  // $(pwd) is expanded on the cluster, where the job runs in its copy of this folder.
  const command =
    target === "verl"
      ? `${ENGINES.verl.entryPoint} --config-path="$(pwd)" --config-name=${config.replace(/\.yaml$/, "")}`
      : ["", "set -euo pipefail", ...trinityRewardCheck(plan), `TRINITY_PLUGIN_DIRS="$(pwd)" ${ENGINES.trinity.entryPoint} --config ${config}`, ""].join("\n");
  lines.push(`ray job submit --working-dir . -- bash -c '${command}'`, "");
  return lines.join("\n");
}

/**
 * Trinity-RFT's plugin loader only logs a warning when a plugin fails to import, and a reward
 * name it then cannot find fails inside the explorer, which its launcher logs before exiting 0.
 * So the job first imports the reward module as that loader does (executing the file) and stops
 * with a message and a non-zero status unless every RL stage's reward function is registered.
 * The Python sits inside the job's single-quoted command, so it uses double quotes only.
 */
function trinityRewardCheck(plan: Plan): string[] {
  const names = plan.stages.filter((s) => s.kind === "rl").map((s) => trinityRewardName(s.name));
  if (names.length === 0) return [];
  return [
    `python3 - ${REWARD_MODULE} ${names.join(" ")} <<"PY"`,
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

/** verl reads parquet tables whose prompt is a chat and whose answer is `reward_model.ground_truth`. */
function parquetStep(conversions: readonly Conversion[]): string[] {
  const table = conversions.map(
    (c) => `    (${[c.from, c.to, c.prompt].map((s) => JSON.stringify(s)).join(", ")}, ${c.answer === null ? "None" : JSON.stringify(c.answer)}),`,
  );
  return [
    "# verl reads parquet: each JSONL copy becomes a table with the prompt as one user turn.",
    "python3 - <<'PY'",
    "import pandas as pd",
    "for source, target, prompt, answer in [",
    ...table,
    "]:",
    "    rows = pd.read_json(source, lines=True, dtype=False)",
    "    truths = [None] * len(rows) if answer is None else [str(a) for a in rows[answer]]",
    "    pd.DataFrame({",
    '        "data_source": "roux",',
    '        prompt: [[{"role": "user", "content": str(p)}] for p in rows[prompt]],',
    '        "reward_model": [{"style": "rule", "ground_truth": t} for t in truths],',
    "    }).to_parquet(target)",
    "PY",
  ];
}
