#!/usr/bin/env bash
# Benchmarks of whole runs of the release binary, as a user would time them.
# Usage: bench/run.sh [--quick]     (--quick: a tenth of the sizes)
# Prints wall time and peak memory (max RSS) of each run. Data is generated
# from a fixed seed, so every run measures the same work.
#
# Then the peers' workload (../shared/bench/README.md): its rows, whose names
# are in many scripts, against the same rows in ASCII; and, when the peers'
# scripts are found (PEERS=dir, else ../shared/bench/peers beside the
# repository or its worktree folder) and BENCH_PY names a python with the
# peers' packages (default ~/.venvs/peers/bin/python), protest against Typst
# and mailmerge on them. Those runs are paired: A B A B ..., five of each,
# medians; "own" is a run less the peers' set-up alone (baseline.sh N 0 0).
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
    # A run that fails is no figure: stop and say why.
    /usr/bin/time -o "$work/time" -f '%e %M' "${@//OUT/$out}" >/dev/null 2>"$work/err" ||
      { cat "$work/err" >&2; echo "failed: $label" >&2; exit 1; }
    stats=$(tail -n 1 "$work/time")
    local secs=${stats% *}
    if [ -z "$best" ] || awk "BEGIN {exit !($secs < $best)}"; then best=$secs; fi
  done
  printf '%-58s %9s %12.1f\n' "$label" "$best" "$(awk "BEGIN {print ${stats#* } / 1024}")"
}

# One letter takes milliseconds: time 100 runs and divide.
one_letter() {
  local label=$1; shift
  local start end peak
  start=$(date +%s.%N)
  for _ in $(seq 100); do
    "$@" > /dev/null 2>&1
  done
  end=$(date +%s.%N)
  /usr/bin/time -o "$work/time" -f '%M' "$@" >/dev/null 2>&1
  peak=$(tail -n 1 "$work/time")
  printf '%-58s %9.4f %12.1f\n' "$label" \
    "$(awk "BEGIN {print ($end - $start) / 100}")" "$(awk "BEGIN {print $peak / 1024}")"
}
one_letter "one text letter (whole process, mean of 100)" \
  $bin write mukhammedkarim -q --to gb-london --sender examples/sender.toml
one_letter "  the same without -q" \
  $bin write mukhammedkarim --to gb-london --sender examples/sender.toml
mkdir -p "$work/config/protest"
cp examples/sender.toml "$work/config/protest/profile.toml"
XDG_CONFIG_HOME="$work/config" one_letter "  the same from a saved profile" \
  $bin write mukhammedkarim --to gb-london
one_letter "  protest --version" $bin --version
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

# The peers' workload: the same rows as its gen_data.py, and the same letter.
peer_rows=$((1000 / scale))
mbox_rows=$((10000 / scale))
python3 bench/gen_peer_rows.py $peer_rows > "$work/peers.csv"
python3 bench/gen_peer_rows.py $peer_rows --ascii > "$work/peers-ascii.csv"
python3 bench/gen_peer_rows.py $mbox_rows > "$work/peers-mbox.csv"
python3 bench/gen_peer_rows.py $mbox_rows --ascii > "$work/peers-mbox-ascii.csv"

runs=5
# The median of the numbers on standard input.
median() {
  sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# Seconds a shell command line takes; OUT in it becomes a new path.
seconds() {
  run=$((run + 1))
  local line=${1//OUT/$work/out-$run} start end
  sync
  start=$(date +%s%N)
  eval "$line" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; echo "failed: $line" >&2; exit 1; }
  end=$(date +%s%N)
  awk "BEGIN { printf \"%.3f\", ($end - $start) / 1e9 }"
}
# Runs the command lines given alternately, $runs rounds; prints their
# medians, space-separated, in the order given.
paired() {
  local i j
  for ((i = 1; i <= runs; i++)); do
    for ((j = 1; j <= $#; j++)); do
      seconds "${!j}" >> "$work/paired-$j"
      echo >> "$work/paired-$j"
    done
  done
  for ((j = 1; j <= $#; j++)); do
    printf '%s ' "$(median < "$work/paired-$j")"
    rm "$work/paired-$j"
  done
  echo
}

echo
echo "the peers' workload ($peer_rows senders, 289 in 1,000 with names outside basic Latin, and"
echo "the prisoners most letters list), against the same rows in ASCII: medians of $runs, paired"
printf '%-46s %9s %9s %9s\n' "run" "ASCII" "scripts" "ratio"
# --file-name names the files of --out only (protest refuses it with -o and --combine).
letter=(write bench-reference --letters bench/letters --to gb-london --date 2026-11-30 -q)
ascii_and_scripts() {
  local label=$1 rows=$2 args=$3 a b
  read -r a b < <(paired "$bin ${letter[*]} --senders $work/$rows-ascii.csv $args" \
    "$bin ${letter[*]} --senders $work/$rows.csv $args")
  printf '%-46s %9s %9s %8.2fx\n' "$label" "$a" "$b" "$(awk "BEGIN {print $b / $a}")"
}
ascii_and_scripts "$peer_rows one-letter PDFs, --out, -j 1" peers "--format pdf --file-name '{{row}}' --out OUT -j 1"
ascii_and_scripts "$peer_rows one-letter PDFs, --out" peers "--format pdf --file-name '{{row}}' --out OUT"
ascii_and_scripts "one combined $peer_rows-page PDF" peers "--combine OUT.pdf"
ascii_and_scripts "$mbox_rows messages, one mbox" peers-mbox "--format mbox -o OUT.mbox"

# The peers themselves, where they are set up.
here=$(pwd)
peers=${PEERS:-}
for candidate in "$here/../shared/bench/peers" "$here/../../shared/bench/peers"; do
  [ -z "$peers" ] && [ -f "$candidate/protest.sh" ] && peers=$(cd "$candidate" && pwd)
done
export BENCH_PY=${BENCH_PY:-$HOME/.venvs/peers/bin/python}
if [ -z "$peers" ]; then
  echo "(the peers' scripts are not beside this repository: set PEERS to compare with Typst and mailmerge)"
  exit 0
fi
if ! python3 bench/gen_peer_rows.py 50 | cmp -s - <(
  d=$(mktemp -d); python3 "$peers/gen_data.py" 50 "$d" >/dev/null
  sed '1s/sender_name/name/; 1s/sender_email/email/; 1s/sender_address/address/' "$d/recipients.csv"; rm -r "$d"); then
  echo "warning: bench/gen_peer_rows.py no longer makes the rows $peers/gen_data.py makes" >&2
fi
if ! cmp -s bench/letters/bench-reference.hbs "$peers/templates/protest/bench-reference.hbs"; then
  echo "warning: bench/letters/bench-reference.hbs differs from the peers' copy" >&2
fi
# Their protest.sh passes --file-name whatever the output, which protest refuses where it names
# nothing (-o, --combine): this stand-in drops it there and runs protest itself (exec).
cat > "$work/protest" <<EOF
#!/usr/bin/env bash
single=
for arg in "\$@"; do case \$arg in -o|--combine) single=1 ;; esac; done
args=()
while [ \$# -gt 0 ]; do
  if [ -n "\$single" ] && [ "\$1" = --file-name ]; then shift 2; continue; fi
  args+=("\$1"); shift
done
exec "$here/$bin" "\${args[@]}"
EOF
chmod +x "$work/protest"
export PROTEST=$work/protest
has_typst=$("$BENCH_PY" -c 'import typst' 2>/dev/null && echo yes || true)
has_mailmerge=$([ -x "$(dirname "$BENCH_PY")/mailmerge" ] && echo yes || true)
echo
echo "against the peers ($peers, BENCH_PY=$BENCH_PY): whole processes, medians of $runs, paired;"
echo "own = less the set-up alone (baseline.sh N 0 0), load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %8s %8s  %-16s %8s %8s %8s\n' "run" "protest" "own" "peer" "peer" "own" "ratio"
against() {
  local label=$1 n=$2 ours=$3 peer_name=$4 theirs=$5 base a b
  read -r base a b < <(paired "bash $peers/baseline.sh $n 0 0" "bash $peers/protest.sh $ours $n" \
    "bash $peers/$theirs")
  printf '%-34s %8s %8.3f  %-16s %8s %8.3f %7.1fx\n' "$label" "$a" "$(awk "BEGIN {print $a - $base}")" \
    "$peer_name" "$b" "$(awk "BEGIN {print $b - $base}")" "$(awk "BEGIN {print ($b - $base) / ($a - $base)}")"
}
if [ -n "$has_typst" ]; then
  against "$peer_rows one-letter PDFs" $peer_rows pdf "typst separate" "typst.sh separate $peer_rows"
  against "one $peer_rows-letter PDF" $peer_rows combined "typst combined" "typst.sh combined $peer_rows"
else
  echo "(no typst for $BENCH_PY: see ../shared/bench/README.md to set it up)"
fi
if [ -n "$has_mailmerge" ]; then
  against "$mbox_rows messages, one mbox" $mbox_rows mbox "mailmerge" "mailmerge.sh $mbox_rows"
else
  echo "(no mailmerge beside $BENCH_PY: see ../shared/bench/README.md to set it up)"
fi
