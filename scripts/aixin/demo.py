"""The fictional programme generator behind `aixin demo`.

It writes a complete repository tree (programme, schemas, records) for a made-up year of the
programme, so that checks, the site and search can be tried and timed without touching anybody's
personal information. Everything here is invented at random from a seed: names are drawn from
common surnames and given names, villages and roads are made up, phone numbers are random, and
ID numbers are random but carry a valid GB 11643 check digit. The same (scale, seed) always gives
byte-identical files, and the data satisfies the schemas and the programme's rules.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from dataclasses import dataclass, field
from pathlib import Path

from aixin.core.dates import add_months, age_on, age_range_from_year_month, month_bounds

from .core import idnumber
from .domain import layout
from .domain.terms import ACTIVE, AGREE, DISAGREE, ENDED
from .load import loader
from .load import writer as yamlwrite

D = dt.date
REPO = Path(__file__).resolve().parents[2]
DEMO_END = D(2020, 7, 31)  # the generated year of contact runs from the launch to here
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
# A pairing's end reason is one of the schema's list; 其他 carries its words in end_reason_other.
END_REASONS = (
    {"end_reason": "迁出"},
    {"end_reason": "父母返乡"},
    {"end_reason": "其他", "end_reason_other": "爱心妈妈工作调动，经协商结束结对"},
)
SUMMARIES = {
    "互认互知": (
        ("在结对仪式上第一次见面，互相介绍，交换了联系方式。", ("女童", "临时监护人")),
        ("第一次见面，认识了女童和临时监护人，了解家庭基本情况。", ("女童", "临时监护人")),
    ),
    "电话": (
        ("电话联系，了解近期的学习情况，鼓励她按时完成作业。", ("女童",)),
        ("和女童及临时监护人通电话，询问身体和生活情况。", ("女童", "临时监护人")),
        ("电话中听她讲学校里的事情，提醒她注意安全。", ("女童",)),
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
}
CYCLE = ("电话", "见面", "书信", "访老师", "访监护人")
FESTIVALS = (("中秋节", D(2019, 9, 13), 1), ("春节", D(2020, 1, 24), 4))  # name, first day, days
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

    @property
    def files(self) -> int:
        """Every file written: records, programme.yaml and the schemas."""
        return self.girls + self.mothers + self.pairings + self.logs + 1 + self.schemas

    def summary(self) -> str:
        """A short Chinese report for the command line."""
        return (
            f"已在 {self.root} 生成虚构示例数据：爱心妈妈 {self.mothers} 人"
            f"（审核通过 {self.approved_mothers}），留守女童 {self.girls} 人"
            f"（符合结对条件 {self.eligible_girls}），结对 {self.pairings} 对"
            f"（进行中 {self.active_pairings}），联系记录 {self.logs} 条，共 {self.files} 个文件。"
        )


def generate(
    out: Path,
    scale: float = 1.0,
    seed: int = 2019,
    programme_path: Path | None = None,
    *,
    schemas_dir: Path | None = None,
) -> DemoStats:
    """Write a fictional, valid repository tree under `out`; refuse to touch existing records.

    At scale 1 every unit gets its quota of mothers (1,000 in all); other counts follow from it.
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

    world = _World(programme, random.Random(seed), scale)
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


@dataclass
class _Mother:
    id: str
    unit: _Unit
    home: _Unit  # the unit of residence: where her girls live
    approved: bool
    city_approved_on: D | None
    record: dict


