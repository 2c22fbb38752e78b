#!/usr/bin/env bash
# Builds the `vigil` command once and puts it on your PATH: each `dotnet run --project src/Vigil.Cli` checks and builds
# the projects before it starts (seconds), the installed binary starts in a fraction of a second (docs/benchmarks.md).
#   tools/install.sh                  # ~/.local/lib/vigil (the program and its data) and ~/.local/bin/vigil
#   tools/install.sh /usr/local       # /usr/local/lib/vigil and /usr/local/bin/vigil
# A framework-dependent build: it runs with the .NET 10 runtime the SDK brings. Run it again after pulling changes.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${1:-$HOME/.local}"
command -v dotnet >/dev/null || { echo "tools/install.sh: the .NET 10 SDK is required (https://dot.net)" >&2; exit 1; }

app="$prefix/lib/vigil"
mkdir -p "$prefix/bin"
rm -rf "$app.new"
dotnet publish src/Vigil.Cli -c Release -o "$app.new" --nologo -v q
rm -rf "$app" && mv "$app.new" "$app"
ln -sfn "$app/vigil" "$prefix/bin/vigil"

"$prefix/bin/vigil" --help >/dev/null
echo "installed $prefix/bin/vigil (program and data in $app)"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "add $prefix/bin to your PATH, e.g.: echo 'export PATH=\"$prefix/bin:\$PATH\"' >> ~/.bashrc" ;;
esac
