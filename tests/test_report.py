"""The reporters print exactly what the golden files show, escape for GitHub, and never leak an ID."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest

from aixin.check.result import CheckResult
from aixin.core.findings import Finding, Severity
from aixin.domain.quota import QuotaRow
from aixin.report import reporters as report

GOLDEN = Path(__file__).parent / "golden"
FICTIONAL_ID = "510903198506120021"  # a made-up number, as every value in the tests


def sample_result() -> CheckResult:
    """A hand-made result: findings given out of order, with CJK text, hints, all severities."""
    findings = [
        Finding("records/programme.yaml", 1, 1, "Q001", Severity.INFO,
                "船山区已审核通过 80 名，距名额 120 名还差 40 名",
                "截止日期 2019-07-30 之前仅作提示"),
        Finding("records/chuanshan/pairings/chuanshan-p-a1b2c3.yaml", 4, 1, "P010",
                Severity.WARNING, "结对双方不在同一区县：爱心妈妈在安居区，女童在船山区",
                record="chuanshan-p-a1b2c3"),
        Finding("records/chuanshan/mothers/chuanshan-m-9x8w7v.yaml", 8, 5, "M003", Severity.ERROR,
                f"身份证号 {FICTIONAL_ID} 的校验位不对", "请对照身份证原件重新填写",
                record="chuanshan-m-9x8w7v"),
        Finding("records/chuanshan/girls/chuanshan-g-7k2p.yaml", 12, 3, "G001", Severity.ERROR,
                "女童 2019-07-20 时已满 13 周岁，超过 12 周岁",
                "本活动只结对 12 周岁以下（含 12 周岁）的留守女童", record="chuanshan-g-7k2p"),
        Finding("records/chuanshan/girls/chuanshan-g-7k2p.yaml", 3, 7, "G004", Severity.INFO,
                "父母只有一方外出，不属于本活动的帮扶对象", record="chuanshan-g-7k2p"),
    ]
    quota = [
        QuotaRow("shizhi", "市直", 220, 200, 10),
        QuotaRow("chuanshan", "船山区", 120, 80, 25),
        QuotaRow("jingkai", "遂宁经济技术开发区", 60, 61, 3),
        QuotaRow("", "全市合计", 1000, 341, 38),
    ]
    counts = {"mother": 2, "girl": 3, "pairing": 2, "log": 12}
    return CheckResult(findings, quota, counts, files=18532, as_of=dt.date(2019, 7, 20))


def clean_result(infos: int = 0) -> CheckResult:
    findings = [Finding(f"records/x{i}.yaml", 1, 1, "Q001", Severity.INFO, "提示") for i in range(infos)]
    return CheckResult(findings, files=3)


def render(reporter, result: CheckResult) -> str:
    stream = io.StringIO()
    reporter(result, stream)
    return stream.getvalue()


def assert_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/<name>; AIXIN_UPDATE_GOLDEN=1 rewrites it (then review the diff)."""
    path = GOLDEN / name
    if os.environ.get("AIXIN_UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


def test_text_matches_golden():
    assert_golden("report.txt", render(report.text, sample_result()))


def test_json_matches_golden():
    output = render(report.json, sample_result())
    assert_golden("report.json", output)
    data = json.loads(output)
    assert data["summary"] == {"error": 2, "warning": 1, "info": 2}
    assert [f["rule"] for f in data["findings"]] == ["G004", "G001", "M003", "P010", "Q001"]


def test_quota_table_aligns_cjk_as_double_width():
    lines = report.quota_table(sample_result().quota)
    widths = {report.display_width(line) for line in lines}
    assert len(widths) == 1, lines  # every row ends in the same terminal column
    assert lines[-1].startswith("全市合计")


def test_summary_when_clean():
    assert render(report.text, clean_result()) == "检查了 3 个文件：检查通过。\n"
    assert report.summary_line(clean_result(infos=2)) == "检查了 3 个文件：检查通过（2 个提示）。"


def test_text_is_coloured_only_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    report.text(sample_result(), terminal)
    assert "\x1b[" in terminal.getvalue()
    assert "\x1b[" not in render(report.text, sample_result())


def test_github_commands_and_escaping():
    finding = Finding("records/a,b:c/x.yaml", 2, 4, "Y001", Severity.WARNING,
                      "100% 不对\n第二行\r", "提示: a,b")
    output = render(report.github, CheckResult([finding], files=1))
    first, summary = output.splitlines()
    assert first == ("::warning file=records/a%2Cb%3Ac/x.yaml,line=2,col=4,title=[Y001] 警告"
                     "::100%25 不对%0A第二行%0D — 提示: a,b")
    assert summary == "检查了 1 个文件：0 个错误，1 个警告，0 个提示。"


def test_github_command_per_severity_errors_first():
    """Only the first ten annotations of each kind show on a PR: errors must not be crowded out."""
    lines = render(report.github, sample_result()).splitlines()
    assert [line.split(" ", 1)[0] for line in lines[:5]] == [
        "::error", "::error", "::warning", "::notice", "::notice"]
    assert lines[0] == ("::error file=records/chuanshan/girls/chuanshan-g-7k2p.yaml,line=12,col=3,"
                        "title=[G001] 错误::女童 2019-07-20 时已满 13 周岁，超过 12 周岁"
                        " — 本活动只结对 12 周岁以下（含 12 周岁）的留守女童")


def test_github_omits_missing_line():
    finding = Finding("records/programme.yaml", 0, 0, "R001", Severity.ERROR, "缺少文件")
    first = render(report.github, CheckResult([finding])).splitlines()[0]
    assert first == "::error file=records/programme.yaml,title=[R001] 错误::缺少文件"


@pytest.mark.parametrize("name", sorted(report.REPORTERS))
def test_every_reporter_masks_id_numbers(name):
    finding = Finding("records/x.yaml", 1, 1, "M003", Severity.ERROR,
                      f"身份证号 {FICTIONAL_ID}、电话 13812345678 有误", "手机号写11位数字，如 13900001111")
    output = render(report.REPORTERS[name], CheckResult([finding], files=1))
    assert FICTIONAL_ID not in output
    assert "13812345678" not in output
    assert "5109**********0021" in output
    assert "138****5678" in output
    # A hint is the rule's own advice, never record data: its example number stays readable.
    assert "13900001111" in output


def test_step_summary_is_appended(tmp_path):
    path = tmp_path / "summary.md"
    path.write_text("# 之前的内容\n", encoding="utf-8")
    report.write_step_summary(sample_result(), path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 之前的内容\n## 记录检查结果\n")
    assert "检查了 18,532 个文件：2 个错误，1 个警告，2 个提示。" in text
    assert "记录数：爱心妈妈 2 名，女童 3 名，结对 2 对，联系记录 12 条。" in text
    assert "| 单位 | 名额 | 已审核通过 | 待审核 | 缺额 |" in text
    assert "| 船山区 | 120 | 80 | 25 | 40 |" in text
    assert "| **全市合计** | **1,000** | **341** | **38** | **659** |" in text
    assert "| 错误 | M003 | `records/chuanshan/mothers/chuanshan-m-9x8w7v.yaml:8:5` |" in text
    assert FICTIONAL_ID not in text


def test_step_summary_caps_the_findings_list():
    findings = [Finding(f"records/x{i:04}.yaml", 1, 1, "Y001", Severity.ERROR, "错")
                for i in range(report.STEP_SUMMARY_FINDINGS + 5)]
    text = report.step_summary(CheckResult(findings))
    assert "另有 5 条未列出" in text
    assert "x0104.yaml" not in text
