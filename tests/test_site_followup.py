"""The care figures on the site: 待跟进 pages, the dashboard's figures, the approval queue, what
unit, mother and pairing pages say of a pairing's care, and the as-of date and commit of a build.

Every date is fixed (`TODAY`, or an explicit as-of); the numbers come from `domain.care.assess`
and the tests check that each page shows them as the report has them, for the audience it is for.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest

from aixin.site import audience as audience_module
from aixin.site import build as site_build
from aixin.site import followup
from aixin.site.audience import CITY_AUDIENCE, PUBLIC_AUDIENCE, Audience, restrict
from aixin.site.collect import collect
from conftest import CASES, REPO, TODAY

VALID = CASES / "valid" / "records"
ROW = re.compile(r'<tr><td>(.*?)</td>.*?<td class="aixin-late">(\d+) 天</td><td><a href="\.\./pairings/([\w-]+)\.html">')


def _generate(root: Path, audience, tmp_path: Path, today=TODAY, commit="abc1234") -> Path:
    docs = tmp_path / f"docs-{audience.slug}"
    site_build.generate(root, audience, docs, today=today, commit=commit)
    return docs


def _text(path: Path) -> str:
    return unescape(path.read_text("utf-8"))


@pytest.fixture(scope="module")
def example_root(tmp_path_factory):
    """The repository's own example records (a 市直 mother with a 船山区 girl, a pending mother)."""
    dest = tmp_path_factory.mktemp("examples")
    shutil.copytree(REPO / "records", dest / "records")
    shutil.copytree(REPO / "schemas", dest / "schemas")
    return dest


# ------------------------------------------------------------------ the words


def test_periods_are_named_as_people_say_them():
    assert followup.period_name("2019-11") == "2019年11月"
    assert followup.period_name("2019-2020学年") == "2019-2020学年"
    assert followup.periods_text(("2019-11", "2019-12")) == "2019年11月、2019年12月"
    many = tuple(f"2020-{m:02d}" for m in range(1, 13))
    assert followup.periods_text(many) == "共 12 个月，最早 2020年1月，最近 2020年12月"
    assert followup.periods_text(()) == ""
    assert followup.period_name("2019-08-31前") == "应于 2019-08-31 前"
    terms = ("2019年秋季学期", "2020年春季学期", "2020年秋季学期", "2021年春季学期")
    assert followup.periods_text(terms) == "共 4 个学期，最早 2019年秋季学期，最近 2021年春季学期"


# ------------------------------------------------------------------ 待跟进 pages


def test_city_followup_lists_every_overdue_pairing_most_late_first(make_root, tmp_path):
    root = make_root(VALID)
    report = collect(root, TODAY).care
    overdue = [p for p in report.pairings if p.overdue]
    assert overdue and len(overdue) < len(report.pairings) + 1
    docs = _generate(root, CITY_AUDIENCE, tmp_path)
    page = _text(docs / "followup" / "index.md")
    rows = ROW.findall(page)
    assert [pid for _, _, pid in rows] == [p.pairing_id for p in overdue]
    assert [int(days) for _, days, _ in rows] == sorted((p.days_late for p in overdue), reverse=True)
    assert all((docs / "pairings" / f"{pid}.md").is_file() for _, _, pid in rows)
    assert "截至 2020-01-15（北京时间） · 版本 abc1234" in page
    # One page per unit, holding that unit's rows only, and linked from the city-wide page.
    for unit in ("chuanshan", "anju"):
        own = [p.pairing_id for p in overdue if p.unit == unit]
        assert f'<a href="{unit}.html">' in page
        assert [pid for _, _, pid in ROW.findall(_text(docs / "followup" / f"{unit}.md"))] == own
    assert "没有逾期的结对" in _text(docs / "followup" / "shehong.md")


