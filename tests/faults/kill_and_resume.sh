#!/usr/bin/env bash
# Kills a training example with SIGKILL at random moments while it writes
# checkpoints, restarts it until it finishes, and checks that
#  (a) after every kill the checkpoint file is complete: the restart loads it
#      and resumes at a step that is a multiple of --checkpoint-every,
#  (b) the final weights equal those of an uninterrupted run, bit for bit.
#
# usage: kill_and_resume.sh PROGRAM WORKDIR [TRIALS] [EPOCHS] [FLAGS...]
# (FLAGS are passed to every run, e.g. --dense)
set -euo pipefail

program=$1
work=$2
trials=${3:-10}
epochs=${4:-40}
every=50
flags=(--epochs "$epochs" --seed 0 "${@:5}")

rm -rf "$work"
mkdir -p "$work"

milliseconds() { echo $(( $(date +%s%N) / 1000000 )); }

"$program" "${flags[@]}" --save-model "$work/reference.model" > "$work/reference.log"
# An uninterrupted run that writes checkpoints: it must not change the result,
# and its duration bounds the moments of the kills.
start=$(milliseconds)
"$program" "${flags[@]}" --checkpoint "$work/uninterrupted.ckpt" --checkpoint-every "$every" \
  --save-model "$work/uninterrupted.model" > "$work/uninterrupted.log"
duration=$(( $(milliseconds) - start ))
cmp "$work/reference.model" "$work/uninterrupted.model"
echo "uninterrupted run with checkpoints every $every steps: ${duration} ms"

killed=0
resumed=0
for trial in $(seq 1 "$trials"); do
  checkpoint="$work/trial$trial.ckpt"
  model="$work/trial$trial.model"
  RANDOM=$trial
  delay=$(( 20 + (RANDOM * 32768 + RANDOM) % (duration * 4 / 5) ))
  "$program" "${flags[@]}" --checkpoint "$checkpoint" --checkpoint-every "$every" --save-model "$model" \
    > "$work/trial$trial.killed.log" 2>&1 &
  pid=$!
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  if kill -KILL "$pid" 2> /dev/null; then
    killed=$((killed + 1))
    outcome="killed after ${delay} ms"
  else
    outcome="finished before the kill at ${delay} ms"
  fi
  wait "$pid" 2> /dev/null || true

  had_checkpoint=0
  [[ -e "$checkpoint" ]] && had_checkpoint=1
  log="$work/trial$trial.resumed.log"
  if ! "$program" "${flags[@]}" --checkpoint "$checkpoint" --checkpoint-every "$every" --save-model "$model" \
      > "$log" 2>&1; then
    echo "trial $trial ($outcome): the restart failed:"
    cat "$log"
    exit 1
  fi
  if (( had_checkpoint )); then
    line=$(grep -m1 "^resumed from $checkpoint at epoch [0-9]* step [0-9]*$" "$log" || true)
    step=${line##* step }
    if [[ -z "$line" || $(( step % every )) -ne 0 || "$step" -eq 0 ]]; then
      echo "trial $trial ($outcome): the restart did not resume from a complete checkpoint: '${line}'"
      exit 1
    fi
    resumed=$((resumed + 1))
    outcome="$outcome, resumed at step $step"
  fi
  if ! cmp "$work/reference.model" "$model"; then
    echo "trial $trial ($outcome): final weights differ from the uninterrupted run"
    exit 1
  fi
  echo "trial $trial: $outcome, final weights identical"
done

echo "trials=$trials killed=$killed resumed=$resumed identical=$trials"
if (( killed == 0 )); then
  echo "no run was killed before it finished: the runs are too short for this test"
  exit 1
fi
