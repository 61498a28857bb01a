# SPDX-License-Identifier: Apache-2.0
"""A local stand-in for the CI runners, as far as goshim's CI scripts see
them.

GitHub Actions (GhJob): every step is a separate `bash --noprofile --norc
-e -o pipefail FILE`; a step gets fresh, empty GITHUB_ENV, GITHUB_PATH,
GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and after it the runner
applies them: GITHUB_ENV lines (NAME=value, or NAME<<DELIM ... DELIM) to
the environment of every later step, GITHUB_PATH lines in front of PATH
(the newest first), outputs to steps.ID.outputs, the summary to the job's
summary.  A step-level env overrides GITHUB_ENV.  A composite action
(`uses:` a directory with action.yml) runs its own steps the same way,
with GITHUB_ACTION_PATH, inputs (defaults, then `with:`) and `if:`
expressions (always(), ==, !=, &&; implicit success()); upload-artifact
copies its path into the job's artifacts.  Workflow commands on stdout
(::error/::warning/::notice) become annotations; as on GitHub, at most 10
of each level per step are kept, the others counted as dropped.

GitLab CI (GlJob): before_script and script run in ONE shell (exported
variables carry over), after_script in a new shell that sees only the
job's variables, whatever the script's outcome.  `extends:` merges the
template's keys.  Artifacts (paths and reports) are checked to exist.
"""
import os
import re
import shutil
import subprocess

import yaml

GH_LIMIT = 10


def _env_file(path):
    """NAME=value and NAME<<DELIM lines of a GITHUB_ENV/GITHUB_OUTPUT file."""
    out = {}
    lines = open(path).read().split("\n") if os.path.exists(path) else []
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            continue
        m = re.match(r"^([^=<]+)<<(.+)$", line)
        if m:
            val = []
            while i < len(lines) and lines[i] != m.group(2):
                val.append(lines[i])
                i += 1
            i += 1
            out[m.group(1)] = "\n".join(val)
        else:
            k, _, v = line.partition("=")
            out[k] = v
    return out


