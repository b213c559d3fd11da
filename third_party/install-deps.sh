#!/usr/bin/env bash
# Installs the Debian packages xgrad needs, and only those that are missing.
# Safe to run again: when everything is present it changes nothing and needs
# no network. Run as root (or with sudo available) on Debian 12.
set -euo pipefail

packages=(
  cmake g++ make pkg-config
  libxtensor-dev xtl-dev libxsimd-dev libxtensor-blas-dev
  libopenblas-dev doctest-dev
  nlohmann-json3-dev  # parses safetensors headers (nn/safetensors.cpp only)
  clang-format-14  # keeps the style of every source file (ctest test clang_format)
  clang-14 libclang-rt-14-dev  # the sanitizer builds (faster to compile than with g++) and libFuzzer (ctest -L sanitizer, -L fuzz)
  chromium libpng-dev fonts-dejavu-core  # renders the pictures to PNG (ctest -L pictures)
  libopenmpi-dev openmpi-bin  # data-parallel training, distributed/ (ctest -L distributed)
)
# Optional extras are requested by name, e.g. XGRAD_EXTRA_PACKAGES="libtorch-dev".
read -r -a extra <<< "${XGRAD_EXTRA_PACKAGES:-}"
packages+=("${extra[@]}")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "xgrad: installing missing Debian packages: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
