#!/usr/bin/env bash
# numpy.save/savez -> xgrad's load_npy/load_npz, and save_npy/save_npz ->
# numpy.load, with the first of PYTHON and /usr/bin/python3 (Debian's, where
# python3-numpy installs) that has numpy; exit 77 (skipped) when none has.
#   numpy_round_trip.sh PYTHON NPY_INTEROP WORK_DIR
set -euo pipefail
python="" interop="$2" work="$3"
for candidate in "$1" /usr/bin/python3; do
  if [ -x "$candidate" ] && "$candidate" -c "import numpy" 2>/dev/null; then python="$candidate"; break; fi
done
if [ -z "$python" ]; then echo "numpy is not installed (apt-get install python3-numpy): skipped"; exit 77; fi
script="$(dirname "$0")/numpy_check.py"
rm -rf "$work" && mkdir -p "$work"
"$python" "$script" write "$work"
"$interop" read "$work"
"$interop" write "$work"
"$python" "$script" check "$work"
