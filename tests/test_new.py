"""`aixin new`: a coordinator answers questions in Chinese; a checked record file is written.

Answers are scripted through CliRunner's input, one line per question, in the schema's order.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from aixin.cli import main
from aixin.core import idnumber
from aixin.domain import layout
from aixin.entry import answers, ids, questions
from aixin.entry.answers import AnswerError, Option
from aixin.load.loader import load_file

REPO = Path(__file__).resolve().parents[1]
TODAY = "2020-01-15"
MOTHER = "chuanshan-m-7k2q9d"  # approved by the county and the city
GIRL = "chuanshan-g-3m8x4p"  # both parents away since 2018-02
PAIRING = "chuanshan-p-5t1w6r"  # MOTHER with GIRL, since 2019-08-01
EXAMPLES = {
    MOTHER: "chuanshan/mothers",
    GIRL: "chuanshan/girls",
    PAIRING: "chuanshan/pairings",
    "anju-m-pkqp5b": "anju/mothers",
    "chuanshan-g-7ndasn": "chuanshan/girls",  # 示例女童三, not paired
}
GIRL_3 = "chuanshan-g-7ndasn"
ID_FORMAT = re.compile(r"^chuanshan-([gmpl])-[0123456789abcdefghjkmnpqrstvwxyz]{6}$")
CANCELLED = "已取消，没有写入任何文件。"

# 附件1, as the coordinator types it: slips included, each followed by its correction.
GIRL_ANSWERS = [
    "2019-02-30",  # 建档日期: no such day
    "2019/7/5",
    "测试女童",
    "2010年3月",  # 出生年月
    "示例镇",
    "示例村",  # a 村: 已核实留在农村生活 is not asked (only a 街道 or 社区 needs it, G011)
    "否",  # 是否建档立卡贫困户
    "",  # 照片 (optional)
    "3",  # 父母外出情况: 父母均外出, by number
    "测试父亲",
    "1380000",  # 父亲的联系电话: too short
    "13800000011",
    "2018年2月20日",  # 父亲的外出日期: asked, since the father is away
    "测试母亲",
    "",
    "2018-02-20",
    "", "", "",  # 父母外出地点, 工作, 多久回家
    "测试祖母",
    '"0825-2000011"',  # quoted as the guide asks for YAML: the quotes are dropped
    "4",  # 祖母
    "示例镇示例村3组",
    "", "", "",  # 学校, 班级, 兴趣爱好
    "1,4",  # 目前需求: 学习辅导, 其他
    "篮球训练",  # 其他需求: asked because of 其他
    "测试祖母",
    "祖母",  # by text
    "2019-07-05",
    "",  # 说明
    "",  # 备注
    "y",  # 确认写入？
]
GIRL_DATA = {
    "survey_date": "2019-07-05",
    "name": "测试女童",
    "birth": "2010-03",
    "township": "示例镇",
    "village": "示例村",
    "poor_household": False,
    "parents_away": "父母均外出",
    "father": {"name": "测试父亲", "phone": "13800000011", "left_on": "2018-02-20"},
    "mother": {"name": "测试母亲", "left_on": "2018-02-20"},
    "guardian": {"name": "测试祖母", "phone": "0825-2000011", "relationship": "祖母"},
    "address": "示例镇示例村3组",
    "needs": ["学习辅导", "其他"],
    "needs_other": "篮球训练",
    "consent": {"by": "测试祖母", "relationship": "祖母", "date": "2019-07-05"},
}


def fictional_id(birth: dt.date) -> str:
    """A valid, female, fictional ID number that ends in X."""
    for sequence in range(0, 1000, 2):
        number = idnumber.make("510903", birth, sequence)
        if number.endswith("X"):
            return number
    raise AssertionError("no sequence gives X")


MOTHER_ID = fictional_id(dt.date(1985, 6, 12))
FULL_WIDTH = MOTHER_ID[:-1].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "x"
MOTHER_ANSWERS = [
    "2019-07-12",
    "测试妈妈",
    "1985-06",
    "13900000011",
    "",  # 照片
    "6",  # 本科
    "中共党员",
    MOTHER_ID[:-1] + "1",  # wrong check digit
    FULL_WIDTH,  # full-width digits and a lower-case x: normalised
    "",  # 常住地所在单位: Enter takes the unit given
    "船山区测试路2号",
    "测试小学",
    "", "",  # 职务, 特长
    "", "",  # 帮扶意愿: both skipped, so left out
    "y",  # 是否填写县区（园区）妇联意见？
    "1",  # 同意
    "",
    "船山区妇联",
    "2019-07-20",
    "",  # 备注
    "y",
]
MOTHER_DATA = {
    "filed_on": "2019-07-12",
    "name": "测试妈妈",
    "birth": "1985-06",
    "phone": "13900000011",
    "education": "本科",
    "political_status": "中共党员",
    "id_number": MOTHER_ID,
    "residence": {"unit": "chuanshan", "address": "船山区测试路2号"},
    "workplace": "测试小学",
    "county_approval": {"decision": "同意", "by": "船山区妇联", "date": "2019-07-20"},
}


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setenv("AIXIN_TODAY", TODAY)


def make_repo(tmp_path: Path, *record_ids: str) -> Path:
    """A repository with the programme, the schemas and some of the example records."""
    root = tmp_path / "repo"
    (root / "records").mkdir(parents=True)
    shutil.copy(REPO / "records" / "programme.yaml", root / "records" / "programme.yaml")
    shutil.copytree(REPO / "schemas", root / "schemas")
    for record_id in record_ids:
        folder = root / "records" / EXAMPLES[record_id]
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "records" / EXAMPLES[record_id] / f"{record_id}.yaml", folder)
    return root


def new(root: Path, *args: str, answers_: list[str] | None = None):
    text = "".join(line + "\n" for line in answers_ or [])
    return CliRunner().invoke(main, ["new", *args, "--root", str(root)], input=text)


def listing(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "records").rglob("*"))


def added(root: Path, before: list[str]) -> list[Path]:
    return [root / rel for rel in listing(root) if rel not in before and rel.endswith(".yaml")]


def check_clean(root: Path, path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--root", str(root), "--format", "text", str(path)])
    assert result.exit_code == 0, result.output
    assert "[" not in result.output.split("招募进度")[0]  # no finding lines for the new file


def written(root: Path, path: Path, kind: str) -> dict:
    text = path.read_text("utf-8")
    depth = "../../../../" if kind == "log" else "../../../"
    assert text.startswith(f"# yaml-language-server: $schema={depth}schemas/{kind}.schema.json\n")
    loaded = load_file(path, path.relative_to(root).as_posix())
    assert loaded.findings == []
    return loaded.data


def summary_of(output: str) -> str:
    return output.split("\n请核对")[-1].split("确认写入")[0]


# ---------------------------------------------------------------- the four kinds


def test_new_girl(tmp_path):
    root = make_repo(tmp_path)
    before = listing(root)
    result = new(root, "girl", "--unit", "chuanshan", answers_=GIRL_ANSWERS)
    assert result.exit_code == 0, result.output
    assert "2019 年 2 月没有 30 日" in result.output
    assert "格式不对：手机号是11位数字" in result.output and "引号" not in result.output
    assert "其他需求" in result.output
    assert "已核实留在农村生活" not in result.output
    [path] = added(root, before)
    assert path.parent == root / "records" / "chuanshan" / "girls"
    assert ID_FORMAT.match(path.stem)[1] == "g"
    assert written(root, path, "girl") == GIRL_DATA
    text = path.read_text("utf-8")
    assert "# 建档日期\nsurvey_date: 2019-07-05\n" in text and 'phone: "13800000011"' in text
    summary = summary_of(result.output)
    assert "138****0011" in summary and "13800000011" not in summary
    assert f"完成：records/chuanshan/girls/{path.name}" in result.output
    check_clean(root, path)


# ---------------------------------------------------------------- the city's two kinds (issue 11)

PENDING = "chuanshan-m-bs6hz3"  # approved by the county and the city too: both are listed


def test_new_commendation_lists_city_approved_mothers_of_every_unit(tmp_path):
    root = make_repo(tmp_path, MOTHER, "anju-m-pkqp5b")
    before = listing(root)
    answered = [
        "2019-2021",  # 活动年度: the second year is not the first plus one (C003)
        "2019-2020",
        "chuanshan-m-000000",  # no such mother
        "2",  # the second listed: 安居区's mother, after 船山区's
        "优秀爱心妈妈",
        "遂宁市妇女联合会",
        "2019-07-20",  # before the year began (C004)
        "2020-01-10",
        "",  # 备注
        "y",
    ]
    result = new(root, "commendation", answers_=answered)
    assert result.exit_code == 0, result.output
    assert "新建表彰记录（市妇联）" in result.output
    assert "C003" in result.output and "后一年要比前一年大 1" in result.output
    assert "找不到编号为“chuanshan-m-000000”的爱心妈妈记录" in result.output
    assert "1. 示例妈妈甲" in result.output and "2. 示例妈妈一" in result.output  # every unit's, in programme order
    assert "C004" in result.output
    [path] = added(root, before)
    assert path.parent == root / "records" / "city" / "commendations" and path.stem.startswith("city-c-")
    assert written(root, path, "commendation") == {
        "year": "2019-2020", "mother": "anju-m-pkqp5b", "title": "优秀爱心妈妈",
        "awarded_by": "遂宁市妇女联合会", "date": "2020-01-10",
    }
    check_clean(root, path)


def test_a_second_identical_commendation_is_refused(tmp_path):
    root = make_repo(tmp_path, MOTHER)
    answered = ["2019-2020", "1", "优秀爱心妈妈", "遂宁市妇女联合会", "2020-01-10", "", "y"]
    assert new(root, "commendation", answers_=answered).exit_code == 0
    before = listing(root)
    again = new(root, "commendation", answers_=answered)  # the title makes it the same: she is asked again
    assert "C002" in again.output and "请重新填写“爱心妈妈”" in again.output
    assert again.exit_code != 0 and listing(root) == before


def test_new_training_picks_several_mothers_or_none(tmp_path):
    root = make_repo(tmp_path, MOTHER, "anju-m-pkqp5b")
    before = listing(root)
    answered = [
        "2020-01-12",
        "家庭教育与心理沟通",
        "遂宁市妇女儿童活动中心",
        "遂宁市妇女联合会",
        "1，示例妈妈一",  # invited: by number and by name
        "",  # attended: nobody yet
        "３",  # 学时, full-width
        "",
        "y",
    ]
    result = new(root, "training", answers_=answered)
    assert result.exit_code == 0, result.output
    [path] = added(root, before)
    assert path.parent == root / "records" / "city" / "trainings"
    data = written(root, path, "training")
    assert data["invited"] == [MOTHER, "anju-m-pkqp5b"] and data["attended"] == [] and data["hours"] == 3
    assert f"示例妈妈甲（{MOTHER}）、示例妈妈一（anju-m-pkqp5b）" in summary_of(result.output)
    check_clean(root, path)


def test_a_city_record_takes_no_unit(tmp_path):
    root = make_repo(tmp_path, MOTHER)
    result = new(root, "commendation", "--unit", "chuanshan")
    assert result.exit_code == 2 and "由市妇联登记" in result.stderr


def test_a_girl_of_a_community_is_asked_whether_she_lives_in_the_countryside(tmp_path):
    root = make_repo(tmp_path)
    before = listing(root)
    at = GIRL_ANSWERS.index("示例村")
    answers = [*GIRL_ANSWERS[:at], "示例社区", "是", *GIRL_ANSWERS[at + 1 :]]
    result = new(root, "girl", "--unit", "chuanshan", answers_=answers)
    assert result.exit_code == 0, result.output
    assert "G011" in result.output and "已核实留在农村生活" in result.output
    [path] = added(root, before)
    assert written(root, path, "girl") == {**GIRL_DATA, "village": "示例社区", "rural_confirmed": True}
    check_clean(root, path)


def test_new_mother(tmp_path):
    root = make_repo(tmp_path)
    before = listing(root)
    result = new(root, "mother", "--unit", "chuanshan", answers_=MOTHER_ANSWERS)
    assert result.exit_code == 0, result.output
    assert "校验码不对" in result.output
    assert f"已记为 {MOTHER_ID}" in result.output  # the normalised number is shown
    assert "市妇联意见" not in result.output  # only the city enters its approval
    [path] = added(root, before)
    assert path.parent == root / "records" / "chuanshan" / "mothers"
    assert ID_FORMAT.match(path.stem)[1] == "m"
    assert written(root, path, "mother") == MOTHER_DATA
    summary = summary_of(result.output)
    assert "5109**********" + MOTHER_ID[-4:] in summary and MOTHER_ID not in summary
    check_clean(root, path)


def test_new_pairing_picks_mother_and_girl(tmp_path):
    root = make_repo(tmp_path, MOTHER, GIRL, "anju-m-pkqp5b")
    before = listing(root)
    answered = [
        "2019-08-01",  # 填报时间
        "2019-08-01",  # 结对日期: asked before the people, so that picking them is checked
        "1",  # 进行中: no end date asked
        "",  # 特例批准? no
        "chuanshan-m-000000",  # no such mother
        "anju-m-pkqp5b",  # a mother of another unit: the pairing would be filed in the wrong place
        "1",  # the unit's only mother, by number
        "示例女童甲",  # the girl, by name
        "孩子，愿你健康成长。",
        "",
        "y",
    ]
    result = new(root, "pairing", "--unit", "chuanshan", answers_=answered)
    assert result.exit_code == 0, result.output
    assert "示例妈妈甲，已通过两级审核，没有进行中的结对（chuanshan-m-7k2q9d）" in result.output
    assert "示例女童甲，2010-03 出生，未结对（chuanshan-g-3m8x4p）" in result.output
    assert "找不到编号为“chuanshan-m-000000”的爱心妈妈记录" in result.output
    assert "属于安居区" in result.output and "--unit anju" in result.output
    assert "结束日期" not in result.output
    assert "结对方式已记为 一对一" in result.output and "结对方式（" not in result.output  # derived, not asked
    [path] = added(root, before)
    assert path.parent == root / "records" / "chuanshan" / "pairings"
    assert ID_FORMAT.match(path.stem)[1] == "p"
    assert written(root, path, "pairing") == {
        "filed_on": "2019-08-01", "mother": MOTHER, "girl": GIRL, "mode": "一对一",
        "started_on": "2019-08-01", "message": "孩子，愿你健康成长。", "status": "进行中",
    }
    assert list(written(root, path, "pairing"))[:4] == ["filed_on", "mother", "girl", "mode"]  # the schema's order
    assert f"爱心妈妈：示例妈妈甲（{MOTHER}）" in summary_of(result.output)
    check_clean(root, path)


def test_ended_pairing_asks_end_date_and_reason(tmp_path):
    root = make_repo(tmp_path, MOTHER, GIRL)
    before = listing(root)
    answered = ["2019-08-01", "2019-08-01", "已结束", "", "2019-12-01", "3", "", "1", "1", "寄语", "", "y"]
    result = new(root, "pairing", "--unit", "chuanshan", answers_=answered)
    assert result.exit_code == 0, result.output
    assert "这一项必填" in result.output  # 结束日期 is required once 已结束
    # The end reason is picked from the schema's list (3 is 迁出); no 其他 text is asked then.
    reasons = ["父母返乡", "女童超龄", "迁出", "爱心妈妈退出", "监护人不再同意", "其他"]
    assert all(f"    {n}. {reason}" in result.output for n, reason in enumerate(reasons, 1))
    assert "其他结束原因：" not in result.output  # the question itself (its help names it)
    [path] = added(root, before)
    data = written(root, path, "pairing")
    assert (data["ended_on"], data["end_reason"]) == ("2019-12-01", "迁出")
    assert "end_reason_other" not in data


def test_ended_pairing_for_another_reason_asks_its_words(tmp_path):
    root = make_repo(tmp_path, MOTHER, GIRL)
    before = listing(root)
    answered = ["2019-08-01", "2019-08-01", "已结束", "2019-12-01", "其他", "", "女童转学到外县读书", "", "1",
                "1", "寄语", "", "y"]
    result = new(root, "pairing", "--unit", "chuanshan", answers_=answered)
    assert result.exit_code == 0, result.output
    assert "其他结束原因：" in result.output and "这一项必填" in result.output  # required once 其他
    [path] = added(root, before)
    data = written(root, path, "pairing")
    assert (data["end_reason"], data["end_reason_other"]) == ("其他", "女童转学到外县读书")
    assert list(data).index("end_reason_other") == list(data).index("end_reason") + 1


LOG_ANSWERS = ["2019-09-13", "7", "1,2", "中秋节", "一起做月饼、吃团圆饭。", "是", "", "", "y"]
LOG_DATA = {"pairing": PAIRING, "date": "2019-09-13", "kind": "节日陪伴", "with": ["女童", "临时监护人"],
            "festival": "中秋节", "summary": "一起做月饼、吃团圆饭。", "guided_parents": True}


def test_new_log(tmp_path):
    root = make_repo(tmp_path, MOTHER, GIRL, PAIRING)
    before = listing(root)
    result = new(root, "log", "--unit", "chuanshan", "--pairing", PAIRING, answers_=LOG_ANSWERS)
    assert result.exit_code == 0, result.output
    [path] = added(root, before)
    assert path.parent == root / "records" / "chuanshan" / "logs" / PAIRING
    assert ID_FORMAT.match(path.stem)[1] == "l"
    assert written(root, path, "log") == LOG_DATA
    check_clean(root, path)


def test_new_log_picks_the_pairing_when_not_given(tmp_path):
    root = make_repo(tmp_path, MOTHER, GIRL, PAIRING)
    before = listing(root)
    result = new(root, "log", "--unit", "chuanshan", answers_=["1", *LOG_ANSWERS])
    assert result.exit_code == 0, result.output
    assert f"示例妈妈甲 — 示例女童甲，进行中（{PAIRING}）" in result.output
    [path] = added(root, before)
    assert written(root, path, "log") == LOG_DATA


def test_a_date_the_rules_refuse_is_asked_again_before_writing(tmp_path):
    """L004 (a cross-record rule) refuses the date at its question; nothing wrong is ever written."""
    root = make_repo(tmp_path, MOTHER, GIRL, PAIRING)
    before = listing(root)
    early = ["2019-07-01", *LOG_ANSWERS]  # before the pairing started: L004, then the right date
    result = new(root, "log", "--unit", "chuanshan", "--pairing", PAIRING, answers_=early)
    assert result.exit_code == 0, result.output
    assert "错误［L004］联系日期 2019-07-01 早于结对日期 2019-08-01 — 请核对日期。" in result.output
    assert "请重新输入（输入 < 回到上一项）" in result.output
    assert "文本编辑器" not in result.output
    [path] = added(root, before)
    assert written(root, path, "log") == LOG_DATA


# ---------------------------------------------------------------- never overwrite


def test_an_id_in_use_is_never_reused(tmp_path, monkeypatch):
    root = make_repo(tmp_path, GIRL)
    existing = root / "records" / EXAMPLES[GIRL] / f"{GIRL}.yaml"
    original = existing.read_bytes()
    suffixes = iter([GIRL.rsplit("-", 1)[1], "zz9yy8"])
    monkeypatch.setattr(layout, "random_suffix", lambda: next(suffixes))
    result = new(root, "girl", "--unit", "chuanshan", answers_=GIRL_ANSWERS)
    assert result.exit_code == 0, result.output
    assert existing.read_bytes() == original
    assert (root / "records" / "chuanshan" / "girls" / "chuanshan-g-zz9yy8.yaml").is_file()


def test_refuses_when_no_free_id(tmp_path, monkeypatch):
    root = make_repo(tmp_path, GIRL)
    existing = root / "records" / EXAMPLES[GIRL] / f"{GIRL}.yaml"
    original = existing.read_bytes()
    before = listing(root)
    monkeypatch.setattr(layout, "random_suffix", lambda: GIRL.rsplit("-", 1)[1])
    result = new(root, "girl", "--unit", "chuanshan", answers_=GIRL_ANSWERS)
    assert result.exit_code == 2
    assert "没有写入任何文件" in result.output
    assert listing(root) == before and existing.read_bytes() == original


def test_a_file_that_appears_meanwhile_is_left_alone(tmp_path, monkeypatch):
    """The repository's ids are read before writing; a file created since is still never replaced."""
    target = tmp_path / layout.record_path("girl", "chuanshan", "chuanshan-g-aaaaaa")
    target.parent.mkdir(parents=True)
    target.write_text("theirs\n")
    suffixes = iter(["aaaaaa", "bbbbbb"])
    monkeypatch.setattr(layout, "random_suffix", lambda: next(suffixes))
    record_id, path = ids.create_record(tmp_path, "chuanshan", "girl", lambda p: "ours\n", set())
    assert record_id == "chuanshan-g-bbbbbb" and path.read_text() == "ours\n"
    assert target.read_text() == "theirs\n"


