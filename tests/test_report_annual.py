"""`aixin report annual`: the yearly review of the bundled records as text, JSON and a workbook,
and its errors, as of a fixed day (never the clock). The figures themselves are counted by hand
in test_annual.py; here the command must show the same figures the domain computes."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from aixin import cli
from aixin.check.engine import run_check
from aixin.domain.annual import parse_year, review
from aixin.load.repository import open_repository
from conftest import REPO

AS_OF = "2026-12-01"
PHONE_OR_ID = re.compile(r"(?<![0-9])[0-9]{11,}")


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    root = tmp_path_factory.mktemp("annual") / "bundled"
    shutil.copytree(REPO / "records", root / "records")
    shutil.copytree(REPO / "schemas", root / "schemas")
    return root


@pytest.fixture(scope="module")
def domain(root):
    """The review the domain computes from the check's own index, for the command to match."""
    repo = open_repository(root)
    result = run_check(repo, today=dt.date.fromisoformat(AS_OF), with_index=True, use_cache=False)
    assert result.index is not None and result.index.by_kind["log"]
    return lambda year: review(result.index, repo.programme, parse_year(year, repo.programme), result.as_of)


def run(root, *args):
    return CliRunner().invoke(cli.main, ["report", "annual", "--root", str(root), "--as-of", AS_OF, *args])


def test_text_shows_the_totals_the_candidates_next_to_the_criteria_and_every_mother(root, domain):
    result = run(root, "--year", "2019-2020")
    assert result.exit_code == 0, result.output
    out = result.output
    expected = domain("2019-2020")
    assert out.startswith("年度总结：全市 2019-2020 活动年度\n（2019-08-01 至 2020-07-31）\n")
    assert f"爱心妈妈 {expected.city.mothers:,} 名" in out
    order = [out.index(words) for words in ("合计", "联系方式（次）", "“优秀爱心妈妈”评选候选人", "各爱心妈妈")]
    assert order == sorted(order)
    assert "1. 至少 11 个月与女童有联系" in out and "名额：不限" in out
    candidates = out[out.index("评选候选人") : out.index("各爱心妈妈")]
    for candidate in expected.candidates:
        assert candidate.mother_id in candidates
    assert "✓ 12 个月" in candidates
    mothers = out[out.index("各爱心妈妈") :]
    assert all(m.mother_id in mothers for m in expected.mothers)
    assert "示例妈妈" in mothers  # named as the contacts report names them
    assert not PHONE_OR_ID.search(out)


def test_the_year_after_shows_the_change_from_the_year_before(root, domain):
    out = run(root, "--year", "2020-2021").output
    assert "合计（括号内是与上一年度相比的增减）" in out
    before, now = domain("2019-2020").city, domain("2020-2021").city
    diff = now.contacts - before.contacts
    sign = "+" if diff > 0 else ""
    assert (f"{now.contacts:,}（{sign}{diff:,}）" if diff else f"{now.contacts:,}（持平）") in out
    assert "没有上一年度的记录可比" in run(root, "--year", "2019-2020").output


def test_the_year_defaults_to_the_as_of_days_and_a_running_year_says_so(root):
    out = run(root).output
    assert out.startswith(
        "年度总结：全市 2026-2027 活动年度\n（2026-08-01 至 2027-07-31；本年度还没有结束，数字统计到 2026-12-01）"
    )


def test_a_units_report_holds_its_own_mothers_only(root, domain):
    out = run(root, "--year", "2019-2020", "--unit", "chuanshan").output
    assert out.startswith("年度总结：船山区 2019-2020 活动年度")
    mothers = out[out.index("各爱心妈妈") :]
    ids = set(re.findall(r"[a-z]+-m-[0-9a-z]+", mothers))
    assert ids and all(i.startswith("chuanshan-") for i in ids)
    assert {m.mother_id for m in domain("2019-2020").of_unit("chuanshan").mothers} == ids


