#!/usr/bin/env bash
# An example run data-parallel (mpirun -np 2 PROGRAM --distributed
# --batch-size 16) prints the same summary line, but for the seconds, as one
# process with --batch-size 32, and every rank reports its bytes per step; a
# data-parallel run checkpointed after two epochs (rank 0 writes, every rank
# loads) and resumed prints that line too.
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
# Here-strings, not `echo | grep -q`: grep -q exits at its first match, and
# under pipefail the echo still writing the rest (SIGPIPE, status 141) would
# fail the check for a line that is there.
for rank in 0 1; do
  grep -q "rank=$rank processes=2 bytes_sent_per_step=[1-9]" <<< "$out" ||
    { echo "FAIL: rank $rank did not report its bytes per step"; exit 1; }
done

# The first run stops after two epochs; the second, the whole run, resumes
# from its checkpoint (--force-resume: the runs differ in --epochs alone,
# which changes nothing before epoch 3 without a schedule).
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$mpiexec" "${flags[@]}" -np 2 "$program" --distributed --batch-size 16 --epochs 2 --checkpoint "$work/run.ckpt" > /dev/null
resumed_out=$("$mpiexec" "${flags[@]}" -np 2 "$program" --distributed --batch-size 16 --checkpoint "$work/run.ckpt" --force-resume)
resumed=$(echo "$resumed_out" | summary)
echo "two processes, resumed after epoch 2: $resumed"
grep -q "^resumed from $work/run.ckpt at epoch 2 step" <<< "$resumed_out" ||
  { echo "FAIL: the second run did not resume from the end of epoch 2"; exit 1; }
[ "$one" = "$resumed" ] || { echo "FAIL: the resumed run's summary line differs"; exit 1; }
