"""The monthly reminder of one unit (or of the city), as Markdown for an issue, JSON, and a short
message for a work group's robot.

A reminder names a pairing by its id, a mother by her surname and a masked given name (王**),
and never a girl or any phone or ID number: it is posted where many people read it (an issue,
a 工作群). The group message carries still less: counts and the site link, never a name.
The values come in already masked (`reminders.build`); this module only words them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from aixin.domain.festivals import Festival

CITY = "city"  # the reminder for city staff: every unit's counts and the approval queue
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
# A pairing late for years would list dozens of months: past this many, the first and the count.
MAX_PERIODS = 3
# An issue's body is capped (GitHub: 65,536 characters): the most late pairings, then a count.
MAX_ROWS = 100


@dataclass(frozen=True)
class Overdue:
    """One pairing with something owed, as a reminder shows it."""

    pairing_id: str
    mother: str  # masked: 王**
    link: str  # its page: a full URL, or its path inside the unit's site
    owed: tuple[tuple[str, tuple[str, ...]], ...]  # (obligation label, periods missed)
    days_late: int
    last_contact: dt.date | None


@dataclass(frozen=True)
class Queued:
    """A mother approved by her county, waiting for the city's decision."""

    mother: str  # masked
    unit_name: str
    county_date: dt.date
    days: int


@dataclass(frozen=True)
class UnitLine:
    """One unit's counts in the city's reminder."""

    unit_name: str
    active: int
    overdue: int


@dataclass(frozen=True)
class Reminder:
    unit: str  # a unit id, or CITY
    unit_name: str  # 船山区, or 全市
    as_of: dt.date
    active: int
    overdue_count: int
    overdue: tuple[Overdue, ...]  # a unit's own list; empty for the city, which has `units`
    festivals: tuple[Festival, ...]  # from `as_of` to `festivals_until`
    festivals_until: dt.date
    site_link: str  # the unit's page in its site (URL or path)
    coordinators: tuple[str, ...]  # logins to mention
    queue: tuple[Queued, ...] = ()
    units: tuple[UnitLine, ...] = ()

    @property
    def title(self) -> str:
        return f"【待跟进】{self.unit_name} {self.as_of.year}年{self.as_of.month}月"

    @property
    def title_prefix(self) -> str:
        """What every month's title of this unit starts with: how its one open issue is found."""
        return f"【待跟进】{self.unit_name} "

    @property
    def settled(self) -> bool:
        """Nothing to follow up: the unit's issue is closed."""
        return self.overdue_count == 0 and not self.queue


def period_text(period: str) -> str:
    """2026-10 → 2026年10月; a programme year or a term name stays as it is."""
    found = _MONTH.fullmatch(period)
    return f"{found.group(1)}年{int(found.group(2))}月" if found else period


def _count_word(period: str) -> str:
    if _MONTH.fullmatch(period):
        return "个月"
    return next((f"个{word}" for word in ("学年", "学期") if period.endswith(word)), "期")


def owed_text(label: str, periods: tuple[str, ...]) -> str:
    if not periods:
        return label
    if len(periods) > MAX_PERIODS:
        return f"{label}（{period_text(periods[0])}起共 {len(periods)} {_count_word(periods[0])}）"
    return f"{label}（{'、'.join(period_text(p) for p in periods)}）"


def is_address(target: str) -> bool:
    return target.startswith(("https://", "http://"))


def _pairing(item: Overdue) -> str:
    """The pairing's id, a link to its page where the sites have an address."""
    return f"[{item.pairing_id}]({item.link})" if is_address(item.link) else f"`{item.pairing_id}`"


def _site(text: str, target: str) -> str:
    return f"[{text}]({target})" if is_address(target) else f"{text}中的 `{target}` 页面"


def _cell(text: str) -> str:
    return text.replace("|", "｜").replace("\n", " ")


