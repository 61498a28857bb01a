# Sourced first by the bench scripts: strict mode, the source root as the
# working directory, and bench_build BUILDDIR (set up when new, compiled).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bench_build() {
	[ -f "$1/build.ninja" ] || meson setup "$1" >/dev/null
	meson compile -C "$1" >/dev/null
}
