"""`aixin card`: the 结对帮扶卡 as a one-page A4 PDF (WeasyPrint over the site's card markup and CSS).

The repository is the site fixture (`tests/cases/site/records/`, fictional). The PDF's pages and
text are read back with pypdf: full phone numbers only with --full, never a file inside the
repository, a clear Chinese error for an unknown pairing.
"""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
import yaml

from aixin.site.card import out_path, pairing_id_of
from conftest import build_root
from test_site_privacy import FIXTURE, aixin

PAIRING = "chuanshan-p-k3m9td"
MOTHER_PHONE, GUARDIAN_PHONE = "13912340021", "0825-2345678"
MASKED_MOTHER, MASKED_GUARDIAN = "139****0021", "0825-***5678"


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return build_root(FIXTURE, tmp_path_factory.mktemp("card-repo"))


def read_pdf(path: Path) -> tuple[int, str, tuple[float, float]]:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    text = "".join(page.extract_text() for page in reader.pages)
    box = reader.pages[0].mediabox
    return len(reader.pages), text.replace(" ", ""), (float(box.width), float(box.height))


def test_full_card_is_one_a4_page_with_the_full_phones(root, tmp_path):
    out = tmp_path / "card.pdf"
    result = aixin("card", PAIRING, "--full", "--out", str(out), "--root", str(root))
    assert result.returncode == 0, result.stdout + result.stderr
    assert str(out) in result.stdout and "完整的电话号码" in result.stdout
    pages, text, size = read_pdf(out)
    assert pages == 1
    assert abs(size[0] - 595.3) < 1 and abs(size[1] - 841.9) < 1  # A4 in points
    assert "结对帮扶卡" in text and "周晓梅" in text and "林夏" in text and "工作单位及职务" in text
    assert MOTHER_PHONE in text and GUARDIAN_PHONE in text
    assert MASKED_MOTHER not in text and MASKED_GUARDIAN not in text
    assert len(pypdf.PdfReader(out).pages[0].images) == 2  # both photos, from their web copies


def test_without_full_the_phones_are_masked_as_on_the_site(root, tmp_path):
    out = tmp_path / "masked.pdf"
    result = aixin("card", PAIRING, "--out", str(out), "--root", str(root))
    assert result.returncode == 0, result.stdout + result.stderr
    pages, text, _ = read_pdf(out)
    assert pages == 1
    assert MASKED_MOTHER in text and MASKED_GUARDIAN in text
    assert MOTHER_PHONE not in text and GUARDIAN_PHONE not in text and "2345678" not in text


def test_a_long_message_still_fits_one_page(tmp_path):
    root = build_root(FIXTURE, tmp_path / "repo")
    record = root / "records" / "chuanshan" / "pairings" / f"{PAIRING}.yaml"
    data = yaml.safe_load(record.read_text("utf-8"))
    data["message"] = "\n".join(["林夏，妈妈想对你说：" + "好好学习，天天向上，遇到难题不要怕，有什么心事都可以告诉妈妈。" * 3]
                                * 10)[:1000]
    record.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    out = tmp_path / "long.pdf"
    result = aixin("card", PAIRING, "--out", str(out), "--root", str(root))
    assert result.returncode == 0, result.stdout + result.stderr
    pages, text, _ = read_pdf(out)
    assert pages == 1
    assert text.count("好好学习") == data["message"].count("好好学习")  # all of it printed


def test_unknown_pairing_is_a_clear_error(root, tmp_path):
    result = aixin("card", "chuanshan-p-nosuch", "--out", str(tmp_path / "x.pdf"), "--root", str(root))
    assert result.returncode == 2
    assert "找不到结对记录“chuanshan-p-nosuch”" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_an_existing_file_is_never_overwritten(root, tmp_path):
    out = tmp_path / "帮扶卡.pdf"
    out.write_bytes(b"another mother's card")
    result = aixin("card", PAIRING, "--full", "--out", str(out), "--root", str(root))
    assert result.returncode == 2 and "文件已存在，不会覆盖" in result.stderr, result.stderr
    assert out.read_bytes() == b"another mother's card"
    assert [p.name for p in tmp_path.iterdir()] == ["帮扶卡.pdf"]  # no temporary file left behind


@pytest.mark.parametrize("inside", ["build/city/site/card.pdf", "docs/card.pdf", "records/card.pdf", "card.pdf"])
def test_never_written_inside_the_repository(root, inside):
    result = aixin("card", PAIRING, "--full", "--out", str(root / inside), "--root", str(root))
    assert result.returncode == 2 and "不能把帮扶卡写到仓库文件夹" in result.stderr, result.stderr
    assert not (root / inside).exists()


def test_default_file_in_the_current_folder_and_a_record_path_accepted(root, tmp_path):
    record = root / "records" / "chuanshan" / "pairings" / f"{PAIRING}.yaml"
    result = aixin("card", str(record), "--root", str(root), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / f"结对帮扶卡-{PAIRING}.pdf").is_file()


def test_where_the_file_goes(tmp_path):
    root, home, outside = tmp_path / "repo", tmp_path / "home", tmp_path / "desk"
    (root / "records").mkdir(parents=True)
    assert out_path(root, "p", None, outside, home) == outside / "结对帮扶卡-p.pdf"
    assert out_path(root, "p", None, root / "records", home) == home / "结对帮扶卡-p.pdf"  # never in the repository
    assert pairing_id_of("records\\chuanshan\\pairings\\chuanshan-p-k3m9td.yaml") == PAIRING
    from aixin.core.errors import UsageError

    with pytest.raises(UsageError, match=r"\.pdf 结尾"):
        out_path(root, "p", outside / "card.docx", outside, home)


def test_hostile_record_text_prints_as_text(root, tmp_path):
    from test_site_privacy import XSS

    out = tmp_path / "hostile.pdf"
    result = aixin("card", "chuanshan-p-h0st1l", "--out", str(out), "--root", str(root))
    assert result.returncode == 0, result.stdout + result.stderr
    pages, text, _ = read_pdf(out)
    assert pages == 1
    assert XSS[0].replace(" ", "") in text and XSS[1] in text
