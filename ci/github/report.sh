#!/usr/bin/env bash
# GitHub Actions: the action's report step (action.yml, step: report; run
# it with `if: always()`).  On the log: the text report in a folded group,
# then the annotations (--format=github: most important first, within
# GitHub's 10 per level and step); into $GITHUB_STEP_SUMMARY the Markdown
# summary.  The action's next step keeps the ring (actions/upload-artifact).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
export GOSHIM_LOG_BEGIN="::group::goshim report" GOSHIM_LOG_END="::endgroup::"
exec bash "$here/../report.sh" github:- markdown:"${GITHUB_STEP_SUMMARY:-/dev/null}"
