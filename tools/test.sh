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
# OCR of images: Tesseract with English, Arabic and French data and its script detection (osd); ImageMagick and DejaVu
# fonts render the OCR tests' images, and ImageMagick's Pango coder (libmagickcore-6.q16-6-extra, which imagemagick only
# recommends) lays out their Arabic.
for p in tesseract-ocr tesseract-ocr-eng tesseract-ocr-ara tesseract-ocr-fra tesseract-ocr-osd imagemagick libmagickcore-6.q16-6-extra fonts-dejavu-core; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || packages+=("$p")
done
# Browser test of the review UI: Playwright drives Debian's chromium (never a downloaded browser).
dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q 'install ok installed' || packages+=(chromium)
# The PostgreSQL store's tests: a throw-away server from Debian's package (below).
ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || packages+=(postgresql)
# The work queue's tests (vigil serve --queue, vigil worker): a throw-away NATS server with JetStream (below).
command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ] || packages+=(nats-server)
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

# What this script started is stopped when it ends, however it ends.
cleanup() {
  if declare -F stop_nats >/dev/null; then stop_nats; fi
  if declare -F stop_pg >/dev/null; then stop_pg; fi
}

# --- PostgreSQL for the storage tests (tests/Vigil.Storage.Postgres.Tests) -------------------------------------------
# A throw-away server from Debian's package (installed above), run as the postgres user (initdb refuses root) on a
# temporary folder, listening on 127.0.0.1 only, on a free port; VIGIL_TEST_POSTGRES tells the tests where it is. It is
# stopped and its folder removed when this script ends. A VIGIL_TEST_POSTGRES already set is used as it is.
if [ -z "${VIGIL_TEST_POSTGRES:-}" ]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  pg_dir=$(mktemp -d /tmp/vigil-ci-pg.XXXXXX)
  [ "$(id -u)" -ne 0 ] || chown postgres "$pg_dir"
  stop_pg() { as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$pg_dir"; }
  trap cleanup EXIT
  as_pg "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres -N >"$pg_dir/initdb.log" 2>&1 || { cat "$pg_dir/initdb.log"; exit 1; }
  for attempt in 1 2 3 4 5; do
    pg_port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$pg_port") 2>/dev/null && continue # taken
    if as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 start \
        -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" >/dev/null; then
      export VIGIL_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
      break
    fi
  done
  [ -n "${VIGIL_TEST_POSTGRES:-}" ] || { cat "$pg_dir/server.log"; echo "could not start PostgreSQL"; exit 1; }
  echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port ($pg_dir)"
fi

# --- NATS JetStream for the work queue's tests (tests/Vigil.Server.Tests: queue, workers) -----------------------------
# Debian's nats-server with JetStream, its store in a temporary folder, on 127.0.0.1 and a free port; VIGIL_TEST_NATS
# tells the tests where it is. Stopped, and its folder removed, when this script ends. A VIGIL_TEST_NATS already set is
# used as it is.
if [ -z "${VIGIL_TEST_NATS:-}" ]; then
  nats_bin=$(command -v nats-server || echo /usr/sbin/nats-server)
  nats_dir=$(mktemp -d /tmp/vigil-ci-nats.XXXXXX)
  nats_pid=""
  stop_nats() { [ -z "$nats_pid" ] || kill "$nats_pid" 2>/dev/null || true; [ -z "$nats_pid" ] || wait "$nats_pid" 2>/dev/null || true; rm -rf "$nats_dir"; }
  trap cleanup EXIT
  for attempt in 1 2 3 4 5; do
    nats_port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$nats_port") 2>/dev/null && continue # taken
    "$nats_bin" -js -sd "$nats_dir/store" -a 127.0.0.1 -p "$nats_port" >"$nats_dir/server.log" 2>&1 &
    nats_pid=$!
    for wait in $(seq 1 50); do
      (exec 3<>"/dev/tcp/127.0.0.1/$nats_port") 2>/dev/null && break
      sleep 0.1
    done
    if kill -0 "$nats_pid" 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$nats_port") 2>/dev/null; then
      export VIGIL_TEST_NATS="nats://127.0.0.1:$nats_port"
      break
    fi
    nats_pid=""
  done
  [ -n "${VIGIL_TEST_NATS:-}" ] || { cat "$nats_dir/server.log"; echo "could not start nats-server"; exit 1; }
  echo "nats-server $("$nats_bin" --version 2>&1 | awk '{print $NF}') on $VIGIL_TEST_NATS ($nats_dir)"
fi

# --- the tests ---------------------------------------------------------------------------------------------------
printf '\n== dotnet test Vigil.slnx -c Release %s\n' "$*"
dotnet test Vigil.slnx -c Release "$@"