def test_dashboard_shows_the_care_figures_and_links_the_overdue(make_root, tmp_path):
    root = make_root(VALID)
    report = collect(root, TODAY).care
    docs = _generate(root, CITY_AUDIENCE, tmp_path)
    home = _text(docs / "index.md")
    assert "联系次数" not in home  # the old column that read 0 everywhere is gone
    assert "<th>本月已联系</th><th>待跟进</th>" in home
    chuanshan = next(u for u in report.units if u.unit == "chuanshan")
    assert chuanshan.overdue
    cells = re.search(r'<a href="units/chuanshan\.html">船山区</a></td><td>(\d+)</td><td>(\d+)</td>'
                      r'<td><a href="followup/chuanshan\.html">(\d+)</a></td>', home)
    assert cells
    assert tuple(int(c) for c in cells.groups()) == (chuanshan.active, chuanshan.contacted_this_month,
                                                      chuanshan.overdue)
    assert f'<a href="followup/index.html">{report.city.overdue}</a>' in home
    for _, label in followup.obligation_labels(collect(root, TODAY).programme):
        assert f"<th>{label}</th>" in home
    assert "截至 2020-01-15（北京时间） · 版本 abc1234" in home


def test_unit_pages_show_last_contact_and_what_is_owed(make_root, tmp_path):
    root = make_root(VALID)
    data = collect(root, TODAY)
    late = next(p for p in data.care.pairings if p.overdue and p.unit == "chuanshan")
    summary = followup.summary(late)
    docs = _generate(root, CITY_AUDIENCE, tmp_path)
    unit = _text(docs / "units" / "chuanshan.md")
    assert f"<td>{summary.last_contact}</td><td><span class=\"aixin-owed\">{summary.owed_text}</span></td>" in unit
    assert '<a href="../followup/chuanshan.html">待跟进的结对</a>' in unit
    mother = _text(docs / "mothers" / f"{late.mother_id}.md")
    assert f"最近联系：{summary.last_contact}" in mother and f"未完成：{summary.owed_text}" in mother
    pairing = _text(docs / "pairings" / f"{late.pairing_id}.md")
    assert "关爱情况（截至 2020-01-15）" in pairing and f"逾期 {late.days_late} 天" in pairing
    for duty in late.duties:
        assert f"<td>{duty.label}</td>" in pairing
    # An ended pairing owes nothing: its page has no care table.
    ended = next(p for p in data.pairings.values() if p.data.get("status") == "已结束")
    assert "关爱情况" not in _text(docs / "pairings" / f"{ended.id}.md")


def test_an_earlier_as_of_rebuilds_earlier_figures(make_root, tmp_path):
    """The same records as of an earlier day: fewer months owed, the pages say which day."""
    root = make_root(VALID)
    early = dt.date(2019, 9, 10)
    late_docs = _generate(root, CITY_AUDIENCE, tmp_path / "late")
    early_docs = _generate(root, CITY_AUDIENCE, tmp_path / "early", today=early)
    assert "截至 2019-09-10" in _text(early_docs / "followup" / "index.md")
    early_days = [int(d) for _, d, _ in ROW.findall(_text(early_docs / "followup" / "index.md"))]
    late_days = [int(d) for _, d, _ in ROW.findall(_text(late_docs / "followup" / "index.md"))]
    assert sum(early_days) < sum(late_days)


# ------------------------------------------------------------------ who sees what


def test_unit_followup_shows_its_girls_pairings_kept_by_another_unit(example_root, tmp_path):
    data = collect(example_root, TODAY)
    guests = [p for p in data.care.pairings
              if p.overdue and p.unit != "chuanshan" and data.girls[p.girl_id].unit == "chuanshan"]
    assert guests, "the example records should have an overdue 市直 pairing with a 船山区 girl"
    docs = _generate(example_root, Audience("unit", "chuanshan"), tmp_path)
    page = _text(docs / "followup" / "chuanshan.md")
    for care in guests:
        mother = data.mothers[care.mother_id].data["name"]
        # Listed apart from the unit's own mothers' pairings, the other unit's mother by name and unit only.
        assert page.index(f"../pairings/{care.pairing_id}.html") > page.index("<h2>其他单位的爱心妈妈与本单位女童的结对")
        assert f"{mother}（市直）" in page
        assert care.mother_id not in page
    assert "mothers/shizhi" not in page and not (docs / "followup" / "index.md").exists()
    assert not (docs / "followup" / "shizhi.md").exists()
    site = restrict(collect(example_root, TODAY), Audience("unit", "chuanshan"))
    assert {u.unit for u in site.data.care.units} == {"chuanshan"}
    assert {p.pairing_id for p in site.data.care.pairings} <= set(site.data.pairings)


