#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# fuzz_smoke.sh FUZZER SEED_DIR... - a short libFuzzer run (a smoke test,
# not a fuzzing campaign): 20000 inputs or 30 s, whichever comes first,
# starting from the seed corpus. New inputs go to a temporary directory,
# never into the source tree.
set -u
fuzzer=${1:?fuzzer}
shift
work=$(mktemp -d "${TMPDIR:-/tmp}/fwd-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
"$fuzzer" -runs=20000 -max_total_time=30 -seed=1 -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix="$work/" "$work" "$@"
rc=$?
if [ $rc -ne 0 ]; then
	for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-*; do
		[ -f "$a" ] && { echo "artifact $a:"; od -A d -t x1 "$a" | head -20; }
	done
fi
exit $rc
