#!/usr/bin/env bash
# Trains recipe `hub_grpo` on a Ray cluster with Trinity-RFT; written by `roux export --target trinity`
# for Trinity-RFT 0.5.2, https://github.com/modelscope/Trinity-RFT/tree/eedef4b5a1f9ce205b12c6fdc64b9467fce98013.
# Run it from anywhere with RAY_ADDRESS pointing at the cluster (e.g. http://HEAD:8265). It reads:
#   ROUX_OUT         the folder checkpoints and logs go under (default `runs`, the recipe's run.out),
#                    relative to where you start this script; on more than one node, a filesystem
#                    every node shares. This job writes to $ROUX_OUT/roux/hub_grpo.
#   ROUX_MODEL_PATH  a copy of the model on the cluster's disks, to load instead of Qwen/Qwen2.5-0.5B-Instruct
#   WANDB_API_KEY    log to Weights & Biases as well (passed on to the job's environment)
set -euo pipefail
if [ "${1:-}" = "--job" ]; then
  # In the job, on the cluster, in Ray's copy of this folder.
  config=trinity.yaml
  if [ -n "${ROUX_MODEL_PATH:-}${WANDB_API_KEY:-}" ]; then
    config="$(mktemp --suffix=.yaml)"
    python3 - "$config" <<'PY'
import os
import sys
from omegaconf import OmegaConf
config = OmegaConf.load("trinity.yaml")
if os.environ.get("ROUX_MODEL_PATH"):
    config.model.model_path = os.environ["ROUX_MODEL_PATH"]
if os.environ.get("WANDB_API_KEY"):
    config.monitor.monitor_type = "wandb"
OmegaConf.save(config, sys.argv[1])
PY
  fi
  python3 - roux_reward.py roux_rl roux_rl-eval <<"PY"
import importlib.util, sys
module, names = sys.argv[1], sys.argv[2:]
try:
    from trinity.common.rewards import REWARD_FUNCTIONS, RewardFn
    spec = importlib.util.spec_from_file_location("roux_reward_check", module)
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
except Exception as error:
    sys.exit(f"roux: Trinity-RFT cannot import the reward plugin {module}: {error!r}")
found = REWARD_FUNCTIONS.modules
missing = [n for n in names if not (isinstance(found.get(n), type) and issubclass(found[n], RewardFn))]
if missing:
    sys.exit(f"roux: {module} does not register {missing} in the REWARD_FUNCTIONS of Trinity-RFT")
PY
  TRINITY_PLUGIN_DIRS="$(pwd)" exec trinity run --config "$config"
fi
absolute() { case "$1" in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$PWD" "$1" ;; esac; }
run_out='runs'
export ROUX_OUT="$(absolute "${ROUX_OUT:-$run_out}")"
if [ -n "${ROUX_MODEL_PATH:-}" ]; then export ROUX_MODEL_PATH="$(absolute "$ROUX_MODEL_PATH")"; fi
cd "$(dirname "$0")"
# The job's environment: each of these that is set.
runtime_env="$(python3 -c 'import json, os, sys; print(json.dumps({"env_vars": {k: os.environ[k] for k in sys.argv[1:] if os.environ.get(k)}}))' ROUX_OUT ROUX_MODEL_PATH WANDB_API_KEY)"
ray job submit --working-dir . --runtime-env-json "$runtime_env" -- bash launch.sh --job