def test_fresh_ids_are_random_and_well_formed():
    made = {layout.unused_id("chuanshan", "pairing", set()) for _ in range(200)}
    assert len(made) == 200
    assert all(re.fullmatch(r"chuanshan-p-[0123456789abcdefghjkmnpqrstvwxyz]{6}", m) for m in made)


# ---------------------------------------------------------------- cancelling


@pytest.mark.parametrize("typed", [8, 25, len(GIRL_ANSWERS) - 1])
def test_end_of_input_midway_writes_nothing(tmp_path, typed):
    root = make_repo(tmp_path)
    before = listing(root)
    result = new(root, "girl", "--unit", "chuanshan", answers_=GIRL_ANSWERS[:typed])
    assert result.exit_code == 130
    assert CANCELLED in result.output
    assert listing(root) == before


def test_ctrl_c_midway_writes_nothing(tmp_path, monkeypatch):
    root = make_repo(tmp_path)
    before = listing(root)
    real_prompt, calls = click.prompt, []

    def prompt(*args, **kwargs):
        calls.append(args)
        if len(calls) == 12:
            raise KeyboardInterrupt
        return real_prompt(*args, **kwargs)

    monkeypatch.setattr(click, "prompt", prompt)
    result = new(root, "girl", "--unit", "chuanshan", answers_=GIRL_ANSWERS)
    assert result.exit_code == 130
    assert CANCELLED in result.output
    assert listing(root) == before


