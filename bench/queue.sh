#!/usr/bin/env bash
# Benchmarks of the queue path (`vigil serve --queue` + `vigil worker` on PostgreSQL and NATS JetStream) against the
# synchronous path (`vigil serve` on SQLite), on loopback. Starts its own throw-away PostgreSQL and nats-server from
# Debian's packages (as tools/test.sh does) and stops them when it ends, Ctrl+C included. Submits real dev posts of
# ../shared/data (never printed) with bench/Vigil.Queue.Bench, which times each item from submission to its
# `content.assessed` webhook (its own receiver on loopback).
#
#   bench/queue.sh [--seconds N] [--runs "sync:off q1:off q2:off sync:cascade q1:cascade q2:cascade"] [--fsync on|off]
#       Each run: the sustained rate (a controller raises the rate while the workers keep up, N seconds), then latency
#       and CPU per item at 70% of it (N seconds). Prints a Markdown table. Default 60 s a phase (about 20 minutes).
#   bench/queue.sh soak [--rate R] [--seconds N] [--sample-seconds S] [--embeddings off|cascade|all] [--fsync on|off]
#       Two workers at a fixed rate (default 40/s for 600 s, a sample a minute): RSS of server and workers, the stream's
#       messages and bytes, failures, dead letters, warnings and errors in the processes' logs.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=matrix
if [ "${1:-}" = soak ]; then mode=soak; shift; fi
seconds=60; runs="sync:off q1:off q2:off sync:cascade q1:cascade q2:cascade"; fsync=on
rate=40; sample=60; embeddings=cascade
[ "$mode" = soak ] && seconds=600
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --fsync) fsync=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --sample-seconds) sample=$2; shift 2 ;;
    --embeddings) embeddings=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/queue.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
datasets=${VIGIL_SHARED:-../shared}/data
[ -d "$datasets" ] || { echo "bench/queue.sh: no datasets in $datasets (set VIGIL_SHARED)" >&2; exit 1; }
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
nats_bin=$(command -v nats-server || echo /usr/sbin/nats-server)
[ -n "$pg_bin" ] && [ -x "$nats_bin" ] || { echo "bench/queue.sh: needs Debian's postgresql and nats-server (tools/test.sh --setup-only installs them)" >&2; exit 1; }

work=$(mktemp -d /tmp/vigil-queue-bench.XXXXXX)
chmod 755 "$work"
children=()
pg_started=""
nats_pid=""
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop_children() {
  local pid
  for pid in "${children[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${children[@]}"; do wait "$pid" 2>/dev/null || true; done
  children=()
}
cleanup() {
  stop_children
  [ -z "$nats_pid" ] || { kill "$nats_pid" 2>/dev/null || true; wait "$nats_pid" 2>/dev/null || true; }
  [ -z "$pg_started" ] || as_pg "$pg_bin/pg_ctl" -D "$work/pg/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

echo "== building (dotnet publish src/Vigil.Cli -c Release; bench/Vigil.Queue.Bench)"
dotnet publish src/Vigil.Cli -c Release -o "$work/vigil" --nologo -v q >/dev/null
dotnet build bench/Vigil.Queue.Bench -c Release --nologo -v q >/dev/null
vigil="$work/vigil/vigil"
bench="dotnet bench/Vigil.Queue.Bench/bin/Release/net10.0/Vigil.Queue.Bench.dll"

# --- PostgreSQL: as user postgres on a temporary folder, 127.0.0.1, a free port ---------------------------------------
mkdir -p "$work/pg"
[ "$(id -u)" -ne 0 ] || chown postgres "$work/pg"
as_pg "$pg_bin/initdb" -D "$work/pg/data" -A trust -U postgres -N >"$work/pg/initdb.log" 2>&1 || { cat "$work/pg/initdb.log"; exit 1; }
pg_port=$(free_port)
as_pg "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w -t 60 start \
  -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c fsync=$fsync -c max_connections=200" >/dev/null
pg_started=1
pg_pid=$(head -1 "$work/pg/data/postmaster.pid")

# --- nats-server with JetStream, its store in the temporary folder, monitoring on another port ------------------------
nats_port=$(free_port); nats_mon=$(free_port)
"$nats_bin" -js -sd "$work/nats" -a 127.0.0.1 -p "$nats_port" -m "$nats_mon" >"$work/nats.log" 2>&1 &
nats_pid=$!
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$nats_port") 2>/dev/null && break; sleep 0.1; done
queue="nats://127.0.0.1:$nats_port"

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo ' (src modified)')"
echo "== PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') (fsync=$fsync) on 127.0.0.1:$pg_port; nats-server $("$nats_bin" --version 2>&1 | awk '{print $NF}') on $queue (monitoring :$nats_mon); load average $(cut -d' ' -f1-3 /proc/loadavg)"

