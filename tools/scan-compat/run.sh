#!/usr/bin/env bash
# Compares `vigil scan` on every labelled dev split (and examples/posts.jsonl) between a baseline build and this
# checkout, on the contract's fields (new fields are allowed). Usage:
#   tools/scan-compat/run.sh BASELINE_VIGIL_DLL [SHARED_DATA_DIR]
# Build the baseline first, e.g.:
#   git worktree add /tmp/vigil-base d751b96 && dotnet build /tmp/vigil-base/src/Vigil.Cli -c Release
#   tools/scan-compat/run.sh /tmp/vigil-base/src/Vigil.Cli/bin/Release/net10.0/vigil.dll
set -euo pipefail
cd "$(dirname "$0")/../.."
baseline=${1:?the baseline build's vigil.dll}
data=${2:-${VIGIL_SHARED:-../shared}/data}
dotnet build src/Vigil.Cli -c Release -v quiet -nologo >/dev/null
current=src/Vigil.Cli/bin/Release/net10.0/vigil.dll
out=$(mktemp -d)
status=0
run() { # name, args...
  local name=$1; shift
  dotnet "$baseline" scan "$@" --quiet --db "$out/none.db" -o "$out/$name.before.jsonl" || true
  dotnet "$current" scan "$@" --quiet --db "$out/none.db" -o "$out/$name.after.jsonl" || true
  python3 tools/scan-compat/compare.py "$out/$name.before.jsonl" "$out/$name.after.jsonl" || status=1
}
for file in "$data"/*/*.dev.jsonl; do
  run "$(basename "$file" .dev.jsonl)" "$file"
done
for mode in off all; do
  run "isis-tweets-labelled-$mode" "$data/isis-tweets-labelled/isis-tweets-labelled.dev.jsonl" --embeddings "$mode"
done
run examples examples/posts.jsonl
rm -rf "$out"
exit $status
