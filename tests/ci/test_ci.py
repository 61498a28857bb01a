# SPDX-License-Identifier: Apache-2.0
"""The CI integrations run as the CI systems run them (tests/ci/runner.py):
the GitHub action (action.yml and ci/github/) and the GitLab template
(ci/gitlab/), each for a job whose `go test` fails because TMPDIR is a
noexec tmpfs, and a job that passes.

  test_ci.py github|gitlab

Needs root (a real tmpfs mounted noexec, in a private mount namespace) and
the official Go toolchain; otherwise it says why and exits 77 (SKIP), or 1
under CI, where every test must run."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from runner import GhJob, GlJob  # noqa: E402

GO = "/usr/local/go/bin"
SRC = os.environ.get("GOSHIM_SOURCE_ROOT", "")
BUILD = os.environ.get("GOSHIM_BUILD_ROOT", "")
failures = []


def skip(why):
    ci = os.environ.get("CI", "") not in ("", "0")
    print("SKIPPED test_ci.py %s: %s%s" % (sys.argv[1], why,
          "; CI must run every test, so this is a failure" if ci else ""), file=sys.stderr)
    sys.exit(1 if ci else 77)


def check(ok, what, dump):
    if not ok:
        failures.append(what)
        print("FAILED: %s\n%s" % (what, dump()), file=sys.stderr)


def module(work):
    mod = os.path.join(work, "src")
    os.makedirs(mod)
    files = {
        "go.mod": "module example.com/m\n\ngo 1.19\n",
        "m.go": "package m\n\nfunc Add(a, b int) int { return a + b }\n",
        "m_test.go": 'package m\n\nimport "testing"\n\n'
                     'func TestAdd(t *testing.T) {\n\tif Add(1, 2) != 3 {\n\t\tt.Fatal("add")\n\t}\n}\n',
    }
    for name, text in files.items():
        with open(os.path.join(mod, name), "w") as f:
            f.write(text)
    return mod


def base_env(work, tmpdir):
    """What a runner's job starts with: an official Go first on PATH (as
    setup-go leaves it), a Go environment that stays offline."""
    home = os.path.join(work, "home")
    os.makedirs(home, exist_ok=True)
    return {
        "PATH": GO + ":/usr/bin:/bin",
        "HOME": home,
        "CI": "true",
        "TMPDIR": tmpdir,
        "GOCACHE": os.path.join(BUILD, "tests/ci/gocache"),
        "GOPATH": os.path.join(home, "go"),
        "GOFLAGS": "-mod=mod",
        "GOPROXY": "off",
        "GOTOOLCHAIN": "local",
        "CGO_ENABLED": "0",
        "GOSHIM_RULES": os.path.join(SRC, "data/rules/goshim.rules"),
        # what the action's `install: path` finds installed
        "GOSHIMCTL": os.path.join(BUILD, "ctl/goshimctl"),
        "GOSHIM_LIB": os.path.join(BUILD, "preload/libgoshim.so"),
    }


def noexec_tmp(work):
    d = os.path.join(work, "noexec")
    os.makedirs(d)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "noexec,nosuid,nodev,size=512m,mode=1777",
                    "tmpfs", d], check=True)
    return d


def gh_job(work, tmpdir, capture="both"):
    mod = module(work)
    env = base_env(work, tmpdir)
    env.update({"GITHUB_WORKSPACE": mod, "RUNNER_TEMP": os.path.join(work, "runner_temp"),
                "GITHUB_ACTIONS": "true"})
    os.makedirs(env["RUNNER_TEMP"])
    j = GhJob(work, env)
    j.uses(SRC, {"install": "path", "capture": capture}, name="goshim setup")
    test = j.run("go test -count=1 ./...\n", name="go test")  # never a cached result
    j.uses(SRC, {"step": "report"}, cond="always()", name="goshim report")
    return j, test


def report_rc(j):
    return [rc for name, rc, _ in j.log if name == "goshim report/report"]


def github():
    for capture in ("both", "preload"):
        work = tempfile.mkdtemp(prefix="gs-ci-gh-")
        try:
            github_failing(work, capture)
        finally:
            subprocess.run(["umount", "-l", os.path.join(work, "noexec")])
            shutil.rmtree(work, ignore_errors=True)
    work = tempfile.mkdtemp(prefix="gs-ci-gh-")
    try:
        github_passing(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    work = tempfile.mkdtemp(prefix="gs-ci-gh-")
    try:
        github_export_in_script(work)
    finally:
        subprocess.run(["umount", "-l", os.path.join(work, "noexec")])
        shutil.rmtree(work, ignore_errors=True)


def github_failing(work, capture):
    j, test = gh_job(work, noexec_tmp(work), capture)
    tag = "github %s, noexec TMPDIR: " % capture
    check(test not in (0, None), tag + "go test fails", j.dump)
    check(report_rc(j) == [0], tag + "the report step runs after the failure and succeeds",
          j.dump)
    err = [a for a in j.annotations if a[0] == "error"]
    check(err and err[0][1] == "goshim tmpdir-noexec", tag + "first error annotation is "
          "tmpdir-noexec: %s" % err[:1], j.dump)
    check(err and "noexec" in err[0][2] and "GOTMPDIR" in err[0][2],
          tag + "the annotation names noexec and the GOTMPDIR remedy", j.dump)
    check(not j.dropped, tag + "within GitHub's 10 annotations per level: %s" % j.dropped,
          j.dump)
    check("### error `tmpdir-noexec`" in j.summary and "GOTMPDIR" in j.summary,
          tag + "the job summary names tmpdir-noexec and its remedy", j.dump)
    ring = j.artifacts.get("goshim-ring")
    check(ring and os.path.getsize(ring) > 0, tag + "the ring is kept as an artifact", j.dump)
    env = j._step_env({})
    check(re.fullmatch(r"[0-9a-f]{16}", env.get("GOSHIM_RUN", "")),
          tag + "GOSHIM_RUN in the later steps' environment", j.dump)
    check(env.get("GOSHIM_RING") == os.path.join(work, "runner_temp/goshim/goshim.ring"),
          tag + "GOSHIM_RING in the later steps' environment", j.dump)
    check(("libgoshim.so" in env.get("LD_PRELOAD", "")) == True,
          tag + "LD_PRELOAD through GITHUB_ENV", j.dump)
    shim = os.path.join(work, "runner_temp/goshim/bin")
    check((env["PATH"].split(":")[0] == shim) == (capture == "both"),
          tag + "the go shim first on PATH only with capture=both", j.dump)


def github_export_in_script(work):
    """What README.md says does not record: a step that exports LD_PRELOAD
    itself and runs the official static go; the shell never loads it."""
    tmp = noexec_tmp(work)
    mod = module(work)
    env = base_env(work, tmp)
    env["GITHUB_WORKSPACE"] = mod
    ring = os.path.join(work, "r.ring")
    j = GhJob(work, env)
    test = j.run('export LD_PRELOAD="$GOSHIM_LIB" GOSHIM_RING=%s\ngo test -count=1 ./...\n'
                 % ring, name="go test")
    tag = "github, export LD_PRELOAD in the script: "
    check(test not in (0, None), tag + "go test fails", j.dump)
    out = subprocess.run([env["GOSHIMCTL"], "report", "--format=github", ring],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
    check("tmpdir-noexec" not in out, tag + "records nothing of the static go (as documented): "
          + out, j.dump)


def github_passing(work):
    os.makedirs(os.path.join(work, "tmp"))
    j, test = gh_job(work, os.path.join(work, "tmp"))
    tag = "github, passing job: "
    check(test == 0, tag + "go test passes", j.dump)
    check(report_rc(j) == [0], tag + "report exits 0", j.dump)
    check([a[0] for a in j.annotations] == ["notice"] and
          "no failure found" in j.annotations[0][2],
          tag + "one notice, no failure found: %s" % j.annotations, j.dump)
    check(j.summary.startswith("## goshim: no failure found"), tag + "summary says so", j.dump)


def gitlab():
    tpl = open(os.path.join(SRC, "ci/gitlab/goshim.gitlab-ci.yml")).read()
    for failing in (True, False):
        work = tempfile.mkdtemp(prefix="gs-ci-gl-")
        try:
            mod = module(work)
            tmp = noexec_tmp(work) if failing else os.path.join(work, "tmp")
            os.makedirs(tmp, exist_ok=True)
            v = base_env(work, tmp)
            v.update({"CI_PROJECT_DIR": mod, "GITLAB_CI": "true", "GOSHIM_INSTALL": "path",
                      "GOSHIM_SRC": SRC})
            j = GlJob(work, tpl, {"extends": [".goshim"], "script": ["go test -count=1 ./..."]}, v)
            main, after = j.run()
            tag = "gitlab, %s: " % ("noexec TMPDIR" if failing else "passing job")
            check((main != 0) == failing, tag + "go test exit %d" % main, lambda: j.log)
            check(after == 0, tag + "after_script succeeds", lambda: j.log)
            junit = j.artifact("junit")
            xml = open(junit[0]).read() if junit and os.path.exists(junit[0]) else ""
            paths = j.artifact("paths")
            check(all(os.path.exists(p) for p in paths), tag + "artifacts %s" % paths,
                  lambda: j.log)
            if failing:
                check('name="error tmpdir-noexec">\n    <failure message=' in xml and
                      "GOTMPDIR" in xml, tag + "junit failure for tmpdir-noexec with "
                      "its remedy", lambda: j.log + xml)
            else:
                check("<failure" not in xml and 'name="goshim: no failure found"' in xml,
                      tag + "junit says no failure found", lambda: j.log + xml)
        finally:
            subprocess.run(["umount", "-l", os.path.join(work, "noexec")],
                           stderr=subprocess.DEVNULL)
            shutil.rmtree(work, ignore_errors=True)


def main():
    if os.geteuid() != 0:
        skip("needs root: mounts a noexec tmpfs")
    if not os.access(GO + "/go", os.X_OK):
        failures.append("the official Go toolchain %s/go is missing" % GO)
    elif not SRC or not BUILD:
        failures.append("run through meson test (GOSHIM_SOURCE_ROOT, GOSHIM_BUILD_ROOT)")
    elif os.environ.get("GOSHIM_CI_NS") != "1":
        # a private mount namespace: the noexec mounts vanish with it
        env = dict(os.environ, GOSHIM_CI_NS="1")
        sys.exit(subprocess.run(["unshare", "-m", "--propagation", "private", sys.executable]
                                + sys.argv, env=env).returncode)
    else:
        {"github": github, "gitlab": gitlab}[sys.argv[1]]()
    if failures:
        print("%d check(s) failed:\n  %s" % (len(failures), "\n  ".join(failures)),
              file=sys.stderr)
        sys.exit(1)
    print("ok: %s" % sys.argv[1])


main()
