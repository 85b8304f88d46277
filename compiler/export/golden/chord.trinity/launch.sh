#!/usr/bin/env bash
# Trains recipe `hub_chord` on a Ray cluster with Trinity-RFT; written by `roux export --target trinity`
# for Trinity-RFT 0.5.2, https://github.com/modelscope/Trinity-RFT/tree/eedef4b5a1f9ce205b12c6fdc64b9467fce98013.
# Run it from anywhere with RAY_ADDRESS pointing at the cluster (e.g. http://HEAD:8265).
set -euo pipefail
cd "$(dirname "$0")"
ray job submit --working-dir . -- bash -c 'TRINITY_PLUGIN_DIRS="$(pwd)" trinity run --config trinity.yaml'