def test_json_holds_the_domains_figures(root, domain):
    result = run(root, "--year", "2020-2021", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    expected = domain("2020-2021")
    assert doc["year"] == {"label": "2020-2021", "start": "2020-08-01", "end": "2021-07-31"}
    assert doc["as_of"] == "2021-07-31" and doc["unit"] is None
    assert doc["total"]["contacts"] == expected.city.contacts and doc["total"]["unit"] == "city"
    assert [u["unit"] for u in doc["units"]] == [u.unit for u in expected.units]
    assert [u["unit"] for u in doc["previous"]][-1] == "city"
    assert [m["mother"]["id"] for m in doc["mothers"]] == [m.mother_id for m in expected.mothers]
    first = doc["mothers"][0]
    mother = expected.mothers[0]
    assert (first["months_covered"], first["contacts"], first["open_followup"]) == (
        mother.months_covered,
        mother.contacts,
        mother.open_followup,
    )
    assert [c["standing"] for c in doc["candidates"]] == [c.standing for c in expected.candidates]
    assert doc["review"]["criteria"][0] == "至少 11 个月与女童有联系"


def test_the_workbook_has_the_three_sheets(root, tmp_path, domain):
    out = tmp_path / "年度总结.xlsx"
    result = run(root, "--year", "2019-2020", "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "已生成" in result.output and "2019-2020" in result.output
    book = load_workbook(io.BytesIO(out.read_bytes()))
    assert book.sheetnames == ["年度总结", "评优候选人", "上报统计表"]
    expected = domain("2019-2020")
    mothers = book["年度总结"]
    assert mothers.cell(2, 1).value == "编号" and mothers.cell(2, 6).value == "联系月数"
    assert [mothers.cell(r, 1).value for r in range(3, 3 + len(expected.mothers))] == [
        m.mother_id for m in expected.mothers
    ]
    assert mothers.cell(3, 6).value == expected.mothers[0].months_covered  # a number, not text
    candidates = book["评优候选人"]
    assert candidates.cell(2, 5).value == "至少 11 个月与女童有联系"
    assert candidates.cell(3, 1).value == expected.candidates[0].mother_id
    upward = book["上报统计表"]
    headers = [c.value for c in upward[2]]
    for needed in ("爱心妈妈（名）", "建档女童（名）", "结对女童（名）", "电话（次）", "家访（次）", "节日陪伴（次）"):
        assert needed in headers
    assert "结束：父母返乡（对）" in headers and "表彰（名）" in headers and "参加培训（人次）" in headers
    rows = {upward.cell(r, 1).value: r for r in range(3, upward.max_row + 1)}
    city = rows["全市合计"]
    assert upward.cell(city, headers.index("联系合计（次）") + 1).value == expected.city.contacts
    assert upward.cell(city, headers.index("建档女童（名）") + 1).value == expected.city.girls_on_file
    assert upward.cell(city, headers.index("家访（次）") + 1).value == expected.city.home_visits
    assert len(headers) == len(set(headers))
    assert upward.page_setup.orientation == "landscape"


def test_a_warm_run_gives_the_same_output(root):
    first = run(root, "--year", "2019-2020", "--format", "json").stdout
    assert run(root, "--year", "2019-2020", "--format", "json").stdout == first
    assert run(root, "--year", "2019-2020", "--format", "json", "--no-cache").stdout == first


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--year", "2019"], "活动年度应写作 起始年-结束年"),
        (["--year", "2019-2021"], "相差一年"),
        (["--year", "2017-2018"], "活动启动"),
        (["--year", "2027-2028"], "还没有开始"),
        (["--unit", "nowhere"], "单位代码“nowhere”不存在"),
        (["--format", "xlsx"], "须用 --out"),
        (["--format", "xlsx", "--out", "x.csv"], ".xlsx 结尾"),
    ],
)
def test_errors_are_said_in_chinese_and_exit_2(root, args, words):
    result = run(root, *args)
    assert result.exit_code == 2
    assert words in result.output


