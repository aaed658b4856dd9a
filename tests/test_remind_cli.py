"""`aixin remind` end to end on a small hand-made repository (tests/cases/remind/records/), as of
2026-12-01, against golden text per unit and against the stand-in hosts.

Checked by hand: 船山区 has chuanshan-p-5t1w6r (one contact, in September 2019: late for years)
and chuanshan-p-r3m1nd (started 2026-08-01; the girl and guardian in August and September, the
girl alone in October, nobody in November): it owes 每月联系 for 2026-11 and 联系临时监护人 for
2026-10 and 2026-11, overdue since 2026-11-01, so 30 days late. 河东新区's pairing, started the
same day, has a contact with both every month: nothing owed, its issue is closed. 安居区's mother,
approved by the county on 2026-10-08 and not yet by the city, has waited 54 days.
AIXIN_UPDATE_GOLDEN=1 rewrites tests/golden/remind/.
"""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from aixin.cli import main
from conftest import CASES
from standin import REPO, TOKEN, StandIn
from test_check_golden import assert_golden

AS_OF = "2026-12-01"
ENV = {"AIXIN_SITE_URL": None, "AIXIN_FORGE_TOKEN": None, "GITHUB_REPOSITORY": None, "GITHUB_API_URL": None,
       "GITEA_ACTIONS": None, "FORGEJO_ACTIONS": None, "AIXIN_DEBUG": None,
       **{f"AIXIN_WEBHOOK_{u}": None for u in ("CITY", "CHUANSHAN", "HEDONG", "ANJU")}}


@pytest.fixture
def root(make_root, tmp_path):
    made = make_root(CASES.parent / "remind" / "records")
    (made / "records" / "coordinators.yaml").write_bytes((CASES.parents[2] / "records" / "coordinators.yaml").read_bytes())
    return made


def run(root, *extra, env=None):
    return CliRunner().invoke(main, ["remind", "--root", str(root), "--as-of", AS_OF, *extra], env={**ENV, **(env or {})})


@pytest.mark.parametrize("unit", ["chuanshan", "hedong", "city"])
def test_reminder_text_per_unit_matches_golden(root, unit):
    result = run(root, "--unit", unit)
    assert result.exit_code == 0, result.output
    assert_golden(f"remind/{unit}.md", result.stdout)


def test_hand_checked_figures(root):
    result = run(root, "--format", "json")
    assert result.exit_code == 0, result.output
    by_unit = {r["unit"]: r for r in json.loads(result.stdout)}
    assert list(by_unit)[-1] == "city" and len(by_unit) == 10
    late = {o["pairing"]: o for o in by_unit["chuanshan"]["overdue"]}
    assert list(late) == ["chuanshan-p-5t1w6r", "chuanshan-p-r3m1nd"]  # most late first
    assert late["chuanshan-p-r3m1nd"]["owed"] == [{"label": "每月联系", "periods": ["2026-11"]},
                                                  {"label": "联系临时监护人", "periods": ["2026-10", "2026-11"]}]
    assert late["chuanshan-p-r3m1nd"]["days_late"] == 30
    assert late["chuanshan-p-r3m1nd"]["last_contact"] == "2026-10-12"
    assert (by_unit["hedong"]["active"], by_unit["hedong"]["overdue_count"]) == (1, 0)
    assert by_unit["city"]["approval_queue"] == [
        {"mother": "示****", "unit_name": "安居区", "county_date": "2026-10-08", "days": 54}]
    assert by_unit["city"]["festivals"] == [{"name": "元旦", "date": "2027-01-01", "lunar": False}]


