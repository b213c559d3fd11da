#!/usr/bin/env bash
# Renders every SVG under DIR to PNG with headless Chromium, at the size the
# SVG declares, and checks each image: the declared size, ink on at least 1 %
# of the pixels and at least 16 distinct colours (a blank page, a lone error
# message or an unstyled render fails). Exits 77 (ctest: skipped) without
# Chromium.
#   render_check.sh PNG_STATS DIR
set -euo pipefail
png_stats=$1
dir=$2
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "render_check: chromium not installed (third_party/install-deps.sh installs it): skipped"
  exit 77
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

failures=0
count=0
while IFS= read -r -d '' svg; do
  count=$((count + 1))
  read -r width height < <(sed -n 's/^<svg[^>]* width="\([0-9]*\)" height="\([0-9]*\)".*/\1 \2/p' "$svg" | head -n 1)
  if [ -z "${width:-}" ]; then
    echo "FAIL $svg: no width/height on the <svg> element"
    failures=$((failures + 1))
    continue
  fi
  png=${svg%.svg}.png
  rm -f "$png"
  timeout 60 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --disable-quic \
    --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
    --user-data-dir="$profile" --window-size="$width,$height" --screenshot="$png" "file://$(realpath "$svg")" \
    >/dev/null 2>&1 || true
  if [ ! -s "$png" ]; then
    echo "FAIL $svg: chromium wrote no PNG"
    failures=$((failures + 1))
    continue
  fi
  stats=$("$png_stats" "$png")
  read -r w h ink colours < <(echo "$stats" | sed 's/[a-z]*=//g')
  verdict=ok
  [ "$w" = "$width" ] && [ "$h" = "$height" ] || verdict="FAIL size ${w}x${h}, SVG says ${width}x${height}"
  awk -v ink="$ink" 'BEGIN { exit !(ink >= 0.01) }' || verdict="FAIL blank (ink $ink)"
  [ "$colours" -ge 16 ] || verdict="FAIL only $colours colours"
  echo "$verdict $svg $stats"
  [ "$verdict" = ok ] || failures=$((failures + 1))
done < <(find "$dir" -name '*.svg' -print0 | sort -z)

echo "render_check: $count SVG files, $failures failed"
[ "$count" -gt 0 ] && [ "$failures" -eq 0 ]
