#!/usr/bin/env bash
# Installs what is missing, builds xgrad in Release and runs the bundled
# examples, each ending with its one-line summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash third_party/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j"$(nproc)" --target examples
bash build/release/examples/run_all.sh
