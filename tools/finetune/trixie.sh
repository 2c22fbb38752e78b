#!/usr/bin/env bash
# Runs the fine-tuning tool where TorchSharp 0.107's native library can load (it needs glibc >= 2.38 and
# GLIBCXX_3.4.32; Debian 12 has 2.36). On a newer distribution, skip this script and run `dotnet FineTune.dll ...`.
#   tools/finetune/trixie.sh setup          # once: debootstrap a minimal Debian trixie root (about 30 s, 200 MB)
#   tools/finetune/trixie.sh run '<cmd>'    # bind-mount, run <cmd> in the chroot (cwd kept), unmount
# The chroot sees the folder that holds the repository and ../shared (VIGIL_BIND, default: the repository's parent),
# ~/.nuget and the .NET SDK. Needs root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=${VIGIL_TRIXIE:-$here/trixie}
bind=${VIGIL_BIND:-$(cd "$here/../../.." && pwd)}
dotnet_dir=$(dirname "$(readlink -f "$(command -v dotnet)")")

mount_all() {
  mkdir -p "$root$bind" "$root/root/.nuget" "$root$dotnet_dir"
  mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
  mountpoint -q "$root/dev" || mount --bind /dev "$root/dev"
  mountpoint -q "$root$bind" || mount --bind "$bind" "$root$bind"
  mountpoint -q "$root/root/.nuget" || mount --bind "$HOME/.nuget" "$root/root/.nuget"
  mountpoint -q "$root$dotnet_dir" || mount --bind "$dotnet_dir" "$root$dotnet_dir"
  ln -sf "$dotnet_dir/dotnet" "$root/usr/bin/dotnet"
}

umount_all() {
  for m in "$root$dotnet_dir" "$root/root/.nuget" "$root$bind" "$root/dev" "$root/proc"; do
    if mountpoint -q "$m"; then umount "$m"; fi
  done
}

case "${1:-}" in
  setup)
    command -v debootstrap >/dev/null || apt-get install -y debootstrap
    debootstrap --variant=minbase --include=libicu76,libstdc++6,libssl3t64,ca-certificates,libgomp1 trixie "$root" http://deb.debian.org/debian
    ;;
  run)
    shift
    mount_all
    trap umount_all EXIT
    chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
      VIGIL_SHARED="${VIGIL_SHARED:-}" VIGIL_FINETUNE_WORK="${VIGIL_FINETUNE_WORK:-}" VIGIL_MINILM_DLL="${VIGIL_MINILM_DLL:-}" \
      /bin/bash -c "cd '$PWD' && $*"
    ;;
  *) sed -n '2,8p' "$0"; exit 2 ;;
esac
