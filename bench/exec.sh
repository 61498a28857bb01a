#!/usr/bin/env bash
# Process start under the preload: what programs that exec a lot pay.
# Interleaved rounds of three workloads, each run bare, under a libgoshim.so
# built before a change (BEFORE, e.g. from main) and under this tree's:
#
#   exec    bench/execloop.c: fork + execv of /bin/true, EXEC_N times
#   shell   a sh script: SHELL_N x `sh -c :`, then SHELL_N/10 sed | grep
#           pipelines
#   make    make -j2 of goshim's common/*.c with gcc -O1 (23 objects), from
#           clean each time
#
# Prints, per workload and variant, the median wall time and CPU time (user
# + system of every process of the run) and their ratio to bare in the same
# invocation; the machine is shared, so only ratios mean anything.
#
#   bash bench/exec.sh BEFORE_LIBGOSHIM [ROUNDS] [BUILDDIR]
#
# Env: AFTER (default: this tree's library), EXEC_N (default 1000), SHELL_N
# (default 2000), WORKLOADS (default "exec shell make"), EMPTY=1: a fourth
# variant, an empty library preloaded (what loading any library costs: the
# floor of a start under the preload).  Figures: docs/design.md, "Process
# start".
. "$(dirname "$0")/lib.sh"
[ $# -ge 1 ] || { sed -n 2,22p "$0"; exit 2; }
before=$(realpath "$1")
rounds=${2:-7}
build=${3:-build}
[ -f "$before" ] || { echo "exec.sh: no $before" >&2; exit 2; }

bench_build "$build"
after=${AFTER:-$PWD/$build/preload/libgoshim.so}
work=$(mktemp -d /tmp/goshim-bench-exec.XXXXXX)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/execloop" bench/execloop.c
empty=
if [ "${EMPTY:-0}" = 1 ]; then
	echo 'void gs_bench_empty(void) {}' >"$work/empty.c"
	cc -O2 -shared -fPIC -o "$work/libempty.so" "$work/empty.c"
	empty="$work/libempty.so"
fi

# the shell workload
cat >"$work/shell.sh" <<EOF
i=0
while [ \$i -lt ${SHELL_N:-2000} ]; do sh -c :; i=\$((i + 1)); done
i=0
while [ \$i -lt $(( ${SHELL_N:-2000} / 10 )) ]; do
	echo "a b \$i" | sed 's/a/x/' | grep -c x >/dev/null
	i=\$((i + 1))
done
EOF

# the make workload
mkdir -p "$work/make"
{
	printf 'CFLAGS = -O1 -I%s/include -I%s/common -I%s/%s\n' "$PWD" "$PWD" "$PWD" "$build"
	printf 'OBJS ='
	for f in common/*.c; do printf ' %s.o' "$(basename "$f" .c)"; done
	printf '\nall: $(OBJS)\n%%.o: %s/common/%%.c\n\t$(CC) $(CFLAGS) -c -o $@ $<\n' "$PWD"
} >"$work/make/Makefile"

python3 - "$work" "$before" "$after" "$rounds" "${EXEC_N:-1000}" \
	"${WORKLOADS:-exec shell make}" "$empty" <<'PY'
import os, resource, shutil, statistics, subprocess, sys, time
work, before, after, rounds, exec_n, workloads, empty = sys.argv[1:8]
rounds, exec_n = int(rounds), int(exec_n)
cmds = {
    'exec': [f'{work}/execloop', str(exec_n), '/bin/true'],
    'shell': ['sh', f'{work}/shell.sh'],
    'make': ['sh', '-c', f'cd {work}/make && rm -f *.o && make -s -j2'],
}
variants = [('bare', None), ('before', before), ('after', after)]
if empty:
    variants.append(('empty', empty))
res = {}
for r in range(rounds):
    for w in workloads.split():
        # the order turns each round: no variant always runs after another
        k = r % len(variants)
        for name, lib in variants[k:] + variants[:k]:
            env = dict(os.environ)
            env.pop('LD_PRELOAD', None)
            ring = f'{work}/{name}.ring'
            if lib:
                env['LD_PRELOAD'] = lib
                env['GOSHIM_RING'] = ring
            if os.path.exists(ring):
                os.unlink(ring)
            c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.monotonic()
            subprocess.run(cmds[w], env=env, check=True, stdout=subprocess.DEVNULL)
            t1 = time.monotonic()
            c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (c1.ru_utime - c0.ru_utime) + (c1.ru_stime - c0.ru_stime)
            res.setdefault((w, name), []).append((t1 - t0, cpu))
    print(f'round {r + 1}/{rounds}', file=sys.stderr)
print(f"{'workload':8} {'variant':8} {'wall s':>9} {'ratio':>7} {'cpu s':>9} {'ratio':>7}")
for w in workloads.split():
    bw = statistics.median(x[0] for x in res[(w, 'bare')])
    bc = statistics.median(x[1] for x in res[(w, 'bare')])
    for name, _ in variants:
        mw = statistics.median(x[0] for x in res[(w, name)])
        mc = statistics.median(x[1] for x in res[(w, name)])
        print(f'{w:8} {name:8} {mw:9.3f} {mw / bw:7.3f} {mc:9.3f} {mc / bc:7.3f}')
PY
