#!/usr/bin/env bash
# Install goshim for a CI job; print where it is, as shell assignments:
#   GOSHIMCTL=/path/to/goshimctl
#   GOSHIM_LIB=/path/to/libgoshim.so
# (the caller evals them).  Messages go to stderr.
#
# GOSHIM_INSTALL chooses how:
#   build  (default) build from the source tree GOSHIM_SRC (default: the tree
#          this script is in) with meson into GOSHIM_PREFIX (default
#          ${RUNNER_TEMP:-/tmp}/goshim/prefix), installing the Debian
#          packages the build needs when they are missing (root or sudo).
#          The in-kernel watcher is built when clang, bpftool and libbpf are
#          there (-Debpf=auto); the job runs without it otherwise.
#   deb    install the .deb at GOSHIM_DEB (a file, or an https URL fetched
#          with curl) with apt-get, which brings its dependencies.
#   path   use an installed goshim: GOSHIMCTL (default: goshimctl on PATH)
#          and GOSHIM_LIB (default: libgoshim.so beside it in lib/, or in
#          the build tree's preload/).
set -euo pipefail

say() { echo "goshim: $*" >&2; }
sudo_if() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# libgoshim.so of an installed tree, or of a build tree, beside goshimctl.
find_lib() {
	local bin; bin=$(dirname "$1")
	for l in "$bin"/../lib/*/libgoshim.so "$bin"/../lib/libgoshim.so \
		 "$bin"/../lib64/libgoshim.so "$bin"/../preload/libgoshim.so; do
		if [ -f "$l" ]; then
			readlink -f "$l"
			return
		fi
	done
}

install_build() {
	local src=${GOSHIM_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
	local prefix=${GOSHIM_PREFIX:-${RUNNER_TEMP:-/tmp}/goshim/prefix}
	local need=(gcc meson ninja-build pkg-config libseccomp-dev libunwind-dev libzstd-dev
		    libdw-dev libelf-dev libjansson-dev)
	local missing=()
	for p in "${need[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		say "installing ${missing[*]}"
		sudo_if apt-get update -qq >&2
		DEBIAN_FRONTEND=noninteractive sudo_if apt-get install -y -qq \
			--no-install-recommends "${missing[@]}" >&2
	fi
	# goshim needs meson >= 1.0 (Debian 12, Ubuntu 24.04); older images get
	# it from PyPI
	case $(meson --version 2>/dev/null) in
	0.*)
		say "meson $(meson --version) is too old: installing meson from PyPI"
		python3 -m pip install -q --user 'meson>=1.0' >&2
		PATH=$HOME/.local/bin:$PATH ;;
	esac
	local b="$prefix.build"
	if [ -f "$b/build.ninja" ]; then
		meson setup --reconfigure "$b" "$src" >&2
	else
		meson setup "$b" "$src" --prefix "$prefix" --buildtype=release -Dtests=false >&2
	fi
	meson compile -C "$b" >&2
	meson install -C "$b" >&2
	GOSHIMCTL=$prefix/bin/goshimctl
}

install_deb() {
	local deb=${GOSHIM_DEB:?GOSHIM_DEB: the .deb to install}
	case $deb in
	https://*)
		local f=${RUNNER_TEMP:-/tmp}/goshim.deb
		curl -fsSL -o "$f" "$deb"
		deb=$f ;;
	esac
	DEBIAN_FRONTEND=noninteractive sudo_if apt-get install -y -qq "$(readlink -f "$deb")" >&2
	GOSHIMCTL=$(command -v goshimctl)
}

case ${GOSHIM_INSTALL:-build} in
build) install_build ;;
deb) install_deb ;;
path) GOSHIMCTL=${GOSHIMCTL:-$(command -v goshimctl || true)} ;;
*) say "GOSHIM_INSTALL: build, deb or path, not '${GOSHIM_INSTALL}'"; exit 2 ;;
esac
if [ -z "${GOSHIMCTL:-}" ] || [ ! -x "$GOSHIMCTL" ]; then
	say "no goshimctl (GOSHIM_INSTALL=${GOSHIM_INSTALL:-build})"
	exit 1
fi
GOSHIMCTL=$(readlink -f "$GOSHIMCTL")
GOSHIM_LIB=${GOSHIM_LIB:-$(find_lib "$GOSHIMCTL")}
if [ -z "$GOSHIM_LIB" ] || [ ! -f "$GOSHIM_LIB" ]; then
	say "no libgoshim.so beside $GOSHIMCTL (set GOSHIM_LIB)"
	exit 1
fi
printf 'GOSHIMCTL=%q\nGOSHIM_LIB=%q\n' "$GOSHIMCTL" "$GOSHIM_LIB"
