#!/usr/bin/env bash
# What one process start costs under a preloaded library, and where: each
# variant against the bare start and against an empty library preloaded
# (the floor any preload pays), in one interleaved run.
#
#   bash bench/start.sh [ROUNDS] [LIBRARY...]
#
# Variants: bare, an empty library, then each LIBRARY (NAME=PATH or PATH;
# default: this tree's build/preload/libgoshim.so as "goshim").  Prints,
# per variant:
#   - from ROUNDS interleaved rounds of bench/execloop.c (fork + execv of
#     PROGRAM, N times; medians): wall and CPU time per exec and the minor
#     faults of each child, with their difference to bare and to the empty
#     library; "start": only the children preloaded (their start and exit
#     alone), "driven": the driver too (what a shell under the preload
#     pays per command: its fork and exec wrappers as well);
#   - user-space instructions of one start and exit (callgrind, when
#     valgrind is installed), split into ld.so, the library and the rest;
#   - ld.so's own count (LD_DEBUG=statistics, median of 31 starts): cycles
#     of the whole start, of relocation and of loading objects, and the
#     relocations it made (relative ones apart);
#   - the system calls of one start (strace, when installed).
# Every process has GOSHIM_RUN set, as in a run (only its first process
# makes the run id).  Env: N (default 500), PROGRAM (default /bin/true).  The machine is
# shared: compare only figures of the same run.  Figures: docs/design.md,
# "Process start".
. "$(dirname "$0")/lib.sh"
case ${1:-} in -h | --help) sed -n 2,23p "$0"; exit 2 ;; esac
rounds=${1:-7}
shift || true
[ $# -gt 0 ] || { bench_build build; set -- "goshim=$PWD/build/preload/libgoshim.so"; }
work=$(mktemp -d /tmp/goshim-bench-start.XXXXXX)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/execloop" bench/execloop.c
echo 'void gs_bench_empty(void) {}' >"$work/empty.c"
cc -O2 -shared -fPIC -o "$work/libempty.so" "$work/empty.c"
variants=("bare=" "empty=$work/libempty.so")
for a in "$@"; do
	case $a in *=*) ;; *) a="$(basename "$a" .so)=$a" ;; esac
	[ -f "${a#*=}" ] || { echo "start.sh: no ${a#*=}" >&2; exit 2; }
	for v in "${variants[@]}"; do
		[ "${v%%=*}" != "${a%%=*}" ] || { echo "start.sh: two variants named ${a%%=*} (NAME=PATH)" >&2; exit 2; }
	done
	variants+=("${a%%=*}=$(realpath "${a#*=}")")
done

python3 - "$work" "$rounds" "${N:-500}" "${PROGRAM:-/bin/true}" "${variants[@]}" <<'PY'
import collections, os, re, shutil, statistics, subprocess, sys
work, rounds, n, prog = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
variants = [tuple(v.split('=', 1)) for v in sys.argv[5:]]

def env_of(lib, **extra):
    env = dict(os.environ)
    env.pop('LD_PRELOAD', None)
    env.pop('EXECLOOP_PRELOAD', None)
    env['GOSHIM_RUN'] = '0123456789abcdef'
    if lib:
        env['LD_PRELOAD'] = lib
        env['GOSHIM_RING'] = f'{work}/r.ring'
    env.update(extra)
    return env

def loop_env(mode, lib):
    if mode == 'start' and lib:
        env = env_of(None, EXECLOOP_PRELOAD=lib)
        env['GOSHIM_RING'] = f'{work}/r.ring'
        return env
    return env_of(lib)

modes = ['start', 'driven']
runs = collections.defaultdict(list)
for r in range(rounds):
    k = r % len(variants)      # the order turns each round
    for mode in modes:
        for name, lib in variants[k:] + variants[:k]:
            out = subprocess.run([f'{work}/execloop', n, prog], env=loop_env(mode, lib),
                                 check=True, capture_output=True, text=True).stdout
            runs[mode, name].append([float(x) for x in out.split()])
    print(f'round {r + 1}/{rounds}', file=sys.stderr)
print(f'{rounds} rounds of {n} x fork + exec of {prog}, load average '
      + ' '.join(f'{x:.1f}' for x in os.getloadavg()))
print(f"{'mode':6} {'variant':8} {'wall us':>8} {'/bare':>6} {'-empty':>7} {'cpu us':>8}"
      f" {'/bare':>6} {'-empty':>7} {'faults':>7} {'-empty':>7}")
for mode in modes:
    med = {name: [statistics.median(x[i] for x in runs[mode, name]) for i in range(3)]
           for name, _ in variants}
    for name, _ in variants:
        w, c, f = med[name]
        print(f'{mode:6} {name:8} {w:8.1f} {w / med["bare"][0]:6.3f} {w - med["empty"][0]:+7.1f}'
              f' {c:8.1f} {c / med["bare"][1]:6.3f} {c - med["empty"][1]:+7.1f}'
              f' {f:7.1f} {f - med["empty"][2]:+7.1f}')

def callgrind(lib):
    out = f'{work}/cg.out'
    subprocess.run(['valgrind', '--tool=callgrind', f'--callgrind-out-file={out}', prog],
                   env=env_of(lib, GOSHIM_HANDOVER='0'), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    names, per, skip, ob = {}, collections.Counter(), False, None
    for line in open(out):
        m = re.match(r'(c?ob)=\((\d+)\)(?: (.*))?$', line.rstrip('\n'))
        if m:
            if m.group(3):
                names[m.group(2)] = m.group(3)
            if m.group(1) == 'ob':
                ob = names[m.group(2)]
        elif line.startswith('calls='):
            skip = True
        elif line[:1].isdigit() or line[:1] in '+-*':
            if not skip:
                per[ob] += int(line.split()[1])
            skip = False
    os.unlink(out)
    ld = sum(v for o, v in per.items() if 'ld-linux' in o)
    # the library: its own name, or ??? when valgrind read no symbols of it
    own = sum(v for o, v in per.items() if lib and (o == lib or o == '???'))
    return sum(per.values()), ld, own

if shutil.which('valgrind'):
    print(f"\n{'variant':8} {'instructions':>12} {'-empty':>8} {'ld.so':>8} {'library':>8} {'rest':>8}")
    ins = {name: callgrind(lib) for name, lib in variants}
    for name, _ in variants:
        t, ld, own = ins[name]
        print(f'{name:8} {t:12,} {t - ins["empty"][0]:+8,} {ld:8,} {own:8,} {t - ld - own:8,}')

keys = ['total startup time in dynamic loader', 'time needed for relocation',
        'time needed to load objects', 'final number of relocations',
        'number of relative relocations']
print(f"\n{'variant':8} {'ld.so cycles':>12} {'relocating':>10} {'loading':>8}"
      f" {'relocs':>6} {'relative':>8}")
for name, lib in variants:
    got = collections.defaultdict(list)
    for i in range(31):
        log = f'{work}/ldstat'
        subprocess.run([prog], env=env_of(lib, LD_DEBUG='statistics', LD_DEBUG_OUTPUT=log),
                       check=True)
        for fn in os.listdir(work):
            if fn.startswith('ldstat'):
                for line in open(f'{work}/{fn}'):
                    for k in keys:
                        m = re.search(re.escape(k) + r': *(\d+)', line)
                        if m:
                            got[k].append(int(m.group(1)))
                os.unlink(f'{work}/{fn}')
    v = [int(statistics.median(got[k])) if got[k] else 0 for k in keys]
    print(f'{name:8} {v[0]:12,} {v[1]:10,} {v[2]:8,} {v[3]:6} {v[4]:8}')

if shutil.which('strace'):
    print(f"\n{'variant':8} {'syscalls':>8}")
    for name, lib in variants:
        p = subprocess.run(['strace', '-f', '-qq', '-o', f'{work}/st', prog],
                           env=env_of(lib), check=True)
        # one line per call (and one for the exit)
        calls = sum(1 for line in open(f'{work}/st') if not line.rstrip().endswith('+++'))
        print(f'{name:8} {calls:8}')
PY