class GhJob:
    def __init__(self, work, base_env):
        self.work = work
        self.env = dict(base_env)          # the job's environment
        self.added_env = {}                # from GITHUB_ENV
        self.paths = []                    # from GITHUB_PATH, newest first
        self.outputs = {}
        self.summary = ""
        self.annotations = []              # (level, title, message, step)
        self.dropped = {}
        self.artifacts = {}
        self.failed = False
        self.log = []                      # (step name, exit code, output)
        self.nstep = 0
        os.makedirs(os.path.join(work, "artifacts"), exist_ok=True)

    # -- expressions --------------------------------------------------
    def _value(self, expr, ctx):
        expr = expr.strip()
        m = re.match(r"^'(.*)'$", expr)
        if m:
            return m.group(1)
        if expr.startswith("inputs."):
            return ctx.get("inputs", {}).get(expr[7:], "")
        if expr.startswith("env."):
            return self._step_env({}).get(expr[4:], "")
        if expr == "github.action_path":
            return ctx.get("action_path", "")
        m = re.match(r"^steps\.([\w-]+)\.outputs\.([\w-]+)$", expr)
        if m:
            return self.outputs.get(m.group(1), {}).get(m.group(2), "")
        raise ValueError("expression not simulated: " + expr)

    def _subst(self, s, ctx):
        return re.sub(r"\$\{\{(.*?)\}\}", lambda m: str(self._value(m.group(1), ctx)), str(s))

    def _cond(self, cond, ctx):
        if cond is None:
            return not self.failed
        cond = str(cond).strip()
        if cond.startswith("${{"):
            cond = cond[3:-2]
        status = None
        ok = True
        for atom in cond.split("&&"):
            atom = atom.strip()
            if atom == "always()":
                status = True
            elif atom == "success()":
                status = not self.failed
            elif atom == "failure()":
                status = self.failed
            else:
                m = re.match(r"^(.+?)\s*(==|!=)\s*(.+)$", atom)
                if not m:
                    raise ValueError("condition not simulated: " + atom)
                a, b = self._value(m.group(1), ctx), self._value(m.group(3), ctx)
                ok = ok and ((a == b) if m.group(2) == "==" else (a != b))
        if status is None:
            status = not self.failed
        return status and ok

    # -- steps --------------------------------------------------------
    def _step_env(self, step_env):
        env = dict(self.env)
        env.update(self.added_env)
        env["PATH"] = ":".join(self.paths + [self.env["PATH"]])
        env.update(step_env)
        return env

    def _run(self, name, script, step_env, sid=None):
        self.nstep += 1
        d = os.path.join(self.work, "step%d" % self.nstep)
        os.makedirs(d)
        files = {k: os.path.join(d, k.lower()) for k in
                 ("GITHUB_ENV", "GITHUB_PATH", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY")}
        for f in files.values():
            open(f, "w").close()
        path = os.path.join(d, "script.sh")
        with open(path, "w") as f:
            f.write(script)
        env = self._step_env(step_env)
        env.update(files)
        p = subprocess.run(["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", path],
                           env=env, cwd=self.env.get("GITHUB_WORKSPACE", self.work),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           errors="replace")
        self.log.append((name, p.returncode, p.stdout))
        per = {}
        for line in p.stdout.split("\n"):
            m = re.match(r"^::(error|warning|notice)( [^:]*)?::(.*)$", line)
            if not m:
                continue
            per[m.group(1)] = per.get(m.group(1), 0) + 1
            if per[m.group(1)] > GH_LIMIT:
                self.dropped[m.group(1)] = self.dropped.get(m.group(1), 0) + 1
                continue
            t = re.search(r"title=([^,]*)", m.group(2) or "")
            self.annotations.append((m.group(1), t.group(1) if t else "", m.group(3), name))
        self.added_env.update(_env_file(files["GITHUB_ENV"]))
        for line in open(files["GITHUB_PATH"]).read().split("\n"):
            if line:
                self.paths.insert(0, line)
        if sid:
            self.outputs[sid] = _env_file(files["GITHUB_OUTPUT"])
        self.summary += open(files["GITHUB_STEP_SUMMARY"]).read()
        if p.returncode != 0:
            self.failed = True
        return p.returncode

    def run(self, script, name="run", env=None, cond=None):
        """A `run:` step of the workflow."""
        if not self._cond(cond, {}):
            self.log.append((name, None, "skipped"))
            return None
        return self._run(name, script, {k: str(v) for k, v in (env or {}).items()})

    def uses(self, action_dir, with_=None, cond=None, name="uses"):
        """A `uses:` step naming a composite action in action_dir."""
        if not self._cond(cond, {}):
            self.log.append((name, None, "skipped"))
            return
        act = yaml.safe_load(open(os.path.join(action_dir, "action.yml")))
        assert act["runs"]["using"] == "composite"
        inputs = {k: str(v.get("default", "")) for k, v in act.get("inputs", {}).items()}
        for k, v in (with_ or {}).items():
            assert k in inputs, "no input %s in action.yml" % k
            inputs[k] = str(v)
        ctx = {"inputs": inputs, "action_path": action_dir}
        for i, st in enumerate(act["runs"]["steps"]):
            sname = "%s/%s" % (name, st.get("id", i))
            if not self._cond(st.get("if"), ctx):
                self.log.append((sname, None, "skipped"))
                continue
            env = {k: self._subst(v, ctx) for k, v in (st.get("env") or {}).items()}
            if "run" in st:
                assert st.get("shell") == "bash"
                env["GITHUB_ACTION_PATH"] = action_dir
                self._run(sname, self._subst(st["run"], ctx), env, st.get("id"))
            elif st["uses"].startswith("actions/upload-artifact@"):
                w = {k: self._subst(v, ctx) for k, v in st["with"].items()}
                if os.path.exists(w["path"]):
                    dst = os.path.join(self.work, "artifacts", w["name"])
                    os.makedirs(dst, exist_ok=True)
                    shutil.copy(w["path"], dst)
                    self.artifacts[w["name"]] = os.path.join(dst, os.path.basename(w["path"]))
                self.log.append((sname, 0, "uploaded %s" % w["path"]))
            else:
                raise ValueError("action not simulated: " + st["uses"])

    def dump(self):
        return "\n".join("== %s (exit %s)\n%s" % s for s in self.log) + \
            "\n== summary\n" + self.summary


class GlJob:
    """One GitLab CI job from a template (.gitlab-ci.yml text) and the job's
    own keys; run() returns (script exit, after_script exit)."""

    def __init__(self, work, template, job, variables):
        self.work = work
        tpl = yaml.safe_load(template)
        merged = {}
        for base in job.get("extends", []):
            for k, v in tpl[base].items():
                if isinstance(v, dict):
                    merged.setdefault(k, {}).update(v)
                else:
                    merged[k] = v
        for k, v in job.items():
            if k == "extends":
                continue
            if isinstance(v, dict):
                merged.setdefault(k, {}).update(v)
            else:
                merged[k] = v
        self.job = merged
        self.vars = dict(variables)
        self.vars.update({k: str(v) for k, v in tpl.get("variables", {}).items()
                          if k not in self.vars})
        self.vars.update({k: str(v) for k, v in merged.get("variables", {}).items()})
        self.log = ""

    def _expand(self, v, env):
        return re.sub(r"\$\{?(\w+)\}?", lambda m: env.get(m.group(1), ""), v)

    def _shell(self, lines, env):
        path = os.path.join(self.work, "gl-%d.sh" % len(self.log))
        with open(path, "w") as f:
            f.write("set -eo pipefail\n" + "\n".join(lines) + "\n")
        p = subprocess.run(["bash", "--noprofile", "--norc", path], env=env,
                           cwd=env["CI_PROJECT_DIR"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, errors="replace")
        self.log += "== %s (exit %d)\n%s" % (path, p.returncode, p.stdout)
        return p.returncode

    def run(self):
        env = dict(self.vars)
        for k in list(env):  # variables may name others, in order
            env[k] = self._expand(env[k], env)
        main = self._shell(self.job.get("before_script", []) + self.job["script"], env)
        after = self._shell(self.job.get("after_script", []), env)
        return main, after

    def artifact(self, kind):
        """The files of artifacts:reports:KIND, or of artifacts:paths."""
        a = self.job.get("artifacts", {})
        items = a.get("reports", {}).get(kind, []) if kind != "paths" else a.get("paths", [])
        if isinstance(items, str):
            items = [items]
        env = dict(self.vars)
        return [os.path.join(self.vars["CI_PROJECT_DIR"], self._expand(i, env)) for i in items]
