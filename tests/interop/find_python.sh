# Sourced by the round-trip scripts: sets `python` to the first of the given
# interpreter and /usr/bin/python3 (Debian's, where python3-numpy and
# python3-torch install) that imports MODULES, or exits 77 (ctest: skipped)
# saying which Debian PACKAGE would provide them.
#   find_python PYTHON MODULES PACKAGE
find_python() {
  python=""
  for candidate in "$1" /usr/bin/python3; do
    if [ -x "$candidate" ] && "$candidate" -c "import $2" 2>/dev/null; then python="$candidate"; return; fi
  done
  echo "$2 is not installed (apt-get install $3): skipped"
  exit 77
}