def test_the_mother_units_site_does_not_name_the_other_units_girl(example_root, tmp_path):
    data = collect(example_root, TODAY)
    cross = [p for p in data.care.pairings if p.overdue and p.unit == "shizhi"
             and data.girls[p.girl_id].unit != "shizhi"]
    assert cross
    docs = _generate(example_root, Audience("unit", "shizhi"), tmp_path)
    page = _text(docs / "followup" / "shizhi.md")
    for care in cross:
        assert f"../pairings/{care.pairing_id}.html" in page
        assert data.girls[care.girl_id].data["name"] not in page
    assert "船山区的女童（不在本单位站点中显示）" in page


def test_approval_queue_is_for_city_staff_only(make_root, tmp_path):
    example_root = make_root(VALID)
    data = collect(example_root, TODAY)
    assert data.queue, "the case records should hold a mother awaiting the city's decision"
    city = _text(_generate(example_root, CITY_AUDIENCE, tmp_path) / "index.md")
    assert "等待市妇联审核的爱心妈妈" in city
    for waiting in data.queue:
        name = data.mothers[waiting.mother_id].data["name"]
        assert f'<a href="mothers/{waiting.mother_id}.html">{name}</a>' in city
        assert f"<td>{waiting.county_date.isoformat()}</td><td class=\"aixin-late\">{waiting.days} 天</td>" in city
    unit = Audience("unit", data.mothers[data.queue[0].mother_id].unit)
    assert restrict(collect(example_root, TODAY), unit).data.queue == ()
    assert "等待市妇联审核" not in _text(_generate(example_root, unit, tmp_path) / "index.md")
    public = _generate(example_root, PUBLIC_AUDIENCE, tmp_path)
    assert not (public / "followup").exists()
    assert "待跟进" not in _text(public / "index.md")
    assert restrict(collect(example_root, TODAY), PUBLIC_AUDIENCE).data.care is None


# ------------------------------------------------------------------ which commit


def _git(root: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "示例", "GIT_AUTHOR_EMAIL": "a@example.invalid", "GIT_COMMITTER_NAME": "示例",
           "GIT_COMMITTER_EMAIL": "a@example.invalid", "HOME": str(root), "PATH": "/usr/bin:/bin"}
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True,
                          env=env).stdout.strip()


def test_version_names_the_commit_or_the_uncommitted_records(make_root):
    root = make_root(VALID)
    assert site_build.version(root) == ""  # not a Git work tree: nothing to name
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "示例")
    head = _git(root, "rev-parse", "--short", "HEAD")
    assert site_build.version(root) == head
    log = next((root / "records").rglob("logs/*/*.yaml"))
    log.write_text(log.read_text("utf-8") + "# 改动\n", "utf-8")
    assert site_build.version(root) == f"未提交的修改（在 {head} 之后）"
    assert site_build.stamp(TODAY, head) == f"数据截至 2020-01-15 · 版本 {head}"
    assert site_build.stamp(TODAY, "") == "数据截至 2020-01-15"


def test_public_site_counts_the_pairings_contacted_this_month(example_root):
    data = collect(example_root, TODAY)
    site = restrict(collect(example_root, TODAY), PUBLIC_AUDIENCE)
    column = [label for _, label in audience_module.PUBLIC_FIELDS].index("本月已联系的结对")
    for unit, row in zip(data.programme.units, site.public_rows[:-1]):
        contacted = next(u.contacted_this_month for u in data.care.units if u.unit == unit.id)
        shown = audience_module.suppressed(contacted) if unit.quota else str(contacted)
        assert row.cells[column] == shown, unit.id
    assert site.data.care is None and site.data.queue == ()


# ------------------------------------------------------------------ figures checked by hand