def test_no_girl_name_and_no_number_in_any_reminder(root):
    text = run(root).stdout + run(root, "--format", "json").stdout
    records = "".join(p.read_text("utf-8") for p in (root / "records").rglob("*.yaml"))
    girls = set(re.findall(r"^name: (\S+)", "".join(
        p.read_text("utf-8") for p in (root / "records").rglob("girls/*.yaml")), re.M))
    mothers = set(re.findall(r"^name: (\S+)", "".join(
        p.read_text("utf-8") for p in (root / "records").rglob("mothers/*.yaml")), re.M))
    assert girls and mothers
    for name in girls | mothers | set(re.findall(r"name: (示例\S+)", records)):
        assert name not in text
    assert not re.search(r"[0-9]{7,}", text.replace("2026-", "").replace("2019-", ""))


def test_site_address_and_out_folder(root, tmp_path):
    out = tmp_path / "remind"
    result = run(root, "--out", str(out), env={"AIXIN_SITE_URL": "https://aixin.fulian.example/{unit}/"})
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir())[:3] == ["anju.md", "chuanshan.md", "city.md"]
    text = (out / "chuanshan.md").read_text("utf-8")
    assert "[chuanshan-p-r3m1nd](https://aixin.fulian.example/chuanshan/pairings/chuanshan-p-r3m1nd.html)" in text
    assert "[本单位网站](https://aixin.fulian.example/chuanshan/followup/chuanshan.html)" in text
    assert "[全市网站](https://aixin.fulian.example/city/index.html)" in (out / "city.md").read_text("utf-8")


def test_unknown_unit_is_a_usage_error(root):
    result = run(root, "--unit", "nowhere")
    assert result.exit_code == 2 and "单位代码“nowhere”不存在" in result.output
    assert "chuanshan（船山区）" in result.output and "city（市妇联的提醒）" in result.output


def test_post_opens_updates_and_closes_the_units_issues(root):
    with StandIn("github") as (host, url), StandIn("dingtalk", secret="SECk") as (robot, hook):
        host.issues[1] = {"number": 1, "title": "【待跟进】河东新区 2026年11月", "body": "", "state": "open",
                          "label_names": ["待跟进"]}
        env = {"AIXIN_FORGE_TOKEN": TOKEN, "GITHUB_REPOSITORY": REPO, "GITHUB_API_URL": url,
               "AIXIN_WEBHOOK_CHUANSHAN": f"dingtalk:{hook}/robot/send?access_token=abc",
               "AIXIN_WEBHOOK_CHUANSHAN_SECRET": "SECk", "AIXIN_WEBHOOK_HEDONG": "dingtalk:http://127.0.0.1:9/x"}
        result = run(root, "--out", str(root / "out"), "--post", env=env)
        titles = {i["title"]: i for i in host.issues.values()}
        (message,) = robot.seen
    assert result.exit_code == 0, result.output
    assert titles["【待跟进】河东新区 2026年12月"]["state"] == "closed"
    assert titles["【待跟进】船山区 2026年12月"]["state"] == "open"
    assert titles["【待跟进】全市 2026年12月"]["state"] == "open"  # the approval queue
    assert len(host.issues) == 3, "units with nothing to follow up get no issue"
    assert "船山区：已新开议题" in result.stdout and "河东新区：没有需要跟进的结对了，已关闭议题 #1" in result.stdout
    assert "需要跟进 2 对" in message.body["markdown"]["text"]
    # 河东新区's robot cannot be reached: reported in Chinese, the run still succeeds
    assert "未发出：河东新区：工作群消息没有发出：连不上 127.0.0.1:9" in result.stderr
    assert "abc" not in result.output and TOKEN not in result.output


def test_post_fails_when_an_issue_cannot_be_written(root):
    with StandIn("gitea") as (host, url):
        env = {"AIXIN_FORGE_TOKEN": "wrong", "GITHUB_REPOSITORY": REPO, "GITHUB_API_URL": f"{url}/api/v1"}
        result = run(root, "--unit", "chuanshan", "--post", env=env)
    assert result.exit_code == 1
    assert "未发出：船山区：议题没有发出：" in result.stderr and "HTTP 401" in result.stderr
