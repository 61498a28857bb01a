#!/usr/bin/env bash
# Thread storm: THREADS threads started together, each failing N opens of
# distinct missing paths, under libgoshim.so into a ring of SIZE.  Prints
# what the writers committed, what the reader found, lost and dropped
# (written = found + lost, and nothing dropped, is the promise), and the
# wall time per failure bare and under goshim.
#
#   bash bench/storm.sh [BUILDDIR] [THREADS] [N] [SIZE]
. "$(dirname "$0")/lib.sh"
build=${1:-build}
threads=${2:-64}
n=${3:-10000}
size=${4:-256M}

bench_build "$build"
cc -O2 -pthread -o "$build/bench-storm" bench/storm.c

out=$(mktemp -d /tmp/goshim-storm.XXXXXX)
trap 'rm -rf "$out"' EXIT
lib="$PWD/$build/preload/libgoshim.so"

echo "storm: $threads threads x $n distinct failures, ring $size" >&2
printf 'bare:   '; "$build/bench-storm" "$threads" "$n" "$out"
printf 'goshim: '
GOSHIM_RING="$out/ring" GOSHIM_RING_SIZE="$size" GOSHIM_HANDOVER=0 LD_PRELOAD="$lib" \
	"$build/bench-storm" "$threads" "$n" "$out"
# the header line: committed, found, lost, dropped
"$build/ctl/goshimctl" decode "$out/ring" | head -1 || true
