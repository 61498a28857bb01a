#!/usr/bin/env bash
# Whole-workload overhead of goshim on Go builds and tests.  Four (as
# root five) ways of running the same command, interleaved round by round so that the noise
# of a shared machine falls on all of them alike; medians and ratios
# against the bare run of the same invocation:
#
#   bare         the command as it is
#   run          goshimctl run -- command            (trace engine; as
#                                                     root with the in-kernel
#                                                     watcher, eBPF)
#   run-notify   GOSHIM_TRACE_EBPF=0 goshimctl run   (root only: the engine
#                                                     every other user gets)
#   preload      LD_PRELOAD=libgoshim.so command     (hand-over when go is
#                                                     dynamic: Debian's)
#   strace       strace -f --seccomp-bpf -Z -e trace=<goshim's set>
#
#   notify-before, run-before  run-notify and run with another goshimctl
#                (BEFORE=path): two builds compared in one interleaved run
#
# With AS=userns (root in a user namespace of its own, `unshare -Ur`:
# no CAP_BPF outside it, as in a rootless container) or AS=UID (setpriv
# to that uid, e.g. 65534), two more modes run that way, with a build
# cache, GOPATH and ring of their own that the user can write, the cache
# warmed like the others; their ratios are to bare-as:
#
#   bare-as      the command as that user
#   run-as       goshimctl run as that user: notifications only, the
#                engine any user without CAP_BPF gets
#
#   bash bench/go.sh [BUILDDIR] [ROUNDS] [GO...]
#
# Env: MODES (a subset of the modes above), BEFORE, AS, WORKLOADS ("test
# build" by default, or one of them).
# GO: the toolchains, each measured in turn (rounds interleaved within
# one); by default both the official one (/usr/local/go/bin/go, static)
# and Debian's dynamically linked /usr/lib/go-1.19/bin/go, those installed,
# else go on PATH.  With a static go, LD_PRELOAD cannot load at all: the
# preload mode is left out for it.
. "$(dirname "$0")/lib.sh"
build=${1:-build}
rounds=${2:-5}
gos=("${@:3}")
if [ ${#gos[@]} -eq 0 ]; then
	for g in /usr/local/go/bin/go /usr/lib/go-1.19/bin/go; do
		[ -x "$g" ] && gos+=("$g")
	done
	[ ${#gos[@]} -gt 0 ] || gos=("$(command -v go)")
fi
bench_build "$build"
ctl=$PWD/$build/ctl/goshimctl
lib=$PWD/$build/preload/libgoshim.so
set_=execve,execveat,open,openat,openat2,creat,stat,lstat,newfstatat,statx,mkdir,mkdirat,access,faccessat,faccessat2,memfd_create,clock_gettime,personality,mmap

out=$(mktemp -d /tmp/goshim-bench-go.XXXXXX)
trap 'rm -rf "$out"' EXIT
export GOFLAGS= GOTOOLCHAIN=local

# AS: how the -as modes become another user (as_ is the command prefix)
as_=()
case ${AS:-} in
'') ;;
userns) as_=(unshare -Ur --) ;;
*[!0-9]*) echo "go.sh: AS is userns or a uid, not $AS" >&2; exit 2 ;;
*) as_=(setpriv --reuid "$AS" --regid "$AS" --clear-groups --) ;;
esac
if [ ${#as_[@]} -gt 0 ]; then
	chmod 755 "$out"
	mkdir -p "$out/as/cache" "$out/as/gopath"
	[ "$AS" = userns ] || chown -R "$AS:$AS" "$out/as"
fi

workloads() { # go
	case " ${WORKLOADS:-test build} " in *" test "*)
		echo "test:$1 test -count=1 strings encoding/json net/url" ;; esac
	case " ${WORKLOADS:-test build} " in *" build "*)
		echo "build:$1 build -a -o /dev/null cmd/gofmt" ;; esac
}

run_one() { # mode command...
	local mode=$1; shift
	case $mode in
	bare) "$@" ;;
	run) "$ctl" run --ring "$out/ring" -- "$@" ;;
	run-notify) GOSHIM_TRACE_EBPF=0 "$ctl" run --ring "$out/ring" -- "$@" ;;
	notify-before) GOSHIM_TRACE_EBPF=0 "$BEFORE" run --ring "$out/ring" -- "$@" ;;
	run-before) "$BEFORE" run --ring "$out/ring" -- "$@" ;;
	preload) GOSHIM_RING="$out/ring" LD_PRELOAD="$lib" "$@" ;;
	bare-as | run-as)
		local r=()
		[ "$mode" = run-as ] && r=("$ctl" run --ring "$out/as/ring" --)
		GOCACHE=$out/as/cache GOPATH=$out/as/gopath "${as_[@]}" "${r[@]}" "$@" ;;
	strace) strace -f --seccomp-bpf -Z -qq -o /dev/null -e trace="$set_" "$@" ;;
	esac
}

# the in-kernel watcher is used as root: then the notification-only engine
# (what any other user gets) is measured too
modes="bare run preload strace"
[ "$(id -u)" -eq 0 ] && modes="bare run run-notify preload strace"
[ ${#as_[@]} -gt 0 ] && modes+=" bare-as run-as"
modes=${MODES:-$modes}
# BEFORE adds the -before modes but where MODES names them itself
if [ -n "${BEFORE:-}" ]; then
	[ -z "${MODES:-}" ] && modes+=" run-before"
	case " $modes " in *-before\ *) ;; *) modes+=" notify-before" ;; esac
fi

for go in "${gos[@]}"; do
	ver=$("$go" env GOVERSION)
	static=$(file -L "$go" | grep -c "statically linked" || true)
	gomodes=
	for m in $modes; do
		[ "$m" = preload ] && [ "$static" -gt 0 ] && continue # it cannot load
		gomodes+="${gomodes:+ }$m"
	done
	echo "go: $go ($ver); $rounds interleaved rounds; modes: $gomodes" >&2
	while IFS= read -r w; do
		name=${w%%:*}/$ver; cmd=${w#*:}
		$cmd >/dev/null 2>&1 || true # warm the build cache
		[ ${#as_[@]} -gt 0 ] && { run_one bare-as $cmd >/dev/null 2>&1 || true; }
		for r in $(seq "$rounds"); do
			for mode in $gomodes; do
				rm -f "$out/ring"
				s=$(date +%s%N)
				run_one "$mode" $cmd >/dev/null 2>&1
				e=$(date +%s%N)
				echo "$name $mode $(( (e - s) / 1000000 ))" >>"$out/times"
			done
		done
	done < <(workloads "$go")
done

python3 - "$out/times" <<'PY'
import statistics, sys
d = {}
for line in open(sys.argv[1]):
    w, m, ms = line.split()
    d.setdefault(w, {}).setdefault(m, []).append(int(ms))
print(f"{'workload':16} {'mode':13} {'median ms':>10} {'ratio':>7}")
for w, modes in d.items():
    for m, v in modes.items():
        b = statistics.median(modes['bare-as' if m.endswith('-as') else 'bare'])
        v = statistics.median(v)
        print(f"{w:16} {m:13} {v:10.0f} {v / b:7.3f}")
PY
