#!/usr/bin/env bash
# Trains recipe `hub_grpo` on a Ray cluster with verl; written by `roux export --target verl`
# for verl v0.7.0, https://github.com/volcengine/verl/tree/f9c855f7cf04d603c9546bc01776c74806a879c1.
# Run it from anywhere with RAY_ADDRESS pointing at the cluster (e.g. http://HEAD:8265).
set -euo pipefail
cd "$(dirname "$0")"
# verl reads parquet: each JSONL copy becomes a table with the prompt as one user turn.
python3 - <<'PY'
import pandas as pd
for source, target, prompt, answer in [
    ("data/train.jsonl", "data/train.parquet", "question", "answer"),
    ("data/test.jsonl", "data/test.parquet", "question", "answer"),
]:
    rows = pd.read_json(source, lines=True, dtype=False)
    truths = [None] * len(rows) if answer is None else [str(a) for a in rows[answer]]
    pd.DataFrame({
        "data_source": "roux",
        prompt: [[{"role": "user", "content": str(p)}] for p in rows[prompt]],
        "reward_model": [{"style": "rule", "ground_truth": t} for t in truths],
    }).to_parquet(target)
PY
ray job submit --working-dir . -- bash -c 'python3 -m verl.trainer.main_ppo --config-path="$(pwd)" --config-name=verl'
