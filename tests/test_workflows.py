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
    assert {p.name for p in WORKFLOWS} >= {"pr.yml", "deploy.yml", "ny-case-fra-issue.yml"}


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


# The only jobs that may write, and what: publishing the site, and turning an issue into a pull
# request (the branch and the pull request in one job, the comment in another).
WRITERS = {("deploy.yml", "deploy"): {"pages", "id-token"},
           ("ny-case-fra-issue.yml", "case"): {"contents", "pull-requests"},
           ("ny-case-fra-issue.yml", "reply"): {"issues"}}


def test_only_the_named_jobs_may_write_and_only_what_they_need():
    seen = set()
    for path in WORKFLOWS:
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, job in workflow["jobs"].items():
            granted = {scope for scope, level in job["permissions"].items() if level == "write"}
            assert granted == WRITERS.get((path.name, name), set()), (path.name, name, granted)
            seen.add((path.name, name))
    assert set(WRITERS) <= seen


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


# ---------------------------------------------------------------------------------------------
# Text from issues, comments and pull requests never becomes code

# Contexts anyone who can open an issue or a pull request writes: titles, bodies, comments, branch
# names, commit messages and e-mail addresses, and outputs of other jobs and steps (which may carry them).
UNTRUSTED = re.compile(
    r"\bgithub\.event\.(?:issue|comment|pull_request|review|review_comment|discussion|head_commit|commits|"
    r"pages|workflow_run|inputs)\b|\bgithub\.head_ref\b|\bneeds\.[\w-]+\.outputs\b|\bsteps\.[\w-]+\.outputs\b|"
    r"\binputs\.")
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)
# Where an expression's value becomes program text: a shell script, and github-script's JavaScript.
SCRIPT_KEYS = ("run", "script")


def untrusted_in_scripts(text: str) -> list[str]:
    """Every place a workflow pastes issue, comment or pull request text (or an output made from it)
    into a script, as 'job/step: expression'; such text has to come in through `env:`."""
    found = []
    for job_name, job in (yaml.safe_load(text).get("jobs") or {}).items():
        for i, step in enumerate(job.get("steps") or []):
            scripts = [step.get("run")] + [(step.get("with") or {}).get(key) for key in SCRIPT_KEYS]
            for script in filter(None, scripts):
                for m in EXPRESSION.finditer(str(script)):
                    if UNTRUSTED.search(m.group(1)):
                        found.append(f"{job_name}/{step.get('name') or i}: {m.group(1).strip()}")
    return found


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_script_pastes_issue_comment_or_pull_request_text(path):
    assert untrusted_in_scripts(path.read_text(encoding="utf-8")) == []


ISSUE_WORKFLOW = ROOT / ".github" / "workflows" / "ny-case-fra-issue.yml"
INJECTIONS = {
    "issue body in run": ('.venv/bin/python -m toolbox issue-to-case --env ISSUE_BODY',
                          '.venv/bin/python -m toolbox issue-to-case <<< "${{ github.event.issue.body }}"'),
    "issue title in run": ('git commit --quiet --message "Ny case fra issue #$ISSUE_NUMBER: $CASE_FILE"',
                           'git commit --quiet --message "${{ github.event.issue.title }}"'),
    "comment in run": ('printf \'%s\\n\' "$REPLY"', "printf '%s\\n' '${{ github.event.comment.body }}'"),
    "pull request title in run": ('--title "Ny case fra issue #$ISSUE_NUMBER"',
                                  '--title "${{ github.event.pull_request.title }}"'),
    "an output made from the issue": ('printf \'%s\\n\' "$REPLY"', "printf '%s\\n' '${{needs.case.outputs.reply}}'"),
}


@pytest.mark.parametrize("old, new", INJECTIONS.values(), ids=INJECTIONS.keys())
def test_the_check_catches_issue_text_pasted_into_a_script(old, new):
    text = ISSUE_WORKFLOW.read_text(encoding="utf-8")
    assert text.count(old) == 1
    found = untrusted_in_scripts(text.replace(old, new))
    expression = new.split("${{")[1].split("}}")[0].strip()
    assert len(found) == 1 and found[0].endswith(": " + expression), found


