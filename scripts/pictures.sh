#!/usr/bin/env bash
# Redraws the pictures the README shows (docs/img/) with the three picture
# programs. Their other outputs (Rosenbrock, Beale, the other schedule
# families, the CSV paths) are left in build/release/examples/out/.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${XGRAD_BUILD_DIR:-build/release}
bash third_party/install-deps.sh
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc)" --target optimizer_paths compare_optimizers lr_schedules
for program in optimizer_paths compare_optimizers lr_schedules; do
  "$build/examples/$program" --out "$build/examples/out/$program"
done
mkdir -p docs/img
for picture in optimizer_paths/sin_quadratic optimizer_paths/ill_conditioned optimizer_paths/saddle \
               compare_optimizers/training_loss compare_optimizers/test_accuracy \
               lr_schedules/adagrad_effective_lr lr_schedules/schedules_warmup lr_schedules/schedules_cosine \
               lr_schedules/schedules_wsd; do
  cp "$build/examples/out/$picture.svg" "docs/img/${picture#*/}.svg"
done
cmake --build "$build" -j"$(nproc)" --target word_embeddings
"$build/examples/word_embeddings" --out "$build/examples/out/word_embeddings" >/dev/null
cp "$build/examples/out/word_embeddings/embedding.svg" docs/img/word_embeddings.svg
echo "pictures: wrote $(ls docs/img/*.svg | wc -l) SVG files to docs/img"