def test_an_existing_file_or_one_inside_the_repository_is_refused(root, tmp_path):
    existing = tmp_path / "old.xlsx"
    existing.write_bytes(b"keep")
    result = run(root, "--format", "xlsx", "--out", str(existing))
    assert result.exit_code == 2 and "不会覆盖" in result.output and existing.read_bytes() == b"keep"
    inside = root / "年度总结.txt"
    result = run(root, "--out", str(inside))
    assert result.exit_code == 2 and "不能把年度总结写到仓库文件夹" in result.output and not inside.exists()


def test_the_citys_commendations_and_trainings_of_the_year_are_shown(root, domain):
    expected = domain("2019-2020")
    assert expected.commendations and expected.trainings  # the bundled examples hold some for 2019-2020
    out = run(root, "--year", "2019-2020").output
    listed = out[out.index("本年度的表彰") : out.index("本年度的培训")]
    assert all(c.mother_id in listed for c in expected.commendations)
    assert "家庭教育与心理沟通" in out[out.index("本年度的培训") :]
    doc = json.loads(run(root, "--year", "2019-2020", "--format", "json").stdout)
    assert [c["id"] for c in doc["commendations"]] == [c.record_id for c in expected.commendations]
    assert doc["total"]["commendations"] == len(expected.commendations)
    assert doc["total"]["trainings_attended"] == sum(len(t.attended) for t in expected.trainings)
    unit = json.loads(run(root, "--year", "2019-2020", "--unit", "chuanshan", "--format", "json").stdout)
    assert all(m.startswith("chuanshan-") for t in unit["trainings"] for m in t["invited"])


# The report's whole output on the bundled records, pinned: the figures come from the check's cached
# rows (domain.annual.to_row), and must be the ones the review made from the logs, byte for byte.
# AIXIN_UPDATE_GOLDEN=1 rewrites tests/golden/annual/ (then review the diff).
GOLDEN = REPO / "tests/golden/annual"
PINNED = {
    "2019-2020.txt": ["--year", "2019-2020"],
    "2020-2021.txt": ["--year", "2020-2021"],
    "2025-2026.json": ["--year", "2025-2026", "--format", "json"],
    "2026-2027.txt": [],  # the running year: figures up to the as-of day
    "2020-2021-chuanshan.txt": ["--year", "2020-2021", "--unit", "chuanshan"],
    "2020-2021-chuanshan.json": ["--year", "2020-2021", "--unit", "chuanshan", "--format", "json"],
}


