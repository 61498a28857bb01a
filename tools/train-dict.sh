#!/usr/bin/env bash
# Train the zstd dictionary libgoshim.so and goshimctl share for record
# payloads (codec GOSHIM_CODEC_DICT).  Records are small (a few hundred
# bytes) and alike: without a dictionary every zstd frame starts cold.
#
# Runs failing workloads typical of a CI job under libgoshim.so with
# compression on, dumps the decoded payloads, trains a 16 KiB dictionary
# and prints the compressed sizes with and without it.
#
#   bash tools/train-dict.sh BUILDDIR OUT.dict DICT_ID
set -euo pipefail
build=$1 out=$2 id=$3
lib=$PWD/$build/preload/libgoshim.so
work=$(mktemp -d /tmp/goshim-dict.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/samples" "$work/src"
ring=$work/train.ring
run() { GOSHIM_RING=$ring GOSHIM_RING_SIZE=64M LD_PRELOAD=$lib "$@" >/dev/null 2>&1 || true; }

# the bundled example
ex=$work/ex; mkdir -p "$ex"; cp "$build/examples/musl-hello" "$ex/"
printf '#!/bin/sh\n' >"$ex/not-executable.sh"; : >"$ex/not-a-dir"
run "$build/examples/failing" "$ex"
# a C compiler probing include and library paths, a shell, make, python
printf '#include <stdio.h>\n#include <zlib.h>\nint main(void){return 0;}\n' >"$work/src/a.c"
run gcc -c -o "$work/src/a.o" "$work/src/a.c"
run gcc -o "$work/src/b" -x c - <<<'int main(void){return 0;}'
run sh -c 'command -v clang; ls /nonexistent; cat /etc/missing.conf'
run make -C "$work/src" no-such-target
run python3 -c 'import json, sqlite3, no_such_module'
# Debian's dynamically linked go, when installed
if [ -x /usr/lib/go-1.19/bin/go ]; then
	mkdir -p "$work/mod"
	printf 'module example.com/m\n\ngo 1.19\n' >"$work/mod/go.mod"
	printf 'package m\n\nfunc F() int { return 1 }\n' >"$work/mod/m.go"
	(cd "$work/mod" && HOME=$work GOCACHE=$work/cache GOFLAGS=-mod=mod \
		run /usr/lib/go-1.19/bin/go build ./...)
fi

"$build/tools/dump-payloads" "$work/samples" "$ring"
zstd -q --train "$work"/samples/*.bin --maxdict=16384 --dictID="$id" -o "$out"

raw=$(cat "$work"/samples/*.bin | wc -c)
plain=0 dict=0
for f in "$work"/samples/*.bin; do
	plain=$((plain + $(zstd -q -1 -c "$f" | wc -c)))
	dict=$((dict + $(zstd -q -1 -D "$out" -c "$f" | wc -c)))
done
n=$(ls "$work/samples" | wc -l)
echo "samples $n, raw $raw bytes, zstd -1 $plain bytes, zstd -1 with dictionary $dict bytes"
