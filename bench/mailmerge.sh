#!/usr/bin/env bash
# protest against mailmerge (https://github.com/awdeorio/mailmerge), the usual
# Python mail-merge tool, on the same work: COUNT generated senders
# (bench/gen_senders.py), the same letter text, every message into one file.
#
# mailmerge has no mailbox output; `--dry-run --no-limit --output-format raw`
# renders every message and prints it without sending, which is as close as
# it comes. protest writes a real mbox with `--format mbox -o FILE`.
#
# Usage: bench/mailmerge.sh [COUNT]      (default 10000)
#   LETTER=id      the letter (default abzhan: about 300 words)
#   TMPDIR=/dev/shm to write both outputs to a tmpfs instead of /tmp
#
# The first run installs mailmerge into bench/.venv (needs python3 with venv
# and network access to PyPI); later runs reuse it. Whole processes are timed
# with GNU time, five runs each, best and median. Wall times on a shared,
# busy machine mean little: compare user CPU seconds there.
set -euo pipefail
cd "$(dirname "$0")/.."

count=${1:-10000}
letter=${LETTER:-abzhan}
mission=gb-london
runs=5
# A fixed day on which the letter is current: the same letters every run.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1795996800} # 2026-11-30

command -v /usr/bin/time >/dev/null || { echo "needs GNU time: apt-get install time" >&2; exit 1; }

venv=bench/.venv
mailmerge_version=2.3.0
if ! "$venv/bin/mailmerge" --version 2>/dev/null | grep -q "$mailmerge_version"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "mailmerge==$mailmerge_version"
fi

cargo build --release --quiet
bin=target/release/protest
work=$(mktemp -d "${TMPDIR:-/tmp}/protest-mailmerge.XXXXXX")
trap 'rm -rf "$work"' EXIT

python3 bench/gen_senders.py "$count" > "$work/senders.csv"

# mailmerge's template is protest's own letter, rendered once with the sender's
# fields as Jinja placeholders: the same text, the same headers.
"$bin" write "$letter" --to "$mission" --name "{{name}}" --org "{{org}}" --role "{{role}}" \
  --email placeholder@example.org --format eml 2>/dev/null > "$work/placeholder.eml"
python3 - "$work/placeholder.eml" > "$work/template.txt" <<'EOF'
import sys
head, body = open(sys.argv[1], encoding="utf-8").read().replace("\r\n", "\n").split("\n\n", 1)
headers = dict(line.split(": ", 1) for line in head.split("\n"))
# Some senders have no role: their signature has no role line.
body = body.replace("{{role}}\n", "{% if role %}{{role}}\n{% endif %}")
sys.stdout.write(f'TO: {headers["To"]}\nSUBJECT: {headers["Subject"]}\n'
                 f'FROM: "{{{{name}}}}" <{{{{email}}}}>\n\n{body}')
EOF
# Never used: a dry run connects to nothing, but mailmerge wants the file.
printf '[smtp_server]\nhost = 127.0.0.1\nport = 25\nsecurity = Never\n' > "$work/server.conf"

# Runs "$@" $runs times; prints best and median wall and user seconds, and
# keeps the medians in $work/NAME.median for the ratios.
measure() {
  local name=$1 label=$2; shift 2
  local i
  : > "$work/times"
  for i in $(seq "$runs"); do
    /usr/bin/time -a -o "$work/times" -f '%e %U' "$@" > "$work/stdout" 2>/dev/null
  done
  python3 - "$label" "$work/times" "$work/$name.median" <<'EOF'
import statistics, sys
rows = [tuple(map(float, line.split())) for line in open(sys.argv[2]) if line[0].isdigit()]
wall, user = [r[0] for r in rows], [r[1] for r in rows]
print(f"{sys.argv[1]:<40} {min(wall):8.2f} {statistics.median(wall):8.2f}"
      f" {min(user):8.2f} {statistics.median(user):8.2f}")
open(sys.argv[3], "w").write(f"{statistics.median(wall)} {statistics.median(user)}\n")
EOF
}

printf '%s\n' "machine: $(nproc) cores, $(uname -sm), load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%s\n' "$count senders, letter $letter to $mission, outputs in $work"
printf '%-40s %8s %8s %8s %8s\n' "run ($runs each)" "wall" "median" "user" "median"

measure mailmerge "mailmerge $mailmerge_version --dry-run (stdout)" \
  "$venv/bin/mailmerge" --template "$work/template.txt" --database "$work/senders.csv" \
  --config "$work/server.conf" --dry-run --no-limit --output-format raw
mv "$work/stdout" "$work/mailmerge.out"
measure protest "protest --format mbox" \
  "$bin" write "$letter" --to "$mission" --senders "$work/senders.csv" --format mbox \
  -o "$work/out.mbox" --force
measure protest-j1 "protest --format mbox -j 1" \
  "$bin" write "$letter" --to "$mission" --senders "$work/senders.csv" --format mbox \
  -o "$work/out.mbox" --force -j 1

# Both made every message, or the comparison means nothing.
made_by_mailmerge=$(grep -c '^>>> message [0-9]*$' "$work/mailmerge.out" || true)
made_by_protest=$(grep -c '^From ' "$work/out.mbox" || true)
echo "messages: mailmerge $made_by_mailmerge, protest $made_by_protest"
[ "$made_by_mailmerge" = "$count" ] && [ "$made_by_protest" = "$count" ]
python3 - "$work" <<'EOF'
import sys
def medians(name):
    return [float(x) for x in open(f"{sys.argv[1]}/{name}.median").read().split()]
mailmerge = medians("mailmerge")
for name in ["protest", "protest-j1"]:
    ours = medians(name)
    ratios = [m / max(o, 0.01) for m, o in zip(mailmerge, ours)]
    print(f"mailmerge / {name}, medians: {ratios[0]:.1f}x wall, {ratios[1]:.1f}x user")
EOF
