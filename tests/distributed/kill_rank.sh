#!/usr/bin/env bash
# One rank of a 2-process run killed with SIGKILL mid-run: the job must end
# within 30 s with a non-zero status, and the last checkpoint rank 0 wrote
# must load.
#   kill_rank.sh MPIEXEC "MPI FLAGS" KILL_WORKER WORK_DIR
set -uo pipefail
mpiexec=$1
read -r -a flags <<< "$2"
worker=$3
work=$4
rm -rf "$work" && mkdir -p "$work"
checkpoint="$work/run.ckpt"

start=$(date +%s)
timeout --signal=KILL 60 "$mpiexec" "${flags[@]}" -np 2 "$worker" --checkpoint "$checkpoint" --kill-rank 1 --kill-at 150 \
  > "$work/job.out" 2>&1
status=$?
elapsed=$(( $(date +%s) - start ))
echo "job status $status after ${elapsed} s"
tail -n 5 "$work/job.out"
if [ "$status" -eq 0 ]; then echo "FAIL: the job ended with status 0 though rank 1 was killed"; exit 1; fi
if [ "$status" -eq 137 ] && [ "$elapsed" -ge 60 ]; then echo "FAIL: the job hung and timeout killed it"; exit 1; fi
if [ "$elapsed" -gt 30 ]; then echo "FAIL: the job took ${elapsed} s to stop (bound 30 s)"; exit 1; fi
"$worker" --verify "$checkpoint" || { echo "FAIL: the last checkpoint does not load"; exit 1; }
