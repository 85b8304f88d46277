#!/usr/bin/env bash
# Trains recipe `hub_rloo` on a Ray cluster with Trinity-RFT; written by `roux export --target trinity`
# for Trinity-RFT main at c3d094d5 (after 0.2.1.dev0), https://github.com/modelscope/Trinity-RFT/tree/c3d094d59bec0f069408f457944cafd0d1157af0.
# Run it from anywhere with RAY_ADDRESS pointing at the cluster (e.g. http://HEAD:8265).
set -euo pipefail
cd "$(dirname "$0")"
ray job submit --working-dir . -- bash -c '
set -euo pipefail
python3 - roux_reward.py roux_rl <<"PY"
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
TRINITY_PLUGIN_DIRS="$(pwd)" trinity run --config trinity.yaml
'
