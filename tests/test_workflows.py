"""The GitHub Actions workflows: actionlint finds nothing, and every job follows the hardening rules."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

from helpers import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))

# `uses: owner/repo[/path]@<40 hex> # vX.Y.Z`: a tag can be moved to other code, a commit cannot, and
# the comment says which release the commit is (what Dependabot and a reviewer read).
PINNED = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(?:/[^@\s]+)?@[0-9a-f]{40}")
USES_LINE = re.compile(r"""^\s*(?:-\s+)?uses:\s*(["']?)([^\s"'#]+)\1[ \t]*(?:#[ \t]*(.*?))?\s*$""")
RELEASE_COMMENT = re.compile(r"v\d+\.\d+\.\d+")


def _tool(name: str) -> Path:
    """The console script `name` installed next to this Python (from requirements-test.txt)."""
    suffix = ".exe" if sys.platform == "win32" else ""
    path = Path(sysconfig.get_path("scripts")) / f"{name}{suffix}"
    assert path.exists(), f"{name} is missing: run `make test` (requirements-test.txt installs it)"
    return path


def actionlint(paths: list[Path]) -> list[dict]:
    """actionlint's findings for the workflow files, with shellcheck checking every `run:` script."""
    result = subprocess.run(
        [str(_tool("actionlint")), "-no-color", "-format", "{{json .}}",
         "-shellcheck", str(_tool("shellcheck")), "-pyflakes=", *map(str, paths)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    # Exit 0: no findings, 1: findings (printed as JSON); anything else is a broken invocation.
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout or "[]")


def _uses_of(job: dict) -> list[str]:
    """Every action or reusable workflow the job refers to."""
    uses = [job["uses"]] if "uses" in job else []
    return uses + [step["uses"] for step in job.get("steps") or [] if "uses" in step]


def _grants_write(permissions) -> bool:
    """Whether a `permissions:` value grants any write scope."""
    if isinstance(permissions, str):
        return permissions == "write-all"
    return any(level == "write" for level in (permissions or {}).values())


def problems(text: str) -> list[str]:
    """Every hardening rule the workflow text breaks, one message each, all at once."""
    workflow = yaml.safe_load(text)
    found = []
    if "permissions" not in workflow:
        found.append("workflow: permissions not declared")
    elif _grants_write(workflow["permissions"]):
        found.append("workflow: top-level permissions grant write; grant it in the job that needs it")
    for name, job in (workflow.get("jobs") or {}).items():
        if "permissions" not in job:
            found.append(f"{name}: permissions not declared")
        # A job that calls a reusable workflow cannot set timeout-minutes; the called one does.
        if "uses" not in job and not isinstance(job.get("timeout-minutes"), (int, float)):
            found.append(f"{name}: no timeout-minutes")
        for uses in _uses_of(job):
            if not uses.startswith("./") and not PINNED.fullmatch(uses):
                found.append(f"{name}: {uses} not pinned to a full commit SHA")
        for step in job.get("steps") or []:
            if str(step.get("uses", "")).startswith("actions/checkout@"):
                if str((step.get("with") or {}).get("persist-credentials", "")).lower() != "false":
                    found.append(f"{name}: checkout without persist-credentials: false")
            # Any ${{ }} in a script is pasted into the shell source before it runs, so a branch
            # name or a title can become code; through env: the shell only ever sees it as data.
            # No allowlist of "safe" contexts: every value takes the same road.
            if "${{" in str(step.get("run", "")):
                found.append(f"{name}: ${{{{ }}}} expression inside a run: script; pass it via env:")
    # The pin comment lives outside the YAML data, so it is read from the lines; a `uses:` the
    # line scan cannot see (flow style) would escape the check and is refused.
    lines = [m for line in text.splitlines() if (m := USES_LINE.match(line))]
    remote = [m for m in lines if not m.group(2).startswith("./")]
    for m in remote:
        if not (m.group(3) and RELEASE_COMMENT.fullmatch(m.group(3))):
            found.append(f"{m.group(2)}: no `# vX.Y.Z` comment naming the release")
    parsed = sum(len(_uses_of(job)) for job in (workflow.get("jobs") or {}).values())
    if parsed != len(lines):
        found.append("uses: written in a form the line check cannot read (one `uses:` per line)")
    return found


# ---------------------------------------------------------------------------------------------
# The project's workflows

def test_there_are_workflows_to_check():
    assert {p.name for p in WORKFLOWS} >= {"pr.yml", "deploy.yml"}


def test_actionlint_finds_nothing():
    findings = actionlint(WORKFLOWS)
    assert findings == [], "\n".join(f"{f['filepath']}:{f['line']}: {f['message']}" for f in findings)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_follows_the_hardening_rules(path):
    assert problems(path.read_text(encoding="utf-8")) == []


def test_each_action_is_pinned_to_one_commit_across_workflows():
    pins: dict[str, set[str]] = {}
    for path in WORKFLOWS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if (m := USES_LINE.match(line)) and "@" in m.group(2):
                action, ref = m.group(2).split("@", 1)
                pins.setdefault(action, set()).add(f"{ref} {m.group(3)}")
    assert pins and all(len(refs) == 1 for refs in pins.values()), pins


def test_only_the_deploy_job_may_publish():
    for path in WORKFLOWS:
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, job in workflow["jobs"].items():
            granted = {scope for scope, level in job["permissions"].items() if level == "write"}
            expected = {"pages", "id-token"} if (path.name, name) == ("deploy.yml", "deploy") else set()
            assert granted == expected, (path.name, name, granted)


def test_workflows_still_run_the_make_commands():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "$(PY) scripts/validate.py" in makefile               # what `make check` runs, --github added in CI
    pr = yaml.safe_load((ROOT / ".github" / "workflows" / "pr.yml").read_text(encoding="utf-8"))
    deploy = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text(encoding="utf-8"))
    assert set(pr[True]) == {"pull_request"}                      # YAML 1.1 reads the key 'on' as True
    assert deploy[True]["push"]["branches"] == ["main"]
    pr_steps = pr["jobs"]["check"]["steps"]
    runs = [step.get("run", "") for step in pr_steps]
    assert any("make check" in r and "scripts/validate.py --github" in r and "exit 1" in r for r in runs)
    assert "make build" in runs
    upload = next(s for s in pr_steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/" and upload["with"]["if-no-files-found"] == "error"
    build = deploy["jobs"]["build"]["steps"]
    assert "make build" in [step.get("run", "") for step in build]
    pages = next(s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert pages["with"]["path"] == "site/"
    assert deploy["jobs"]["deploy"]["needs"] == "build"
    assert deploy["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages@")
    for steps in (pr_steps, build):
        python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
        assert python["with"]["cache"] == "pip" and python["with"]["python-version"] == "3.11"


# ---------------------------------------------------------------------------------------------
# The checks catch what they are for: a hardened sample passes, each weakening of it is caught

CHECKOUT = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1"
SCRIPT = 'printf "%s\\n" "$TITLE"'
GOOD = f"""\
name: Prøve
on:
  pull_request:
permissions: {{}}
jobs:
  check:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    permissions:
      contents: read
    steps:
      - uses: {CHECKOUT} # v7.0.1
        with:
          persist-credentials: false
      - name: Titel
        env:
          TITLE: ${{{{ github.event.pull_request.title }}}}
        run: {SCRIPT}
"""

BAD = {
    "no top-level permissions": (GOOD.replace("permissions: {}\n", ""), "workflow: permissions not declared"),
    "write at the top": (GOOD.replace("permissions: {}\n", "permissions: write-all\n"),
                         "top-level permissions grant write"),
    "job without permissions": (GOOD.replace("    permissions:\n      contents: read\n", ""),
                                "check: permissions not declared"),
    "no timeout": (GOOD.replace("    timeout-minutes: 10\n", ""), "check: no timeout-minutes"),
    "tag instead of commit": (GOOD.replace(CHECKOUT, "actions/checkout@v7"), "not pinned to a full commit SHA"),
    "short commit": (GOOD.replace(CHECKOUT, CHECKOUT[:-30]), "not pinned to a full commit SHA"),
    "branch": (GOOD.replace(CHECKOUT, "actions/checkout@main"), "not pinned to a full commit SHA"),
    "no release comment": (GOOD.replace(" # v7.0.1", ""), "no `# vX.Y.Z` comment"),
    "major-only comment": (GOOD.replace(" # v7.0.1", " # v7"), "no `# vX.Y.Z` comment"),
    "credentials kept": (GOOD.replace("persist-credentials: false", "persist-credentials: true"),
                         "checkout without persist-credentials: false"),
    "credentials by default": (GOOD.replace("        with:\n          persist-credentials: false\n", ""),
                               "checkout without persist-credentials: false"),
    "event in script": (GOOD.replace('"$TITLE"', "'${{ github.event.pull_request.title }}'"),
                        "expression inside a run: script"),
    "input in script": (GOOD.replace('"$TITLE"', "${{inputs.name}}"), "expression inside a run: script"),
    "flow-style uses": (GOOD.replace(f"      - uses: {CHECKOUT} # v7.0.1\n        with:\n"
                                     "          persist-credentials: false\n",
                                     f"      - {{uses: {CHECKOUT}, with: {{persist-credentials: false}}}}\n"),
                        "one `uses:` per line"),
}


def test_the_hardened_sample_passes_both_checks(tmp_path):
    path = tmp_path / "good.yml"
    path.write_text(GOOD, encoding="utf-8")
    assert problems(GOOD) == []
    assert actionlint([path]) == []


@pytest.mark.parametrize("text, expected", BAD.values(), ids=BAD.keys())
def test_the_rules_catch_a_weakened_workflow(tmp_path, text, expected):
    assert text != GOOD                                            # the mutation took effect
    path = tmp_path / "bad.yml"
    path.write_text(text, encoding="utf-8")
    found = problems(path.read_text(encoding="utf-8"))
    assert len(found) == 1 and expected in found[0], found


@pytest.mark.parametrize("script, finding", [
    ("echo '${{ github.event.pull_request.title }}'", "potentially untrusted"),
    ("echo ${{ github.head_ref }}", "potentially untrusted"),
    ('cd $HOME_DIR && echo "$GITHUB_SHA"', "SC2086"),             # shellcheck runs inside actionlint
])
def test_actionlint_reports_a_bad_workflow(tmp_path, script, finding):
    path = tmp_path / "bad.yml"
    path.write_text(GOOD.replace(SCRIPT, script), encoding="utf-8")
    assert script in path.read_text(encoding="utf-8")
    messages = [f["message"] for f in actionlint([path])]
    assert any(finding in m for m in messages), messages
