"""The strict loader: data-folder cases, line marks, limits, and that it never raises."""

from __future__ import annotations

import json
import random
import re
import sys
import time
import unicodedata
from pathlib import Path

import pytest

from aixin.core.findings import Severity
from aixin.load import loader
from aixin.load.loader import MAX_FILE_BYTES, load_bytes, load_file

CASES = Path(__file__).parent / "cases" / "loader"
VALID = sorted((CASES / "valid").glob("*.yaml"))
INVALID = sorted(p for p in (CASES / "invalid").iterdir() if p.is_dir())
CHINESE = re.compile(r"[\u4e00-\u9fff]")
REL = "records/chuanshan/girls/chuanshan-g-3m8x4p.yaml"


def _input(case: Path) -> bytes:
    found = [p for p in (case / "input.yaml", case / "input.bin") if p.exists()]
    assert len(found) == 1, f"{case.name}: needs exactly one input.yaml or input.bin"
    return found[0].read_bytes()


def _assert_chinese(finding) -> None:
    assert CHINESE.search(finding.message), finding
    assert CHINESE.search(finding.hint), finding
    assert finding.severity is Severity.ERROR
    assert finding.file == REL
    assert finding.record == "chuanshan-g-3m8x4p"


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_case(path: Path) -> None:
    got = load_bytes(path.read_bytes(), REL)
    assert got.findings == []
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    # JSON text keeps what == would hide: True vs 1, "1" vs 1, key order
    assert json.dumps(got.data, ensure_ascii=False) == json.dumps(expected, ensure_ascii=False)


@pytest.mark.parametrize("case", INVALID, ids=[p.name for p in INVALID])
def test_invalid_case(case: Path) -> None:
    got = load_bytes(_input(case), REL)
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    assert got.data is None
    assert [{"rule": f.rule, "line": f.line, "column": f.column} for f in got.findings] == expected
    for finding in got.findings:
        _assert_chinese(finding)


def test_there_are_cases() -> None:
    assert len(VALID) >= 5 and len(INVALID) >= 20


def test_bom_case_really_starts_with_a_bom() -> None:
    assert (CASES / "valid" / "bom.yaml").read_bytes().startswith(b"\xef\xbb\xbf")


def test_messages_name_the_problem() -> None:
    dup = load_bytes(_input(CASES / "invalid" / "duplicate-key"), REL).findings[0]
    assert "“name”在第1行和第9行" in dup.message
    gbk = load_bytes(_input(CASES / "invalid" / "gb18030"), REL).findings[0]
    assert "UTF-8" in gbk.message and "GB18030" in gbk.message and "另存为 UTF-8" in gbk.hint
    latin = load_bytes(_input(CASES / "invalid" / "latin1"), REL).findings[0]
    assert "UTF-8" in latin.message and "GB18030" not in latin.message
    zw = load_bytes(_input(CASES / "invalid" / "zero-width-space"), REL).findings[0]
    assert "U+200B" in zw.message and "零宽空格" in zw.message
    colon = load_bytes(_input(CASES / "invalid" / "missing-space-after-colon"), REL).findings[0]
    assert "冒号后面要有空格" in colon.message
    quote = load_bytes(_input(CASES / "invalid" / "unclosed-quote"), REL).findings[0]
    assert "引号" in quote.message


def test_oversize_file_is_not_read(tmp_path: Path, monkeypatch) -> None:
    big = tmp_path / "chuanshan-g-3m8x4p.yaml"
    big.write_bytes(b"note: " + b"x" * (80 * 1024) + b"\n")

    def no_open(*args, **kwargs):
        raise AssertionError("an oversize file must not be opened")

    monkeypatch.setattr("builtins.open", no_open)
    got = load_file(big, REL)
    assert got.data is None
    assert [(f.rule, f.line, f.column) for f in got.findings] == [("Y001", 1, 1)]
    assert "81 KB" in got.findings[0].message and "64 KB" in got.findings[0].message
    _assert_chinese(got.findings[0])


def test_oversize_bytes() -> None:
    got = load_bytes(b"a: 1\n" + b"#" * MAX_FILE_BYTES, REL)
    assert got.data is None and [f.rule for f in got.findings] == ["Y001"]


def test_load_file_reads_a_normal_file(tmp_path: Path) -> None:
    path = tmp_path / "chuanshan-g-3m8x4p.yaml"
    path.write_bytes("name: 张小花\n".encode())
    assert load_file(path, REL).data == {"name": "张小花"}
    exactly = tmp_path / "exact.yaml"
    exactly.write_bytes(b"a: 1\n" + b"#" * (MAX_FILE_BYTES - 5))
    assert load_file(exactly, REL).data == {"a": 1}