def assert_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("AIXIN_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(PINNED))
def test_the_output_is_pinned(root, name):
    result = run(root, *PINNED[name])
    assert result.exit_code == 0, result.output
    assert_golden(name, result.stdout)


def test_the_workbook_is_pinned(root, tmp_path):
    out = tmp_path / "年度总结.xlsx"
    assert run(root, "--year", "2020-2021", "--format", "xlsx", "--out", str(out)).exit_code == 0
    book = load_workbook(io.BytesIO(out.read_bytes()))
    cells = [
        f"{sheet.title}!{cell.coordinate}\t{cell.value!r}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    assert_golden("2020-2021.xlsx.txt", "\n".join(cells) + "\n")


def test_a_report_after_the_check_reads_no_log(tmp_path, monkeypatch):
    """The check caches the review's figures (domain.annual.to_row): the first report after it
    neither rebuilds the index nor parses a log, and says what the golden file says."""
    root = tmp_path / "bundled"
    shutil.copytree(REPO / "records", root / "records")
    shutil.copytree(REPO / "schemas", root / "schemas")
    run_check(root, today=dt.date.fromisoformat(AS_OF))

    def refused(*args, **kwargs):
        raise AssertionError("the report parsed the logs again")

    monkeypatch.setattr("aixin.domain.care.LogDays", refused)
    monkeypatch.setattr("aixin.check.engine._index", refused)
    result = run(root, "--year", "2020-2021")
    assert result.exit_code == 0, result.output
    assert result.stdout == (GOLDEN / "2020-2021.txt").read_text(encoding="utf-8")


def test_after_one_log_changed_the_check_counts_only_its_pairing_again(tmp_path, monkeypatch):
    root = tmp_path / "bundled"
    shutil.copytree(REPO / "records", root / "records")
    shutil.copytree(REPO / "schemas", root / "schemas")
    day = dt.date.fromisoformat(AS_OF)
    first = run_check(root, today=day, with_annual=True).annual
    log = next(
        f for f in sorted((root / "records/chuanshan/logs").glob("*/*.yaml")) if "kind: 电话" in f.read_text("utf-8")
    )
    log.write_text(log.read_text("utf-8").replace("kind: 电话", "kind: 家访"), "utf-8")
    from aixin.domain import care

    parsed = []
    real = care.LogDays
    monkeypatch.setattr("aixin.domain.care.LogDays", lambda logs, *a: parsed.append(logs) or real(logs, *a))
    again = run_check(root, today=day, with_annual=True).annual
    assert [{record.data["pairing"] for record in logs} for logs in parsed] == [{log.parent.name}]
    fresh = run_check(root, today=day, use_cache=False, with_annual=True).annual
    assert again == fresh != first
    out = run(root, "--year", "2019-2020", "--format", "json").stdout
    assert out == run(root, "--year", "2019-2020", "--format", "json", "--no-cache").stdout


def test_the_rows_are_made_again_when_their_file_is_lost_and_a_plain_check_does_not_load_them(tmp_path, monkeypatch):
    root = tmp_path / "bundled"
    shutil.copytree(REPO / "records", root / "records")
    shutil.copytree(REPO / "schemas", root / "schemas")
    day = dt.date.fromisoformat(AS_OF)
    assert run_check(root, today=day, use_cache=False).annual is None  # only when asked for
    made = run_check(root, today=day, with_annual=True).annual
    (root / ".aixin-cache/annual-result.marshal").unlink()
    assert run_check(root, today=day).annual is None  # the check's own result: no rows loaded
    assert not (root / ".aixin-cache/annual-result.marshal").exists()
    assert run_check(root, today=day, with_annual=True).annual == made
    assert run(root, "--year", "2020-2021").stdout == (GOLDEN / "2020-2021.txt").read_text(encoding="utf-8")


def test_after_a_check_of_the_same_git_state_the_report_scans_no_file(tmp_path, monkeypatch):
    """In a Git work tree, a whole check remembers what records/ held (load.worktree.records_state)
    with its result; the report in the same state reuses it without walking or stat-ing a file,
    and once a record changes it checks as usual."""
    from test_pr import commit, git

    root = tmp_path / "clone"
    shutil.copytree(REPO / "records", root / "records")
    shutil.copytree(REPO / "schemas", root / "schemas")
    (root / ".gitignore").write_text(".aixin-cache/\n", "utf-8")
    git(root, "init", "--quiet", "--initial-branch=main")
    commit(root)
    day = dt.date.fromisoformat(AS_OF)
    log = next(
        f for f in sorted((root / "records/chuanshan/logs").glob("*/*.yaml")) if "kind: 电话" in f.read_text("utf-8")
    )
    log.write_text(log.read_text("utf-8") + "# 未提交的改动\n", "utf-8")  # an uncommitted file: still the same state
    run_check(root, today=day)  # as `aixin check` runs it
    expected = run(root, "--year", "2020-2021", "--no-cache").stdout

    def refused(*args, **kwargs):
        raise AssertionError("the report scanned the records again")

    with monkeypatch.context() as patched:
        patched.setattr("aixin.check.changes.scan", refused)
        patched.setattr("aixin.domain.layout.walk", refused)
        assert run(root, "--year", "2020-2021").stdout == expected
        assert run(root, "--year", "2020-2021", "--format", "json").exit_code == 0
    log.write_text(log.read_text("utf-8").replace("kind: 电话", "kind: 家访"), "utf-8")
    changed = run(root, "--year", "2020-2021").stdout
    assert changed == run(root, "--year", "2020-2021", "--no-cache").stdout != expected
