#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time on a copy of its seed corpus.
set -euo pipefail
name=$1 seconds=$2 seeds=$3
if [[ -z ${JAGA_FUZZ_DIR:-} || ! -x $JAGA_FUZZ_DIR/$name ]]; then
  echo "fuzzer $name is not built (scripts/test builds the fuzz preset)"; exit 1
fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cp -r "$seeds"/. "$work"/
ASAN_OPTIONS=detect_leaks=0 "$JAGA_FUZZ_DIR/$name" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 \
  -print_final_stats=1 -artifact_prefix="$work/" "$work" 2>&1 | tail -n 12