def test_the_case_records_figures_checked_by_hand(make_root, tmp_path):
    """tests/cases/rules/valid as of 2020-01-15 (programme launched 2019-08-01; the 2019 autumn
    term runs 2019-09-01 – 2020-01-15, so it is not over yet).

    船山区 has four pairings in progress (chuanshan-p-2b9v7n ended on 2019-10-31), none contacted in
    January 2020, and all four overdue:
    - 5t1w6r (from 2019-08-01): no 互认互知 by 2019-08-31; contact with the girl in September
      (phone, festival) and October (home visit), none in August, November, December; the guardian
      on 09-15 and 10-05 only. Earliest due: 2019-09-01, so 136 days late; last contact 2019-10-05.
      This year's home visit (10-05) and festival (09-13) are done, and the term's guardian visit
      (the home visit); no teacher visit.
    - 8z4k2m (from 2019-08-05, owes from September): met on 08-05 (互认互知); in September only a
      visit to the teacher, which is no contact with the girl: September to December missed.
    - 6c3x8q (from 2019-11-10, owes from December): a letter on 12-01, but no 互认互知 by 12-10
      and no guardian contact in December.
    - 4h7j2w (from 2019-08-10): one visit to the guardian on 08-10 (before the term), nothing else.
    So one pairing in four (25 %) met each of: 双互, home visit, festival, teacher visit, guardian
    visit; none (0 %) the monthly contact or the guardian contact of January.
    安居区's one pairing (from 2019-08-02) had a festival on 2019-10-01 and a log of kind 其他 on
    2020-01-15 (not a contact kind): it owes from September, missing September, November and
    December, and its 双互 was due by 2019-09-01 (135 days late).
    """
    root = make_root(VALID)
    docs = _generate(root, CITY_AUDIENCE, tmp_path)
    home = _text(docs / "index.md").split("<h2>关爱情况</h2>")[1]
    row = re.search(r'<a href="units/chuanshan\.html">船山区</a></td>((?:<td>.*?</td>)+)</tr>\n<tr><td><a href="units/anju', home)
    cells = re.findall(r"<td>(.*?)</td>", row.group(1))
    assert cells == ["4", "0", '<a href="followup/chuanshan.html">4</a>', "25%", "0%", "0%", "25%", "25%", "25%", "25%"]
    page = _text(docs / "followup" / "index.md")
    five = re.search(r"<tr>(?:(?!</tr>).)*chuanshan-p-5t1w6r\.html(?:(?!</tr>).)*</tr>", page).group(0)
    assert ('<td class="aixin-owed-cell">双互（互认互知）：应于 2019-08-31 前<br>每月联系：2019年8月、2019年11月、'
            "2019年12月<br>联系临时监护人：2019年8月、2019年11月、2019年12月</td><td>2019-10-05</td>"
            '<td class="aixin-late">136 天</td>') in five
    assert ROW.findall(page)[0][2] == "chuanshan-p-5t1w6r"  # the most late first
    eight = re.search(r"<tr>(?:(?!</tr>).)*chuanshan-p-8z4k2m\.html(?:(?!</tr>).)*</tr>", page).group(0)
    assert "每月联系：共 4 个月，最早 2019年9月，最近 2019年12月" in eight and "双互" not in eight
    anju = re.search(r"<tr>(?:(?!</tr>).)*anju-p-3r6t9y\.html(?:(?!</tr>).)*</tr>", page).group(0)
    assert "每月联系：2019年9月、2019年11月、2019年12月" in anju and '135 天' in anju
    assert "<td>2019-10-01</td>" in anju
    pairing = _text(docs / "pairings" / "chuanshan-p-5t1w6r.md")
    for label, state in (("每年家访", "本期已完成"), ("每年陪伴过一个节日", "本期已完成"), ("访临时监护人", "本期已完成"),
                         ("访老师", "本期待完成")):
        assert f"<tr><td>{label}</td><td>{state}</td><td>—</td></tr>" in pairing
    assert "关爱情况" not in _text(docs / "pairings" / "chuanshan-p-2b9v7n.md")  # ended
