#!/usr/bin/env bash
# Load test of `vigil serve` on loopback: closed-loop saturation with wrk, then open-loop fixed-rate runs with
# Vigil.Server.Bench (latency from each request's due time). Writes nothing outside a temporary folder.
#   bench/server-load.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
dotnet build src/Vigil.Cli -c Release -v q -nologo >/dev/null
dotnet build bench/Vigil.Server.Bench -c Release -v q -nologo >/dev/null
vigil="dotnet src/Vigil.Cli/bin/Release/net10.0/vigil.dll"
tmp=$(mktemp -d)
db="$tmp/bench.db"
export VIGIL_KEY=$($vigil key create --name bench --scope ingest --db "$db" 2>/dev/null)
port=18080
$vigil serve --urls "http://127.0.0.1:$port" --db "$db" >"$tmp/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB"
for path in /v1/classify /v1/content; do
  echo "== wrk -t2 -c16 -d${seconds}s POST $path (closed loop: saturation)"
  wrk -t2 -c16 -d"${seconds}s" -s bench/server-wrk.lua "http://127.0.0.1:$port$path" | tail -1
done
bench="dotnet bench/Vigil.Server.Bench/bin/Release/net10.0/Vigil.Server.Bench.dll"
echo "== open loop: classify at 500/s for ${seconds}s"
$bench "http://127.0.0.1:$port" "$VIGIL_KEY" 500 "$seconds" classify || true
echo "== open loop: submit at 200/s for ${seconds}s"
$bench "http://127.0.0.1:$port" "$VIGIL_KEY" 200 "$seconds" submit || true
