#!/usr/bin/env bash
# PyTorch's weights into xgrad and xgrad's into PyTorch, compared by their
# logits, with the first of PYTHON and /usr/bin/python3 (Debian's, where
# python3-torch installs) that has torch and numpy; exit 77 (skipped) when
# none has: python3-torch is over 200 packages, so CI skips this test and it
# runs where someone installed it.
#   torch_round_trip.sh PYTHON TORCH_INTEROP WORK_DIR
set -euo pipefail
interop="$2" work="$3"
source "$(dirname "$0")/find_python.sh"
find_python "$1" "torch, numpy" python3-torch
script="$(dirname "$0")/torch_check.py"
rm -rf "$work" && mkdir -p "$work"
"$python" "$script" write "$work"
"$interop" "$work"
"$python" "$script" check "$work"
