#!/usr/bin/env bash
# An example run data-parallel (mpirun -np 2 PROGRAM --distributed
# --batch-size 16) prints the same summary line, but for the seconds, as one
# process with --batch-size 32, and every rank reports its bytes per step.
#   same_summary.sh MPIEXEC "MPI FLAGS" PROGRAM
set -euo pipefail
mpiexec=$1
read -r -a flags <<< "$2"
program=$3
name=$(basename "$program")

summary() { grep "^$name optimizer=" | sed 's/ seconds=.*//'; }
one=$("$program" --batch-size 32 | summary)
out=$("$mpiexec" "${flags[@]}" -np 2 "$program" --distributed --batch-size 16)
two=$(echo "$out" | summary)
echo "one process, batch 32:     $one"
echo "two processes, batch 16x2: $two"
echo "$out" | grep -o "$name rank=[0-9]* processes=2 bytes_sent_per_step=[0-9]*" || true
[ -n "$one" ] && [ "$one" = "$two" ] || { echo "FAIL: the summary lines differ"; exit 1; }
for rank in 0 1; do
  echo "$out" | grep -q "rank=$rank processes=2 bytes_sent_per_step=[1-9]" ||
    { echo "FAIL: rank $rank did not report its bytes per step"; exit 1; }
done
