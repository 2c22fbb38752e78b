#!/usr/bin/env bash
# Measures `vigil scan` end to end: posts per second on one and on two threads, and peak memory (RSS).
# Input: every dev split of ../shared/data (about 18,000 real posts), repeated to N rows (default 200,000).
# Usage: bench/scan-throughput.sh [rows] [extra scan options...]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-200000}; shift || true
datasets=${VIGIL_SHARED:-../shared}/data
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet publish src/Vigil.Cli -c Release -o "$work/vigil" --nologo -v q >/dev/null
cat "$datasets"/*/*.dev.jsonl > "$work/dev.jsonl"
: > "$work/input.jsonl"
while [ "$(wc -l < "$work/input.jsonl")" -lt "$rows" ]; do cat "$work/dev.jsonl" >> "$work/input.jsonl"; done
head -n "$rows" "$work/input.jsonl" > "$work/posts.jsonl"
chars=$(python3 -c "import json,sys; t=[len(json.loads(l)['text']) for l in open(sys.argv[1])]; print(sum(t)//len(t))" "$work/posts.jsonl" 2>/dev/null || echo "?")

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB"
echo "input: $rows posts (dev splits repeated), mean $chars characters"
for threads in 1 2; do
  for run in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$work/time" "$work/vigil/vigil" scan "$work/posts.jsonl" --threads "$threads" --quiet "$@" > "$work/out.jsonl"
    read -r seconds kb < "$work/time"
    echo "threads=$threads run=$run: $(python3 -c "print(f'{$rows/$seconds:,.0f}')") posts/s ($seconds s), peak RSS $((kb / 1024)) MiB"
  done
done