# Environment of every vigil process: no per-key rate (one key submits everything), webhooks to loopback allowed (the
# receiver), the cookie keys in the temporary folder.
export Vigil__ApiRequestsPerMinute=0 Vigil__WebhookAllowedNetworks=127.0.0.0/8 Vigil__Keys="$work/keys"

key() { "$vigil" key create --name "bench-$2" --scope "$2" --db "$1" 2>/dev/null | grep -m1 '^vgl_'; }

# start_stack NAME EMBEDDINGS WORKERS: a database (SQLite for 0 workers, else a new PostgreSQL database), keys, serve and
# the workers; sets url, ingest, admin and procs.
start_stack() {
  local name=$1 emb=$2 workers=$3 db port i
  port=$(free_port)
  if [ "$workers" -eq 0 ]; then
    db="$work/$name.db"
  else
    as_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres "$name"
    db="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$name"
  fi
  ingest=$(key "$db" ingest); admin=$(key "$db" admin)
  local serve_args=(serve --urls "http://127.0.0.1:$port" --db "$db" --embeddings "$emb")
  [ "$workers" -eq 0 ] || serve_args+=(--queue "$queue")
  Vigil__QueueName=$name "$vigil" "${serve_args[@]}" >"$work/$name.serve.log" 2>&1 &
  children+=($!); procs=(--proc "server=$!")
  url="http://127.0.0.1:$port"
  for _ in $(seq 1 600); do curl -sf "$url/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -sf "$url/health/ready" >/dev/null || { tail -20 "$work/$name.serve.log"; echo "vigil serve did not start" >&2; exit 1; }
  for i in $(seq 1 "$workers"); do
    Vigil__QueueName=$name "$vigil" worker --queue "$queue" --db "$db" --embeddings "$emb" >"$work/$name.worker$i.log" 2>&1 &
    children+=($!); procs+=(--proc "worker$i=$!")
  done
  for i in $(seq 1 "$workers"); do
    for _ in $(seq 1 600); do grep -q 'taking work from' "$work/$name.worker$i.log" && break; sleep 0.2; done
    grep -q 'taking work from' "$work/$name.worker$i.log" || { tail -20 "$work/$name.worker$i.log"; echo "vigil worker did not start" >&2; exit 1; }
  done
  [ "$workers" -gt 0 ] || procs+=(--proc "worker=0") # no worker: the column stays, at 0
  procs+=(--proc "postgres=$pg_pid" --proc "nats=$nats_pid")
}

# Warnings and errors the processes logged after they started (.NET's console format: "warn:", "fail:", "crit:", the
# message on the next line; the start-up warnings about no users and no secrets key are not counted).
log_problems() {
  local f n total=""
  for f in "$work/$1".*.log; do
    awk '/listening on|taking work from/ { started = 1; next } started' "$f" >"$f.after"
    n=$(grep -cE '^(warn|fail|crit):' "$f.after" || true)
    total+="$(basename "$f" .log | sed "s/^$1\.//") $n; "
    [ "$n" -eq 0 ] || grep -E '^(warn|fail|crit):' -A1 "$f.after" | grep -v '^--' | cut -c1-160 | sort | uniq -c | sort -rn | head -6 | sed 's/^/      /'
  done
  echo "  warnings/errors logged after start-up: ${total%; }"
}

# What the database did per item over the whole run (warm-up and both phases; pg_stat_database counts every statement
# outside a transaction as one): commits, and rows read, inserted and updated.
pg_per_item() {
  /usr/bin/psql -h 127.0.0.1 -p "$pg_port" -U postgres -d "$1" -AtF' ' -c "SELECT (SELECT count(*) FROM content_items), xact_commit, xact_rollback, tup_returned + tup_fetched, tup_inserted, tup_updated FROM pg_stat_database WHERE datname = current_database();" 2>/dev/null |
    awk '$1 > 0 { printf "  PostgreSQL per item (%d items): %.1f commits, %.2f rollbacks, %.0f rows read, %.1f inserted, %.1f updated\n", $1, $2 / $1, $3 / $1, $4 / $1, $5 / $1, $6 / $1 }'
  /usr/bin/psql -h 127.0.0.1 -p "$pg_port" -U postgres -d "$1" -AtF' ' -c "SELECT relname, seq_scan, seq_tup_read, coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE seq_tup_read > 0 ORDER BY seq_tup_read DESC LIMIT 3;" 2>/dev/null |
    awk '{ printf "    table %s: %d sequential scans reading %d rows, %d index scans\n", $1, $2, $3, $4 }'
  /usr/bin/psql -h 127.0.0.1 -p "$pg_port" -U postgres -d "$1" -AtF' ' -c "SELECT indexrelname, idx_scan, idx_tup_read FROM pg_stat_user_indexes WHERE idx_tup_read > 0 ORDER BY idx_tup_read DESC LIMIT 3;" 2>/dev/null |
    awk '{ printf "    index %s: %d scans reading %d entries\n", $1, $2, $3 }'
}

