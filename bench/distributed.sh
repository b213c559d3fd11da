#!/usr/bin/env bash
# Data-parallel costs on this machine (issue #19), from a build folder with
# bench_distributed: the bytes per step of W3's row-sparse exchange against a
# dense all-reduce at a 100,000-word vocabulary (2 ranks), and W4's step time
# as 1 process x 1 BLAS thread (the reference), 1 x 2 and 2 processes x 1
# (the exchange after backward, and overlapped with it), each as a ratio to
# the reference run of this invocation.
#   bash bench/distributed.sh build/release
set -euo pipefail
build=${1:-build/release}
bench="$build/bench/bench_distributed"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpi=(mpiexec --oversubscribe --mca btl self,vader --mca oob_tcp_if_include lo --bind-to none)
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

OPENBLAS_NUM_THREADS=1 "${mpi[@]}" -np 2 -x OPENBLAS_NUM_THREADS "$bench" --bytes | tee /tmp/xgrad_bytes.txt
sparse=$(grep 'exchange=sparse' /tmp/xgrad_bytes.txt | sed 's/.*bytes_sent_per_step=\([0-9]*\).*/\1/')
dense=$(grep 'exchange=dense' /tmp/xgrad_bytes.txt | sed 's/.*bytes_sent_per_step=\([0-9]*\).*/\1/')
awk -v s="$sparse" -v d="$dense" 'BEGIN { printf "dense / sparse bytes per step: %.0f (target >= 20)\n", d / s }'

step_ms() { sed 's/.*step_ms=\([0-9.]*\).*/\1/'; }
one_one=$(OPENBLAS_NUM_THREADS=1 "$bench" --w4); echo "$one_one"
one_two=$(OPENBLAS_NUM_THREADS=2 "$bench" --w4); echo "$one_two"
two_one=$(OPENBLAS_NUM_THREADS=1 "${mpi[@]}" -np 2 -x OPENBLAS_NUM_THREADS "$bench" --w4); echo "$two_one"
overlapped=$(OPENBLAS_NUM_THREADS=1 "${mpi[@]}" -np 2 -x OPENBLAS_NUM_THREADS "$bench" --w4-overlap); echo "$overlapped"
ref=$(echo "$one_one" | step_ms)
for line in "$one_two" "$two_one" "$overlapped"; do
  awk -v r="$ref" -v t="$(echo "$line" | step_ms)" -v l="$line" \
    'BEGIN { split(l, f, " "); printf "W4 %s %s %s: step time %.2fx the 1 process x 1 thread run\n", f[2], f[3], f[4], t / r }'
done
