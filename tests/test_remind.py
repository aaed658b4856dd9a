"""The monthly reminder: the festival calendar, masked names, and the texts (no girl, no number)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from aixin.core.masking import mask_name
from aixin.domain.festivals import festivals_between, festivals_of_year
from aixin.report import reminder as texts
from aixin.report.reminder import CITY, Overdue, Queued, Reminder, UnitLine

D = dt.date


# ---------------------------------------------------------------- festivals


def test_lunar_festivals_of_2026_checked_by_the_almanac():
    days = {f.name: f.day for f in festivals_of_year(2026)}
    assert days == {"元旦": D(2026, 1, 1), "春节": D(2026, 2, 17), "元宵节": D(2026, 3, 3), "儿童节": D(2026, 6, 1),
                    "端午节": D(2026, 6, 19), "中秋节": D(2026, 9, 25), "国庆节": D(2026, 10, 1),
                    "重阳节": D(2026, 10, 18)}
    assert [f.day for f in festivals_of_year(2026)] == sorted(days.values())


def test_a_lunar_festival_moves_across_months():
    # 中秋 fell in October in 2025 and falls in September in 2026; 春节 in January in 2023
    assert [f.name for f in festivals_between(D(2025, 9, 1), D(2025, 9, 30))] == []
    assert [(f.name, f.day) for f in festivals_between(D(2025, 10, 1), D(2025, 10, 31))] == [
        ("国庆节", D(2025, 10, 1)), ("中秋节", D(2025, 10, 6)), ("重阳节", D(2025, 10, 29))]
    assert [(f.name, f.day) for f in festivals_between(D(2026, 9, 1), D(2026, 9, 30))] == [("中秋节", D(2026, 9, 25))]
    assert ("春节", D(2023, 1, 22)) in [(f.name, f.day) for f in festivals_between(D(2023, 1, 1), D(2023, 1, 31))]


def test_festivals_across_the_new_year():
    found = festivals_between(D(2026, 12, 15), D(2027, 2, 14))
    assert [(f.name, f.day) for f in found] == [("元旦", D(2027, 1, 1)), ("春节", D(2027, 2, 6))]
    assert all(f.lunar == (f.name == "春节") for f in found)


# ---------------------------------------------------------------- names


@pytest.mark.parametrize("name, masked", [("王晓梅", "王**"), ("李娜", "李*"), ("欧阳晓梅", "欧阳**"),
                                          ("示例妈妈甲", "示****"), (" 张三 ", "张*"), ("", "**"), (None, "**"),
                                          ("王", "王*")])
def test_mask_name_keeps_the_surname_only(name, masked):
    assert mask_name(name) == masked


# ---------------------------------------------------------------- the texts


def unit_reminder(overdue=True, link="pairings/chuanshan-p-5t1w6r.html") -> Reminder:
    items = (Overdue("chuanshan-p-5t1w6r", "王**", link,
                     (("每月联系", ("2026-10", "2026-11")), ("访老师", ("2026年秋季学期",))), 31, D(2026, 9, 12)),
             Overdue("chuanshan-p-00kc5z", "李*", "pairings/chuanshan-p-00kc5z.html",
                     (("每月联系", tuple(f"2020-{m:02d}" for m in range(8, 13))),), 2300, None)) if overdue else ()
    return Reminder("chuanshan", "船山区", D(2026, 12, 1), 5, len(items), items,
                    tuple(festivals_between(D(2026, 12, 1), D(2026, 12, 31))), D(2026, 12, 31), "followup/chuanshan.html",
                    ("shili-chuanshan-1", "shili-chuanshan-2"))


def test_unit_markdown():
    text = texts.markdown(unit_reminder())
    assert text.startswith("# 【待跟进】船山区 2026年12月\n")
    assert "@shili-chuanshan-1 @shili-chuanshan-2" in text
    assert "| `chuanshan-p-5t1w6r` | 王** | 每月联系（2026年10月、2026年11月）；访老师（2026年秋季学期） | 31 天 | 2026-09-12 |" in text
    assert "每月联系（2020年8月起共 5 个月） | 2300 天 | 没有联系记录 |" in text
    assert "结对的页面在本单位网站的 `pairings/<结对编号>.html`。" in text
    assert "## 接下来的节日（到 12月31日，可以安排节日陪伴）\n\n这段时间没有节日。" in text
    assert "详细情况见本单位网站中的 `followup/chuanshan.html` 页面。" in text


def test_periods_are_counted_in_their_own_word():
    assert texts.owed_text("每年家访", ("2019-2020学年", "2020-2021学年", "2021-2022学年", "2022-2023学年")) == \
        "每年家访（2019-2020学年起共 4 个学年）"
    assert texts.owed_text("访老师", tuple(f"{y}年秋季学期" for y in range(2019, 2024))) == "访老师（2019年秋季学期起共 5 个学期）"
    assert texts.owed_text("双互（互认互知）", ("2019-08-31前",)) == "双互（互认互知）（2019-08-31前）"
    assert texts.owed_text("每月联系", ()) == "每月联系"


def test_a_site_address_makes_real_links():
    text = texts.markdown(unit_reminder(link="https://aixin.fulian.example/chuanshan/pairings/chuanshan-p-5t1w6r.html"))
    assert "[chuanshan-p-5t1w6r](https://aixin.fulian.example/chuanshan/pairings/chuanshan-p-5t1w6r.html)" in text
    assert "`chuanshan-p-00kc5z`" in text  # a row without an address keeps the plain id


def test_nothing_overdue_is_settled():
    quiet = unit_reminder(overdue=False)
    assert quiet.settled and not unit_reminder().settled
    assert "没有需要跟进的结对" in texts.markdown(quiet)


def test_city_reminder_has_the_units_and_the_approval_queue():
    city = Reminder(CITY, "全市", D(2026, 12, 1), 12, 3, (), (), D(2027, 1, 31), "index.html", ("shili-shifulian-1",),
                    (Queued("赵**", "安居区", D(2026, 10, 8), 54),), (UnitLine("船山区", 5, 2), UnitLine("安居区", 7, 1)))
    text = texts.markdown(city)
    assert "| 船山区 | 5 | 2 |" in text and "| 赵** | 安居区 | 2026-10-08 | 54 天 |" in text
    assert not city.settled
    title, message = texts.group_message(city)
    assert title == "【待跟进】全市 2026年12月" and "等待市妇联审批的爱心妈妈 1 位" in message and "赵" not in message


def test_json_form():
    (data,) = json.loads(texts.to_json([unit_reminder()]))
    assert data["title"] == "【待跟进】船山区 2026年12月" and data["overdue_count"] == 2
    assert data["overdue"][0]["owed"][0] == {"label": "每月联系", "periods": ["2026-10", "2026-11"]}
    assert data["overdue"][1]["last_contact"] is None


def test_group_message_names_nobody():
    title, message = texts.group_message(unit_reminder())
    assert "需要跟进 2 对" in message and "followup/chuanshan.html" in message
    assert "王" not in message and "李" not in message and "chuanshan-p-" not in message


def test_a_long_list_is_cut_to_fit_an_issue():
    one = unit_reminder().overdue[1]
    many = tuple(Overdue(f"chuanshan-p-{n:06d}", one.mother, one.link, one.owed, 2300 - n, None) for n in range(1500))
    big = Reminder("chuanshan", "船山区", D(2026, 12, 1), 1500, 1500, many, (), D(2027, 1, 31), "followup/chuanshan.html", ())
    text = texts.markdown(big)
    assert len(text) < 65536
    assert "`chuanshan-p-000099`" in text and "`chuanshan-p-000100`" not in text
    assert "这里只列出晚得最多的 100 对，另有 1400 对" in text


def test_the_reminder_links_the_page_the_site_builds():
    from aixin.report.reminders import followup_page
    from aixin.site.pages import followup_path

    assert followup_page("chuanshan") == followup_path("chuanshan").replace(".md", ".html")
