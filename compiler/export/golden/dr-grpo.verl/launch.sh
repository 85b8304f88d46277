#!/usr/bin/env bash
# Trains recipe `hub_dr_grpo` on a Ray cluster with verl; written by `roux export --target verl`
# for verl v0.7.0, https://github.com/volcengine/verl/tree/f9c855f7cf04d603c9546bc01776c74806a879c1.
# Run it from anywhere with RAY_ADDRESS pointing at the cluster (e.g. http://HEAD:8265). It reads:
#   ROUX_OUT         the folder checkpoints and logs go under (default `runs`, the recipe's run.out),
#                    relative to where you start this script; on more than one node, a filesystem
#                    every node shares. This job writes to $ROUX_OUT/roux/hub_dr_grpo-rl.
#   ROUX_MODEL_PATH  a copy of the model on the cluster's disks, to load instead of Qwen/Qwen2.5-1.5B-Instruct
#   WANDB_API_KEY    log to Weights & Biases as well (passed on to the job's environment)
set -euo pipefail
if [ "${1:-}" = "--job" ]; then
  # In the job, on the cluster, in Ray's copy of this folder.
  overrides=()
  if [ -n "${WANDB_API_KEY:-}" ]; then overrides+=("trainer.logger=[console,tensorboard,wandb]"); fi
  if [ -n "${ROUX_MODEL_PATH:-}" ]; then overrides+=("actor_rollout_ref.model.path='$ROUX_MODEL_PATH'"); fi
  exec python3 -m verl.trainer.main_ppo --config-path="$(pwd)" --config-name=verl ${overrides[@]+"${overrides[@]}"}
fi
absolute() { case "$1" in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$PWD" "$1" ;; esac; }
run_out='runs'
export ROUX_OUT="$(absolute "${ROUX_OUT:-$run_out}")"
if [ -n "${ROUX_MODEL_PATH:-}" ]; then export ROUX_MODEL_PATH="$(absolute "$ROUX_MODEL_PATH")"; fi
export TENSORBOARD_DIR="$ROUX_OUT/roux/hub_dr_grpo-rl/tensorboard"
cd "$(dirname "$0")"
# verl reads parquet (pyarrow on this machine): each JSONL copy becomes a table with the prompt as one user turn.
python3 - <<'PY'
import json
import sys


def text(value):
    """A JSON value as the file writes it: a string as it is, a number by its digits (parsed as text)."""
    return value if value is None or isinstance(value, str) else json.dumps(value)


def rows(dataset, source, prompt, answer):
    """The table rows of a JSONL copy: its prompt as one user turn, its answer as the ground truth."""
    table = []
    with open(source, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            record = json.loads(line, parse_int=str, parse_float=str, parse_constant=str)
            if not isinstance(record.get(prompt), str):
                sys.exit("%s:%d: the prompt `%s` is not a string" % (source, number, prompt))
            truth = None if answer is None else text(record.get(answer))
            turn = [{"role": "user", "content": record[prompt]}]
            table.append({"data_source": dataset, prompt: turn, "reward_model": {"style": "rule", "ground_truth": truth}})
    return table


def write(table, target, prompt):
    import pyarrow as pa
    import pyarrow.parquet as pq

    turn = pa.struct([("role", pa.string()), ("content", pa.string())])
    answer = pa.struct([("style", pa.string()), ("ground_truth", pa.string())])
    schema = pa.schema([("data_source", pa.string()), (prompt, pa.list_(turn)), ("reward_model", answer)])
    pq.write_table(pa.Table.from_pylist(table, schema=schema), target)


if __name__ == "__main__":
    for dataset, source, target, prompt, answer in [
        ("train", "data/train.jsonl", "data/train.parquet", "question", "answer"),
    ]:
        write(rows(dataset, source, prompt, answer), target, prompt)
PY
# The job's environment: each of these that is set.
runtime_env="$(python3 -c 'import json, os, sys; print(json.dumps({"env_vars": {k: os.environ[k] for k in sys.argv[1:] if os.environ.get(k)}}))' ROUX_OUT ROUX_MODEL_PATH WANDB_API_KEY TENSORBOARD_DIR)"
ray job submit --working-dir . --runtime-env-json "$runtime_env" -- bash launch.sh --job