def test_unreadable_file_is_a_finding(tmp_path: Path) -> None:
    got = load_file(tmp_path / "missing.yaml", REL)
    assert got.data is None and [f.rule for f in got.findings] == ["Y012"]
    assert load_file(tmp_path, REL).findings[0].rule == "Y012"  # a directory


def test_lines_of_values_nested_values_and_list_items() -> None:
    text = (
        "# comment\n"  # 1
        "name: 张小花\n"  # 2
        "father:\n"  # 3
        "  name: 示例父亲甲\n"  # 4
        "  phone: \"13800000001\"\n"  # 5
        "needs: [学习辅导, 精神关爱]\n"  # 6
        "photos:\n"  # 7
        "  - file: a.jpg\n"  # 8
        "    caption: 王𠮷的画\n"  # 9
        "  - b.jpg\n"  # 10
    )
    lines = load_bytes(text.encode(), REL).lines
    assert lines[()] == (1, 1)
    assert lines[("name",)] == (2, 7)
    assert lines[("father",)] == (4, 3)  # a block mapping starts at its first key
    assert lines[("father", "phone")] == (5, 10)
    assert lines[("needs",)] == (6, 8)
    assert lines[("needs", 1)] == (6, 15)  # columns count characters, not bytes
    assert lines[("photos", 0)] == (8, 5)
    assert lines[("photos", 0, "caption")] == (9, 14)
    assert lines[("photos", 1)] == (10, 5)


def test_id_number_keeps_its_exact_text() -> None:
    data = load_bytes(b"id_number: 510903198506120021\n", REL).data
    assert data["id_number"] == 510903198506120021 and str(data["id_number"]) == "510903198506120021"


def test_plain_integers_always_round_trip() -> None:
    for text in ["0", "7", "-12", "13800000001", "510903198506120021", "0825", "-0", "+5", "00", "1_000"]:
        value = load_bytes(f"v: {text}\n".encode(), REL).data["v"]
        assert str(value) == text, text


def test_huge_integer_stays_text() -> None:
    digits = "9" * 5000  # beyond Python's int-from-text limit
    assert load_bytes(f"v: {digits}\n".encode(), REL).data == {"v": digits}


def test_crlf_line_endings() -> None:
    got = load_bytes(b"a: 1\r\nb:\r\n  c: x\r\n", REL)
    assert got.data == {"a": 1, "b": {"c": "x"}} and got.lines[("b", "c")] == (3, 6)


def test_billion_laughs_is_rejected_without_expansion() -> None:
    text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for i, name in enumerate("bcdefghijklmnop"):
        prev = "abcdefghijklmnop"[i]
        text += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
    start = time.perf_counter()
    got = load_bytes(text.encode(), REL)
    assert time.perf_counter() - start < 0.5
    assert got.data is None and [f.rule for f in got.findings] == ["Y007"]


def test_deep_flow_nesting_stops_early() -> None:
    got = load_bytes(b"a: " + b"[" * 30000 + b"]" * 30000 + b"\n", REL)
    assert [f.rule for f in got.findings] == ["Y010"]


def test_many_invisible_characters_are_capped() -> None:
    got = load_bytes(("a: " + "\u200b" * 50 + "\n").encode(), REL)
    assert [f.rule for f in got.findings] == ["Y003"] * loader.MAX_REPORTED


def test_invisible_pattern_covers_every_control_and_format_character() -> None:
    missing = [
        f"U+{cp:04X}"
        for cp in range(sys.maxunicode + 1)
        if unicodedata.category(chr(cp)) in ("Cc", "Cf")
        and chr(cp) not in "\t\n\r"
        and not loader._INVISIBLE.match(chr(cp))
    ]
    assert missing == []


@pytest.mark.parametrize("char", ["\t", "\n", "\r", " ", "\u3000", "·", "・", "𠮷", "王", "—", "“", "é", "😀"])
def test_visible_characters_are_not_flagged(char: str) -> None:
    assert not loader._INVISIBLE.match(char)


def test_random_garbage_never_raises() -> None:
    rng = random.Random(20190705)
    alphabet = b"ab: -[]{}&*!|>'\"#%@`?,\n\t\r\x00\xe4\xb8\xad\xef\xbb\xbf\\~<"
    for i in range(400):
        n = rng.randrange(0, 200)
        if i % 2:
            raw = bytes(rng.randrange(256) for _ in range(n))
        else:  # YAML-ish bytes reach deeper into the parser than pure noise
            raw = bytes(rng.choice(alphabet) for _ in range(n))
        got = load_bytes(raw, REL)
        assert (got.data is None) == bool(got.findings)
        assert isinstance(got.data, (dict, type(None)))
        for finding in got.findings:
            assert finding.rule.startswith("Y") and finding.line >= 1 and finding.column >= 1
            assert finding.message and finding.hint