if [ "$mode" = soak ]; then
  echo "== soak: queue, 2 workers, embeddings $embeddings, $rate items/s for $seconds s, a sample every $sample s"
  start_stack soak "$embeddings" 2
  # The database's work over time (a sample every $sample s, printed at the end): items stored, commits and rows read per
  # item in the interval, and the entries each scan of the outbox's due index read (dead entries of delivered rows
  # stay in it until VACUUM: a growing figure is work per item growing with the outbox).
  pg_sampler() {
    local last="0 0 0 0 0" now
    echo "| t (s) | items | commits per item | rows read per item | ix_webhook_outbox_due entries per scan | table webhook_outbox dead rows | autovacuums of it |"
    echo "|---|---|---|---|---|---|---|"
    for ((t = 0; ; t += sample)); do
      now=$(/usr/bin/psql -h 127.0.0.1 -p "$pg_port" -U postgres -d soak -AtF' ' -c "SELECT (SELECT count(*) FROM content_items), d.xact_commit, d.tup_returned + d.tup_fetched, coalesce(i.idx_scan, 0), coalesce(i.idx_tup_read, 0), t.n_dead_tup, t.autovacuum_count FROM pg_stat_database d, pg_stat_user_tables t LEFT JOIN pg_stat_user_indexes i ON i.indexrelname = 'ix_webhook_outbox_due' WHERE d.datname = current_database() AND t.relname = 'webhook_outbox';" 2>/dev/null) || return 0
      echo "$last $now" | awk -v t="$t" '{
        n = $6 - $1; s = $9 - $4; c = "-"; r = "-"; e = "-"
        if (n > 0) { c = sprintf("%.1f", ($7 - $2) / n); r = sprintf("%.0f", ($8 - $3) / n) }
        if (s > 0) e = sprintf("%.0f", ($10 - $5) / s)
        printf "| %d | %d | %s | %s | %s | %d | %d |\n", t, $6, c, r, e, $11, $12 }'
      last=$(echo "$now" | cut -d' ' -f1-5)
      sleep "$sample"
    done
  }
  pg_sampler >"$work/pg-samples.md" &
  sampler=$!
  status=0
  $bench --mode soak --url "$url" --ingest-key "$ingest" --admin-key "$admin" --data "$datasets" --label "soak" \
    --rate "$rate" --seconds "$seconds" --sample-seconds "$sample" --expect 202 --nats-monitor "http://127.0.0.1:$nats_mon" "${procs[@]}" || status=$?
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
  echo "  PostgreSQL over time:"
  sed 's/^/  /' "$work/pg-samples.md"
  log_problems soak
  pg_per_item soak
  "$vigil" worker status --queue "$queue" --queue-name soak --limit 5 | sed 's/^/  /' || true
  stop_children
  exit "$status"
fi

echo "== runs: $runs; $seconds s a phase (sustained rate, then latency at 70% of it)"
rows=()
status=0
n=0
for run in $runs; do
  n=$((n + 1))
  kind=${run%%:*}; emb=${run#*:}
  case "$kind" in
    sync) workers=0; label="synchronous, SQLite, embeddings $emb"; expect=201 ;;
    q[0-9]*) workers=${kind#q}; label="queue, $workers worker$([ "$workers" -eq 1 ] || echo s), embeddings $emb"; expect=202 ;;
    *) echo "bench/queue.sh: unknown run $run (sync:MODE or qN:MODE)" >&2; exit 2 ;;
  esac
  name="bench$n"
  start_stack "$name" "$emb" "$workers"
  out=$($bench --mode find --url "$url" --ingest-key "$ingest" --admin-key "$admin" --data "$datasets" --label "$label" \
    --seconds "$seconds" --expect "$expect" --nats-monitor "http://127.0.0.1:$nats_mon" "${procs[@]}") || status=1
  echo "$out" | grep -v '^ROW '
  log_problems "$name"
  [ "$workers" -eq 0 ] || pg_per_item "$name"
  rows+=("$(echo "$out" | grep '^ROW ' | sed 's/^ROW //')")
  stop_children
done

echo
echo "| path | sustained items/s | fixed rate for latency | submit → content.assessed p50 / p99 | HTTP answer p50 / p99 | CPU ms per item: server / workers / PostgreSQL / NATS / load generator / **all** | cores busy: these processes of the machine | errors |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
exit "$status"
