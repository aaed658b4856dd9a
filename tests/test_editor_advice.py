"""What a coordinator sees in VS Code or the GitHub web editor: the real YAML language server.

The server is `yaml-language-server` (the one behind VS Code's YAML extension), pinned in
tests/lsp/package-lock.json and installed there with `npm ci` on first use (tests/lsp/node_modules
is git-ignored). It is driven over stdio the way the editor drives it: the schemas associated by
.vscode/settings.json, a record opened, its diagnostics and a hover read. Without node or npm the
test fails: the advice in the editor would go unchecked.
"""

from __future__ import annotations

import json
import queue
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LSP = REPO / "tests" / "lsp"
SERVER = LSP / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
NODE = (20, 11)  # the server reads import.meta.dirname (its package asks for 22.13; 20.20 runs it)
WAIT = 30.0  # seconds for one answer of the server; it answers in well under one


@pytest.fixture(scope="session")
def server_bin() -> Path:
    """The pinned server, installed with `npm ci` into tests/lsp/node_modules when missing."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.fail("node and npm are needed for the editor tests (.ci/run installs them)")
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    if tuple(int(part) for part in version.lstrip("v").split(".")[:2]) < NODE:
        pytest.fail(f"yaml-language-server needs Node.js {'.'.join(map(str, NODE))} or newer, this is {version}")
    lock = json.loads((LSP / "package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"]["node_modules/yaml-language-server"]["version"]
    installed = LSP / "node_modules" / "yaml-language-server" / "package.json"
    if not installed.exists() or json.loads(installed.read_text(encoding="utf-8"))["version"] != pinned:
        subprocess.run(
            [npm, "ci", "--prefix", str(LSP), "--no-audit", "--no-fund", "--loglevel=error"],
            check=True,
            timeout=600,
        )
    return SERVER


class Server:
    """One yaml-language-server process spoken to in LSP's JSON-RPC over stdio."""

    def __init__(self, binary: Path, locale: str = "en") -> None:
        self.process = subprocess.Popen(
            ["node", str(binary), "--stdio"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.inbox: queue.Queue = queue.Queue()
        self.diagnostics: dict[str, queue.Queue] = {}
        self.next_id = 0
        settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
        # As the YAML extension sends them: the "yaml.*" settings under "yaml", paths as written.
        self.settings = {key.removeprefix("yaml."): value for key, value in settings.items() if key.startswith("yaml.")}
        threading.Thread(target=self._read, daemon=True).start()
        workspace = REPO.as_uri()
        self.request(
            "initialize",
            {
                "processId": None,
                "locale": locale,
                "rootUri": workspace,
                "workspaceFolders": [{"uri": workspace, "name": "aixin"}],
                "capabilities": {"workspace": {"configuration": True}, "textDocument": {"hover": {"contentFormat": ["markdown"]}}},
            },
        )
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": {"yaml": self.settings}})

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while (line := stream.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if not line or length is None:
                return
            body = stream.read(length)
            if len(body) < length:  # the server was stopped
                return
            message = json.loads(body)
            if message.get("method") == "workspace/configuration":  # the server asks for its settings
                items = message["params"]["items"]
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": [self._section(i) for i in items]})
            elif message.get("method") == "textDocument/publishDiagnostics":
                self._diagnostics_of(message["params"]["uri"]).put(message["params"]["diagnostics"])
            elif "id" in message and "method" not in message:
                self.inbox.put(message)

    def _section(self, item: dict) -> object:
        section = item.get("section", "")
        if section == "yaml":
            return self.settings
        return None

    def _diagnostics_of(self, uri: str) -> queue.Queue:
        return self.diagnostics.setdefault(uri, queue.Queue())

    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: dict) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: dict) -> object:
        self.next_id += 1
        self._send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        answer = self.inbox.get(timeout=WAIT)
        assert answer["id"] == self.next_id, answer
        return answer.get("result")

    def open(self, path: Path, text: str) -> list[dict]:
        """Open `text` as the file `path`: the diagnostics the server publishes for it. A server
        opens each path once: a later publication could not be told from an earlier one."""
        uri = path.as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
        return self._diagnostics_of(uri).get(timeout=WAIT)

    def hover(self, path: Path, line: int) -> str:
        result = self.request(
            "textDocument/hover",
            {"textDocument": {"uri": path.as_uri()}, "position": {"line": line, "character": 1}},
        )
        return result["contents"]["value"] if isinstance(result, dict) else ""

    def close(self) -> None:
        self.process.kill()
        self.process.wait(timeout=WAIT)


@pytest.fixture(scope="module")
def server(server_bin):
    running = Server(server_bin)
    yield running
    running.close()


@dataclass(frozen=True)
class Case:
    """One file of a record type, made wrong three ways."""

    file: str  # a bundled record of that type
    hover: tuple[str, str]  # a top-level field, and the words its hover must show
    choice: tuple[str, str, str]  # a field, a value it does not allow, the advice shown there
    date: tuple[str, str, str] | None  # a date field, a bad value, the advice (the names list has none)
    missing: tuple[str, str]  # a required top-level field left out, the advice shown


CASES = {
    "girl": Case(
        "records/chuanshan/girls/chuanshan-g-0atzde.yaml",
        ("parents_away", "父母外出情况"),
        ("parents_away", "父母都外出", "父母外出情况：只能写其中之一：父亲外出、母亲外出、父母均外出。"),
        ("survey_date", "2019-7-8", "日期写作 年-月-日，如 2019-07-05，月和日都写两位。"),
        ("address", "这份留守女童基本信息（附件1）必须写：survey_date（建档日期）"),
    ),
    "mother": Case(
        "records/chuanshan/mothers/chuanshan-m-7k2q9d.yaml",
        ("education", "学历"),
        ("education", "大学", "学历：只能写其中之一：小学、初中、高中、中专、大专、本科、硕士研究生、博士研究生。"),
        ("filed_on", "2019年7月10日", "日期写作 年-月-日，如 2019-07-05，月和日都写两位。"),
        ("workplace", "这份爱心妈妈志愿申报（附件2）必须写："),
    ),
    "pairing": Case(
        "records/chuanshan/pairings/chuanshan-p-5t1w6r.yaml",
        ("mode", "结对方式"),
        ("mode", "一对二", "结对方式：只能写其中之一：一对一、一对多。"),
        ("started_on", "2019.8.1", "日期写作 年-月-日，如 2019-08-01，月和日都写两位。"),
        ("message", "这份结对帮扶卡（附件3）必须写："),
    ),
    "log": Case(
        "records/chuanshan/logs/chuanshan-p-bqfnat/chuanshan-l-bf5kzn.yaml",
        ("kind", "方式"),
        ("kind", "打电话", "方式：只能写其中之一：电话、见面、书信、视频通话、微信、家访、节日陪伴、访老师、访监护人、互认互知、其他。"),
        ("date", "2020-6-10", "日期写作 年-月-日，如 2019-09-15，月和日都写两位。"),
        ("summary", "这份帮扶联系记录必须写：pairing（结对）、date（日期）、kind（方式）、with（联系对象）、summary（内容摘要）"),
    ),
    # A commendation and a training have no field of fixed choices: a pattern and a type instead.
    "commendation": Case(
        "records/city/commendations/city-c-r8v2xd.yaml",
        ("title", "表彰名称"),
        ("year", "2019年度", "活动年度写作 起始年-结束年，如 \"2019-2020\"，后一年比前一年大 1。"),
        ("date", "2020-6-28", "日期写作 年-月-日，如 2020-06-28，月和日都写两位。"),
        ("awarded_by", "这份表彰记录必须写："),
    ),
    "training": Case(
        "records/city/trainings/city-t-4fz8bp.yaml",
        ("topic", "培训内容"),
        ("hours", "三小时", "学时写整数，如 3，不加引号和单位。"),
        ("date", "2020/7/15", "日期写作 年-月-日，如 2020-07-15，月和日都写两位。"),
        ("organiser", "这份培训记录必须写："),
    ),
    "programme": Case(
        "records/programme.yaml",
        ("timezone", "时区"),
        ("timezone", "北京时间", "时区：只能写“Asia/Shanghai”。"),
        ("programme_year_start", "8月1日", "写作 月-日，如 08-01。"),
        ("notice", "这份活动设置必须写："),
    ),
    "coordinators": Case(
        "records/coordinators.yaml",
        ("city", "市妇联工作人员"),
        ("city", "市妇联", "每行写一个账号，形式为“账号: 姓名或说明”"),
        None,
        ("units", "这份联络员名单必须写：city（市妇联工作人员）、units（各单位联络员）"),
    ),
}


def _record(case: Case) -> tuple[Path, str]:
    """The bundled file's path and text, its modeline removed so that the association in
    .vscode/settings.json is what finds the schema. Only the editor's copy changes: nothing is
    written to disk."""
    source = REPO / case.file
    text = source.read_text(encoding="utf-8")
    return source, "".join(line for line in text.splitlines(keepends=True) if not line.startswith("# yaml-language-server:"))


def _set(text: str, field: str, value: str) -> str:
    """`field: value` at the top level, the field's own lines (a nested block too) replaced."""
    pattern = re.compile(rf"^{re.escape(field)}:.*\n(?:[ -].*\n)*", re.MULTILINE)
    assert pattern.search(text), field
    return pattern.sub(lambda _: f"{field}: {value}\n", text, count=1)


def _drop(text: str, field: str) -> str:
    pattern = re.compile(rf"^{re.escape(field)}:.*\n(?:[ -].*\n)*", re.MULTILINE)
    assert pattern.search(text), field
    return pattern.sub("", text, count=1)


def _line_of(text: str, field: str) -> int:
    return next(i for i, line in enumerate(text.splitlines()) if line.startswith(f"{field}:"))


def _messages(found: list[dict]) -> list[str]:
    return [d["message"] for d in found]


@pytest.mark.parametrize("kind", list(CASES))
def test_the_editor_shows_chinese_advice(server, kind):
    case = CASES[kind]
    path, text = _record(case)
    (choice, bad_choice, choice_advice) = case.choice
    (missing, missing_advice) = case.missing
    wrong = _drop(_set(text, choice, bad_choice), missing)
    if case.date:
        wrong = _set(wrong, case.date[0], case.date[1])

    found = server.open(path, wrong)
    hover = server.hover(path, _line_of(wrong, case.hover[0]))
    by_line = {}
    for diagnostic in found:
        by_line.setdefault(diagnostic["range"]["start"]["line"], []).append(diagnostic["message"])
    assert any(choice_advice in m for m in by_line.get(_line_of(wrong, choice), [])), found
    if case.date:
        assert any(case.date[2] in m for m in by_line.get(_line_of(wrong, case.date[0]), [])), found
    # A missing field has no line of its own: the server marks the first field of the file.
    first = next(i for i, line in enumerate(wrong.splitlines()) if line and not line.startswith("#"))
    assert any(missing_advice in m for m in by_line.get(first, [])), found
    # Nothing of the server's English wording is left for these three.
    english = ("Missing property", "Value is not accepted", "does not match the pattern", "Incorrect type", "RFC3339")
    assert not [m for m in _messages(found) if any(words in m for words in english)], found

    assert case.hover[1] in hover


def test_a_correct_record_has_no_advice(server):
    """The bundled records are right: the messages come only with a mistake. Opened with their
    first line, `# yaml-language-server: $schema=…` (which the server follows too), under a name
    of their own in the same folder."""
    for case in CASES.values():
        source = REPO / case.file
        text = source.read_text(encoding="utf-8")
        assert server.open(source.with_name("editor-ok-" + source.name), text) == [], case.file
        field, value, advice = case.choice
        found = server.open(source.with_name("editor-bad-" + source.name), _set(text, field, value))
        assert [d["message"] for d in found if advice in d["message"]], (case.file, found)


def test_inside_a_block_the_advice_is_on_its_name(server):
    """A field missing inside a block (consent's date) is marked on the block's key with the
    block's advice; an unknown field at the top gets the record's list of fields."""
    source = REPO / CASES["girl"].file
    text = source.read_text(encoding="utf-8")
    wrong = re.sub(r"^  date: .*\n", "", text.replace("school:", "schol:"), count=0, flags=re.MULTILINE)
    assert "schol:" in wrong and "  date:" not in wrong
    found = server.open(source.with_name("editor-block-" + source.name), wrong)
    lines = wrong.splitlines()
    on = {lines[d["range"]["start"]["line"]].split(":")[0]: d["message"] for d in found}
    assert on["consent"] == "请先取得父母或临时监护人的同意，再填写 consent（同意人、关系、日期）。"
    assert on["schol"].startswith("这份留守女童基本信息（附件1）必须写：survey_date（建档日期）")
    assert on["schol"].endswith("只能写列出的项，项目名不能写错（按 Ctrl+空格 可以看到能写哪些）。")


def test_a_field_required_by_another_is_named_with_the_condition(server):
    """The if/then blocks: a festival visit without its festival."""
    source = REPO / CASES["log"].file
    text = source.read_text(encoding="utf-8")
    assert "festival:" not in text
    text = _set(text, "kind", "节日陪伴")
    found = server.open(source.with_name("editor-festival-" + source.name), text)
    assert [d["message"] for d in found] == ["方式为“节日陪伴”时必须写：festival（节日）。"]
