#!/usr/bin/env bash
# Which programs of a cold `go test` start more threads under the engine:
# every task the tree creates (perf, task:task_newtask; the program each
# process became, sched:sched_process_exec; its end, sched_process_exit),
# bare and with notifications only (GOSHIM_TRACE_EBPF=0), interleaved
# round by round.  Per program: how many processes had how many threads
# ("compile 20x4,5x5,1x9": twenty with 4, five with 5, one with 9), and
# the tree's own peak of live tasks with what was alive then (goshimctl
# and its keeper included).  Where pids-peak.sh says how many, this says
# where.  Needs root (perf recording every CPU) and perf.
#
#   sudo bash bench/threads.sh [ROUNDS] [BUILDDIR]
#
# Env: GO (default Debian's /usr/lib/go-1.19/bin/go), PKGS (default
# "strings errors"), MODES (default "bare run-notify").
. "$(dirname "$0")/lib.sh"
rounds=${1:-3}
build=${2:-build}
go=${GO:-/usr/lib/go-1.19/bin/go}
[ -x "$go" ] || go=/usr/local/go/bin/go
pkgs=${PKGS:-strings errors}
[ "$(id -u)" -eq 0 ] || { echo "threads: needs root" >&2; exit 77; }
command -v perf >/dev/null || { echo "threads: needs perf" >&2; exit 77; }
bench_build "$build"
ctl=$PWD/$build/ctl/goshimctl
work=$(mktemp -d /tmp/goshim-threads.XXXXXX)
trap 'rm -rf "$work"' EXIT
export GOFLAGS= GOTOOLCHAIN=local GOPATH=$work/gopath GOSHIM_RING=$work/ring
unset LD_PRELOAD

one() { # mode out
	local mode=$1 out=$2 pp ebpf=1
	[ "$mode" = run-notify ] && ebpf=0
	rm -rf "$work/cache"
	perf record -q -a -m 1024 -e task:task_newtask -e sched:sched_process_exec \
		-e sched:sched_process_exit -o "$out.data" 2>/dev/null &
	pp=$!
	# perf is recording (it may take seconds to start on a loaded machine)
	for ((w = 0; w < 100; w++)); do
		[ -s "$out.data" ] && break
		sleep 0.1
	done
	sleep 3
	GOCACHE=$work/cache GOSHIM_TRACE_EBPF=$ebpf bash -c '
		echo $$ >"$1.root"
		if [ "$2" = bare ]; then shift 5; else shift 2; fi
		exec "$@"' _ "$out" "$mode" "$ctl" run -- "$go" test -count=1 $pkgs >/dev/null 2>&1 || true
	sleep 0.5
	kill -INT "$pp"
	wait "$pp" || true
	perf script -i "$out.data" -F pid,tid,time,event,trace >"$out.txt" 2>/dev/null
	rm -f "$out.data"
}

modes=${MODES:-bare run-notify}
for ((r = 1; r <= rounds; r++)); do
	for mode in $modes; do
		one "$mode" "$work/$mode-$r"
	done
done

python3 - "$work" $modes <<'PY'
import collections, os, re, sys
work, modes = sys.argv[1], sys.argv[2:]
line_re = re.compile(r'\s*(\d+)/(\d+)\s+([\d.]+):\s+(\S+):\s+(.*)')

def tree(base):
    root = int(open(base + '.root').read())
    exe = {root: 'root'}       # process -> program
    tids = {root: {root}}      # process -> every thread it had
    owner = {root: root}       # task -> process
    live, peak, at_peak = {root}, 1, None
    for line in open(base + '.txt'):
        m = line_re.match(line)
        if not m:
            continue
        pid, tid, ev, tr = int(m[1]), int(m[2]), m[4], m[5]
        if ev == 'task:task_newtask' and pid in exe:
            child = int(re.search(r'pid=(\d+)', tr)[1])
            if int(re.search(r'clone_flags=(\S+)', tr)[1], 16) & 0x10000:  # CLONE_THREAD
                tids[pid].add(child)
                owner[child] = pid
            else:
                exe[child], tids[child], owner[child] = exe[pid], {child}, child
            live.add(child)
            if len(live) > peak:
                peak = len(live)
                at_peak = collections.Counter(exe[owner[t]] for t in live)
        elif ev == 'sched:sched_process_exec' and pid in exe:
            exe[pid] = os.path.basename(re.search(r'filename=(\S+)', tr)[1])
        elif ev == 'sched:sched_process_exit':
            live.discard(tid)
    per = collections.defaultdict(collections.Counter)
    for p, t in tids.items():
        per[exe[p]][len(t)] += 1
    return per, peak, at_peak

for f in sorted(os.listdir(work), key=lambda f: (f.rsplit('-', 1)[1], modes.index(f.rsplit('-', 1)[0])) if f.endswith('.root') else ('', 0)):
    if not f.endswith('.root'):
        continue
    base = os.path.join(work, f[:-5])
    per, peak, at_peak = tree(base)
    if not at_peak:
        print(f'{f[:-5]}: the tree was not seen (perf started late or lost events)')
        continue
    print(f'{f[:-5]}: peak {peak} (' + ' '.join(f'{e} {n}' for e, n in sorted(at_peak.items())) + ')')
    print('   ' + ' '.join(f'{e}:' + ','.join(f'{c}x{n}' for n, c in sorted(cnt.items()))
                         for e, cnt in sorted(per.items())))
PY
