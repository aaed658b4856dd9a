"""The fictional programme generator behind `aixin demo`.

It writes a complete repository tree (programme, schemas, records) for a made-up programme, so
that checks, the site and search can be tried and timed without touching anybody's personal
information. By default the contact log covers the first programme year (benchmarks stay
comparable); `until` carries it over several years, in which most mothers keep the monthly
rhythm and some lapse, pairings end for every reason of the pairing schema (girls who turn 13
at the next yearly review, parents back home, a mother who withdraws, ...), and girls who are
still left behind are paired again. At the end of every programme year over by then, the city commends the most
diligent mothers of each unit and offers them a training (records/city/). Everything here is invented at random from a seed: names are drawn from
common surnames and given names, villages and roads are made up, phone numbers are random, and
ID numbers are random but carry a valid GB 11643 check digit. The same (scale, seed) always gives
byte-identical files, and the data satisfies the schemas and the programme's rules.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aixin.core.dates import add_months, age_on, age_range_from_year_month, month_bounds

from .core import idnumber
from .domain import layout
from .domain.festivals import festivals_of_year
from .domain.terms import ACTIVE, AGREE, DISAGREE, ENDED
from .load import loader
from .load import writer as yamlwrite

D = dt.date
REPO = Path(__file__).resolve().parents[2]
DEMO_END = D(2020, 7, 31)  # by default the log covers one programme year: from the launch to here
DEMO_MARK = "虚构的示例数据（aixin demo 生成）"

# Administrative-division codes for the fictional ID numbers (not in programme.yaml: only the
# demo needs them). Units without their own code (parks, 市直) draw from the two districts.
REGION_CODES = {"chuanshan": "510903", "anju": "510904", "shehong": "510981", "pengxi": "510921", "daying": "510923"}
DEFAULT_REGIONS = ("510903", "510904")
# Where 市直 staff live: mostly in the city's central districts.
CITY_RESIDENCE_WEIGHT = {"chuanshan": 5, "anju": 2}

# --- word pools: all invented combinations of everyday words -------------------------------
SURNAMES = (
    "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 "
    "彭 曾 肖 田 董 袁 潘 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 姚 卢 姜 钟 谭 陆 汪 范 石 廖 贾 "
    "夏 付 方 白 邹 熊 秦 邱 江 尹 段 雷 侯 龙 陶 黎 贺 毛 龚 万 严 向 汤 敬 蒲"
).split()
GIRL_GIVEN = (
    "梓涵 雨萱 欣怡 诗琪 子涵 可馨 思雨 雨涵 语嫣 一诺 梦瑶 佳怡 紫涵 欣妍 若曦 诗涵 心怡 雨桐 "
    "静怡 佳琪 梓萱 思彤 晓雯 婷婷 欣悦 雅琪 梦琪 馨怡 嘉怡 乐瑶 雨欣 佳欣 子玥 思琪 "
    "玥 悦 彤 琳 瑶 妍 萱 婷 琪 欣"
).split()
WOMAN_GIVEN = (
    "秀英 桂英 秀兰 玉兰 桂兰 秀珍 凤英 玉梅 丽娟 红梅 晓燕 海燕 春梅 小红 丽华 淑芬 玉珍 雪梅 "
    "丽萍 晓丽 小琴 春燕 俊英 春兰 明霞 晓梅 玉琴 素琼 德芳 小芳 丽 芳 敏 静 艳 娟 霞 燕 "
    "婷 倩 琳 慧 丹 蓉 莉 萍"
).split()
MAN_GIVEN = (
    "建国 建华 国强 志强 德明 福全 德华 志明 国平 明华 小龙 小兵 家明 建军 卫东 永平 文杰 "
    "俊杰 海波 春林 伟 强 军 勇 磊 涛 明 超 刚 平 辉 斌 波 鹏 杰 浩 林 海 峰 俊"
).split()
PLACE_HEAD = "青 白 黄 金 石 龙 凤 桃 柳 双 三 五 新 永 太 兴 福 长 安 平 玉 清 红 高 大 小 东 西 南 北".split()
PLACE_TAIL = "河 桥 湾 坝 山 林 溪 坪 水 田 岭 滩 口 冲 池 垭 沟 庙 堰 塘".split()
VILLAGE_TAIL = "家村 家湾村 家沟村 家坝村 家庙村".split()
ROADS = ("桂花 明月 滨江 育才 民生 和平 春华 紫薇 南湖 金桥 青云 玉兰 芙蓉 学府 花园 银杏 广场 翠湖 锦华 兴业").split()
CITY_ORGANS = (
    "市教育局 市民政局 市财政局 市卫生健康委员会 市人力资源和社会保障局 市司法局 市统计局 "
    "市农业农村局 市文化广播电视和旅游局 市市场监督管理局 市税务局 市总工会 市妇联 "
    "市中心医院 市图书馆 市第一中学"
).split()
WORK_PLACES = (
    "广东省东莞市 广东省深圳市 广东省广州市 浙江省宁波市 浙江省义乌市 福建省泉州市 江苏省苏州市 "
    "上海市 北京市 成都市 重庆市 新疆乌鲁木齐市"
).split()
PARENT_WORK = "工厂务工 建筑工地务工 餐饮服务 个体经商 快递物流 家政服务 电子厂流水线 货车司机".split()
VISIT_HOME = "每年春节回家一次 半年回家一次 两三年回家一次 农忙时回家 每年春节和暑假各回家一次".split()
HOBBIES = "画画 跳绳 唱歌 跳舞 看书 踢毽子 讲故事 做手工 跑步 下棋 写字 养小动物".split()
NEEDS_OTHER = "希望有一些课外书 冬季衣物 需要配一副眼镜 希望学习弹琴".split()
SKILLS = (
    "语文辅导 数学辅导 英语辅导 心理健康教育 家庭教育指导 手工 绘画 舞蹈 唱歌 书法 烹饪 卫生保健 阅读指导"
).split()
MESSAGES = (
    "孩子，愿你像小树一样健康成长，有什么心事都可以告诉妈妈。",
    "好好学习，好好吃饭，爸爸妈妈在外面想着你，我也会一直陪着你。",
    "你是一个勇敢的小姑娘，遇到困难不要怕，我们一起想办法。",
    "愿你每天都开开心心，把快乐和烦恼都讲给我听。",
    "多读书、多运动，做一个自信、善良的好孩子。",
)
# The year's end (records/city/): who commends, the title, the training the city offers.
CITY_FEDERATION = "遂宁市妇女联合会"
COMMENDATION_TITLE = "优秀爱心妈妈"
COMMENDED_SHARE = 0.1  # of a unit's mothers in contact with a girl that year, at least one
ATTENDS = 0.85  # the chance a commended mother comes to the training
TRAINING_TOPICS = (
    "家庭教育与心理沟通",
    "留守儿童心理健康与安全教育",
    "亲子阅读与学习辅导",
    "儿童防性侵与自我保护教育",
    "家庭教育促进法解读与家访技巧",
)
TRAINING_PLACE = "遂宁市妇女儿童活动中心"
# How pairings end (the pairing schema's end_reason), and how often each happens.
AGE_OUT, PARENTS_BACK, MOVED, MOTHER_LEFT, NO_CONSENT, OTHER = (
    "女童超龄",
    "父母返乡",
    "迁出",
    "爱心妈妈退出",
    "监护人不再同意",
    "其他",
)
EARLY_ENDS = {PARENTS_BACK: 4, MOVED: 3, NO_CONSENT: 2, OTHER: 1}  # besides ageing out and withdrawals
EARLY_END_PER_YEAR = 0.03  # share of pairings that end early in a year
WITHDRAW_PER_YEAR = 0.015  # share of mothers who withdraw in a year
OTHER_REASONS = ("女童转到外县寄宿学校读书，双方商定结束结对", "女童随亲属到外地生活，暂时无法联系")
WITHDRAW_REASONS = ("工作调动到外地", "身体原因，无法继续参加", "家中老人需要照顾，时间不够")
SUMMARIES = {
    "互认互知": (
        ("在结对仪式上第一次见面，互相介绍，交换了联系方式。", ("女童", "临时监护人")),
        ("第一次见面，认识了女童和临时监护人，了解家庭基本情况。", ("女童", "临时监护人")),
    ),
    "电话": (
        ("电话联系，了解近期的学习情况，鼓励她按时完成作业。", ("女童",)),
        ("和女童及临时监护人通电话，询问身体和生活情况。", ("女童", "临时监护人")),
        ("电话中听她讲学校里的事情，提醒她注意安全。", ("女童",)),
        ("给临时监护人打电话，询问女童这个月的情况，又和她说了几句。", ("女童", "临时监护人")),
        ("电话联系，引导她给在外务工的爸爸妈妈打电话，也和她父母聊了聊。", ("女童", "父母")),
    ),
    "见面": (
        ("周末见面，一起读书、做作业。", ("女童",)),
        ("见面聊天，了解她的心事，鼓励她多和同学交往。", ("女童",)),
        ("带她买了学习用品，聊了聊下一步的学习打算。", ("女童",)),
    ),
    "书信": (
        ("给她写了一封信，鼓励她认真学习、按时吃饭。", ("女童",)),
        ("收到她的来信并回信，表扬了她最近的进步。", ("女童",)),
    ),
    "访老师": (
        ("到学校拜访班主任，了解她在校的学习和表现，课后和她聊了一会儿。", ("女童", "老师")),
        ("和科任老师交流，商量如何帮她提高数学成绩，并陪她订正作业。", ("女童", "老师")),
    ),
    "访监护人": (
        ("看望临时监护人，了解女童在家的生活和作息，陪她写作业。", ("女童", "临时监护人")),
        ("与临时监护人交流，提醒注意女童的饮食和安全，和女童聊了聊心事。", ("女童", "临时监护人")),
    ),
    "家访": (
        ("到女童家中家访，了解家庭情况，和临时监护人一起商量学习安排。", ("女童", "临时监护人")),
        ("家访，查看女童的学习环境，送去课外书和文具。", ("女童", "临时监护人")),
    ),
    "中秋节": (
        ("中秋节陪她一起做月饼、赏月，并和在外的父母视频通话。", ("女童", "父母")),
        ("中秋节带着月饼去看她，陪她吃团圆饭。", ("女童", "临时监护人")),
    ),
    "春节": (
        ("春节前陪她一起贴春联、吃团年饭，送去新年礼物。", ("女童", "临时监护人")),
        ("春节期间陪她逛庙会，和回家过年的父母见了面。", ("女童", "父母")),
    ),
    "国庆节": (
        ("国庆假期带她去公园游玩，讲了国庆节的由来。", ("女童",)),
        ("国庆节陪她参观博物馆，中午和临时监护人一起吃饭。", ("女童", "临时监护人")),
    ),
    "六一儿童节": (
        ("六一儿童节去学校看她的节目表演，送去图书和文具。", ("女童", "老师")),
        ("六一儿童节陪她过节，一起做手工、吃蛋糕。", ("女童",)),
    ),
    "微信": (
        ("微信上和她聊天，听她讲这周的学习和生活。", ("女童",)),
        ("通过微信和临时监护人沟通女童近况，也和她语音聊了一会儿。", ("女童", "临时监护人")),
        ("微信语音时引导她给在外的爸爸妈妈发消息、报平安。", ("女童",)),
    ),
    "视频通话": (
        ("和她视频通话，看她展示新画的画，鼓励她坚持下去。", ("女童",)),
        ("视频通话，和女童及临时监护人聊了聊最近的身体和饮食。", ("女童", "临时监护人")),
        ("视频通话时引导她和在外务工的父母一起通话，说说心里话。", ("女童", "父母")),
    ),
}
SPRING_FESTIVALS = (
    D(2012, 1, 23),
    D(2013, 2, 10),
    D(2014, 1, 31),
    D(2015, 2, 19),
    D(2016, 2, 8),
    D(2017, 1, 28),
    D(2018, 2, 16),
    D(2019, 2, 5),
)
GUARDIAN_TOO = "也和临时监护人聊了聊她这个月在家的情况。"
MOBILE_PREFIXES = (
    "130 131 132 133 135 136 137 138 139 150 151 152 153 157 158 159 180 182 183 187 188 189 199"
).split()
EDUCATION = {"小学": 3, "初中": 10, "高中": 15, "中专": 10, "大专": 25, "本科": 32, "硕士研究生": 5}
POLITICAL = {"中共党员": 35, "群众": 45, "共青团员": 8, "民主党派": 3, "无党派人士": 2, "中共预备党员": 2}
GUARDIANS = {"祖母": 35, "祖父": 20, "外祖母": 20, "外祖父": 10, "其他亲属": 10}
GRADES = "一二三四五六"


@dataclass(frozen=True)
class DemoStats:
    """What `generate` wrote: record counts in total and per unit."""

    root: Path
    girls: int
    mothers: int
    pairings: int
    logs: int
    schemas: int
    eligible_girls: int
    approved_mothers: int
    active_pairings: int
    per_unit: dict[str, dict[str, int]] = field(default_factory=dict)
    commendations: int = 0
    trainings: int = 0

    @property
    def files(self) -> int:
        """Every file written: records, programme.yaml and the schemas."""
        records = self.girls + self.mothers + self.pairings + self.logs + self.commendations + self.trainings
        return records + 1 + self.schemas

    def summary(self) -> str:
        """A short Chinese report for the command line."""
        return (
            f"已在 {self.root} 生成虚构示例数据：爱心妈妈 {self.mothers} 人"
            f"（审核通过 {self.approved_mothers}），留守女童 {self.girls} 人"
            f"（符合结对条件 {self.eligible_girls}），结对 {self.pairings} 对"
            f"（进行中 {self.active_pairings}），联系记录 {self.logs} 条，"
            + (f"表彰 {self.commendations} 条，培训 {self.trainings} 次，" if self.commendations else "")
            + f"共 {self.files} 个文件。"
        )


def generate(
    out: Path,
    scale: float = 1.0,
    seed: int = 2019,
    programme_path: Path | None = None,
    *,
    schemas_dir: Path | None = None,
    until: D | None = None,
) -> DemoStats:
    """Write a fictional, valid repository tree under `out`; refuse to touch existing records.

    At scale 1 every unit gets its quota of mothers (1,000 in all); other counts follow from it.
    The contact log runs from the launch to `until` (default: the end of the first programme
    year, so that benchmark scales stay comparable); over several years pairings end, girls
    are paired again, and some mothers withdraw.
    """
    if not scale > 0:
        raise ValueError(f"规模（scale）必须大于 0，现在是 {scale}")
    out = Path(out)
    programme_path = Path(programme_path) if programme_path else REPO / "records" / "programme.yaml"
    schemas_dir = Path(schemas_dir) if schemas_dir else REPO / "schemas"
    records = out / "records"
    if records.exists() and (not records.is_dir() or any(records.iterdir())):
        raise ValueError(f"{records} 已存在且不是空文件夹：演示数据从不覆盖已有记录，请换一个空目录。")
    programme_text = programme_path.read_bytes()
    programme = _load_yaml(programme_text)
    schema_files = sorted(schemas_dir.glob("*.json"))
    if not schema_files:
        raise ValueError(f"在 {schemas_dir} 中找不到 JSON Schema 文件")
    for src in schema_files:
        dst = out / "schemas" / src.name
        if dst.exists() and dst.read_bytes() != src.read_bytes():
            raise ValueError(f"{dst} 已存在且内容不同：演示数据不会覆盖它。")

    world = _World(programme, random.Random(seed), scale, until or DEMO_END)
    world.build()  # everything in memory first: a failure leaves no half-written tree

    (out / "schemas").mkdir(parents=True, exist_ok=True)
    for src in schema_files:
        dst = out / "schemas" / src.name
        if not dst.exists():
            dst.write_bytes(src.read_bytes())
    records.mkdir(parents=True, exist_ok=True)
    (records / "programme.yaml").write_bytes(programme_text)
    made: set[Path] = set()
    for rel, text in world.files:
        path = records / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        with open(path, "x", encoding="utf-8", newline="\n") as f:
            f.write(text)
    return world.stats(out, len(schema_files))


# --- YAML -------------------------------------------------------------------------------------


def _load_yaml(text: bytes) -> dict:
    return loader.load_bytes(text, "records/programme.yaml").data


def _yaml_text(record: dict, schema: str) -> str:
    return yamlwrite.record_text(record, schema, header=[DEMO_MARK])


# --- the fictional world ------------------------------------------------------------------------


@dataclass
class _Unit:
    id: str
    name: str
    kind: str
    quota: int
    places: list[tuple[str, list[str]]] = field(default_factory=list)  # (township, villages)


@dataclass
class _Girl:
    id: str
    unit: _Unit
    eligible: bool
    record: dict
    paired: bool = False
    later: bool = False  # kept for a later pairing (demos of several years)


@dataclass
class _Mother:
    id: str
    unit: _Unit
    home: _Unit  # the unit of residence: where her girls live
    approved: bool
    city_approved_on: D | None
    record: dict
    withdrawn: D | None = None


@dataclass(eq=False)
class _Pairing:
    id: str
    mother: _Mother
    girl: _Girl
    start: D
    message: str
    end: D | None = None  # ended_on, when it ended by the demo's last day
    reason: str | None = None
    other: str | None = None  # the text of end_reason 其他


class _World:
    """Draws every record from one seeded RNG, in a fixed order, then renders them as YAML text."""

    def __init__(self, programme: dict, rng: random.Random, scale: float, until: D):
        self.rng = rng
        self.scale = scale
        self.until = until
        phases, rules = programme["phases"], programme["rules"]
        day = lambda v: D.fromisoformat(str(v))  # noqa: E731 - quoted in programme.yaml, or not
        self.survey = (day(phases["survey"]["start"]), day(phases["survey"]["end"]))
        self.recruit_start = day(phases["recruitment"]["start"])
        self.report_deadline = day(phases["report_deadline"])
        self.launch = day(phases["launch"])
        first_year_end = self.launch.replace(year=self.launch.year + 1) - dt.timedelta(days=1)
        if until < first_year_end:
            raise ValueError(f"演示数据至少包含第一个活动年度（到 {first_year_end}），截止日期 {until} 太早")
        self.years = until.year - self.launch.year + (until >= self.launch.replace(year=until.year))
        # 双访 is owed once a school term: the programme's terms, or spring 1 March – 10 July and
        # autumn 1 September – 15 January when programme.yaml does not list them
        self.terms = [(day(t["start"]), day(t["end"])) for t in programme.get("school_terms", ())]
        for y in range(self.launch.year, until.year + 1) if not self.terms else ():
            self.terms += [(D(y, 3, 1), D(y, 7, 10)), (D(y, 9, 1), D(y + 1, 1, 15))]
        # mothers are 22–58 on every day from filing to the end of the demo year: inside 20–60
        self.mother_births = (
            D(DEMO_END.year - 59, DEMO_END.month, DEMO_END.day) + dt.timedelta(days=1),
            add_months(self.recruit_start, -22 * 12),
        )
        self.max_girls = int(rules["max_girls_per_mother"])
        self.away_months = int(rules["parents_away_min_months"])
        self.units = [_Unit(u["id"], u["name"], u["kind"], int(u["quota"])) for u in programme["units"]]
        self.girl_units = [u for u in self.units if u.kind != "city"]
        self.homes = [u for u in self.units if u.kind == "county"] or self.girl_units
        if not self.girl_units:
            raise ValueError("programme.yaml 中没有县（区）或园区单位，无法生成女童记录")
        self.used_ids: set[str] = set()
        self.used_phones: set[str] = set()
        self.used_id_numbers: set[str] = set()
        self.girls: list[_Girl] = []
        self.mothers: list[_Mother] = []
        self.pairings: list[_Pairing] = []
        self.of_mother: dict[str, list[_Pairing]] = {}
        self.by_home: dict[str, list[_Mother]] = {}  # approved mothers by the unit they live in
        self.queues: dict[str, list[_Girl]] = {}
        self.spare: dict[str, list[_Girl]] = {}  # eligible girls never paired, by unit
        self.seq = 0
        self.files: list[tuple[str, str]] = []
        self.log_counts: dict[str, int] = {}
        self.contact_months: dict[str, set[tuple[int, int]]] = {}  # by mother: months she saw or called a girl
        self.city_counts = {"commendation": 0, "training": 0}
        # birth months that make a girl 4–11 on every day of the survey: never near 12/13
        lo, hi = self.survey
        self.girl_births = [
            (y, m)
            for y in range(lo.year - 13, lo.year - 3)
            for m in range(1, 13)
            if age_range_from_year_month(y, m, lo)[0] >= 4 and age_range_from_year_month(y, m, hi)[1] <= 11
        ]

    # small draws
    def new_id(self, unit: _Unit, letter: str) -> str:
        draw = functools.partial(layout.random_suffix, self.rng.choice)
        return layout.unused_id(unit.id, layout.LETTER_KINDS[letter], self.used_ids, draw)

    def phone(self, landline: bool = False) -> str:
        while True:
            if landline:
                p = f"0825-{self.rng.choice('2345678')}{self.rng.randrange(10**6):06d}"
            else:
                p = f"{self.rng.choice(MOBILE_PREFIXES)}{self.rng.randrange(10**8):08d}"
            if p not in self.used_phones:
                self.used_phones.add(p)
                return p

    def name(self, given: list[str], surname: str | None = None) -> str:
        return (surname or self.rng.choice(SURNAMES)) + self.rng.choice(given)

    def day(self, start: D, end: D) -> D:
        return start + dt.timedelta(days=self.rng.randint(0, (end - start).days))

    def place(self, unit: _Unit) -> tuple[str, str]:
        township, villages = self.rng.choice(unit.places)
        return township, self.rng.choice(villages)

    def rural_address(self, unit: _Unit, township: str, village: str) -> str:
        return f"{unit.name}{township}{village}{self.rng.randint(1, 12)}组"

    # the build, in a fixed order
    def build(self) -> None:
        names = self.rng.sample([h + t for h in PLACE_HEAD for t in PLACE_TAIL], 8 * len(self.units))
        for n, unit in enumerate(self.units):  # township names are unique across the city
            unit.places = self.invent_places(names[8 * n : 8 * n + 8])
        for unit in self.units:
            target, approved = max(1, round(unit.quota * self.scale)), 0
            while approved < target:  # declined and pending mothers come on top of the quota
                mother = self.make_mother(unit, first=approved == 0)
                self.mothers.append(mother)
                approved += mother.approved
        plan = [(m, self.girls_wanted()) for m in self.mothers if m.approved]
        demand = {u.id: 0 for u in self.girl_units}
        for m, k in plan:
            demand[m.home.id] += k
        self.make_girls(demand)
        queues = {u.id: [g for g in self.girls if g.unit is u and g.eligible and not g.later] for u in self.girl_units}
        for q in queues.values():
            self.rng.shuffle(q)
        for u in self.girl_units:  # at the front: the first pairings take girls from the back
            queues[u.id][:0] = [g for g in self.girls if g.unit is u and g.later]
        for mother, k in plan:
            self.pair(mother, [queues[mother.home.id].pop() for _ in range(k)])
        self.queues = queues
        self.live()
        self.write_pairings()
        for g in self.girls:
            self.add("girl", g.unit.id, g.id, g.record)
        for m in self.mothers:
            self.add("mother", m.unit.id, m.id, m.record)
        self.years_end()

    def add(self, kind: str, unit: str, record_id: str, record: dict, pairing: str | None = None) -> None:
        rel = layout.record_path(kind, unit, record_id, pairing)
        schema = "../" * (rel.count("/") - 1) + f"../schemas/{kind}.schema.json"
        self.files.append((rel.removeprefix("records/"), _yaml_text(record, schema)))

    def invent_places(self, names: list[str]) -> list[tuple[str, list[str]]]:
        places = []
        for name in names:
            suffix = "乡" if self.rng.random() < 0.15 else "镇"
            surnames = self.rng.sample(SURNAMES, 6)
            places.append((name + suffix, [s + self.rng.choice(VILLAGE_TAIL) for s in surnames]))
        return places

    def girls_wanted(self) -> int:
        r = self.rng.random()
        k = 1 if r < 0.83 else 2 if r < 0.93 else 3  # about 1.2 girls a mother
        return min(k, self.max_girls)

    def make_mother(self, unit: _Unit, first: bool) -> _Mother:
        rng = self.rng
        if unit.kind == "city":
            home = rng.choices(self.homes, [CITY_RESIDENCE_WEIGHT.get(u.id, 1) for u in self.homes])[0]
        else:
            home = unit
        oldest, youngest = self.mother_births
        span = (youngest - oldest).days
        birth = oldest + dt.timedelta(days=int(rng.triangular(0, span, span * 0.55)))
        while True:
            region = REGION_CODES.get(unit.id) or rng.choice(DEFAULT_REGIONS)
            number = idnumber.make(region, birth, rng.randrange(500) * 2)  # even 17th digit: a woman
            if number not in self.used_id_numbers:
                self.used_id_numbers.add(number)
                break
        filed = self.day(self.recruit_start, self.report_deadline - dt.timedelta(days=3))
        one_day = dt.timedelta(days=1)
        county_on = self.day(filed + one_day, min(filed + 3 * one_day, self.report_deadline))
        city_on = self.day(county_on + one_day, self.launch - one_day)
        r = 1.0 if first else rng.random()  # the first mother of every unit is approved
        outcome = (
            "declined_county" if r < 0.007 else "declined_city" if r < 0.012 else "pending" if r < 0.02 else "approved"
        )
        township, village = self.place(home)
        if rng.random() < (0.6 if unit.kind == "city" else 0.3):
            address = f"{home.name}{rng.choice(ROADS)}{rng.choice('路街')}{rng.randint(1, 300)}号"
        else:
            address = self.rural_address(home, township, village)
        workplace, position, approver = self.job(unit, township, village)
        status = self.weighted(POLITICAL)
        if status == "共青团员" and age_on(birth, filed) > 28:  # league members are 28 at most
            status = "群众"
        record = {
            "filed_on": filed.isoformat(),
            "name": self.name(WOMAN_GIVEN),
            "birth": f"{birth:%Y-%m}",
            "phone": self.phone(),
            "education": self.weighted(EDUCATION),
            "political_status": status,
            "id_number": number,
            "residence": {"unit": home.id, "address": address},
            "workplace": workplace,
        }
        if position:
            record["position"] = position
        record["skills"] = "、".join(rng.sample(SKILLS, rng.randint(1, 2)))
        if rng.random() < 0.8:
            wish = rng.choice(["小学低年级", "小学高年级", "学龄前儿童", "无特别要求"])
            record["wishes"] = {"area": township, "girl": wish}
        no = outcome == "declined_county"
        record["county_approval"] = {
            "decision": DISAGREE if no else AGREE,
            "opinion": "经核实，暂不具备结对帮扶条件" if no else "同意推荐",
            "by": approver,
            "date": county_on.isoformat(),
        }
        if outcome in ("approved", "declined_city"):
            no = outcome == "declined_city"
            record["city_approval"] = {
                "decision": DISAGREE if no else AGREE,
                "opinion": "本人申请暂缓参加" if no else "同意",
                "by": "遂宁市妇联",
                "date": city_on.isoformat(),
            }
        approved = outcome == "approved"
        return _Mother(self.new_id(unit, "m"), unit, home, approved, city_on if approved else None, record)

    def weighted(self, weights: dict[str, int]) -> str:
        return self.rng.choices(list(weights), list(weights.values()))[0]

    def job(self, unit: _Unit, township: str, village: str) -> tuple[str, str | None, str]:
        """(workplace, position or None, who gives the first approval)."""
        rng = self.rng
        if unit.kind == "city":
            organ = rng.choice(CITY_ORGANS)
            position = rng.choice(["科员", "副科长", "科长", "干部", "职员", "教师" if "中学" in organ else "职员"])
            return organ, position, "遂宁市妇联" if organ == "市妇联" else f"{organ}妇委会"
        approver = f"{unit.name}妇联"
        choices = [
            (f"{township}中心小学", "教师"),
            (f"{township}卫生院", rng.choice(["护士", "医生"])),
            (f"{township}人民政府", "干部"),
            (f"{village}村民委员会", rng.choice(["村妇联主席", "村干部"])),
            (
                f"遂宁{rng.choice(PLACE_HEAD)}{rng.choice('禾源达丰瑞泰')}{rng.choice(['电子', '食品', '纺织'])}有限公司",
                rng.choice(["职员", "会计", "车间主任"]),
            ),
            ("个体经营", "店主"),
            ("无", None),
        ]
        weights = [2, 1, 1, 1, 4, 2, 1] if unit.kind == "park" else [3, 2, 2, 2, 1, 2, 2]
        workplace, position = rng.choices(choices, weights)[0]
        return workplace, position, approver

    def make_girls(self, demand: dict[str, int]) -> None:
        total_mothers = len(self.mothers)
        wanted = round(1.3 * total_mothers)
        paired = sum(demand.values())
        others = round(0.08 * wanted)  # one parent away: on file, never paired
        spare = max(round(0.01 * wanted), wanted - paired - others)  # eligible, not yet paired
        young = round(0.06 * paired * (self.years - 1))  # over several years: for mothers whose girl left
        units = [u for u in self.girl_units if demand[u.id]] or self.girl_units
        weights = [max(demand[u.id], 1) for u in units]
        kinds: dict[str, list[str]] = {u.id: ["父母均外出"] * demand[u.id] for u in self.girl_units}
        for _ in range(spare):
            kinds[self.rng.choices(units, weights)[0].id].append("父母均外出")
        for _ in range(others):
            kinds[self.rng.choices(units, weights)[0].id].append(self.rng.choice(["父亲外出", "母亲外出"]))
        later = {u.id: 0 for u in self.girl_units}
        for _ in range(young):
            later[self.rng.choices(units, weights)[0].id] += 1
        # the youngest girls on file, 4 to 6 at the survey: still under 13 years later
        youngest = [(y, m) for y, m in self.girl_births if age_range_from_year_month(y, m, self.survey[1])[1] <= 6]
        for unit in self.girl_units:
            away = kinds[unit.id]
            self.rng.shuffle(away)
            for a in away:
                self.girls.append(self.make_girl(unit, a))
            for _ in range(later[unit.id]):
                self.girls.append(self.make_girl(unit, "父母均外出", youngest, later=True))

    def left_on(self, earliest: D, latest: D) -> str:
        festivals = [f for f in SPRING_FESTIVALS if earliest <= f and f + dt.timedelta(days=20) <= latest]
        if festivals and self.rng.random() < 0.6:
            return (self.rng.choice(festivals) + dt.timedelta(days=self.rng.randint(5, 20))).isoformat()
        d = self.day(earliest, latest)
        first = d.replace(day=1)
        return (first if first >= earliest else d).isoformat()

    def make_girl(self, unit: _Unit, away: str, births: list | None = None, later: bool = False) -> _Girl:
        rng = self.rng
        survey = self.day(*self.survey)
        births = births or self.girl_births
        year, month = rng.choice(births)
        while month == survey.month:  # surveyed in her birth month, her age would be one of two
            year, month = rng.choice(births)
        township, village = self.place(unit)
        surname = rng.choice(SURNAMES)
        mother_surname = rng.choice(SURNAMES)
        father = {"name": self.name(MAN_GIVEN, surname), "phone": self.phone()}
        mother = {"name": self.name(WOMAN_GIVEN, mother_surname), "phone": self.phone()}
        earliest = add_months(D(year, month, 1), 6)
        latest = add_months(survey, -self.away_months - 1)  # a month clear of the 6-month bound
        if away in ("父亲外出", "父母均外出"):
            father["left_on"] = self.left_on(earliest, latest)
        if away in ("母亲外出", "父母均外出"):
            mother["left_on"] = self.left_on(earliest, latest)
        if away == "父亲外出":
            guardian = {"name": mother["name"], "phone": mother["phone"], "relationship": "母亲"}
        elif away == "母亲外出":
            guardian = {"name": father["name"], "phone": father["phone"], "relationship": "父亲"}
        else:
            rel = self.weighted(GUARDIANS)
            gname = {
                "祖父": self.name(MAN_GIVEN, surname),
                "外祖父": self.name(MAN_GIVEN, mother_surname),
                "其他亲属": self.name(WOMAN_GIVEN),
            }.get(rel) or self.name(WOMAN_GIVEN)
            guardian = {"name": gname, "phone": self.phone(landline=rng.random() < 0.3), "relationship": rel}
        school_year = self.survey[0].year - 1  # the survey is at the end of the school year
        school_age = school_year - year - (month > 8)  # completed years on 31 August
        if school_age <= 5:
            school, klass = f"{township}中心幼儿园", "小班中班大班"[(school_age - 3) * 2 : (school_age - 2) * 2]
        else:
            school, klass = f"{township}中心小学", f"{GRADES[school_age - 6]}年级{rng.choice('一二三')}班"
        needs = [n for n in ("学习辅导", "心理沟通", "精神关爱") if rng.random() < 0.45] or ["精神关爱"]
        record = {
            "survey_date": survey.isoformat(),
            "name": self.name(GIRL_GIVEN, surname),
            "birth": f"{year}-{month:02d}",
            "township": township,
            "village": village,
            "poor_household": rng.random() < 0.15,
            "parents_away": away,
            "father": father,
            "mother": mother,
            "parents_work_place": rng.choice(WORK_PLACES),
            "parents_work": rng.choice(PARENT_WORK),
            "parents_visit_home": rng.choice(VISIT_HOME),
            "guardian": guardian,
            "address": self.rural_address(unit, township, village),
            "school": school,
            "class": klass,
            "hobbies": "、".join(rng.sample(HOBBIES, rng.randint(1, 2))),
            "needs": needs,
        }
        if rng.random() < 0.05:
            record["needs"] = needs + ["其他"]
            record["needs_other"] = rng.choice(NEEDS_OTHER)
        record["consent"] = {
            "by": guardian["name"],
            "relationship": guardian["relationship"],
            "date": survey.isoformat(),
            "note": "签字同意书已存档",
        }
        return _Girl(self.new_id(unit, "g"), unit, away == "父母均外出", record, later=later)

    def pair(self, mother: _Mother, girls: list[_Girl]) -> None:
        """Most pairs start at the launch ceremony; a mother's further girls follow within weeks."""
        rng = self.rng
        one_day = dt.timedelta(days=1)
        start = self.launch if rng.random() < 0.75 else self.launch + rng.randint(1, 30) * one_day
        start = max(start, mother.city_approved_on + one_day)
        for n, girl in enumerate(girls):
            if n:
                start += rng.randint(0, 30) * one_day
            p = _Pairing(self.new_id(mother.unit, "p"), mother, girl, start, rng.choice(MESSAGES))
            self.pairings.append(p)
            self.of_mother.setdefault(mother.id, []).append(p)

    # --- the pairings' lives: withdrawals, endings, re-pairings ----------------------------------

    def live(self) -> None:
        """Decide how every pairing ends (if it does by `until`), and who is paired again after.

        Events run in date order from one heap, so the outcome depends only on the seed.
        """
        rng, day = self.rng, dt.timedelta(days=1)
        for m in self.mothers:
            lo, hi = self.launch + 150 * day, self.until - 30 * day
            if m.approved and lo <= hi and rng.random() < WITHDRAW_PER_YEAR * self.years:
                m.withdrawn = self.day(lo, hi)
                m.record["withdrawn"] = {"date": m.withdrawn.isoformat(), "reason": rng.choice(WITHDRAW_REASONS)}
        self.spare = {u: [g for g in q if not g.paired] for u, q in self.queues.items()}
        for m in self.mothers:
            if m.approved:
                self.by_home.setdefault(m.home.id, []).append(m)
        events: list[tuple[D, int, str, Any]] = []
        for p in list(self.pairings):
            self.settle(p, events)
        while events:
            when, _, what, subject = heapq.heappop(events)
            if what == "girl":
                self.repair(subject, when, events)
            else:
                self.adopt(subject, when, events)

    def review(self, girl: _Girl) -> D:
        """The start of the first programme year on which she is surely 13: the yearly review ends
        her pairing then (the form has her birth year and month only)."""
        year, month = (int(x) for x in girl.record["birth"].split("-"))
        first = year + 13 if month < self.launch.month else year + 14
        return self.launch.replace(year=first)

    def settle(self, p: _Pairing, events: list) -> None:
        rng, day = self.rng, dt.timedelta(days=1)
        p.girl.paired = True
        ends: list[tuple[D, str]] = []
        review = self.review(p.girl)
        if p.start < review <= self.until:
            ends.append((min(review + rng.randint(0, 14) * day, self.until), AGE_OUT))
        if p.mother.withdrawn and p.start < p.mother.withdrawn:
            ends.append((p.mother.withdrawn, MOTHER_LEFT))
        lo, hi = p.start + 75 * day, self.until - 31 * day
        if lo <= hi and rng.random() < EARLY_END_PER_YEAR * (hi - p.start).days / 365:
            ends.append((self.day(lo, hi), self.weighted(EARLY_ENDS)))
        if not ends:
            return
        p.end, p.reason = min(ends)
        if p.reason == OTHER:
            p.other = rng.choice(OTHER_REASONS)
        if p.reason in (PARENTS_BACK, MOVED):
            p.girl.record["left_behind_ended"] = {"date": p.end.isoformat(), "reason": p.reason}
        if p.reason in (MOTHER_LEFT, OTHER):  # the girl is still left behind: pair her again
            self.push(events, p.end + rng.randint(14, 60) * day, "girl", p.girl)
        if p.reason != MOTHER_LEFT and rng.random() < 0.6:  # the mother takes a new girl
            self.push(events, p.end + rng.randint(7, 45) * day, "mother", p.mother)

    def push(self, events: list, when: D, what: str, subject: _Girl | _Mother) -> None:
        if when <= self.until - dt.timedelta(days=20):
            self.seq += 1  # unique: the subjects themselves are never compared
            heapq.heappush(events, (when, self.seq, what, subject))

    def load(self, mother: _Mother, day: D) -> int:
        """Her pairings still running on `day` or starting later."""
        return sum(1 for p in self.of_mother.get(mother.id, ()) if p.end is None or p.end > day)

    def can_take(self, mother: _Mother, day: D) -> bool:
        staying = mother.withdrawn is None or mother.withdrawn > day + dt.timedelta(days=180)
        return staying and self.load(mother, day) < self.max_girls

    def repair(self, girl: _Girl, day: D, events: list) -> None:
        if self.review(girl) <= day + dt.timedelta(days=90):
            return
        free = [m for m in self.by_home.get(girl.unit.id, ()) if self.can_take(m, day)]
        if free:
            least = min(self.load(m, day) for m in free)
            self.start_pairing(self.rng.choice([m for m in free if self.load(m, day) == least]), girl, day, events)

    def adopt(self, mother: _Mother, day: D, events: list) -> None:
        if not self.can_take(mother, day):
            return
        pool = self.spare.get(mother.home.id, [])
        girl = next((g for g in pool if self.review(g) > day + dt.timedelta(days=180)), None)
        if girl is not None:
            pool.remove(girl)
            self.start_pairing(mother, girl, day, events)

    def start_pairing(self, mother: _Mother, girl: _Girl, day: D, events: list) -> None:
        p = _Pairing(self.new_id(mother.unit, "p"), mother, girl, day, self.rng.choice(MESSAGES))
        self.pairings.append(p)
        self.of_mother.setdefault(mother.id, []).append(p)
        self.settle(p, events)

    def write_pairings(self) -> None:
        """The mode follows the girls she has: 一对多 while she has several pairings at once."""
        for p in self.pairings:
            mine = self.of_mother[p.mother.id]
            if p.end is None:
                n = sum(1 for q in mine if q.end is None)
            else:
                n = sum(1 for q in mine if q.start <= p.start and (q.end is None or q.end > p.start))
            record = {
                "filed_on": p.start.isoformat(),
                "mother": p.mother.id,
                "girl": p.girl.id,
                "mode": "一对一" if n == 1 else "一对多",
                "started_on": p.start.isoformat(),
                "message": p.message,
                "status": ACTIVE if p.end is None else ENDED,
            }
            if p.end is not None:
                record.update(ended_on=p.end.isoformat(), end_reason=p.reason)
                if p.other:
                    record["end_reason_other"] = p.other
            self.add("pairing", p.mother.unit.id, p.id, record)
            self.logs(p)

    # --- the contact log -----------------------------------------------------------------------

    def festivals(self, year: int) -> list[tuple[str, D, int, float]]:
        """(name, first day, days, weight) of the festivals of the programme year starting in `year`."""
        mid_autumn = _festival(year, "中秋节")
        spring = _festival(year + 1, "春节")
        return [
            ("国庆节", D(year, 10, 1), 7, 1.0),
            ("六一儿童节", D(year + 1, 6, 1), 1, 1.5),
            ("中秋节", mid_autumn, 1, 5.0),
            ("春节", spring - dt.timedelta(days=1), 4, 4.0),  # from New Year's Eve
        ]

    def lapses(self, months: int) -> set[int]:
        """The months (by index) without any contact: most mothers keep the rhythm."""
        rng = self.rng
        r = rng.random()
        if r < 0.8:
            return set()
        if r < 0.94:  # a few months' lapse now and then
            skipped, i = set(), 1
            while i < months:
                if rng.random() < 0.06:
                    n = rng.randint(2, 5)
                    skipped.update(range(i, min(i + n, months)))
                    i += n
                else:
                    i += 1
            return skipped
        return set(range(max(1, months - rng.randint(2, 8)), months))  # stopped: nothing lately

    def monthly_kind(self, month: D) -> str:
        t = (month - self.launch).days / 365  # phones give way to WeChat and video calls
        weights = {
            "电话": max(1.0, 5 - t),
            "微信": 1 + t,
            "视频通话": 0.5 + 0.7 * t,
            "见面": 2.0,
            "书信": max(0.3, 1 - 0.2 * t),
        }
        return self.weighted(weights)

    def logs(self, p: _Pairing) -> None:
        """Every month a contact with the girl and her guardian, first 互认互知; each programme
        year a festival and a home visit among them; each school term besides a visit to the
        teacher and one to the guardian (the home visit counts for its term). The rest are phone
        calls, WeChat, video calls, meetings and letters; some mothers let months pass."""
        rng = self.rng
        stop = p.end or self.until
        months = []
        first = p.start.replace(day=1)
        while first <= stop:
            months.append(first)
            first = add_months(first, 1)
        index = {(m.year, m.month): i for i, m in enumerate(months)}
        skipped = self.lapses(len(months))
        steady = not skipped
        plan: dict[int, tuple[str, D, str | None]] = {0: ("互认互知", p.start, None)}

        def window(i: int, lo: D, hi: D) -> tuple[D, D] | None:
            a, b = month_bounds(months[i].year, months[i].month)
            a, b = max(a, p.start, lo), min(b, stop, hi)
            return (a, b) if a <= b else None

        def free(i: int) -> bool:
            return i not in plan and i not in skipped

        for year in range(p.start.year - 1, stop.year + 1):
            year_start = self.launch.replace(year=year)
            year_end = year_start.replace(year=year + 1) - dt.timedelta(days=1)
            in_year = [i for i in range(len(months)) if window(i, year_start, year_end) and free(i)]
            if not in_year:
                continue
            options = [(n, self.day(f, f + dt.timedelta(days=k - 1)), w) for n, f, k, w in self.festivals(year)]
            options = [o for o in options if p.start < o[1] <= stop and index.get((o[1].year, o[1].month)) in in_year]
            if options:
                name, when, _ = rng.choices(options, [w for _, _, w in options])[0]
                plan[index[(when.year, when.month)]] = ("节日陪伴", when, name)
            left = [i for i in in_year if free(i)]
            if left:
                i = rng.choice(left)
                plan[i] = ("家访", self.day(*window(i, year_start, year_end)), None)
        home_visits = [day for kind, day, _ in plan.values() if kind == "家访"]
        extra: list[tuple[str, D]] = []
        for term_start, term_end in self.terms:
            if term_end < p.start or term_start > stop:
                continue
            visited = any(term_start <= day <= term_end for day in home_visits)
            for kind in ("访老师",) if visited else ("访老师", "访监护人"):
                left = [i for i in range(len(months)) if i not in skipped and window(i, term_start, term_end)]
                if left:
                    extra.append((kind, self.day(*window(rng.choice(left), term_start, term_end))))
        entries = []
        for i, month in enumerate(months):
            if i in plan:
                kind, day, festival = plan[i]
            elif i in skipped:
                continue
            else:
                kind, day, festival = self.monthly_kind(month), self.day(*window(i, month, stop)), None
            entries.append((day, kind, festival, steady or rng.random() < 0.85))
        entries += [(day, kind, None, False) for kind, day in extra]
        for day, kind, festival, with_guardian in sorted(entries, key=lambda e: e[0]):
            summary, with_ = rng.choice(SUMMARIES[festival or kind])
            if with_guardian and "临时监护人" not in with_:  # the monthly word with the guardian
                summary, with_ = summary + GUARDIAN_TOO, (*with_, "临时监护人")
            record = {"pairing": p.id, "date": day.isoformat(), "kind": kind, "with": list(with_)}
            if "引导" in summary:
                record["guided_parents"] = True
            if festival:
                record["festival"] = festival
            record["summary"] = summary
            self.add("log", p.mother.unit.id, self.new_id(p.mother.unit, "l"), record, p.id)
            if "女童" in with_:
                self.contact_months.setdefault(p.mother.id, set()).add((day.year, day.month))
        self.log_counts[p.mother.unit.id] = self.log_counts.get(p.mother.unit.id, 0) + len(entries)

    # --- the year's end: commendations and a training (records/city/) ----------------------------

    def years_end(self) -> None:
        """For every programme year over by `until`, the review near its end: in each unit the
        mothers with the most months of contact with a girl that year are commended (fiction, not
        the review's criteria), and two weeks later the city offers them a training that most of
        them attend."""
        start = self.launch
        while (end := start.replace(year=start.year + 1) - dt.timedelta(days=1)) <= self.until:
            self.year_end(start, end)
            start = end + dt.timedelta(days=1)

    def year_end(self, start: D, end: D) -> None:
        label, awarded, trained = f"{start.year}-{end.year}", end - dt.timedelta(days=33), end - dt.timedelta(days=16)
        months = {(d.year, d.month) for d in (add_months(start, k) for k in range(12))}
        commended: list[_Mother] = []
        for unit in self.units:
            diligence = {
                m.id: len(self.contact_months.get(m.id, set()) & months)
                for m in self.mothers
                if m.unit is unit and m.approved and (m.withdrawn is None or m.withdrawn > trained)
            }
            ranked = sorted((m for m in self.mothers if diligence.get(m.id)), key=lambda m: (-diligence[m.id], m.id))
            commended += ranked[: max(1, round(COMMENDED_SHARE * len(ranked)))]
        if not commended:
            return
        for mother in commended:
            record = {
                "year": label,
                "mother": mother.id,
                "title": COMMENDATION_TITLE,
                "awarded_by": CITY_FEDERATION,
                "date": awarded.isoformat(),
            }
            self.add_city("commendation", record)
        invited = [m.id for m in commended]
        attended = [m.id for m in commended if self.rng.random() < ATTENDS]
        record = {
            "date": trained.isoformat(),
            "topic": TRAINING_TOPICS[(start.year - self.launch.year) % len(TRAINING_TOPICS)],
            "place": TRAINING_PLACE,
            "organiser": CITY_FEDERATION,
            "invited": invited,
            "attended": attended,
            "hours": 3,
            "note": f"为 {label} 年度受表彰的爱心妈妈举办。",
        }
        self.add_city("training", record)

    def add_city(self, kind: str, record: dict) -> None:
        draw = functools.partial(layout.random_suffix, self.rng.choice)
        record_id = layout.unused_id(layout.CITY_FOLDER, kind, self.used_ids, draw)
        self.add(kind, layout.CITY_FOLDER, record_id, record)
        self.city_counts[kind] += 1

    def stats(self, out: Path, schemas: int) -> DemoStats:
        per_unit = {
            u.id: {"girls": 0, "mothers": 0, "pairings": 0, "logs": self.log_counts.get(u.id, 0)} for u in self.units
        }
        for g in self.girls:
            per_unit[g.unit.id]["girls"] += 1
        for m in self.mothers:
            per_unit[m.unit.id]["mothers"] += 1
        for p in self.pairings:
            per_unit[p.mother.unit.id]["pairings"] += 1
        return DemoStats(
            root=out,
            girls=len(self.girls),
            mothers=len(self.mothers),
            pairings=len(self.pairings),
            logs=sum(self.log_counts.values()),
            schemas=schemas,
            eligible_girls=sum(g.eligible for g in self.girls),
            approved_mothers=sum(m.approved for m in self.mothers),
            active_pairings=sum(p.end is None for p in self.pairings),
            per_unit=per_unit,
            commendations=self.city_counts["commendation"],
            trainings=self.city_counts["training"],
        )


@functools.cache
def _festival(year: int, name: str) -> D:
    """The day of a festival in the solar year `year` (lunar ones from the Chinese calendar)."""
    return next(f.day for f in festivals_of_year(year) if f.name == name)
