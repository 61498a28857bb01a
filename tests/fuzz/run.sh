#!/usr/bin/env bash
# Run the libFuzzer targets (fuzz-ring, fuzz-payload, fuzz-elf, fuzz-explain) with ASan and UBSan
# for a bounded time each, side by side, from the seed corpora in
# tests/fuzz/corpus.  A crash, a leak or a sanitizer report fails the run;
# the input is kept as BUILD/fuzz-artifacts/TARGET-crash-* (reproduce with
# BUILD/tests/fuzz/TARGET FILE, then add it to the corpus with the fix).
#
#   bash tests/fuzz/run.sh [SECONDS] [BUILDDIR]     # defaults: 60, build-fuzz
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-60}
build=${2:-build-fuzz}

if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" -Dfuzz=true >/dev/null
fi
# Only the targets: the code they test is compiled into each.
if ! meson compile -C "$build" tests/fuzz/fuzz-ring tests/fuzz/fuzz-payload tests/fuzz/fuzz-elf \
	tests/fuzz/fuzz-explain \
	>"$build/compile.log" 2>&1; then
	tail -40 "$build/compile.log" >&2
	echo "fuzz: the targets did not build (log: $build/compile.log)" >&2
	exit 1
fi

run() {
	local t=$1 work="$build/fuzz-corpus/$1" art="$build/fuzz-artifacts"
	mkdir -p "$work" "$art"
	# The new inputs go to $work; the committed seeds are only read.
	"$build/tests/fuzz/fuzz-$t" -max_total_time="$secs" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$art/$t-" "$work" "tests/fuzz/corpus/$t" \
		>"$build/fuzz-$t.log" 2>&1
}

start=$SECONDS
run ring & ring=$!
run payload & payload=$!
run elf & elf=$!
run explain & explain=$!
rc=0
for t in ring payload elf explain; do
	pid=${!t}
	if wait "$pid"; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/fuzz-$t.log")
		echo "fuzz-$t: ${runs:-?} inputs in ${secs} s, no crash"
	else
		rc=1
		echo "fuzz-$t: FAILED (log: $build/fuzz-$t.log)" >&2
		grep -E '^(==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)' \
			"$build/fuzz-$t.log" >&2 || tail -20 "$build/fuzz-$t.log" >&2
	fi
done
echo "fuzzing took $((SECONDS - start)) s"
exit $rc
