#!/usr/bin/env bash
# Peak number of tasks (threads and processes) of a cold `go test`, bare
# and under goshim, each run in a fresh pids cgroup (pids.peak; cgroup v2
# or the v1 pids hierarchy), interleaved round by round:
#
#   bare         the command as it is
#   run          goshimctl run -- command        (with the watcher, as root)
#   run-notify   GOSHIM_TRACE_EBPF=0 goshimctl run (notifications only)
#   notify-before  the same with another goshimctl (BEFORE=path), to
#                compare two builds in one interleaved run
#
# The cgroup holds what a container's would: goshimctl and its keeper (one
# task each) count, as they would against a container's pids.max.  A
# second figure, "tree", counts the command's tree alone: the peak minus
# goshimctl's own tasks.
#
#   bash bench/pids-peak.sh [ROUNDS] [BUILDDIR]
#
# Env: GO (default Debian's /usr/lib/go-1.19/bin/go), PKGS (default
# "strings errors"), MODES (default "bare run run-notify"), BEFORE (a
# goshimctl to compare with), OVER (then a second pass: ROUNDS more runs
# of each mode in a cgroup whose pids.max is the bare median + OVER, as
# a container's limit; each run's exit status counts).  Prints each
# mode's peaks and their median, and with OVER how many runs passed
# under the limit.  Needs root (cgroups).
set -uo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
build=${2:-build}
go=${GO:-/usr/lib/go-1.19/bin/go}
[ -x "$go" ] || go=/usr/local/go/bin/go
pkgs=${PKGS:-strings errors}
ctl=${GOSHIMCTL:-$PWD/$build/ctl/goshimctl}
[ "$(id -u)" -eq 0 ] || { echo "pids-peak: needs root" >&2; exit 77; }

if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
	base=/sys/fs/cgroup
	grep -qw pids "$base/cgroup.subtree_control" || echo +pids >"$base/cgroup.subtree_control"
else
	base=/sys/fs/cgroup/pids
fi
work=$(mktemp -d /tmp/goshim-pids.XXXXXX)
cg=$base/goshim-pids-$$
trap 'rmdir "$cg"-* 2>/dev/null; rm -rf "$work"' EXIT
export GOFLAGS= GOTOOLCHAIN=local GOPATH=$work/gopath GOSHIM_RING=$work/ring
unset LD_PRELOAD

modes=${MODES:-bare run run-notify}
[ -n "${BEFORE:-}" ] && modes+=" notify-before"

one() { # mode round [pids.max] -> "peak", or "passed" under a limit
	local mode=$1 ebpf=1 exe=$ctl c=$cg-$1-$2 rc
	case $mode in
	run-notify) ebpf=0 ;;
	notify-before) ebpf=0 exe=$BEFORE ;;
	esac
	rm -rf "$work/cache"
	mkdir "$c"
	[ -n "${3:-}" ] && echo "$3" >"$c/pids.max"
	GOCACHE=$work/cache GOSHIM_TRACE_EBPF=$ebpf bash -c '
		echo $$ >"$1/cgroup.procs"
		if [ "$2" = bare ]; then shift 5; else shift 2; fi
		exec "$@"' _ "$c" "$mode" "$exe" run -- "$go" test -count=1 $pkgs >/dev/null 2>&1
	rc=$?
	# a test binary may outlive the command by a moment
	for ((w = 0; w < 100 && $(wc -c <"$c/cgroup.procs") > 0; w++)); do
		sleep 0.1
	done
	if [ -n "${3:-}" ]; then
		[ $rc -eq 0 ] && echo 1 || echo 0
	else
		cat "$c/pids.peak"
	fi
	rmdir "$c"
}

declare -A all
for ((r = 1; r <= rounds; r++)); do
	for mode in $modes; do
		all[$mode]+="$(one "$mode" "$r") "
	done
done
for mode in $modes; do
	med=$(printf '%s\n' ${all[$mode]} | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	echo "pids-peak $mode: ${all[$mode]} (median $med)"
done
[ -n "${OVER:-}" ] || exit 0
bare=$(printf '%s\n' ${all[bare]:-} | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
[ -n "$bare" ] || { echo "pids-peak: OVER needs the bare mode" >&2; exit 2; }
max=$((bare + OVER))
declare -A ok
for ((r = 1; r <= rounds; r++)); do
	for mode in $modes; do
		ok[$mode]=$(( ${ok[$mode]:-0} + $(one "$mode" "l$r" "$max") ))
	done
done
for mode in $modes; do
	echo "pids-limit $mode: ${ok[$mode]} of $rounds passed with pids.max $max (bare median $bare + $OVER)"
done