def test_the_check_catches_github_script_and_leaves_env_alone():
    script = GOOD.replace(f"        run: {SCRIPT}\n",
                          "        uses: actions/github-script@0000000000000000000000000000000000000000 # v1.0.0\n"
                          "        with:\n          script: console.log('${{ github.event.issue.title }}')\n")
    assert untrusted_in_scripts(script) == ["check/Titel: github.event.issue.title"]
    assert untrusted_in_scripts(GOOD) == []            # the title comes in through env: only


def test_an_issue_becomes_a_pull_request_through_env_only():
    workflow = yaml.safe_load(ISSUE_WORKFLOW.read_text(encoding="utf-8"))
    assert workflow[True] == {"issues": {"types": ["opened", "edited"]}}
    case, reply = workflow["jobs"]["case"], workflow["jobs"]["reply"]
    assert "'ny case'" in case["if"] and "github.event.issue.state == 'open'" in case["if"]
    convert = next(s for s in case["steps"] if s.get("id") == "convert")
    # The body reaches the converter in the variable it reads (its --env), and nowhere else.
    assert convert["env"]["ISSUE_BODY"] == "${{ github.event.issue.body }}"
    assert "-m toolbox issue-to-case --env ISSUE_BODY" in convert["run"]
    text = ISSUE_WORKFLOW.read_text(encoding="utf-8")
    assert text.count("github.event.issue.body") == 1
    steps = {s.get("name"): s for s in case["steps"]}
    assert "scripts/validate.py --github" in steps["Tjek casen (scripts/validate.py)"]["run"]
    pr = steps["Læg filen i en pull request"]["run"]
    assert 'branch="ny-case/issue-$ISSUE_NUMBER"' in pr and "gh pr create" in pr and "git push --force" in pr
    assert "gh issue comment" in reply["steps"][0]["run"] and reply["needs"] == "case"
    assert reply["steps"][0]["env"]["REPLY"] == "${{ needs.case.outputs.reply }}"
    # The label the job waits for is the one the issue form sets.
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "ny-case.yml").read_text(encoding="utf-8"))
    assert form["labels"] == ["ny case"]


def _pins(path: Path) -> dict[str, str]:
    """name -> version of a requirements file's `name==version` lines."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.\[\]-]+)==(\S+)", line.strip())
        if m:
            found[m.group(1).lower()] = m.group(2)
    return found


def test_the_validators_packages_are_the_sites_with_the_same_pins():
    """`make check` installs requirements-check.txt alone: each of its packages is in requirements.txt,
    pinned to the same version (a contributor's verdict and the build read content the same way)."""
    check, site = _pins(ROOT / "requirements-check.txt"), _pins(ROOT / "requirements.txt")
    assert check, "requirements-check.txt pins nothing"
    assert {name: site.get(name) for name in check} == check


# Module names of the packages in requirements-check.txt (what `import` sees).
CHECK_MODULES = {"jinja2", "markupsafe", "markdown_it", "mdurl", "nh3", "orjson", "yaml", "segno"}


def test_the_validator_imports_only_its_own_packages(tmp_path):
    """The validator, run on the project and on a broken case, imports no package outside
    requirements-check.txt (else `make check` would fail in a fresh clone)."""
    (tmp_path / "case.md").write_text("---\ntitle: [\n---\nTekst\n", encoding="utf-8")
    code = (
        "import sys, runpy\n"
        "from toolbox import cli\n"
        f"cli.validate_main(['--root', {str(ROOT)!r}])\n"
        f"cli.validate_main(['--root', {str(ROOT)!r}, {str(tmp_path / 'case.md')!r}])\n"
        "std = set(sys.stdlib_module_names)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} - std - {'toolbox'}))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    # cython_runtime: the module Cython-compiled extensions (PyYAML's) register; no package of its own.
    imported = {m for m in json.loads(run.stdout.strip().splitlines()[-1].replace("'", '"'))
                if not m.startswith("_") and m != "cython_runtime"}
    assert imported <= CHECK_MODULES, imported - CHECK_MODULES
