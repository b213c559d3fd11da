#!/usr/bin/env bash
# numpy.save/savez -> xgrad's load_npy/load_npz, and save_npy/save_npz ->
# numpy.load, with the first of PYTHON and /usr/bin/python3 (Debian's, where
# python3-numpy installs) that has numpy; exit 77 (skipped) when none has.
#   numpy_round_trip.sh PYTHON NPY_INTEROP WORK_DIR
set -euo pipefail
interop="$2" work="$3"
source "$(dirname "$0")/find_python.sh"
find_python "$1" numpy python3-numpy
script="$(dirname "$0")/numpy_check.py"
rm -rf "$work" && mkdir -p "$work"
"$python" "$script" write "$work"
"$interop" read "$work"
"$interop" write "$work"
"$python" "$script" check "$work"
