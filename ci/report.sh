#!/usr/bin/env bash
# The report half of a CI job, common to the CI systems: runs goshimctl
# report on $GOSHIM_RING in the formats the caller names, itself never
# under the preload (a report step must not record into the ring it reads).
#
#   ci/report.sh FORMAT:FILE ...
#
# FORMAT is a `goshimctl report --format` value; FILE is where its output
# goes: "-" for stdout, else the file is appended to.  The text report is
# always printed first, between the lines GOSHIM_LOG_BEGIN and
# GOSHIM_LOG_END when they are set (a folded group of the CI log).  Exit status: 0, or goshimctl report's status (1
# error findings, 3 a failure nothing explains) when GOSHIM_FAIL_ON_ERROR
# is true; 2 when the ring could not be read at all (said on stdout).
set -uo pipefail

case ":${LD_PRELOAD:-}:" in
*libgoshim*)
	LD_PRELOAD=$(tr ':' '\n' <<<"$LD_PRELOAD" | grep -v libgoshim | paste -sd: -)
	export LD_PRELOAD
	[ -n "$LD_PRELOAD" ] || unset LD_PRELOAD
	exec bash "$0" "$@" ;;
esac

ctl=${GOSHIMCTL:-goshimctl}
ring=${GOSHIM_RING:?GOSHIM_RING: the ring the set-up step made}
# No ring: nothing failed under goshim or nothing ran under it (the
# preload makes the ring when it starts recording); said in every format.
if [ ! -e "$ring" ]; then
	msg="no ring at $ring: nothing was recorded (nothing failed under goshim, or nothing ran under it)"
	echo "goshim: $msg"
	for out in "$@"; do
		file=${out#*:}
		[ "$file" = - ] && file=/dev/stdout
		case ${out%%:*} in
		github) echo "::warning title=goshim::$msg" ;;
		markdown) printf '## goshim: nothing recorded\n\n%s\n' "$msg" ;;
		junit) printf '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="goshim" tests="1" failures="0"><testcase classname="goshim" name="goshim: nothing recorded"><system-out>%s</system-out></testcase></testsuite></testsuites>\n' \
			"$(sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g' <<<"$msg")" ;;
		esac >>"$file"
	done
	exit 0
fi
[ -z "${GOSHIM_LOG_BEGIN:-}" ] || printf '%b\n' "$GOSHIM_LOG_BEGIN"
"$ctl" report --color=never "$ring"
rc=$?
[ -z "${GOSHIM_LOG_END:-}" ] || printf '%b\n' "$GOSHIM_LOG_END"
for out in "$@"; do
	fmt=${out%%:*}
	file=${out#*:}
	if [ "$file" = - ]; then
		"$ctl" report --format="$fmt" "$ring" 2>/dev/null
	else
		"$ctl" report --format="$fmt" "$ring" >>"$file" 2>/dev/null
	fi
done
case $rc in
0) exit 0 ;;
1 | 3) [ "${GOSHIM_FAIL_ON_ERROR:-false}" = true ] && exit "$rc"; exit 0 ;;
*) exit 2 ;;
esac
