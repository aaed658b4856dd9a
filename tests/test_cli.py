"""The `aixin` command wires options to the engine and reporters, and decides the exit code."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import sys
import types

import pytest
from click.testing import CliRunner

import aixin
from aixin import cli
from aixin.check.result import CheckResult
from aixin.core.findings import Finding, Severity
from aixin.domain.programme import find_root
from aixin.domain.quota import QuotaRow
from aixin.report.progress import ProgressBar

FICTIONAL_ID = "510903198506120021"


def make_result(*severities: Severity) -> CheckResult:
    findings = [Finding(f"records/chuanshan/girls/chuanshan-g-{i:04}.yaml", 2, 1, "G001", s,
                        "女童超过 12 周岁", "请核对出生年月") for i, s in enumerate(severities)]
    quota = [QuotaRow("chuanshan", "船山区", 120, 100, 5), QuotaRow("", "全市合计", 120, 100, 5)]
    return CheckResult(findings, quota, {"girl": 1}, files=7)


@pytest.fixture
def engine(monkeypatch):
    """The real `aixin.engine` when it imports, else a stand-in with the same two names."""
    try:
        module = importlib.import_module("aixin.check.engine")
    except ImportError:
        module = types.ModuleType("aixin.check.engine")

        class UsageError(Exception):
            pass

        module.UsageError = UsageError
        module.run_check = None
        monkeypatch.setitem(sys.modules, "aixin.check.engine", module)
        monkeypatch.setattr(aixin, "engine", module, raising=False)
    return module


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """An empty records repository as the current directory, outside any GitHub run."""
    (tmp_path / "records" / "chuanshan").mkdir(parents=True)
    (tmp_path / "records" / "programme.yaml").write_text("name: 测试\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "AIXIN_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def fake_check(monkeypatch, engine, result=None, error: BaseException | None = None) -> list:
    """Replace run_check; return the list its calls are recorded in."""
    calls = []

    def run_check(root, targets, *, jobs, use_cache, progress, changed=None, today=None):
        calls.append({"root": root, "targets": targets, "jobs": jobs, "use_cache": use_cache,
                      "progress": progress, "changed": changed, "today": today})
        if error is not None:
            raise error
        return result

    monkeypatch.setattr(engine, "run_check", run_check)
    return calls


def invoke(*args: str, env: dict | None = None):
    return CliRunner().invoke(cli.main, list(args), env=env)


@pytest.mark.parametrize(("severities", "code"), [
    ((), 0), ((Severity.WARNING, Severity.INFO), 0), ((Severity.ERROR, Severity.WARNING), 1)])
def test_exit_code_follows_errors(repo, engine, monkeypatch, severities, code):
    fake_check(monkeypatch, engine, make_result(*severities))
    result = invoke("check")
    assert result.exit_code == code, result.output
    assert "检查了 7 个文件" in result.output


def test_as_of_reaches_the_engine_as_today(repo, engine, monkeypatch):
    calls = fake_check(monkeypatch, engine, make_result())
    monkeypatch.chdir(repo)
    assert invoke("check", "--as-of", "2026-11-30").exit_code == 0
    assert calls[0]["today"] == dt.date(2026, 11, 30)
    assert invoke("check", "--as-of", "2026-11-31").exit_code == 2  # no such day: a usage error


def test_defaults_reach_the_engine(repo, engine, monkeypatch):
    calls = fake_check(monkeypatch, engine, make_result())
    (repo / "records" / "chuanshan" / "deep").mkdir()
    monkeypatch.chdir(repo / "records" / "chuanshan" / "deep")
    assert invoke("check").exit_code == 0
    assert calls == [{"root": repo.resolve(), "targets": None, "jobs": None, "use_cache": True,
                      "progress": None, "changed": None, "today": None}]


def test_options_and_paths_reach_the_engine(repo, engine, monkeypatch):
    calls = fake_check(monkeypatch, engine, make_result())
    assert invoke("check", "records/chuanshan", "--jobs", "2", "--no-cache").exit_code == 0
    assert calls[0]["targets"] == [(repo / "records" / "chuanshan").resolve()]
    assert calls[0]["jobs"] == 2 and calls[0]["use_cache"] is False


def test_text_format_outside_github(repo, engine, monkeypatch):
    fake_check(monkeypatch, engine, make_result(Severity.ERROR))
    output = invoke("check").output
    assert "records/chuanshan/girls/chuanshan-g-0000.yaml:2:1: error [G001]" in output
    assert "::error" not in output


def test_github_format_under_github_actions(repo, engine, monkeypatch, tmp_path):
    fake_check(monkeypatch, engine, make_result(Severity.ERROR))
    summary = tmp_path / "step-summary.md"
    result = invoke("check", env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    assert result.output.startswith("::error file=records/chuanshan/girls/chuanshan-g-0000.yaml,")
    assert "| 船山区 | 120 | 100 | 5 | 20 |" in summary.read_text(encoding="utf-8")


def test_explicit_format_wins_over_environment(repo, engine, monkeypatch):
    fake_check(monkeypatch, engine, make_result(Severity.WARNING))
    result = invoke("check", "--format", "json", env={"GITHUB_ACTIONS": "true"})
    data = json.loads(result.output)
    assert data["summary"] == {"error": 0, "warning": 1, "info": 0}
    assert data["files"] == 7


def test_usage_error_exits_2(repo, engine, monkeypatch):
    fake_check(monkeypatch, engine, error=engine.UsageError("路径不在 records/ 里：/tmp/x"))
    result = invoke("check")
    assert result.exit_code == 2
    assert "错误：路径不在 records/ 里：/tmp/x" in result.output


def test_missing_programme_exits_2(tmp_path, engine, monkeypatch):
    fake_check(monkeypatch, engine, make_result())
    monkeypatch.chdir(tmp_path)
    result = invoke("check")
    assert result.exit_code == 2
    assert "错误：" in result.output and "records/programme.yaml" in result.output


def test_missing_path_exits_2(repo, engine, monkeypatch):
    fake_check(monkeypatch, engine, make_result())
    result = invoke("check", "records/nowhere")
    assert result.exit_code == 2
    assert "错误：找不到路径" in result.output


def test_unknown_format_is_a_click_usage_error(repo, engine, monkeypatch):
    fake_check(monkeypatch, engine, make_result())
    assert invoke("check", "--format", "xml").exit_code == 2


def test_unexpected_exception_is_short_and_masked(repo, engine, monkeypatch):
    fake_check(monkeypatch, engine, error=ValueError(f"bad value {FICTIONAL_ID}"))
    result = invoke("check")
    assert result.exit_code == 2
    assert "内部错误" in result.output and "市妇联技术人员" in result.output
    assert "ValueError: bad value 5109**********0021" in result.output
    assert "Traceback" not in result.output
    assert FICTIONAL_ID not in result.output


def test_debug_shows_the_traceback(repo, engine, monkeypatch):
    fake_check(monkeypatch, engine, error=RuntimeError("boom"))
    result = invoke("check", env={"AIXIN_DEBUG": "1"})
    assert result.exit_code == 2
    assert "Traceback" in result.output


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"aixin {aixin.__version__}"


@pytest.fixture
def demo_module(monkeypatch):
    module = types.ModuleType("aixin.demo")
    monkeypatch.setitem(sys.modules, "aixin.demo", module)
    return module


def test_demo_prints_counts(demo_module, tmp_path):
    calls = []

    def generate(out, scale, seed, until=None):
        calls.append((out, scale, seed, until))
        return types.SimpleNamespace(mothers=1000, girls=1300, pairings=1200, logs=14400, commendations=100,
                                     trainings=1)

    demo_module.generate = generate
    result = invoke("demo", "--out", str(tmp_path / "demo"))
    assert result.exit_code == 0, result.output
    assert calls == [(tmp_path / "demo", 1.0, 2019, None)]
    assert result.output.strip() == (f"已生成虚构数据：爱心妈妈 1,000 名，女童 1,300 名，结对 1,200 对，"
                                     f"联系记录 14,400 条，表彰 100 条，培训 1 次，位于 {tmp_path / 'demo'}")


def test_demo_until_reaches_a_past_day_never_the_future(demo_module, tmp_path, monkeypatch):
    calls = []
    demo_module.generate = lambda out, scale, seed, until=None: calls.append(until) or types.SimpleNamespace(
        mothers=1, girls=1, pairings=1, logs=1)
    monkeypatch.setenv("AIXIN_TODAY", "2026-12-01")
    assert invoke("demo", "--out", str(tmp_path / "a"), "--until", "2026-11-30").exit_code == 0
    assert calls == [dt.date(2026, 11, 30)]
    result = invoke("demo", "--out", str(tmp_path / "b"), "--until", "2026-12-02")
    assert result.exit_code == 2 and "晚于今天" in result.output
    result = invoke("demo", "--out", str(tmp_path / "c"), "--until", "2026年11月")
    assert result.exit_code == 2 and "年-月-日" in result.output
    assert calls == [dt.date(2026, 11, 30)]


def test_demo_refuses_a_full_folder(demo_module, tmp_path):
    def generate(out, scale, seed, until=None):
        raise ValueError(f"{out} 不是空文件夹")

    demo_module.generate = generate
    result = invoke("demo", "--out", str(tmp_path), "--scale", "0.5", "--seed", "7")
    assert result.exit_code == 2
    assert f"错误：{tmp_path} 不是空文件夹" in result.output


def test_demo_rejects_zero_scale(tmp_path):
    assert invoke("demo", "--out", str(tmp_path), "--scale", "0").exit_code == 2


def test_progress_bar_follows_the_engine():
    bar = ProgressBar()
    bar(0, 10)
    bar(4, 10)
    bar(10, 12)
    assert (bar.bar.n, bar.bar.total) == (10, 12)
    bar.close()


def test_find_root_walks_up(tmp_path, tmp_path_factory):
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "programme.yaml").write_text("", encoding="utf-8")
    deep = tmp_path / "records" / "a" / "b"
    deep.mkdir(parents=True)
    assert find_root(deep) == tmp_path.resolve()
    assert find_root(tmp_path_factory.mktemp("no-records")) is None


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["check", "--format", "x"], "错误：'--format' 只能写：text、json、github"),
        (["check", "--as-of", "2019-13-01"], "错误：'--as-of' 的值不对：日期应写作 年-月-日"),
        (["check", "--jobs", "0"], "错误：'--jobs' 要写一个整数，不小于 1"),
        (["check", "--bogus"], "错误：没有这个选项：--bogus"),
        (["nosuch"], "错误：没有这个命令：nosuch"),
        (["photo", "add"], "错误：缺少 '照片文件'"),
    ],
)
def test_click_usage_errors_are_said_in_chinese(args, said):
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 2
    assert said in result.output and "Usage:" not in result.output and "Error:" not in result.output
    assert "查看这个命令的用法" in result.output
