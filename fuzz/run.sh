#!/bin/sh
# Runs every fuzz target for a bounded time, one after the other, one job each.
#   fuzz/run.sh [SECONDS] [TARGET...]      default: 60 seconds, every target
# Needs cargo-fuzz (`cargo install cargo-fuzz`); on a stable toolchain
# RUSTC_BOOTSTRAP=1 lets it use the sanitizer flags it needs.
# Inputs that crash are kept in fuzz/artifacts/TARGET/; copy one into
# tests/fuzz_regressions/TARGET/ to make it a test of `cargo test`.
set -eu
cd "$(dirname "$0")"
seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-template directory senders}
export RUSTC_BOOTSTRAP=1
status=0
for target in $targets; do
    mkdir -p "corpus/$target" "artifacts/$target"
    # Seeds: the shipped data, the test fixtures and the regression inputs,
    # copied into the corpus, which grows from run to run (it is not committed).
    case $target in
        template) cp ../letters/*.hbs "corpus/$target/" ;;
        directory) cp ../embassies.toml ../tests/fixtures/*.toml "corpus/$target/" ;;
        senders) cp seeds/senders/* "corpus/$target/" ;;
    esac
    cp ../tests/fuzz_regressions/"$target"/* "corpus/$target/" 2>/dev/null || true
    echo "== $target: ${seconds}s"
    cargo fuzz run "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -max_len=65536 \
        -artifact_prefix="artifacts/$target/" -print_final_stats=1 || status=1
done
exit $status
