#!/usr/bin/env bash
# Fuzzes one of Vigil's parsers of untrusted bytes under afl++ for a fixed time, with SharpFuzz's instrumentation.
#   tools/fuzz.sh TARGET SECONDS     build, instrument, fuzz TARGET for SECONDS, then replay what afl++ found
#   tools/fuzz.sh --list             the targets, the parser each runs and what counts as a crash
# Targets: image, bank-auto, te-csv, tat-json, plain, submission, scan-jsonl (fuzz/Vigil.Fuzz/FuzzTargets.cs).
# Seeds: fuzz/corpus/TARGET/. Output: out/fuzz/TARGET/ (afl++'s findings/, with crashes/ and hangs/; fuzzer_stats).
# Environment: FUZZ_TIMEOUT_MS (afl++'s per-input limit, default 5000: slower inputs are hangs), FUZZ_OUT (output folder).
# Needs the .NET 10 SDK; installs Debian's afl++ when missing (as root) and the SharpFuzz.CommandLine tool into out/.
# Exit status: 0 when nothing was found, 1 when afl++ saved a crash or a hang, 2 for wrong usage.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: tools/fuzz.sh TARGET SECONDS   (tools/fuzz.sh --list for the targets)" >&2; exit 2; }
project=fuzz/Vigil.Fuzz
sharpfuzz_version=2.3.0

if [ "${1:-}" = "--list" ]; then
  dotnet run --project "$project" -c Release -- --list
  exit 0
fi
[ $# -eq 2 ] || usage
target=$1 seconds=$2
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "tools/fuzz.sh: SECONDS must be a positive whole number, not '$seconds'" >&2; exit 2; }
[ -d "fuzz/corpus/$target" ] || { echo "tools/fuzz.sh: unknown target '$target' (no fuzz/corpus/$target); the targets are: $(ls fuzz/corpus | tr '\n' ' ')" >&2; exit 2; }

# The assemblies whose code afl++ sees (SharpFuzz instruments them in the published copy). Framework assemblies (System.*,
# ASP.NET Core's) cannot be instrumented: they run, but uninstrumented.
case "$target" in
  image) instrument=(Vigil.Media.dll SixLabors.ImageSharp.dll) ;;
  bank-auto | te-csv | tat-json | plain) instrument=(Vigil.Core.dll) ;;
  submission) instrument=(Vigil.Server.dll Vigil.Core.dll) ;;
  scan-jsonl) instrument=(vigil.dll Vigil.Core.dll) ;;
  *) echo "tools/fuzz.sh: no instrumentation list for target '$target'" >&2; exit 2 ;;
esac

# --- afl++ from Debian ----------------------------------------------------------------------------------------
if ! command -v afl-fuzz >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then sudo=()
  elif command -v sudo >/dev/null; then sudo=(sudo)
  else echo "tools/fuzz.sh: needs Debian's afl++; install it as root (apt-get install afl++)" >&2; exit 1; fi
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++
fi

out=${FUZZ_OUT:-out/fuzz}/$target
tools=${FUZZ_OUT:-out/fuzz}/tools
mkdir -p "$out" "$tools"

# --- SharpFuzz's instrumentation tool (a dotnet tool from NuGet) ----------------------------------------------------
if [ ! -x "$tools/sharpfuzz" ]; then
  dotnet tool install SharpFuzz.CommandLine --version "$sharpfuzz_version" --tool-path "$tools" >/dev/null
fi

# --- build, then instrument a copy (an assembly is instrumented once: never reuse an old copy) ------------------------
# The copy links to the build's files (about 600 MB with the models) except the assemblies it instruments. Instrumented
# code writes to afl++'s coverage map and cannot run without afl++: replays use the build itself.
build=$project/bin/Release/net10.0
dotnet build "$project" -c Release --nologo -v quiet >"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
rm -rf "$out/bin"
cp -rs "$PWD/$build" "$out/bin"
# The host resolves a linked app to its real folder, so the app's own files are real copies.
for file in Vigil.Fuzz.dll Vigil.Fuzz.deps.json Vigil.Fuzz.runtimeconfig.json "${instrument[@]}"; do
  rm "$out/bin/$file"
  cp "$build/$file" "$out/bin/$file"
done
for dll in "${instrument[@]}"; do
  "$tools/sharpfuzz" "$out/bin/$dll"
done

# --- fuzz ---------------------------------------------------------------------------------------------------------
# A run starts afresh from the seeds (afl++ would otherwise refuse an output folder from an earlier run).
rm -rf "$out/findings"
echo "fuzzing $target for $seconds s (seeds fuzz/corpus/$target, $(ls "fuzz/corpus/$target" | wc -l) files; instrumented: ${instrument[*]})"
# dotnet is not itself instrumented (SharpFuzz's runner speaks afl's fork-server protocol): skip the binary check.
# No UI (logs stay readable), no core-dump or CPU-governor checks (a container or a shared machine cannot change them).
AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 \
  afl-fuzz -V "$seconds" -t "${FUZZ_TIMEOUT_MS:-5000}" -m none -i "fuzz/corpus/$target" -o "$out/findings" \
  -- dotnet "$out/bin/Vigil.Fuzz.dll" "$target" >"$out/afl.log" 2>&1 || { tail -40 "$out/afl.log"; exit 1; }

# --- report -------------------------------------------------------------------------------------------------------
stats=$out/findings/default/fuzzer_stats
stat() { sed -n "s/^$1 *: *//p" "$stats"; }
echo "target $target: $(stat execs_done) executions in $(stat run_time) s ($(stat execs_per_sec) execs/s)," \
  "corpus $(stat corpus_count) inputs, edges found $(stat edges_found) (bitmap $(stat bitmap_cvg))," \
  "crashes $(stat saved_crashes), hangs $(stat saved_hangs)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
found=0
for kind in crashes hangs; do
  files=("$out/findings/default/$kind"/id:*)
  [ -e "${files[0]}" ] || continue
  found=1
  echo "== $kind (replayed with: dotnet $build/Vigil.Fuzz.dll $target FILE...)"
  dotnet "$build/Vigil.Fuzz.dll" "$target" "${files[@]}" || true
done
exit "$found"