def _day(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def _festival_lines(reminder: Reminder) -> list[str]:
    if not reminder.festivals:
        return ["这段时间没有节日。"]
    return [f"- {_day(f.day)} {f.name}" + ("（农历节日）" if f.lunar else "") for f in reminder.festivals]


def _overdue_lines(reminder: Reminder) -> list[str]:
    lines = [f"## 需要跟进的结对（{reminder.overdue_count} 对，共 {reminder.active} 对进行中）", ""]
    if not reminder.overdue:
        return lines + ["所有进行中的结对都按时完成了，没有需要跟进的结对。"]
    lines += ["| 结对 | 爱心妈妈 | 还没有完成 | 晚了 | 最近一次联系 |", "|---|---|---|---|---|"]
    for item in reminder.overdue[:MAX_ROWS]:
        owed = "；".join(owed_text(label, periods) for label, periods in item.owed)
        last = item.last_contact.isoformat() if item.last_contact else "没有联系记录"
        lines.append(f"| {_pairing(item)} | {_cell(item.mother)} | {_cell(owed)} | {item.days_late} 天 | {last} |")
    if len(reminder.overdue) > MAX_ROWS:
        rest = len(reminder.overdue) - MAX_ROWS
        lines += [
            "",
            f"这里只列出晚得最多的 {MAX_ROWS} 对，另有 {rest} 对：全部结对见本单位网站，或运行 aixin report contacts。",
        ]
    if not any(is_address(item.link) for item in reminder.overdue):
        lines += ["", "结对的页面在本单位网站的 `pairings/<结对编号>.html`。"]
    return lines


def _city_lines(reminder: Reminder) -> list[str]:
    lines = [f"## 各单位（共 {reminder.active} 对进行中，{reminder.overdue_count} 对需要跟进）", ""]
    lines += ["| 单位 | 进行中的结对 | 需要跟进 |", "|---|---|---|"]
    lines += [f"| {u.unit_name} | {u.active} | {u.overdue} |" for u in reminder.units]
    lines += ["", f"## 等待市妇联审批的爱心妈妈（{len(reminder.queue)} 位）", ""]
    if not reminder.queue:
        return lines + ["没有等待审批的爱心妈妈。"]
    lines += ["| 爱心妈妈 | 单位 | 县区（园区）妇联同意日期 | 已等待 |", "|---|---|---|---|"]
    lines += [f"| {q.mother} | {q.unit_name} | {q.county_date.isoformat()} | {q.days} 天 |" for q in reminder.queue]
    return lines


def markdown(reminder: Reminder) -> str:
    """The issue's body: who is asked, what is owed and how late, the coming festivals."""
    mentions = " ".join(f"@{login}" for login in reminder.coordinators)
    lines = [f"# {reminder.title}", "", f"按 {reminder.as_of.isoformat()} 的记录计算。{mentions}".rstrip(), ""]
    lines += _city_lines(reminder) if reminder.unit == CITY else _overdue_lines(reminder)
    lines += ["", f"## 接下来的节日（到 {_day(reminder.festivals_until)}，可以安排节日陪伴）", ""]
    lines += [*_festival_lines(reminder), ""]
    site = "全市网站" if reminder.unit == CITY else "本单位网站"
    lines += [
        f"详细情况见{_site(site, reminder.site_link)}。"
        "补上联系记录后，下一次提醒会自动更新；没有需要跟进的结对时，这个议题会自动关闭。",
        "",
        "这份提醒由 aixin 根据记录自动生成，不含女童姓名和任何电话、身份证号码；爱心妈妈只显示姓氏。",
    ]
    return "\n".join(lines) + "\n"


def group_message(reminder: Reminder) -> tuple[str, str]:
    """(title, Markdown text) for a work group's robot: counts and the site link, never a name."""
    lines = [f"### {reminder.title}", ""]
    lines.append(f"进行中的结对 {reminder.active} 对，需要跟进 {reminder.overdue_count} 对。")
    if reminder.unit == CITY:
        lines.append(f"等待市妇联审批的爱心妈妈 {len(reminder.queue)} 位。")
    if reminder.festivals:
        days = "、".join(f"{f.name}（{_day(f.day)}）" for f in reminder.festivals)
        lines.append(f"接下来的节日：{days}。")
    site = "全市网站" if reminder.unit == CITY else "本单位网站"
    lines.append(f"详细情况见{_site(site, reminder.site_link)}。")
    return reminder.title, "\n".join(lines)


def as_dict(reminder: Reminder) -> dict:
    """The JSON form: the same values, dates as 年-月-日."""
    return {
        "unit": reminder.unit,
        "unit_name": reminder.unit_name,
        "title": reminder.title,
        "as_of": reminder.as_of.isoformat(),
        "active": reminder.active,
        "overdue_count": reminder.overdue_count,
        "overdue": [
            {
                "pairing": o.pairing_id,
                "mother": o.mother,
                "link": o.link,
                "owed": [{"label": label, "periods": list(periods)} for label, periods in o.owed],
                "days_late": o.days_late,
                "last_contact": o.last_contact.isoformat() if o.last_contact else None,
            }
            for o in reminder.overdue
        ],
        "festivals_until": reminder.festivals_until.isoformat(),
        "festivals": [{"name": f.name, "date": f.day.isoformat(), "lunar": f.lunar} for f in reminder.festivals],
        "site_link": reminder.site_link,
        "coordinators": list(reminder.coordinators),
        "approval_queue": [
            {"mother": q.mother, "unit_name": q.unit_name, "county_date": q.county_date.isoformat(), "days": q.days}
            for q in reminder.queue
        ],
        "units": [{"unit_name": u.unit_name, "active": u.active, "overdue": u.overdue} for u in reminder.units],
    }


def to_json(reminders: list[Reminder]) -> str:
    return json.dumps([as_dict(r) for r in reminders], ensure_ascii=False, indent=2) + "\n"
