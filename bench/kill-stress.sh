#!/usr/bin/env bash
# SIGKILL of the trace engine at random moments of a real `go test`: the
# job must run on, unrecorded, and finish with its own result.  For each
# mode (the in-kernel watcher where it may be used, and notifications
# only, GOSHIM_TRACE_EBPF=0), KILLS times:
#
#   setsid goshimctl run -- sh -c 'go test -count=1 PKGS; echo $? >status'
#   sleep a random moment within one job's duration; kill -9 goshimctl
#   wait (at most TIMEOUT s) until no process of the job's session is left
#
# and counts
#   hangs      processes of the job still there after TIMEOUT (killed then)
#   failed     the job ended, but go test did not pass (a call that failed
#              for want of an answer: ENOSYS)
#   unstarted  goshimctl died before it started the command (no status;
#              the command is not run then)
#
#   bash bench/kill-stress.sh [KILLS] [TIMEOUT] [BUILDDIR]
#
# Env: GO (default Debian's /usr/lib/go-1.19/bin/go, else /usr/local/go),
# PKGS (default "strings unicode/utf8 errors sort"), MODES ("ebpf notify";
# ebpf only as root).  Prints one line per mode:
#   kill-stress MODE: hangs H/KILLS failed F unstarted U
# and exits 1 when any job hung or failed.
set -uo pipefail
cd "$(dirname "$0")/.."
kills=${1:-200}
timeout=${2:-120}
build=${3:-build}
go=${GO:-}
if [ -z "$go" ]; then
	for g in /usr/lib/go-1.19/bin/go /usr/local/go/bin/go; do
		[ -x "$g" ] && go=$g && break
	done
fi
[ -x "$go" ] || { echo "kill-stress: no go toolchain" >&2; exit 77; }
pkgs=${PKGS:-strings unicode/utf8 errors sort}
ctl=${GOSHIMCTL:-$PWD/$build/ctl/goshimctl}
modes=${MODES:-ebpf notify}
[ "$(id -u)" -eq 0 ] || modes=${modes//ebpf/}

work=$(mktemp -d /tmp/goshim-kill-stress.XXXXXX)
trap 'rm -rf "$work"' EXIT
export GOFLAGS= GOTOOLCHAIN=local GOCACHE=$work/cache GOPATH=$work/gopath
export GOSHIM_RING=$work/ring
unset LD_PRELOAD

# the processes of session $1
session() { ps -e -o pid=,sid= | awk -v s="$1" '$2 == s { print $1 }'; }

# one job under the engine, in its own session; its pid (= the session's)
start() { # mode dir
	local ebpf=1
	[ "$1" = notify ] && ebpf=0
	GOSHIM_TRACE_EBPF=$ebpf setsid "$ctl" run --no-probe -- sh -c \
		"$go test -count=1 $pkgs >'$2/out' 2>&1; echo \$? >'$2/status'" \
		</dev/null >/dev/null 2>&1 &
	local pid=$!
	# until setsid has made it a session (else the session looks empty)
	while [ "$(ps -o sid= -p "$pid" | tr -d ' ')" != "$pid" ] && kill -0 "$pid" 2>/dev/null; do
		sleep 0.01
	done
	echo "$pid"
}

# wait until session $1 is empty; 1 when it is not after $2 seconds
drain() {
	local end=$((SECONDS + $2))
	while [ -n "$(session "$1")" ]; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.2
	done
	return 0
}

# the build cache warm: the jobs compile little and run the tests
$go test -count=1 $pkgs >/dev/null 2>&1
bad=0
for mode in $modes; do
	# how long one job takes under this mode
	d=$work/warm-$mode; mkdir -p "$d"
	t0=$(date +%s%N)
	pid=$(start "$mode" "$d")
	wait "$pid" 2>/dev/null
	drain "$pid" "$timeout"
	dur_ms=$((($(date +%s%N) - t0) / 1000000))
	if [ "$(cat "$d/status" 2>/dev/null)" != 0 ]; then
		echo "kill-stress $mode: the job fails without a kill:" >&2
		cat "$d/out" >&2
		exit 1
	fi
	hangs=0 failed=0 unstarted=0
	for ((i = 1; i <= kills; i++)); do
		d=$work/$mode-$i; mkdir -p "$d"
		pid=$(start "$mode" "$d")
		sleep "$(awk -v r="$RANDOM" -v d="$dur_ms" 'BEGIN { printf "%.3f", r / 32768 * d / 1000 }')"
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		if ! drain "$pid" "$timeout"; then
			hangs=$((hangs + 1))
			echo "kill-stress $mode #$i: hung; its processes, each in:" >&2
			for p in $(session "$pid"); do
				echo "  $p $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-60)" \
					"wchan=$(cat "/proc/$p/wchan" 2>/dev/null)" >&2
				for t in /proc/"$p"/task/*; do
					echo "    task ${t##*/} syscall $(cut -d' ' -f1-3 "$t/syscall" 2>/dev/null)" \
						"wchan=$(cat "$t/wchan" 2>/dev/null)" >&2
				done
			done
			for p in $(session "$pid"); do kill -KILL "$p" 2>/dev/null; done
			drain "$pid" 10
		elif [ ! -e "$d/status" ]; then
			unstarted=$((unstarted + 1))
		elif [ "$(cat "$d/status")" != 0 ]; then
			failed=$((failed + 1))
			echo "kill-stress $mode #$i: go test exited $(cat "$d/status"):" >&2
			tail -5 "$d/out" >&2
		fi
		rm -rf "$d"
	done
	echo "kill-stress $mode: hangs $hangs/$kills failed $failed unstarted $unstarted (job ~${dur_ms} ms)"
	[ $hangs -eq 0 ] && [ $failed -eq 0 ] || bad=1
done
exit $bad
