#!/usr/bin/env bash
# Rough timing of the PDF renderer alone (no CLI): 1,000 one-page letters as
# separate PDFs on one thread, then one combined 1,000-page PDF.
# Usage: bench/pdf-timing.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --release --quiet --test pdf -- --ignored --nocapture timing_thousand_letters
