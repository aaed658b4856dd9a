"""The rules that need a pull request, codes A001–A011 (`registry.CHANGE_RULES`).

They are not in `RULES`: those judge records, these judge a change and who made it, and they run
only with `aixin check --pr`. Each is documented like a record rule (title, then `通过：` and
`不通过：` examples), so the catalogue lists them beside the others.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from aixin.core.findings import Problem, Severity
from aixin.domain.changes import Change, RecordPath, Removed, Target, in_city_folder, unit_of
from aixin.domain.layout import CACHE_FOLDER
from aixin.domain.terms import KIND_LABELS
from aixin.load.loader import Loaded
from aixin.load.roster import Account, Parsed, Roster

from .registry import change_rule


class PullRequest(Protocol):
    """What the change rules read of a pull request (`pullrequest.context.PullRequest` has it)."""

    author: str
    changes: list[Change]
    roster: Roster | None
    head_roster: Parsed
    unit_names: dict[str, str]

    @property
    def account(self) -> Account | None: ...
    @property
    def restricted(self) -> Account | None: ...
    @property
    def roster_target(self) -> Target: ...
    @property
    def removed(self) -> list[Removed]: ...
    def unit_label(self, unit: str) -> str: ...
    # (change, data before or None, loaded after) of each changed record of `kind` still readable.
    def changed(self, kind: str) -> list[tuple[Change, dict[str, Any] | None, Loaded]]: ...
    def pairings_naming(self, ids: set[str]) -> dict[str, list[str]]: ...
    def logs_of(self, record: RecordPath) -> list[str]: ...
    # The paths the pull request leaves as symbolic links (Git file mode 120000).
    @property
    def symlinks(self) -> list[str]: ...


CITY_APPROVAL = "city_approval"
_VERBS = {"A": "新建了", "M": "修改了", "D": "删除了", "C": "新建了"}


def _what(change: Change) -> str:
    if change.status == "R":
        return f"把文件从 {change.old_path} 移到了 {change.path}"
    return f"{_VERBS.get(change.status, '修改了')}文件 {change.path}"


@change_rule("A001", Severity.ERROR)
def unknown_author(pr: PullRequest) -> Iterator[Problem]:
    """提交人不在联络员名单中

    发起 pull request 的账号要写在目标分支的 records/coordinators.yaml 中，检查才能知道它可以修改哪些文件。

    通过：shili-chuanshan-1 发起的 pull request（名单 units.chuanshan 中有这个账号）
    不通过：someone-new 发起的 pull request（名单中没有这个账号）
    """
    if pr.roster is not None and pr.account is None:
        yield Problem(
            f"发起这个 pull request 的账号“{pr.author}”不在联络员名单 records/coordinators.yaml 中，"
            "无法确定它可以修改哪些文件",
            "请联系市妇联，把这个账号加到 records/coordinators.yaml 中你所在单位的联络员里；"
            "市妇联合并后，在本 pull request 中重新运行检查即可。",
            record=pr.roster_target,
        )


@change_rule("A002", Severity.ERROR)
def roster_unusable(pr: PullRequest) -> Iterator[Problem]:
    """目标分支上没有可用的联络员名单

    权限以目标分支（main）上的 records/coordinators.yaml 为准；它不存在或有错误时，无法检查任何人的权限。

    通过：main 上的 records/coordinators.yaml 符合 schemas/coordinators.schema.json
    不通过：main 上没有 records/coordinators.yaml，或它的格式有错误
    """
    if pr.roster is None:
        yield Problem(
            "目标分支上的联络员名单 records/coordinators.yaml 不存在或有错误，无法确定谁可以修改哪些文件",
            "请市妇联先在目标分支上建好或改正 records/coordinators.yaml（格式见 schemas/coordinators.schema.json），"
            "然后重新运行本 pull request 的检查。",
            record=pr.roster_target,
        )


@change_rule("A003", Severity.ERROR)
def roster_units(pr: PullRequest) -> Iterator[Problem]:
    """联络员名单中的单位代码不存在

    records/coordinators.yaml 中 units 下的每个单位代码都要是 records/programme.yaml 中的单位。

    通过：units: {chuanshan: {shili-chuanshan-1: 船山区示例联络员甲}}
    不通过：units: {chuanshang: {…}}（没有这个单位）
    """
    data = pr.head_roster.data
    if not pr.unit_names or not isinstance(data, dict) or not isinstance(data.get("units"), dict):
        return
    for unit in data["units"]:
        if unit not in pr.unit_names:
            yield Problem(
                f"联络员名单中的单位代码“{unit}”不是 records/programme.yaml 中的单位",
                "单位代码只能是：" + "、".join(pr.unit_names) + "；请检查拼写。",
                ("units", unit),
                record=pr.roster_target,
            )


@change_rule("A004", Severity.ERROR)
def other_unit(pr: PullRequest) -> Iterator[Problem]:
    """修改了其他单位的文件

    联络员只能新建、修改、删除或移动本单位文件夹 records/<单位>/ 中的文件；市妇联工作人员不受此限。

    通过：shili-chuanshan-1 修改 records/chuanshan/girls/chuanshan-g-3m8x4p.yaml
    不通过：shili-chuanshan-1 修改 records/anju/girls/anju-g-5n7c1r.yaml，或把它移到 records/chuanshan/
    """
    account = pr.restricted
    if account is None:
        return
    mine = "、".join(pr.unit_label(u) for u in sorted(account.units)) or "（没有单位）"
    for change in pr.changes:
        others = sorted({u for p in change.paths if (u := unit_of(p)) and u not in account.units})
        if others:
            yield Problem(
                f"{_what(change)}，属于{'、'.join(map(pr.unit_label, others))}；账号“{pr.author}”只负责{mine}",
                "每个单位的记录由本单位联络员修改：请撤销这处改动；确需修改别的单位的记录，请联系那个单位的联络员"
                "或市妇联。",
                record=Target(change.path),
            )


@change_rule("A005", Severity.ERROR)
def city_only(pr: PullRequest) -> Iterator[Problem]:
    """修改了只有市妇联才能修改的文件

    records/ 中各单位文件夹以外的文件（活动设置 records/programme.yaml、联络员名单 records/coordinators.yaml）
    以及 schemas/、scripts/、.github/、文档等，只有市妇联工作人员可以修改。

    通过：市妇联工作人员 shili-shifulian-1 修改 records/programme.yaml
    不通过：联络员 shili-chuanshan-1 修改 records/programme.yaml 或 schemas/girl.schema.json
    """
    account = pr.restricted
    if account is None:
        return
    for change in pr.changes:
        outside = [p for p in change.paths if unit_of(p) is None and not in_city_folder(p)]  # A011 has those
        if outside:
            which = "这个文件" if outside == [change.path] and change.status != "R" else "、".join(outside)
            yield Problem(
                f"{_what(change)}：{which}只有市妇联工作人员可以修改",
                "联络员只修改 records/ 中本单位文件夹里的记录；活动设置、联络员名单、结构定义、程序和文档由市妇联维护。"
                "请撤销这处改动，需要调整时请联系市妇联。",
                record=Target(change.path),
            )


@change_rule("A006", Severity.ERROR)
def city_approval(pr: PullRequest) -> Iterator[Problem]:
    """联络员填写或改动了市妇联意见

    爱心妈妈记录中的市妇联意见（city_approval）只能由市妇联工作人员填写、修改或删除；联络员可以填写县区意见。

    通过：联络员填写 county_approval，city_approval 保持原样
    不通过：联络员新增 city_approval: {decision: 同意, by: 市妇联, date: 2019-07-25}
    """
    if pr.restricted is None:
        return
    for change, data_before, after in pr.changed("mother"):
        assert after.data is not None  # `changed` leaves out the files it cannot read
        before = (data_before or {}).get(CITY_APPROVAL)
        now = after.data.get(CITY_APPROVAL)
        if before == now:
            continue
        verb = "填写了" if before is None else ("删除了" if now is None else "改动了")
        yield Problem(
            f"账号“{pr.author}”{verb}市妇联意见（{CITY_APPROVAL}）；市妇联意见只能由市妇联工作人员填写",
            "请把 city_approval 恢复为原来的内容（原来没有就删去这一项），市妇联审核后会自己填写；"
            "县区（园区）妇联的意见写在 county_approval 中。",
            (CITY_APPROVAL,) if now is not None else (),
            record=Target(change.path, lines=after.lines),
        )


@change_rule("A007", Severity.ERROR)
def removed_person(pr: PullRequest) -> Iterator[Problem]:
    """删除了仍被结对引用的女童或爱心妈妈记录

    结对还写着她的编号时，不能删除（或改名）女童和爱心妈妈的记录，否则结对就找不到她了。

    通过：删除一个误建、没有任何结对引用的女童记录
    不通过：删除 chuanshan-g-3m8x4p.yaml，而结对 chuanshan-p-5t1w6r 的 girl 仍是 chuanshan-g-3m8x4p
    """
    gone = [r for r in pr.removed if r.record.kind in ("girl", "mother")]
    naming = pr.pairings_naming({r.record.id for r in gone})
    for removed in gone:
        pairings = naming.get(removed.record.id)
        if not pairings:
            continue
        label = KIND_LABELS[removed.record.kind]
        listed = "、".join(pairings[:3]) + (f" 等 {len(pairings)} 个结对" if len(pairings) > 3 else "")
        yield Problem(
            f"{_what(removed.change)}，但结对 {listed} 仍然引用{label}“{removed.record.id}”",
            "请恢复这个文件（编号不变）。如果结对已经结束，把结对的 status 改为“已结束”并写上 ended_on 和 "
            "end_reason，记录本身保留；如果是误建的记录，请先改正引用它的结对，或请市妇联处理。",
            record=removed.target,
        )


@change_rule("A008", Severity.ERROR)
def removed_pairing(pr: PullRequest) -> Iterator[Problem]:
    """删除了有联系记录的结对

    结对结束时不删除记录，而是改为“已结束”，这样帮扶的历史和联系记录都完整保留；有联系记录的结对不能删除（或改名）。

    通过：把结对的 status 改为“已结束”，写上 ended_on: 2020-06-30 和 end_reason
    不通过：删除 chuanshan-p-5t1w6r.yaml，而 records/chuanshan/logs/chuanshan-p-5t1w6r/ 中有联系记录
    """
    for removed in pr.removed:
        if removed.record.kind != "pairing":
            continue
        logs = pr.logs_of(removed.record)
        if logs:
            yield Problem(
                f"{_what(removed.change)}，而结对“{removed.record.id}”有 {len(logs)} 条联系记录",
                "结对结束时不要删除记录：请恢复这个文件（以及删掉的联系记录），把 status 改为“已结束”，"
                "并写上结束日期 ended_on 和结束原因 end_reason。",
                record=removed.target,
            )


@change_rule("A009", Severity.ERROR)
def added_symlink(pr: PullRequest) -> Iterator[Problem]:
    """提交了符号链接

    pull request 不能新建符号链接（快捷方式），也不能把文件改成符号链接：链接可以指向别的单位的记录、仓库以外的文件或它自己，
    检查和网站都不会打开它，它指向的内容就绕过了检查。每个文件都要以普通文件提交。

    通过：新建普通文件 records/chuanshan/girls/chuanshan-g-4k7m2q.yaml
    不通过：新建 records/chuanshan/girls/chuanshan-g-lnkanju.yaml，它是指向 ../../anju/girls/anju-g-5n7c1r.yaml 的符号链接
    """
    for path in pr.symlinks:
        yield Problem(
            f"pull request 把 {path} 提交成了符号链接（快捷方式）",
            "请删除这个链接，改为提交真正的文件（每份记录、每张照片只存一份，放在所属单位的文件夹里）；"
            "在电脑上复制文件时请选“复制”，不要“创建快捷方式”或用 ln -s。",
            record=Target(path),
        )


@change_rule("A010", Severity.ERROR)
def committed_cache(pr: PullRequest) -> Iterator[Problem]:
    """提交了检查程序的缓存

    .aixin-cache/ 是 aixin check 在每台电脑上自己生成的缓存，不属于记录，不能提交到仓库；别人提交的缓存也绝不会被读取。

    通过：pull request 只修改 records/chuanshan/ 中的记录
    不通过：pull request 新建了 .aixin-cache/result.marshal
    """
    for change in pr.changes:
        if change.status != "D" and change.path.startswith(CACHE_FOLDER + "/"):
            yield Problem(
                f"{_what(change)}：{CACHE_FOLDER}/ 是检查程序的缓存，不能提交",
                f"请从 pull request 中删除 {CACHE_FOLDER}/ 文件夹（git rm -r --cached {CACHE_FOLDER}）；"
                "仓库的 .gitignore 已经忽略它，正常提交时不会带上。",
                record=Target(change.path),
            )


@change_rule("A011", Severity.ERROR)
def city_records(pr: PullRequest) -> Iterator[Problem]:
    """修改了市妇联登记的表彰或培训记录

    表彰记录和培训记录（records/city/ 中的文件）是市妇联的决定，只有市妇联工作人员可以新建、修改、移动或删除；
    联络员可以在本单位的记录中写明情况，再请市妇联登记。

    通过：市妇联工作人员 shili-shifulian-1 新建 records/city/commendations/city-c-7q3k9m.yaml
    不通过：联络员 shili-chuanshan-1 新建 records/city/commendations/city-c-7q3k9m.yaml，或把培训记录中的 attended 改了
    """
    account = pr.restricted
    if account is None:
        return
    for change in pr.changes:
        if any(in_city_folder(p) for p in change.paths):
            yield Problem(
                f"{_what(change)}：表彰和培训由市妇联登记，这个文件只有市妇联工作人员可以修改，"
                f"账号“{pr.author}”是单位联络员",
                "请撤销这处改动。要推荐表彰的爱心妈妈、或补报谁参加了培训，请告诉市妇联，由市妇联登记"
                "（records/city/ 中的表彰记录和培训记录）。",
                record=Target(change.path),
            )