def test_not_confirming_writes_nothing(tmp_path):
    root = make_repo(tmp_path)
    before = listing(root)
    result = new(root, "girl", "--unit", "chuanshan", answers_=[*GIRL_ANSWERS[:-1], "n"])
    assert result.exit_code == 1
    assert CANCELLED in result.output
    assert listing(root) == before


# ---------------------------------------------------------------- usage errors


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["girl", "--unit", "nowhere"], "单位代码“nowhere”不存在"),
        (["girl"], "请用 --unit 指定"),
        (["girl", "--unit", "chuanshan", "--pairing", PAIRING], "--pairing 只用于"),
        (["log", "--unit", "chuanshan", "--pairing", "chuanshan-p-000000"], "没有编号为“chuanshan-p-000000”的结对"),
        (["pairing", "--unit", "anju"], "安居区还没有爱心妈妈记录"),
    ],
)
def test_usage_errors_exit_2_in_chinese(tmp_path, args, message):
    root = make_repo(tmp_path, MOTHER, GIRL, PAIRING)
    before = listing(root)
    result = new(root, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert listing(root) == before


# ---------------------------------------------------------------- questions and answers


def schema(kind: str) -> dict:
    import json

    return json.loads((REPO / "schemas" / f"{kind}.schema.json").read_text("utf-8"))


def question(kind: str, *path: str):
    return next(q for q in questions.walk_all(questions.build(kind, schema(kind))) if q.path == path)


def test_questions_come_from_the_schema():
    asked = [q.path for q in questions.walk_all(questions.build("mother", schema("mother")))]
    assert ("city_approval",) not in asked and ("county_approval", "date") in asked
    assert question("girl", "parents_away").choices == ("父亲外出", "母亲外出", "父母均外出")
    assert question("girl", "father", "name").label == "父亲的姓名"
    assert question("pairing", "mother").reference == "mother"
    kinds = {path: question("girl", *path).kind for path in [("birth",), ("survey_date",), ("needs",), ("poor_household",)]}
    assert kinds == {("birth",): "year_month", ("survey_date",): "date", ("needs",): "choices", ("poor_household",): "boolean"}


@pytest.mark.parametrize(
    ("path", "record", "status"),
    [
        (("father", "left_on"), {"parents_away": "父亲外出"}, questions.REQUIRED),
        (("father", "left_on"), {"parents_away": "母亲外出"}, questions.SKIP),
        (("needs_other",), {"needs": ["学习辅导", "其他"]}, questions.REQUIRED),
        (("needs_other",), {"needs": ["学习辅导"]}, questions.SKIP),
        (("school",), {}, questions.OPTIONAL),
    ],
)
def test_conditional_fields_follow_the_schema(path, record, status):
    assert question("girl", *path).status(record) == status


@pytest.mark.parametrize("typed", ["2019-07-05", "2019/7/5", "2019年7月5日", "２０１９－０７－０５", "2019.7.5"])
def test_dates_are_normalised(typed):
    assert answers.parse(question("girl", "survey_date"), typed, today=dt.date(2020, 1, 15)) == "2019-07-05"


@pytest.mark.parametrize(
    ("kind", "path", "typed", "reason"),
    [
        ("girl", ("survey_date",), "2019-13-01", "没有 13 月"),
        ("girl", ("survey_date",), "5 July", "年-月-日"),
        ("girl", ("birth",), "1890-03", "格式不对"),
        ("girl", ("poor_household",), "也许", "是”或“否"),
        ("girl", ("parents_away",), "9", "序号应在 1 至 3 之间"),
        ("girl", ("parents_away",), "双亲外出", "不在可选范围内"),
        ("girl", ("needs",), "1,1", "重复"),
        ("girl", ("name",), "名" * 31, "最多 30 个字"),
        ("mother", ("id_number",), "51090319850612002", "18位"),
        ("mother", ("phone",), "12345", "格式不对"),
    ],
)
def test_wrong_answers_say_why(kind, path, typed, reason):
    with pytest.raises(AnswerError) as caught:
        answers.parse(question(kind, *path), typed, today=dt.date(2020, 1, 15))
    assert reason in caught.value.reason


def test_pick_by_number_value_or_name():
    options = [Option("a-m-0001", "甲（a-m-0001）", ("甲",)), Option("a-m-0002", "乙（a-m-0002）", ("乙",)),
               Option("a-m-0003", "乙（a-m-0003）", ("乙",))]
    assert answers.pick("1", options) == "a-m-0001"
    assert answers.pick("甲", options) == "a-m-0001"
    assert answers.pick("a-m-0003", options) == "a-m-0003"
    with pytest.raises(AnswerError, match="请输入序号"):
        answers.pick("乙", options)


# ---------------------------------------------------------------- the rules at the prompt (issue 9, item 5)


def test_a_mother_too_old_by_her_id_number_is_refused_at_that_question(tmp_path):
    root = make_repo(tmp_path)
    before = listing(root)
    too_old = fictional_id(dt.date(1958, 1, 10))  # 61 on 2019-07-12
    at = MOTHER_ANSWERS.index(FULL_WIDTH)
    answered = [*MOTHER_ANSWERS[:at], too_old, *MOTHER_ANSWERS[at:]]
    result = new(root, "mother", "--unit", "chuanshan", answers_=answered)
    assert result.exit_code == 0, result.output
    refused = result.output.split("身份证号码：" + too_old)[1].split("身份证号码：")[0]
    assert "错误［M004］填报时 2019-07-12 年龄为 61 周岁，不在 20 至 60 周岁之间" in refused
    assert "请核对身份证号码和填报时间" in refused and "请重新输入（输入 < 回到上一项）" in refused
    [path] = added(root, before)
    assert written(root, path, "mother") == MOTHER_DATA


def test_a_girl_born_2005_is_refused_at_her_birth_month(tmp_path):
    root = make_repo(tmp_path)
    before = listing(root)
    at = GIRL_ANSWERS.index("2010年3月")
    answered = [*GIRL_ANSWERS[:at], "2005-03", *GIRL_ANSWERS[at:]]
    result = new(root, "girl", "--unit", "chuanshan", answers_=answered)
    assert result.exit_code == 0, result.output
    assert "错误［G001］按出生年月 2005-03，到建档日期 2019-07-05 已满 14 周岁，超过 12 周岁" in result.output
    [path] = added(root, before)
    assert written(root, path, "girl") == GIRL_DATA


def test_an_already_paired_girl_is_refused_and_unpaired_girls_come_first(tmp_path):
    root = make_repo(tmp_path, MOTHER, GIRL, PAIRING, GIRL_3, "anju-m-pkqp5b")
    (root / "records/chuanshan/mothers").joinpath("chuanshan-m-4ppp4p.yaml").write_text(
        (root / f"records/chuanshan/mothers/{MOTHER}.yaml").read_text("utf-8")
        .replace("示例妈妈甲", "示例妈妈乙").split("city_approval:")[0], "utf-8")
    before = listing(root)
    answered = ["2019-08-01", "2019-08-01", "1", "", "1", GIRL, "1", "寄语", "", "y"]
    result = new(root, "pairing", "--unit", "chuanshan", answers_=answered)
    out = result.output
    # the mothers: where each stands, the ones who can be paired first
    first, second = out.index("1. 示例妈妈甲，已通过两级审核，进行中的结对 1 个（示例女童甲）"), out.index("2. 示例妈妈乙，待市妇联审核")
    assert first < second
    # the girls: unpaired first, then paired ones with whom
    assert out.index("1. 示例女童三，2014-11 出生，未结对") < out.index("2. 示例女童甲，2010-03 出生，已结对（与 示例妈妈甲）")
    refused = out.split(f"留守女童：{GIRL}")[1].split("留守女童：1")[0]
    assert "错误［P005］" in refused and "请重新输入" in refused
    # 示例女童三 is paired instead; the mother now has two: 一对多, and her other pairing must say so too
    assert "结对方式已记为 一对多（这位爱心妈妈进行中的结对：2 个）" in out
    review = summary_of(out)
    assert "写入后，其他记录会出现下面的问题，请一并改正" in review
    assert f"records/chuanshan/pairings/{PAIRING}.yaml：错误［P007］结对方式写的是“一对一”" in review
    assert result.exit_code == 1, out  # written, and the other pairing has an error to fix
    [path] = added(root, before)
    data = written(root, path, "pairing")
    assert (data["girl"], data["mode"]) == (GIRL_3, "一对多")
    assert "其他记录因此有了上面列出的错误" in out and "文本编辑器" not in out


def test_a_mother_not_yet_approved_by_the_city_is_refused_at_the_mother_question(tmp_path):
    root = make_repo(tmp_path, GIRL)
    folder = root / "records/chuanshan/mothers"
    folder.mkdir(parents=True)
    folder.joinpath(f"{MOTHER}.yaml").write_text(
        (REPO / f"records/chuanshan/mothers/{MOTHER}.yaml").read_text("utf-8").split("city_approval:")[0], "utf-8")
    result = new(root, "pairing", "--unit", "chuanshan", answers_=["2019-08-01", "2019-08-01", "1", "", "1"])
    assert result.exit_code == 130
    assert "错误［P003］" in result.output.split("爱心妈妈：1")[1]


# ---------------------------------------------------------------- going back, the prompt's words, full numbers (item 6)


def test_less_than_goes_back_to_the_previous_question(tmp_path):
    root = make_repo(tmp_path)
    before = listing(root)
    at = GIRL_ANSWERS.index("测试女童")
    # at the first question there is nothing before; later, < twice goes back to 建档日期
    answered = ["<", *GIRL_ANSWERS[:at], "测试", "<", "<", "2019年7月5日", "测试女童", *GIRL_ANSWERS[at + 1:]]
    result = new(root, "girl", "--unit", "chuanshan", answers_=answered)
    assert result.exit_code == 0, result.output
    assert "已经是第一项" in result.output
    [path] = added(root, before)
    assert written(root, path, "girl") == GIRL_DATA


def test_less_than_at_the_confirmation_goes_back_to_the_last_question(tmp_path):
    root = make_repo(tmp_path)
    before = listing(root)
    answered = [*GIRL_ANSWERS[:-1], "<", "有补充说明", "y"]  # 备注 skipped, then < at 确认写入
    result = new(root, "girl", "--unit", "chuanshan", answers_=answered)
    assert result.exit_code == 0, result.output
    assert "输入 < 回到上一项" in result.output.split("确认写入")[1]
    [path] = added(root, before)
    assert written(root, path, "girl") == {**GIRL_DATA, "notes": "有补充说明"}


def test_prompts_speak_of_the_prompt_not_of_the_yaml_file(tmp_path):
    root = make_repo(tmp_path)
    answered = [*MOTHER_ANSWERS[:7], "51090319850612002", *MOTHER_ANSWERS[7:]]
    result = new(root, "mother", "--unit", "chuanshan", answers_=answered)
    assert result.exit_code == 0, result.output
    for file_word in ("引号", "true", "false", "文本编辑器"):
        assert file_word not in result.output
    assert "是否填写“县区（园区）妇联意见”？（是/否）" in result.output


def test_the_confirmation_shows_the_full_numbers_on_her_own_terminal(tmp_path, monkeypatch):
    from aixin.entry import summary

    monkeypatch.setattr(summary, "own_terminal", lambda stream: True)
    root = make_repo(tmp_path)
    result = new(root, "mother", "--unit", "chuanshan", answers_=MOTHER_ANSWERS)
    assert result.exit_code == 0, result.output
    shown = summary_of(result.output)
    assert "身份证号码：" + MOTHER_ID in shown and "联系电话：13900000011" in shown
    assert "只显示部分" not in result.output


class _Stream:
    def __init__(self, tty):
        self.tty = tty

    def isatty(self):
        return self.tty


def test_numbers_are_masked_when_the_output_is_a_file_or_a_ci_log(monkeypatch):
    from aixin.entry import summary

    monkeypatch.delenv("CI", raising=False)
    assert summary.own_terminal(_Stream(True)) and not summary.own_terminal(_Stream(False))
    monkeypatch.setenv("CI", "true")
    assert not summary.own_terminal(_Stream(True))


# ---------------------------------------------------------------- everyday words (item 7)


def test_everyday_words_are_stored_in_the_forms_words(tmp_path):
    root = make_repo(tmp_path)
    before = listing(root)
    answered = list(GIRL_ANSWERS)
    answered[answered.index("2019/7/5")] = "2019.7.5"
    answered[answered.index("13800000011")] = "138 0000 0011"
    answered[answered.index("4")] = "奶奶"  # 与临时监护人的关系
    answered[answered.index("祖母")] = "奶奶"  # 同意人与女童的关系
    answered[answered.index("2019-07-05")] = "2019年7月5日"  # 同意日期
    result = new(root, "girl", "--unit", "chuanshan", answers_=answered)
    assert result.exit_code == 0, result.output
    assert "已记为 祖母" in result.output and "已记为 13800000011" in result.output
    assert "已记为 2019-07-05" in result.output
    [path] = added(root, before)
    assert written(root, path, "girl") == GIRL_DATA


@pytest.mark.parametrize(("typed", "stored"), [("138-0000-0011", "13800000011"), ("0825 200 0011", "0825-2000011")])
def test_phones_written_with_spaces_or_dashes(typed, stored):
    assert answers.parse(question("girl", "guardian", "phone"), typed, today=dt.date(2020, 1, 15)) == stored


@pytest.mark.parametrize(("typed", "stored"), [("外婆", "外祖母"), ("爷爷", "祖父"), ("外公", "外祖父"), ("5", "外祖父")])
def test_kin_words(typed, stored):
    assert answers.parse(question("girl", "guardian", "relationship"), typed, today=dt.date(2020, 1, 15)) == stored


def test_a_girl_who_does_not_fully_qualify_is_paired_with_the_exception_asked_before_her(tmp_path):
    """P004 refuses her without an approved exception; the exception is asked before the girl."""
    root = make_repo(tmp_path, MOTHER, GIRL)
    path = root / f"records/chuanshan/girls/{GIRL}.yaml"
    path.write_text(path.read_text("utf-8").replace("parents_away: 父母均外出", "parents_away: 父亲外出"), "utf-8")
    before = listing(root)
    without = ["2019-08-01", "2019-08-01", "1", "", "1", "1"]
    refused = new(root, "pairing", "--unit", "chuanshan", answers_=without)
    assert refused.exit_code == 130 and "错误［P004］" in refused.output
    with_exception = ["2019-08-01", "2019-08-01", "1", "是", "母亲常年在外务工", "船山区妇联", "2019-07-30",
                      "1", "1", "寄语", "", "y"]
    result = new(root, "pairing", "--unit", "chuanshan", answers_=with_exception)
    assert result.exit_code == 0, result.output
    assert "P004" not in result.output
    [written_path] = added(root, before)
    assert written(root, written_path, "pairing")["exception"]["approved_by"] == "船山区妇联"


def test_an_answer_that_contradicts_an_earlier_one_asks_that_one_again(tmp_path):
    """G005 (the father left after the survey) is known only once both parents are answered:
    the father's date is asked again in place, the other answers are kept."""
    root = make_repo(tmp_path)
    before = listing(root)
    at = GIRL_ANSWERS.index("2018年2月20日")
    mother = GIRL_ANSWERS[at + 1:at + 4]  # 测试母亲, "", 2018-02-20
    answered = [*GIRL_ANSWERS[:at], "2019-09-01", *mother, "2018年2月20日", "2018-02-20", *GIRL_ANSWERS[at + 4:]]
    result = new(root, "girl", "--unit", "chuanshan", answers_=answered)
    assert result.exit_code == 0, result.output
    assert "错误［G005］父亲外出日期 2019-09-01 晚于建档日期 2019-07-05" in result.output
    assert "请修改“父亲的外出日期”" in result.output and "请重新填写“父亲的外出日期”" in result.output
    [path] = added(root, before)
    assert written(root, path, "girl") == GIRL_DATA


@pytest.mark.parametrize("suffix", ["000000", "zzzzzz"])  # sorts before / after the existing pairing
def test_a_second_pairing_is_refused_whichever_pairing_the_finding_lands_on(tmp_path, monkeypatch, suffix):
    """Same start day: P005 may land on the existing pairing or on the new one; refused either way."""
    monkeypatch.setattr(layout, "random_suffix", lambda: suffix)
    root = make_repo(tmp_path, MOTHER, GIRL, PAIRING, GIRL_3)
    answered = ["2019-08-01", "2019-08-01", "1", "", "1", GIRL]
    result = new(root, "pairing", "--unit", "chuanshan", answers_=answered)
    assert result.exit_code == 130
    refused = result.output.split(f"留守女童：{GIRL}")[1]
    assert "错误［P005］" in refused and "请重新输入" in refused


def test_a_warning_is_shown_at_its_question_and_the_answer_kept(tmp_path):
    root = make_repo(tmp_path)
    before = listing(root)
    late = ["2019-09-02", *MOTHER_ANSWERS[1:]]  # after the recruitment phase: M007, a warning
    late[late.index("2019-07-20")] = "2019-09-10"  # the county's approval follows the filing
    result = new(root, "mother", "--unit", "chuanshan", answers_=late)
    assert result.exit_code == 0, result.output
    at_question = result.output.split("填报时间（年-月-日，如 2019-07-05）：2019-09-02")[1].split("姓名")[0]
    assert "请注意：提醒［M007］填报时间 2019-09-02 不在" in at_question
    assert "提醒［M007］" in summary_of(result.output)  # and again before writing
    [path] = added(root, before)
    assert written(root, path, "mother")["filed_on"] == "2019-09-02"


def test_a_future_survey_date_found_late_is_fixed_without_answering_everything_again(tmp_path):
    """G009 needs the consent date too, so the survey date (the first question) is found wrong
    only at the last date: that one question is asked again, and nothing else."""
    root = make_repo(tmp_path)
    before = listing(root)
    answered = list(GIRL_ANSWERS)
    answered[answered.index("2019/7/5")] = "2020-02-01"  # after today (2020-01-15)
    at = answered.index("2019-07-05")  # 同意日期
    answered[at + 1:at + 1] = ["2019/7/5", "2019-07-05"]  # the survey date asked again, then the consent date
    result = new(root, "girl", "--unit", "chuanshan", answers_=answered)
    assert result.exit_code == 0, result.output
    assert "错误［G009］" in result.output and "请重新填写“建档日期”" in result.output
    [path] = added(root, before)
    assert written(root, path, "girl") == GIRL_DATA
