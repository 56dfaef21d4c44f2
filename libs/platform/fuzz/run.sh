#!/usr/bin/env bash
# run.sh <fuzz binary> <seed corpus> <work dir> <seconds>: runs one fuzz target for <seconds>
# over its seed corpus, keeping what it learns in <work dir>/corpus and any crash in
# <work dir>/crash-*. Prints one line: target, executions, corpus size, finding. Exit 0 when
# nothing was found, 1 on a finding, 77 when the binary is not built.
set -uo pipefail

binary=$1 seeds=$2 work=$3 seconds=$4
name=$(basename "$binary")
if [[ ! -x $binary ]]; then
  echo "$name: not built (cmake --preset fuzz && cmake --build --preset fuzz)"
  exit 77
fi
mkdir -p "$work/corpus"
log=$work/last-run.log
# New inputs go to the first corpus folder (the work one); the committed seeds are only read.
# -rss_limit_mb and -timeout bound each input; -max_len keeps inputs near request sizes.
"$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" "$seeds" >"$log" 2>&1
rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
units=$(grep -o 'corp: [0-9]*' "$log" | tail -n 1 | sed 's/corp: //')
crash=$(grep -o 'Test unit written to .*' "$log" | tail -n 1 | sed 's/Test unit written to //')
if ((rc == 0)) && [[ -z $crash ]]; then
  echo "$name: ${execs:-?} executions in ${seconds} s, corpus ${units:-?}, no crash"
  exit 0
fi
echo "$name: ${execs:-?} executions, corpus ${units:-?}, FOUND ${crash:-a failure (exit $rc)}; log $log"
grep -m 20 -E 'ERROR|SUMMARY|runtime error|property|==[0-9]+==' "$log" || tail -n 20 "$log"
exit 1
