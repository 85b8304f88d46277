#!/usr/bin/env bash
# Trains recipe `hub_grpo` on a Ray cluster with Trinity-RFT; written by `roux export --target trinity`
# for Trinity-RFT main at c3d094d5 (after 0.2.1.dev0), https://github.com/modelscope/Trinity-RFT/tree/c3d094d59bec0f069408f457944cafd0d1157af0.
# Run it from anywhere with RAY_ADDRESS pointing at the cluster (e.g. http://HEAD:8265).
set -euo pipefail
cd "$(dirname "$0")"
ray job submit --working-dir . -- bash -c 'TRINITY_PLUGIN_DIRS="$(pwd)" trinity run --config trinity.yaml'
