#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Rebuild the logs of tests/ctl/test_explain.c from real runs of the
# official Go toolchain in failing setups (root: a noexec tmpfs, in a
# mount namespace of its own).  The files are Go's own words; the tests
# hold `goshimctl explain` to the line numbers they have.
#   unshare -m --propagation private bash tests/ctl/explain/make.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
go=/usr/local/go/bin/go
w=/tmp/goshim-explain-fixtures
rm -rf "$w"
mkdir -p "$w/m" "$w/c" "$w/ne" "$w/home"
mount -t tmpfs -o noexec,nosuid,nodev,size=256m,mode=1777 tmpfs "$w/ne" || exit 1
export HOME=$w/home GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod CGO_ENABLED=0
export GOCACHE=$w/cache PATH=/usr/local/go/bin:/usr/bin:/bin
cd "$w/m"
printf 'module example.com/m\n\ngo 1.21\n' >go.mod
printf 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n' >main.go
printf 'package main\n\nimport "testing"\n\nfunc TestHi(t *testing.T) { t.Log("hi") }\n' >main_test.go
cd "$w/c"
printf 'module example.com/c\n\ngo 1.21\n' >go.mod
printf 'package main\n\n// #include <goshim-absent.h>\nimport "C"\n\nfunc main() {}\n' >main.go
printf 'package main\n\nimport "testing"\n\nfunc TestC(t *testing.T) {}\n' >main_test.go

# plain `go test`, and `go test -json`, with TMPDIR on a noexec mount
cd "$w/m"
TMPDIR=$w/ne $go test -count=1 . >"$here/tmpdir-test.txt" 2>&1
TMPDIR=$w/ne $go test -json -count=1 . >"$here/tmpdir-test.json" 2>&1
# Go >= 1.24 runs `go run` programs from GOCACHE: the second run fails
mkdir -p "$w/ne/cache"
{ GOCACHE=$w/ne/cache $go run . && GOCACHE=$w/ne/cache $go run .; } >"$here/gocache-run.txt" 2>&1
# Go >= 1.24: a build failure inside go test -json ("build-output")
(cd "$w/c" && CGO_ENABLED=1 $go test -json -count=1 .) >"$here/cgo-test.json" 2>&1
# a passing job: go vet, go test -v, go test -json (nothing to find)
{ $go vet . && $go test -v -count=1 . && $go test -json -count=1 .; } >"$here/clean.txt" 2>&1

# A GitHub Actions job log: every line stamped, ANSI colours, groups
stamp() {
	while IFS= read -r l; do
		printf '%(%Y-%m-%dT%H:%M:%S)T.%s0Z %s\n' -1 "${EPOCHREALTIME#*.}" "$l"
	done
}
step() {
	printf '##[group]Run %s\n\033[36;1m%s\033[0m\nshell: /usr/bin/bash -e {0}\n##[endgroup]\n' "$1" "$1"
}
{
	step "go version"; $go version
	step "go test -json ./..."; (cd "$w/m" && TMPDIR=$w/ne $go test -json -count=1 ./...)
	step "go build ./..."; (cd "$w/c" && CGO_ENABLED=1 $go build -o /dev/null ./...)
	step "go run ."; (cd "$w/m" && GOCACHE=$w/ne/cache $go run .)
	printf '\033[31;1mError: Process completed with exit code 1.\033[0m\n'
} 2>&1 | stamp >"$here/job.log"
umount "$w/ne"
rm -rf "$w"
