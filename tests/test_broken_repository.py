"""Every command meets a broken repository the same way: the located finding (or the file it
cannot read) and exit 2, never an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from aixin.cli import main
from aixin.core.errors import UsageError
from aixin.load.repository import open_repository
from conftest import REPO, build_root

PHOTO = REPO / "records" / "chuanshan" / "photos"


def commands(tmp_path) -> dict[str, list[str]]:
    """Every command, with arguments that would otherwise be fine."""
    some_photo = next(PHOTO.glob("*.jpg"))
    return {
        "check": ["check"],
        "check --format json": ["check", "--format", "json"],
        "check --pr": ["check", "--pr", "--base", "main", "--author", "shili-city"],
        "build": ["build", "--out", str(tmp_path / "site")],
        "new": ["new", "girl", "--unit", "chuanshan"],
        "template": ["template", "--out", str(tmp_path / "forms")],
        "import": ["import", str(tmp_path / "filled.csv"), "--unit", "chuanshan"],
        "export": ["export", "--out", str(tmp_path / "out.xlsx")],
        "photo add": ["photo", "add", str(some_photo), "--to", "chuanshan-g-3m8x4p"],
    }


@pytest.fixture
def root(tmp_path):
    root = build_root(REPO / "records", tmp_path / "repo")
    (tmp_path / "filled.csv").write_text("姓名\n示例\n", "utf-8")
    return root



def invoke(root, args):
    return CliRunner().invoke(main, [*args, "--root", str(root)], input="",
                              env={"GITHUB_ACTIONS": "", "GITHUB_STEP_SUMMARY": ""})


COMMANDS = list(commands(Path("/tmp")))


@pytest.mark.parametrize("name", COMMANDS)
def test_an_impossible_date_in_the_programme(root, tmp_path, name):
    programme = root / "records" / "programme.yaml"
    text = programme.read_text("utf-8")
    assert 'report_deadline: "2019-07-30"' in text
    programme.write_text(text.replace('report_deadline: "2019-07-30"', 'report_deadline: "2019-02-30"'), "utf-8")
    line = next(n for n, row in enumerate(programme.read_text("utf-8").splitlines(), 1) if "2019-02-30" in row)
    result = invoke(root, commands(tmp_path)[name])
    assert result.exit_code == 2, result.output
    assert "内部错误" not in result.output and "Traceback" not in result.output
    assert f"records/programme.yaml:{line}:" in result.output or f'"line": {line}' in result.output
    assert "S005" in result.output and "2019-02-30" in result.output
    assert not (tmp_path / "site").exists() and not (tmp_path / "forms").exists()
    assert not (tmp_path / "out.xlsx").exists()


@pytest.mark.parametrize("name", COMMANDS)
def test_a_missing_schema(root, tmp_path, name):
    (root / "schemas" / "girl.schema.json").unlink()
    result = invoke(root, commands(tmp_path)[name])
    assert result.exit_code == 2, result.output
    assert "内部错误" not in result.output and "Traceback" not in result.output
    assert "错误：无法读取结构定义 schemas/girl.schema.json：文件不存在" in result.output


@pytest.mark.parametrize("damage", ["{", "[]"])
def test_a_schema_that_is_not_json(root, damage):
    (root / "schemas" / "log.schema.json").write_text(damage, "utf-8")
    with pytest.raises(UsageError, match=r"schemas/log\.schema\.json"):
        open_repository(root)


def test_a_missing_roster_schema_stops_the_pull_request_check(root, tmp_path):
    (root / "schemas" / "coordinators.schema.json").unlink()
    result = invoke(root, commands(tmp_path)["check --pr"])
    assert result.exit_code == 2, result.output
    assert "错误：无法读取结构定义 schemas/coordinators.schema.json：文件不存在" in result.output
    assert "内部错误" not in result.output


def test_no_repository_at_all(tmp_path):
    for args in commands(tmp_path).values():
        result = invoke(tmp_path, args)
        assert result.exit_code == 2, (args, result.output)
        assert "找不到 records/programme.yaml" in result.output and "内部错误" not in result.output


@pytest.mark.parametrize("args", [
    ["build", "--unit", "nowhere"],
    ["new", "girl", "--unit", "nowhere"],
    ["import", "FILLED", "--unit", "nowhere"],
    ["export", "--out", "OUT", "--unit", "nowhere"],
])
def test_an_unknown_unit_is_said_the_same_way_everywhere(root, tmp_path, args):
    args = [str(tmp_path / "filled.csv") if a == "FILLED" else str(tmp_path / "out.xlsx") if a == "OUT" else a
            for a in args]
    result = invoke(root, args)
    assert result.exit_code == 2, result.output
    assert "错误：单位代码“nowhere”不存在：records/programme.yaml 中没有单位代码“nowhere”。可以写：shizhi（市直）" in result.output
    assert not (root / "build").exists() and not (tmp_path / "out.xlsx").exists()
