#!/usr/bin/env bash
# Benchmarks of whole runs of the release binary, as a user would time them.
# Usage: bench/run.sh [--quick]     (--quick: a tenth of the sizes)
# Prints wall time and peak memory (max RSS) of each run. Data is generated
# from a fixed seed, so every run measures the same work.
set -euo pipefail
cd "$(dirname "$0")/.."

scale=1
[ "${1:-}" = "--quick" ] && scale=10
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: apt-get install time" >&2; exit 1; }

cargo build --release --quiet
bin=target/release/protest
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1795996800   # 2026-11-30: the same letters every run, current on that day

python3 bench/gen_senders.py $((100000 / scale)) > "$work/senders-100k.csv"
python3 bench/gen_senders.py $((10000 / scale)) > "$work/senders-10k.csv"
python3 bench/gen_senders.py $((1000 / scale)) > "$work/senders-1k.csv"

printf '%s\n' "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sm)"
printf '%-58s %9s %12s\n' "run" "seconds" "peak MB"

# Each run writes to a new directory, removed only at the end: on ext4
# without a journal (as on this project's machine) the kernel will not reuse
# an inode freed less than five minutes ago and scans past every one of them,
# so creating files right after deleting as many is several times slower.
# Wait five minutes between two runs of this script for comparable figures.
run=0
measure() {
  local label=$1; shift
  local stats
  # Best of three wall times; peak memory of the last run.
  local best=""
  for _ in 1 2 3; do
    run=$((run + 1))
    local out="${out_dir:-$work}/out-$run"
    # Flushed first, so that no run pays for writing back the one before.
    sync
    /usr/bin/time -o "$work/time" -f '%e %M' "${@//OUT/$out}" >/dev/null 2>&1
    stats=$(tail -n 1 "$work/time")
    local secs=${stats% *}
    if [ -z "$best" ] || awk "BEGIN {exit !($secs < $best)}"; then best=$secs; fi
  done
  printf '%-58s %9s %12.1f\n' "$label" "$best" "$(awk "BEGIN {print ${stats#* } / 1024}")"
}

# One letter takes milliseconds: time 100 runs and divide.
start=$(date +%s.%N)
for _ in $(seq 100); do
  $bin write mukhammedkarim -q --to gb-london --sender examples/sender.toml > /dev/null
done
end=$(date +%s.%N)
/usr/bin/time -o "$work/time" -f '%M' $bin write mukhammedkarim -q --to gb-london --sender examples/sender.toml >/dev/null
peak=$(tail -n 1 "$work/time")
printf '%-58s %9.4f %12.1f\n' "one text letter (whole process, mean of 100)" \
  "$(awk "BEGIN {print ($end - $start) / 100}")" "$(awk "BEGIN {print $peak / 1024}")"
measure "$((100000 / scale)) text letters, CSV senders, one embassy, --out" \
  $bin write mukhammedkarim -q --to gb-london --senders "$work/senders-100k.csv" --out OUT
# The same in memory (tmpfs): what the program costs without the disk's share.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  shm=$(mktemp -d /dev/shm/protest-bench.XXXXXX)
  trap 'rm -rf "$work" "$shm"' EXIT
  out_dir=$shm measure "  the same, --out on a tmpfs (/dev/shm)" \
    $bin write mukhammedkarim -q --to gb-london --senders "$work/senders-100k.csv" --out OUT
  rm -rf "$shm"
fi
measure "$((10000 / scale)) .eml drafts, --out" \
  $bin write mukhammedkarim -q --to gb-london --senders "$work/senders-10k.csv" --format eml --out OUT
measure "$((1000 / scale)) one-page PDFs, --out" \
  $bin write mukhammedkarim -q --to gb-london --senders "$work/senders-1k.csv" --format pdf --out OUT
# On one core: what the second one adds.
measure "  the same, -j 1" \
  $bin write mukhammedkarim -q --to gb-london --senders "$work/senders-1k.csv" --format pdf --out OUT -j 1
measure "one combined $((1000 / scale))-page PDF, --combine" \
  $bin write mukhammedkarim -q --to gb-london --senders "$work/senders-1k.csv" --combine OUT.pdf
# Pages are written as they are made: the peak memory stays that of 1,000.
measure "one combined $((100000 / scale))-page PDF, --combine" \
  $bin write mukhammedkarim -q --to gb-london --senders "$work/senders-100k.csv" --combine OUT.pdf
