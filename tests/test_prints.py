"""`aixin sign` and `aixin certificate`: print-ready PDFs drawn with ReportLab (prints/).

The repository is the site fixture (`tests/cases/site/records/`) plus fictional mothers of 蓬溪县
written here: eight the city approved (one with a name as long as the schema allows), one only
the county approved, one who withdrew during 2019-2020, one the city approved only in 2020-09,
and one whose record the schema rejects. The PDFs' text is read back with pypdf; one sign sheet
is rendered to pixels with pypdfium2 and checked for where ink falls.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pypdf
import pypdfium2
import pytest
import yaml
from PIL import Image

from aixin.core import idnumber
from aixin.prints import certificate, text
from aixin.prints import sign as signs
from conftest import build_root
from test_site_privacy import FIXTURE, aixin

UNIT = "pengxi"
LONGEST = "示例阿依古丽·买买提艾力克木·热合曼图尔荪古丽江·阿不都热西提"[:30]  # the schema's maxLength
APPROVED = {f"pengxi-m-ok{n}x": f"示例妈妈{n}" for n in range(7)} | {"pengxi-m-l0ng3r": LONGEST}
LEFT_OUT = {
    "pengxi-m-c0unty": ("示例县批", "市妇联还没有同意她的申报"),
    "pengxi-m-w1thdr": ("示例退出", "她已于 2020-03-01 退出活动"),
    "pengxi-m-l4te0k": ("示例晚批", "市妇联 2020-09-01 才同意她的申报，晚于 2019-2020 年度"),
}
BROKEN = "pengxi-m-br0ken"
MM = 72 / 25.4  # points per millimetre
SCALE = 100 / 72  # render at 100 dpi: 1 px ≈ 0.25 mm


def mother(number: int, name: str, *, city: str | None = "2019-07-28", withdrawn: str | None = None) -> dict:
    birth = dt.date(1980 + number % 15, 1 + number % 12, 3 + number % 20)
    data = {
        "filed_on": "2019-07-10",
        "name": name,
        "birth": f"{birth:%Y-%m}",
        "phone": f"1391234{number:04d}",
        "education": "本科",
        "political_status": "群众",
        "id_number": idnumber.make("510921", birth, 100 + number),
        "residence": {"unit": UNIT, "address": "蓬溪县示例路1号"},
        "workplace": "示例小学",
        "county_approval": {"decision": "同意", "by": "蓬溪县妇联", "date": "2019-07-20"},
    }
    if city:
        data["city_approval"] = {"decision": "同意", "by": "遂宁市妇联", "date": city}
    if withdrawn:
        data["withdrawn"] = {"date": withdrawn, "reason": "搬到外地居住"}
    return data


def write_mothers(root: Path) -> dict[str, dict]:
    folder = root / "records" / UNIT / "mothers"
    folder.mkdir(parents=True)
    written = {mother_id: mother(n, name) for n, (mother_id, name) in enumerate(APPROVED.items())}
    written["pengxi-m-c0unty"] = mother(20, "示例县批", city=None)
    written["pengxi-m-w1thdr"] = mother(21, "示例退出", withdrawn="2020-03-01")
    written["pengxi-m-l4te0k"] = mother(22, "示例晚批", city="2020-09-01")
    written[BROKEN] = mother(23, "示例有错") | {"education": "很高"}
    for mother_id, data in written.items():
        (folder / f"{mother_id}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return written


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> tuple[Path, dict[str, dict]]:
    root = build_root(FIXTURE, tmp_path_factory.mktemp("prints-repo"))
    return root, write_mothers(root)


@pytest.fixture(scope="module")
def unit_sheet(repo, tmp_path_factory) -> tuple[Path, str]:
    root, _ = repo
    out = tmp_path_factory.mktemp("prints-out") / "标识牌.pdf"
    result = aixin("sign", "--unit", UNIT, "--year", "2019-2020", "--out", str(out), "--root", str(root))
    assert result.returncode == 0, result.stdout + result.stderr
    return out, result.stdout


def read_pdf(path: Path) -> tuple[int, str, tuple[float, float]]:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    text = "".join(page.extract_text() for page in reader.pages)
    box = reader.pages[0].mediabox
    return len(reader.pages), re.sub(r"\s", "", text), (float(box.width), float(box.height))


def assert_no_personal_numbers(text: str, mothers: dict[str, dict]) -> None:
    for data in mothers.values():
        assert data["phone"] not in text and data["id_number"] not in text
        assert data["phone"][-4:] + data["id_number"][-4:] not in text
    assert not re.search(r"\d{7,}", text)  # no run of digits as long as a phone's or an ID's part


def test_a_units_signs_name_every_approved_mother_and_nothing_personal(repo, unit_sheet):
    root, mothers = repo
    out, stdout = unit_sheet
    pages, content, size = read_pdf(out)
    assert pages == 1  # eight signs: one sheet
    assert abs(size[0] - 595.3) < 1 and abs(size[1] - 841.9) < 1  # A4 portrait
    for mother_id, name in APPROVED.items():
        assert mother_id in content and name.replace(" ", "") in content
    assert content.count("蓬溪县") == len(APPROVED) and content.count("2019-2020年度") == len(APPROVED)
    assert content.count("遂宁市“爱心妈妈”结对帮扶留守女童活动") == len(APPROVED)  # the programme's name
    for mother_id, (name, reason) in LEFT_OUT.items():
        assert mother_id not in content and name not in content
        assert f"未制作 {mother_id}：{reason}" in stdout
    assert BROKEN not in content and "示例有错" not in content and f"{BROKEN}.yaml：记录有错误" in stdout
    assert "已生成 2019-2020 年度标识牌 8 块（1 张 A4 纸）" in stdout
    assert_no_personal_numbers(content, mothers)


def test_nine_signs_take_two_sheets_and_the_year_defaults_to_today(tmp_path):
    root = build_root(FIXTURE, tmp_path / "repo")
    mothers = write_mothers(root)
    extra = root / "records" / UNIT / "mothers" / "pengxi-m-n1nth0.yaml"
    extra.write_text(yaml.safe_dump(mother(30, "示例第九"), allow_unicode=True), "utf-8")
    out = tmp_path / "nine.pdf"
    result = aixin("sign", "--unit", UNIT, "--out", str(out), "--root", str(root))  # today: 2020-01-15
    assert result.returncode == 0, result.stderr
    pages, content, _ = read_pdf(out)
    assert pages == 2 and "示例第九" in content and content.count("2019-2020年度") == 9
    assert_no_personal_numbers(content, mothers)


def test_one_mothers_sign(repo, tmp_path):
    root, mothers = repo
    out = tmp_path / "one.pdf"
    result = aixin("sign", "--mother", "pengxi-m-l0ng3r", "--year", "2019-2020", "--out", str(out), "--root", str(root))
    assert result.returncode == 0, result.stderr
    pages, content, _ = read_pdf(out)
    assert pages == 1 and LONGEST in content and "pengxi-m-l0ng3r" in content and "蓬溪县" in content
    assert "示例妈妈" not in content
    assert_no_personal_numbers(content, mothers)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--mother", "pengxi-m-c0unty"], "爱心妈妈 pengxi-m-c0unty 没有 2019-2020 年度的标识牌：市妇联还没有同意她的申报"),
        (["--mother", "pengxi-m-w1thdr"], "她已于 2020-03-01 退出活动"),
        (["--mother", "pengxi-m-l4te0k"], "晚于 2019-2020 年度"),
        (["--mother", BROKEN], "有错误：请先用 aixin check 检查并改正"),
        (["--mother", "pengxi-m-n0such"], "找不到爱心妈妈记录“pengxi-m-n0such”"),
        (["--mother", "pengxi-g-abcd12"], "不是爱心妈妈记录的编号"),
        (["--unit", "nosuch"], "单位代码“nosuch”不存在"),
        (["--unit", UNIT, "--mother", "pengxi-m-ok0x"], "二者选一"),
        ([], "二者选一"),
        (["--unit", UNIT, "--year", "2019"], "活动年度应写作 起始年-结束年"),
        (["--unit", UNIT, "--year", "2017-2018"], "在活动启动（2019-08-01）之前"),
    ],
)
def test_refusals_are_chinese_and_exit_2(repo, tmp_path, args, message):
    root, _ = repo
    out = tmp_path / "x.pdf"
    year = [] if "--year" in args else ["--year", "2019-2020"]
    result = aixin("sign", *args, *year, "--out", str(out), "--root", str(root))
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_never_over_a_file_nor_inside_the_repository(repo, tmp_path):
    root, _ = repo
    existing = tmp_path / "old.pdf"
    existing.write_bytes(b"an earlier print")
    result = aixin("sign", "--unit", UNIT, "--out", str(existing), "--root", str(root))
    assert result.returncode == 2 and "文件已存在，不会覆盖" in result.stderr
    assert existing.read_bytes() == b"an earlier print"
    inside = root / "build" / "标识牌.pdf"
    result = aixin("sign", "--unit", UNIT, "--out", str(inside), "--root", str(root))
    assert result.returncode == 2 and "不能把标识牌写到仓库文件夹" in result.stderr and not inside.exists()
    result = aixin("sign", "--unit", UNIT, "--out", str(tmp_path / "x.png"), "--root", str(root))
    assert result.returncode == 2 and "应以 .pdf 结尾" in result.stderr


# --- the look: where ink falls on a rendered sheet ---------------------------------------------

def ink(path: Path, page: int = 0) -> Image.Image:
    """A 1-bit-like mask of the page at 100 dpi: 255 where anything darker than near-white is drawn."""
    document = pypdfium2.PdfDocument(str(path))
    image = document[page].render(scale=SCALE).to_pil().convert("L")
    document.close()
    return image.point(lambda v: 255 if v < 235 else 0)


def px(box: tuple[float, float, float, float], height: int) -> tuple[int, int, int, int]:
    """A box in PDF points (x0, y0, x1, y1 from the bottom left) as pixel bounds (top left origin)."""
    x0, y0, x1, y1 = box
    top = 841.89 * SCALE  # pdfium rounds the page's pixel height up: measure from the page's true top
    return round(x0 * SCALE), round(top - y1 * SCALE), round(x1 * SCALE), round(top - y0 * SCALE)


def blank(mask: Image.Image, box: tuple[float, float, float, float]) -> bool:
    return mask.crop(px(box, mask.height)).getbbox() is None


def test_ink_stays_on_the_signs_and_the_cut_marks(unit_sheet):
    out, _ = unit_sheet
    mask = ink(out)
    assert abs(mask.width - 595.28 * SCALE) <= 1 and abs(mask.height - 841.89 * SCALE) <= 1  # one A4 page
    xs, ys, (left, bottom, right, top) = signs.cut_lines(8)
    rest = mask.copy()
    rest.paste(0, px((left, bottom, right, top), mask.height))  # the signs
    reach = signs.MARK_GAP + signs.MARK_LENGTH + 1 * MM
    for x in xs:  # the vertical cut marks above and below
        rest.paste(0, px((x - 1 * MM, top, x + 1 * MM, top + reach), mask.height))
        rest.paste(0, px((x - 1 * MM, bottom - reach, x + 1 * MM, bottom), mask.height))
    for y in ys:  # the horizontal ones left and right
        rest.paste(0, px((left - reach, y - 1 * MM, left, y + 1 * MM), mask.height))
        rest.paste(0, px((right, y - 1 * MM, right + reach, y + 1 * MM), mask.height))
    assert rest.getbbox() is None, "ink outside the signs and their cut marks"
    for x in xs:
        assert not blank(mask, (x - 1 * MM, top + signs.MARK_GAP, x + 1 * MM, top + reach))  # the marks are there


@pytest.mark.parametrize("index", range(8))
def test_each_sign_keeps_its_ink_inside_its_frame(unit_sheet, index):
    out, _ = unit_sheet
    mask = ink(out)
    x, y = signs.slot(index)
    w, h = signs.SIGN_WIDTH, signs.SIGN_HEIGHT
    assert not blank(mask, (x, y, x + w, y + h))
    for near, far in ((0, 2.5 * MM), (4.8 * MM, 5.6 * MM)):  # outside the frame; between the frame and the text
        for band in ((x + near, y, x + far, y + h), (x + w - far, y, x + w - near, y + h),
                     (x, y + near, x + w, y + far), (x, y + h - far, x + w, y + h - near)):
            inner = (max(band[0], x + near), max(band[1], y + near), min(band[2], x + w - near), min(band[3], y + h - near))
            assert blank(mask, inner), f"sign {index}: ink {near / MM:.1f}–{far / MM:.1f} mm from its edge"


def test_the_longest_name_fills_two_lines_and_stays_in_its_room():
    fitted = text.fit(LONGEST, signs.SIGN_WIDTH - 2 * signs.PADDING, 22, 13, max_lines=2, height=60)
    assert len(LONGEST) == 30 and len(fitted.lines) == 2 and "".join(fitted.lines) == LONGEST
    assert fitted.widest <= signs.SIGN_WIDTH - 2 * signs.PADDING and fitted.size >= 12
    short = text.fit("示例王芳", signs.SIGN_WIDTH - 2 * signs.PADDING, 22, 13, height=60)
    assert short.lines == ("示例王芳",) and short.size == 22


@pytest.mark.parametrize("length", [1, 8, 12, 16, 30])
def test_names_of_any_length_fit_width_and_height(length):
    name = ("示例" + "阿依古丽买买提艾力克木热合曼图尔荪" * 2)[:length]
    for room, height in ((200, 40), (120, 30), (60, 20)):
        fitted = text.fit(name, room, 22, 13, height=height)
        assert fitted.widest <= room and text.block_height(len(fitted.lines), fitted.size, 1.15) <= height
        assert "".join(fitted.lines) == name


def test_a_line_never_starts_with_closing_punctuation():
    lines = text.wrap("在年度工作中表现突出，被评为优秀爱心妈妈。特发此状，以资鼓励。", 20, 20 * 10)
    assert all(line[0] not in "，。" for line in lines) and "".join(lines).count("，") == 2


# --- the certificate (奖状) ----------------------------------------------------------------------

COMMENDATIONS = {
    "city-c-0k0001": {"mother": "pengxi-m-ok0x"},
    "city-c-0k0002": {"mother": "pengxi-m-l0ng3r", "title": "优秀爱心妈妈" * 5,
                      "awarded_by": ("遂宁市妇女联合会遂宁市妇女儿童工作委员会" * 2)[:40]},
    "city-c-zh0u01": {"mother": "chuanshan-m-zh0u8m"},  # 周晓梅 of 船山区 (the site fixture)
    "city-c-c0un01": {"mother": "pengxi-m-c0unty"},  # the city never approved her
    "city-c-n0su01": {"mother": "pengxi-m-n0such"},  # no such mother
    "city-c-ear1y1": {"mother": "pengxi-m-ok1x", "date": "2019-07-01"},  # before 2019-2020 began
    "city-c-next01": {"mother": "pengxi-m-ok2x", "year": "2020-2021", "date": "2021-06-28"},
}


def commendation(**given: str) -> dict:
    return {"year": "2019-2020", "title": "优秀爱心妈妈", "awarded_by": "遂宁市妇女联合会", "date": "2020-06-28"} | given


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> tuple[Path, dict[str, dict]]:
    root = build_root(FIXTURE, tmp_path_factory.mktemp("certificate-repo"))
    mothers = write_mothers(root)
    folder = root / "records" / "city" / "commendations"
    folder.mkdir(parents=True)
    for record_id, given in COMMENDATIONS.items():
        (folder / f"{record_id}.yaml").write_text(yaml.safe_dump(commendation(**given), allow_unicode=True), "utf-8")
    (folder / "city-c-br0k3n.yaml").write_text(yaml.safe_dump(commendation(mother="x"), allow_unicode=True), "utf-8")
    return root, mothers


def certificates(root: Path, out: Path, *args: str):
    return aixin("certificate", *args, "--out", str(out), "--root", str(root))


def test_a_certificate_in_the_traditional_wording(city, tmp_path):
    root, mothers = city
    out = tmp_path / "奖状.pdf"
    result = certificates(root, out, "--commendation", "city-c-0k0001")
    assert result.returncode == 0, result.stderr
    pages, content, size = read_pdf(out)
    assert pages == 1
    assert abs(size[0] - 841.9) < 1 and abs(size[1] - 595.3) < 1  # A4 landscape
    assert "奖状" in content and "示例妈妈0同志：" in content and content.count("同志") == 1
    assert "在2019-2020年度“爱心妈妈”结对帮扶工作中表现突出，被评为优秀爱心妈妈。特发此状，以资鼓励。" in content
    assert "遂宁市妇女联合会" in content and "二〇二〇年六月二十八日" in content
    assert_no_personal_numbers(content, mothers)


def test_a_years_certificates_one_page_each_by_unit_then_mother(city, tmp_path):
    root, mothers = city
    out = tmp_path / "all.pdf"
    result = certificates(root, out, "--year", "2019-2020")
    assert result.returncode == 0, result.stderr
    pages, content, _ = read_pdf(out)
    assert pages == 3 and "已生成奖状 3 张" in result.stdout
    assert content.index("周晓梅") < content.index(LONGEST) < content.index("示例妈妈0")  # 船山区 before 蓬溪县
    assert "示例县批" not in content and "示例妈妈1" not in content and "示例妈妈2" not in content
    assert "未制作 city-c-c0un01：爱心妈妈 pengxi-m-c0unty 还没有经市妇联同意" in result.stdout
    assert "未制作 city-c-n0su01：找不到它表彰的爱心妈妈“pengxi-m-n0such”" in result.stdout
    assert "未制作 city-c-ear1y1：表彰日期 2019-07-01 早于 2019-2020 年度开始" in result.stdout
    assert "city-c-br0k3n.yaml：记录有错误" in result.stdout
    assert_no_personal_numbers(content, mothers)
    one_unit = tmp_path / "pengxi.pdf"
    result = certificates(root, one_unit, "--year", "2019-2020", "--unit", UNIT)
    assert result.returncode == 0, result.stderr
    pages, content, _ = read_pdf(one_unit)
    assert pages == 2 and "周晓梅" not in content and "示例妈妈0" in content


def test_the_longest_texts_stay_inside_the_frame(city, tmp_path):
    root, _ = city
    out = tmp_path / "long.pdf"
    assert certificates(root, out, "--commendation", "city-c-0k0002").returncode == 0
    _, content, _ = read_pdf(out)
    assert LONGEST + "同志：" in content and "优秀爱心妈妈" * 5 in content
    assert COMMENDATIONS["city-c-0k0002"]["awarded_by"] in content
    document = pypdfium2.PdfDocument(str(out))
    image = document[0].render(scale=SCALE).to_pil().convert("L")
    document.close()
    mask = image.point(lambda v: 255 if v < 235 else 0)
    width, height = 841.89, 595.28
    frame = certificate.BORDER + 3.5 * MM + 2 * MM  # inside the inner (gold) frame, with a little room
    inside = mask.copy()
    inside.paste(0, (0, 0, mask.width, mask.height))
    inner = (round(frame * SCALE), round(frame * SCALE), round((width - frame) * SCALE), round((height - frame) * SCALE))
    inside.paste(mask.crop(inner), inner[:2])
    outside = mask.copy()
    outside.paste(0, (round((certificate.BORDER - 2 * MM) * SCALE),) * 2
                  + (round((width - certificate.BORDER + 2 * MM) * SCALE), round((height - certificate.BORDER + 2 * MM) * SCALE)))
    assert outside.getbbox() is None, "ink between the paper's edge and the frame"
    text_box = inside.getbbox()  # everything drawn inside the frames: the text
    assert text_box is not None
    assert text_box[0] >= round((certificate.MARGIN - 1 * MM) * SCALE)
    assert text_box[2] <= round((width - certificate.MARGIN + 1 * MM) * SCALE)
    assert text_box[3] <= round((height - frame - 10 * MM) * SCALE)  # clear of the frame's bottom


def test_chinese_dates():
    assert certificate.chinese_date(dt.date(2020, 6, 28)) == "二〇二〇年六月二十八日"
    assert certificate.chinese_date(dt.date(2020, 10, 10)) == "二〇二〇年十月十日"
    assert certificate.chinese_date(dt.date(2021, 1, 20)) == "二〇二一年一月二十日"
    assert certificate.chinese_date(dt.date(2020, 12, 31)) == "二〇二〇年十二月三十一日"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--commendation", "city-c-c0un01"], "表彰记录 city-c-c0un01 不能制作奖状：爱心妈妈 pengxi-m-c0unty 还没有经市妇联同意"),
        (["--commendation", "city-c-n0such"], "找不到表彰记录“city-c-n0such”"),
        (["--commendation", "city-c-br0k3n"], "有错误：请先用 aixin check 检查并改正"),
        (["--year", "2018-2019"], "在活动启动（2019-08-01）之前"),
        (["--year", "2021-2022"], "全市没有 2021-2022 年度可以制作奖状的表彰记录"),
        (["--year", "2019-2020", "--unit", "nosuch"], "单位代码“nosuch”不存在"),
        (["--year", "2019-2020", "--unit", "anju"], "单位“安居区”没有 2019-2020 年度"),
        (["--unit", UNIT], "二者选一"),
        (["--commendation", "city-c-0k0001", "--year", "2019-2020"], "二者选一"),
        (["--commendation", "city-c-0k0001", "--unit", UNIT], "--unit 只能与 --year 一起用"),
    ],
)
def test_certificate_refusals_are_chinese_and_exit_2(city, tmp_path, args, message):
    root, _ = city
    out = tmp_path / "x.pdf"
    result = certificates(root, out, *args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_a_certificate_is_never_written_over_a_file_or_inside_the_repository(city, tmp_path):
    root, _ = city
    existing = tmp_path / "old.pdf"
    existing.write_bytes(b"an earlier print")
    result = certificates(root, existing, "--commendation", "city-c-0k0001")
    assert result.returncode == 2 and "文件已存在，不会覆盖" in result.stderr
    assert existing.read_bytes() == b"an earlier print"
    inside = root / "records" / "奖状.pdf"
    result = certificates(root, inside, "--commendation", "city-c-0k0001")
    assert result.returncode == 2 and "不能把奖状写到仓库文件夹" in result.stderr and not inside.exists()


def test_a_number_typed_into_a_name_is_never_printed_in_full(tmp_path):
    root = build_root(FIXTURE, tmp_path / "repo")
    write_mothers(root)
    record = root / "records" / UNIT / "mothers" / "pengxi-m-d1g1ts.yaml"
    record.write_text(yaml.safe_dump(mother(40, "示例王芳13912340099"), allow_unicode=True), "utf-8")
    out = tmp_path / "digits.pdf"
    result = aixin("sign", "--mother", "pengxi-m-d1g1ts", "--year", "2019-2020", "--out", str(out), "--root", str(root))
    assert result.returncode == 0, result.stderr
    _, content, _ = read_pdf(out)
    assert "示例王芳" in content and "13912340099" not in content and "0099" in content  # masked as everywhere
