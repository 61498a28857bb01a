#!/usr/bin/env bash
# goshim benchmarks.  Every number is a median over interleaved rounds of
# the bare run and the run under goshim, measured in the same invocation:
# these machines are shared and noisy, so only the difference and the
# ratio mean anything.
#
#   bash bench/run.sh [BUILDDIR] [ROUNDS]
. "$(dirname "$0")/lib.sh"
build=${1:-build}
rounds=${2:-11}

bench_build "$build"
cc -O2 -o "$build/bench-calls" bench/calls.c

out=$(mktemp -d /tmp/goshim-bench.XXXXXX)
trap 'rm -rf "$out"' EXIT
lib="$PWD/$build/preload/libgoshim.so"

echo "calls: $rounds interleaved rounds (bare, preload) ..." >&2
for r in $(seq "$rounds"); do
	"$build/bench-calls" >>"$out/bare"
	rm -f "$out/ring"
	GOSHIM_RING="$out/ring" LD_PRELOAD="$lib" "$build/bench-calls" >>"$out/preload"
done

python3 - "$out/bare" "$out/preload" <<'PY'
import statistics, sys
def load(p):
    d = {}
    for line in open(p):
        k, v = line.split()
        d.setdefault(k, []).append(float(v))
    return d
bare, pre = load(sys.argv[1]), load(sys.argv[2])
print(f"{'case':16} {'bare ns':>10} {'goshim ns':>10} {'delta ns':>10} {'ratio':>7}")
for k in bare:
    b, p = statistics.median(bare[k]), statistics.median(pre[k])
    print(f"{k:16} {b:10.2f} {p:10.2f} {p-b:10.2f} {p/b:7.3f}")
PY
