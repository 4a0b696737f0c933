#!/usr/bin/env bash
# How long this machine's file system takes to create a batch's files, with
# nothing else to do (see fs_floor.c). Compare with the --out runs of run.sh.
# Usage: bench/fs-floor.sh [DIR (default: a new one under /tmp)] [FILES] [THREADS]
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gcc -O2 -pthread fs_floor.c -o "$work/fs_floor"
sync
"$work/fs_floor" "${1:-$work/files}" "${2:-100000}" "${3:-$(nproc)}"