class _World:
    """Draws every record from one seeded RNG, in a fixed order, then renders them as YAML text."""

    def __init__(self, programme: dict, rng: random.Random, scale: float):
        self.rng = rng
        self.scale = scale
        phases, rules = programme["phases"], programme["rules"]
        day = lambda v: D.fromisoformat(str(v))  # noqa: E731 - quoted in programme.yaml, or not
        self.survey = (day(phases["survey"]["start"]), day(phases["survey"]["end"]))
        self.recruit_start = day(phases["recruitment"]["start"])
        self.report_deadline = day(phases["report_deadline"])
        self.launch = day(phases["launch"])
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
        self.pairings: list[tuple[_Mother, str, bool]] = []  # (mother, pairing id, active)
        self.files: list[tuple[str, str]] = []
        self.log_counts: dict[str, int] = {}
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
        queues = {u.id: [g for g in self.girls if g.unit is u and g.eligible] for u in self.girl_units}
        for q in queues.values():
            self.rng.shuffle(q)
        for mother, k in plan:
            self.pair(mother, [queues[mother.home.id].pop() for _ in range(k)])
        for g in self.girls:
            self.add("girl", g.unit.id, g.id, g.record)
        for m in self.mothers:
            self.add("mother", m.unit.id, m.id, m.record)

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
        units = [u for u in self.girl_units if demand[u.id]] or self.girl_units
        weights = [max(demand[u.id], 1) for u in units]
        kinds: dict[str, list[str]] = {u.id: ["父母均外出"] * demand[u.id] for u in self.girl_units}
        for _ in range(spare):
            kinds[self.rng.choices(units, weights)[0].id].append("父母均外出")
        for _ in range(others):
            kinds[self.rng.choices(units, weights)[0].id].append(self.rng.choice(["父亲外出", "母亲外出"]))
        for unit in self.girl_units:
            away = kinds[unit.id]
            self.rng.shuffle(away)
            for a in away:
                self.girls.append(self.make_girl(unit, a))

    def left_on(self, earliest: D, latest: D) -> str:
        festivals = [f for f in SPRING_FESTIVALS if earliest <= f and f + dt.timedelta(days=20) <= latest]
        if festivals and self.rng.random() < 0.6:
            return (self.rng.choice(festivals) + dt.timedelta(days=self.rng.randint(5, 20))).isoformat()
        d = self.day(earliest, latest)
        first = d.replace(day=1)
        return (first if first >= earliest else d).isoformat()

    def make_girl(self, unit: _Unit, away: str) -> _Girl:
        rng = self.rng
        survey = self.day(*self.survey)
        year, month = rng.choice(self.girl_births)
        while month == survey.month:  # surveyed in her birth month, her age would be one of two
            year, month = rng.choice(self.girl_births)
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
        return _Girl(self.new_id(unit, "g"), unit, away == "父母均外出", record)

    def pair(self, mother: _Mother, girls: list[_Girl]) -> None:
        """Most pairs start at the launch ceremony; a mother's further girls follow within weeks."""
        rng = self.rng
        one_day = dt.timedelta(days=1)
        start = self.launch if rng.random() < 0.75 else self.launch + rng.randint(1, 30) * one_day
        start = max(start, mother.city_approved_on + one_day)
        planned = []
        for n, girl in enumerate(girls):
            if n:
                start += rng.randint(0, 30) * one_day
            pid = self.new_id(mother.unit, "p")
            record = {
                "filed_on": start.isoformat(),
                "mother": mother.id,
                "girl": girl.id,
                "mode": "",
                "started_on": start.isoformat(),
                "message": rng.choice(MESSAGES),
                "status": ACTIVE,
            }
            end = DEMO_END
            if rng.random() < 0.03:
                end = self.day(start + 75 * one_day, DEMO_END - 31 * one_day)
                record.update(status=ENDED, ended_on=end.isoformat(), **rng.choice(END_REASONS))
            planned.append((pid, record, start, end))
        # The mode follows the girls she still has: when one pairing ends, the others are updated.
        active = sum(1 for _, record, _, _ in planned if record["status"] == ACTIVE)
        for pid, record, start, end in planned:
            girls_now = active if record["status"] == ACTIVE else len(girls)
            record["mode"] = "一对一" if girls_now == 1 else "一对多"
            self.pairings.append((mother, pid, end == DEMO_END))
            self.add("pairing", mother.unit.id, pid, record)
            self.logs(mother.unit, pid, start, end)

    def logs(self, unit: _Unit, pid: str, start: D, end: D) -> None:
        """One contact a month: first 互认互知, then one festival, one home visit, the rest cycling."""
        rng = self.rng
        months = []
        first = start.replace(day=1)
        while first <= end:
            months.append(first)
            first = add_months(first, 1)
        festival = None
        options = [(name, self.day(day, day + dt.timedelta(days=days - 1))) for name, day, days in FESTIVALS]
        options = [(n, d) for n, d in options if start.replace(day=1) < d.replace(day=1) and d <= end]
        if options:
            festival = options[0] if len(options) == 1 or rng.random() < 0.7 else options[1]
        taken = {0, months.index(festival[1].replace(day=1))} if festival else {0}
        free = [i for i in range(len(months)) if i not in taken]
        home_visit = rng.choice(free) if free else None
        offset = rng.randrange(len(CYCLE))
        for i, month in enumerate(months):
            lo, hi = month_bounds(month.year, month.month)
            extra = {}
            if i == 0:
                kind, day = "互认互知", start
            elif festival and i in taken:
                kind, day = "节日陪伴", festival[1]
                extra = {"festival": festival[0]}
            else:
                kind = "家访" if i == home_visit else CYCLE[(offset + i) % len(CYCLE)]
                day = self.day(max(lo, start), min(hi, end))
            summary, with_ = rng.choice(SUMMARIES[extra.get("festival", kind)])
            record = {
                "pairing": pid,
                "date": day.isoformat(),
                "kind": kind,
                "with": list(with_),
                **extra,
                "summary": summary,
            }
            lid = self.new_id(unit, "l")
            self.add("log", unit.id, lid, record, pid)
        self.log_counts[unit.id] = self.log_counts.get(unit.id, 0) + len(months)

    def stats(self, out: Path, schemas: int) -> DemoStats:
        per_unit = {
            u.id: {"girls": 0, "mothers": 0, "pairings": 0, "logs": self.log_counts.get(u.id, 0)} for u in self.units
        }
        for g in self.girls:
            per_unit[g.unit.id]["girls"] += 1
        for m in self.mothers:
            per_unit[m.unit.id]["mothers"] += 1
        for m, _, _ in self.pairings:
            per_unit[m.unit.id]["pairings"] += 1
        return DemoStats(
            root=out,
            girls=len(self.girls),
            mothers=len(self.mothers),
            pairings=len(self.pairings),
            logs=sum(self.log_counts.values()),
            schemas=schemas,
            eligible_girls=sum(g.eligible for g in self.girls),
            approved_mothers=sum(m.approved for m in self.mothers),
            active_pairings=sum(active for _, _, active in self.pairings),
            per_unit=per_unit,
        )
