#!/usr/bin/env bash
# The README's test command: installs what a fresh Debian machine lacks for the tests, then runs them all.
#   tools/test.sh                     # dotnet test Vigil.slnx -c Release
#   tools/test.sh --filter Bank       # any further arguments go to dotnet test
#   tools/test.sh --setup-only        # only install what is missing
# Needs the .NET 10 SDK, and the labelled datasets in ../shared/data (or $VIGIL_SHARED/data).
set -euo pipefail
cd "$(dirname "$0")/.."

# --- Debian packages -------------------------------------------------------------------------------------------
packages=()
# ICU: .NET globalisation (Unicode normalisation of text needs it).
ldconfig -p 2>/dev/null | grep -q 'libicu' || packages+=(libicu72)
# OCR of images: Tesseract with English, Arabic and French data; ImageMagick and DejaVu fonts render the OCR tests' images.
for p in tesseract-ocr tesseract-ocr-eng tesseract-ocr-ara tesseract-ocr-fra imagemagick fonts-dejavu-core; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || packages+=("$p")
done
# Browser test of the review UI: Playwright drives Debian's chromium (never a downloaded browser).
dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q 'install ok installed' || packages+=(chromium)
if ((${#packages[@]})); then
  printf '\n== installing %s\n' "${packages[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=()
  elif command -v sudo >/dev/null; then sudo=(sudo)
  else echo "tools/test.sh: the tests need the Debian packages ${packages[*]}; install them as root (apt-get install)" >&2; exit 1; fi
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}"
fi

[ "${1:-}" = "--setup-only" ] && exit 0

command -v dotnet >/dev/null || { echo "tools/test.sh: the .NET 10 SDK is required (https://dot.net)" >&2; exit 1; }
if [ ! -d "${VIGIL_SHARED:-../shared}/data" ]; then
  echo "tools/test.sh: warning: no labelled datasets in ${VIGIL_SHARED:-../shared}/data (set VIGIL_SHARED); the tests that read them will fail" >&2
fi

# --- the tests ---------------------------------------------------------------------------------------------------
printf '\n== dotnet test Vigil.slnx -c Release %s\n' "$*"
exec dotnet test Vigil.slnx -c Release "$@"
