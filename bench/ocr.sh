#!/usr/bin/env bash
# OCR of leaflets: quality (docs/quality/ocr.md) and time per image (docs/benchmarks.md). Renders neutral leaflets
# (bench/Vigil.Ocr.Bench/NeutralText.cs) as images in a temporary folder (deleted at the end unless --keep), reads them
# with TesseractOcr's strategies and downscaling budgets, and scores the text read (CER, WER). See
# bench/Vigil.Ocr.Bench/README.md.
#   bench/ocr.sh [options]          quality report, written to docs/quality/ocr.md
#   bench/ocr.sh timing [options]   time per image, one image at a time, printed as a markdown table
#   bench/ocr.sh posts [options]    detection F1 on the OCR text of labelled dev posts against the same posts as text
#                                   (its blocks of docs/quality/ocr.md; the rendered posts stay in the temporary folder)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Vigil.Ocr.Bench -c Release -v q -nologo >/dev/null
exec dotnet bench/Vigil.Ocr.Bench/bin/Release/net10.0/Vigil.Ocr.Bench.dll "$@"
