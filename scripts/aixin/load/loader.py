"""The strict YAML loader: every record file goes through here, bad files never pass silently.

libyaml parses (its event stream, ~2x faster than CSafeLoader); Python builds plain dicts and
lists and records line marks. Nothing is ever constructed from a tag, aliases are never
expanded, size and depth are capped, and bad data yields `Y…` findings instead of exceptions.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml
from yaml._yaml import CParser
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from aixin.core.findings import Finding, Severity
from aixin.core.masking import INVISIBLE, mask_digits

MAX_FILE_BYTES = 64 * 1024
# How every file under records/ is opened (records here, photos in photos.inspection, the check's
# workers): never through a symbolic link, never waiting on a FIFO.
READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
MAX_DEPTH = 6  # nested collections, the top-level mapping counting as 1
MAX_REPORTED = 10  # per rule and file, for Y003 and Y004

# Unicode Cc and Cf (tab, LF and CR excluded) and the line/paragraph separators: core.masking.
_INVISIBLE = INVISIBLE
# In a parsed value (written as a double-quoted escape such as "\u202e" or "\e"), a carriage
# return is refused too: in the raw text it can only be a line ending, in a value it is an escape.
_INVISIBLE_VALUE = re.compile(f"\r|{INVISIBLE.pattern}")
_CHAR_NAMES = {
    0x00: "空字符",
    0x0B: "垂直制表符",
    0x0C: "换页符",
    0x7F: "删除符",
    0x85: "下一行符",
    0xAD: "软连字符",
    0x200B: "零宽空格",
    0x200C: "零宽非连接符",
    0x200D: "零宽连接符",
    0x200E: "从左到右标记",
    0x200F: "从右到左标记",
    0x2028: "行分隔符",
    0x2029: "段分隔符",
    0x202E: "从右到左覆盖符",
    0x2060: "词连接符",
    0xFEFF: "零宽不换行空格（BOM）",
    **dict.fromkeys((0x202A, 0x202B, 0x202C, 0x202D, 0x2066, 0x2067, 0x2068, 0x2069), "文字方向控制符"),
}
# Only this exact spelling is an integer, so that str(value) always equals the text as written
# (no "+86…", no "-0", no leading zeros).
_IS_INT = re.compile(r"(?:0|-?[1-9][0-9]*)\Z").match
_WORDS = {"true": True, "false": False, "null": None, "~": None, "": None}
_MISS = object()  # "no key pending" in a mapping, and a dict.get default
_BOM = b"\xef\xbb\xbf"


@dataclass
class Loaded:
    """A parsed record: `data` is None when any loader finding makes the file unusable."""

    data: dict | None
    lines: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def position(lines: dict, path: tuple) -> tuple[int, int]:
    """The (line, column) of the value at `path`, or of its nearest parent that has one (a
    missing field points at the mapping it is missing from); (1, 1) when nothing is known."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get((), (1, 1))


def load_file(path: Path, rel: str) -> Loaded:
    """Load one record file; the size is checked before a single byte is read. Only a regular
    file is read: a symlink is never followed and a FIFO never waited on (Y012)."""
    import errno  # here, not at the top: only this function needs them
    import stat

    reason = None
    try:
        fd = os.open(path, READ_FLAGS)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                reason = "不是普通文件，系统不会打开它"
            elif info.st_size > MAX_FILE_BYTES:
                return Loaded(None, {}, [_too_big(info.st_size, rel)])
            else:
                raw = os.read(fd, MAX_FILE_BYTES + 1)
        finally:
            os.close(fd)
    except OSError as exc:
        reason = "是符号链接，系统不会打开它" if exc.errno == errno.ELOOP else (exc.strerror or str(exc))
    if reason is not None:
        return Loaded(
            None,
            {},
            [
                _finding(
                    rel,
                    1,
                    1,
                    "Y012",
                    f"文件无法读取（{reason}）",
                    "请确认文件存在并且是普通文本文件，然后重新运行检查",
                )
            ],
        )
    return load_bytes(raw, rel)


def load_bytes(raw: bytes, rel: str, *, size: int | None = None) -> Loaded:
    """Decode, screen for invisible characters and tabs, then parse. Never raises for bad data.
    `size` is the file's real size when `raw` holds only its first bytes (cap + 1)."""
    if len(raw) > MAX_FILE_BYTES:
        return Loaded(None, {}, [_too_big(max(size or 0, len(raw)), rel)])
    if raw[:3] == _BOM:
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Loaded(None, {}, [_not_utf8(raw, exc.start, rel)])
    findings = _screen(text, rel)
    if findings:
        return Loaded(None, {}, findings)
    return _parse(raw, rel)


def _parse(src: bytes, rel: str) -> Loaded:
    """Build dicts and lists from libyaml's events; the first alias, tag or too-deep node aborts."""
    lines: dict = {(): (1, 1)}
    found: list = []
    p = CParser(src)
    get = p.get_event
    root = None
    try:
        get()  # StreamStartEvent
        if type(get()) is StreamEndEvent:
            return Loaded(None, lines, [_finding(rel, 1, 1, "Y011", "文件是空的，没有任何字段", _Y011_HINT)])
        ev = get()
        if type(ev) is not MappingStartEvent:
            bad = _special(ev, rel)
            if bad is None:
                m = ev.start_mark
                empty = type(ev) is ScalarEvent and not ev.style and ev.value == ""
                bad = _finding(
                    rel,
                    m.line + 1,
                    m.column + 1,
                    "Y011",
                    "文件是空的，没有任何字段"
                    if empty
                    else "文件内容应该是“字段: 值”的形式，但这里的最外层不是这种形式",
                    _Y011_HINT,
                )
            return Loaded(None, lines, _chinese_colons(src, rel) or [bad])
        if ev.anchor is not None or ev.tag is not None:
            return Loaded(None, lines, [_special(ev, rel)])
        root = cur = {}
        is_map = True
        key = _MISS
        path = ()
        stack = []
        # anchors, aliases and tags cannot occur without these characters: skip the checks
        marked = b"&" in src or b"*" in src or b"!" in src or b"<<" in src
        # only a double-quoted scalar's escapes ("\u202e", "\e", "\0") put a control character
        # into a value that the raw-text screen did not see: look at values only when there is one
        escaped = b"\\" in src
        hidden = 0
        words_get = _WORDS.get
        is_int = _IS_INT
        while True:
            ev = get()
            t = type(ev)
            if t is ScalarEvent:
                if marked and (ev.anchor is not None or ev.tag is not None):
                    found.append(_special(ev, rel))
                    break
                v = ev.value
                if escaped and ev.style == '"' and not v.isprintable() and _INVISIBLE_VALUE.search(v):
                    m = ev.start_mark
                    for char in dict.fromkeys(_INVISIBLE_VALUE.findall(v)):  # each kind once per value
                        if hidden < MAX_REPORTED:
                            found.append(_invisible(rel, m.line + 1, m.column + 1, ord(char), escaped=True))
                        hidden += 1
                if is_map and key is _MISS:
                    if v in cur or (marked and v == "<<"):
                        found.append(_bad_key(src, path, v, ev.start_mark, rel))
                        if v == "<<":
                            break
                    key = v
                    continue
                m = ev.start_mark
                if not ev.style:  # plain scalar: the only kind that is ever typed
                    w = words_get(v, _MISS)
                    if w is not _MISS:
                        v = w
                    elif (v.isdecimal() or v[0] == "-") and is_int(v):  # isdecimal: cheap pre-check
                        try:  # noqa: SIM105 — the hot loop: try costs nothing, suppress() does
                            v = int(v)
                        except ValueError:  # beyond int's digit limit: keep it as written
                            pass
                if is_map:
                    cur[key] = v
                    lines[path + (key,)] = (m.line + 1, m.column + 1)
                    key = _MISS
                else:
                    lines[path + (len(cur),)] = (m.line + 1, m.column + 1)
                    cur.append(v)
            elif t is MappingEndEvent or t is SequenceEndEvent:
                if not stack:
                    break
                cur, is_map, path = stack.pop()
                key = _MISS
            elif t is MappingStartEvent or t is SequenceStartEvent:
                m = ev.start_mark
                if marked and (ev.anchor is not None or ev.tag is not None):
                    found.append(_special(ev, rel))
                    break
                if is_map and key is _MISS:
                    found.append(
                        _finding(
                            rel,
                            m.line + 1,
                            m.column + 1,
                            "Y005",
                            "字段名只能是文字，不能是列表或“字段: 值”的组合",
                            "请检查这一行的写法，每一行写成“字段名: 值”",
                        )
                    )
                    break
                if len(stack) + 1 >= MAX_DEPTH:
                    found.append(
                        _finding(
                            rel, m.line + 1, m.column + 1, "Y010", f"内容嵌套太深（超过 {MAX_DEPTH} 层）", _Y010_HINT
                        )
                    )
                    break
                new = {} if t is MappingStartEvent else []
                if is_map:
                    sub = path + (key,)
                    cur[key] = new
                else:
                    sub = path + (len(cur),)
                    cur.append(new)
                lines[sub] = (m.line + 1, m.column + 1)
                stack.append((cur, is_map, path))
                cur, path = new, sub
                is_map = t is MappingStartEvent
                key = _MISS
            elif t is AliasEvent:
                found.append(_special(ev, rel))
                break
        if t is MappingEndEvent:  # the top-level mapping ended (no abort): a second document?
            get()  # DocumentEndEvent
            ev = get()
            if type(ev) is DocumentStartEvent:
                m = ev.start_mark
                found.append(
                    _finding(
                        rel,
                        m.line + 1,
                        m.column + 1,
                        "Y009",
                        "一个文件里只能有一份记录，这里用“---”开始了第二份",
                        "请删除这里的“---”和后面多出来的内容；另一份记录请放在单独的文件里",
                    )
                )
    except yaml.YAMLError as exc:
        found.extend(_chinese_colons(src, rel) or [_syntax(exc, rel)])
    finally:
        p.dispose()
    return Loaded(None if found else root, lines, found)


_Y011_HINT = "记录文件的每一行应写成“字段名: 值”，例如“name: 张小花”；可以参照同类记录的模板"
_Y010_HINT = "记录的结构最多只有几层，请检查缩进是否多缩了、括号是否多写了，或者按模板重写这一段"
_Y007_HINT = "记录文件里不能用 & 和 * 引用别处的内容，也不能用“<<”合并；请把内容直接写出来。如果值本身以 & 或 * 开头，请给整个值加上引号"


def _special(ev, rel: str) -> Finding | None:
    """Y007 for anchors and aliases, Y008 for tags; None when the event has neither."""
    m = ev.start_mark
    if type(ev) is AliasEvent or ev.anchor is not None:
        sign = "*" if type(ev) is AliasEvent else "&"
        return _finding(rel, m.line + 1, m.column + 1, "Y007", f"不能使用锚点或引用“{sign}{ev.anchor}”", _Y007_HINT)
    tag = getattr(ev, "tag", None)
    if tag is not None:
        shown = "!!" + tag[18:] if tag.startswith("tag:yaml.org,2002:") else tag
        return _finding(
            rel,
            m.line + 1,
            m.column + 1,
            "Y008",
            f"不能使用类型标记“{shown}”",
            "请删除以 ! 开头的标记，只写值本身；如果值本身以 ! 开头，请给整个值加上引号",
        )
    return None


def _bad_key(src: bytes, path: tuple, key: str, m, rel: str) -> Finding:
    """Y007 for a merge key, else Y006 naming the line of the key's first occurrence."""
    if key == "<<":
        return _finding(rel, m.line + 1, m.column + 1, "Y007", "不能使用合并键“<<”", _Y007_HINT)
    return _duplicate(path, key, _key_line(src, path, key), m, rel)


def _key_line(src: bytes, path: tuple, key: str) -> int:
    """1-based line of the first `key` in the mapping at `path`: a second pass, for duplicates only."""
    p = CParser(src)
    get = p.get_event
    frames: list = []  # [is mapping, pending key (_MISS: expecting a key) or next index, path]
    try:
        while True:
            ev = get()
            t = type(ev)
            if t is StreamEndEvent:
                return 1
            if t is MappingEndEvent or t is SequenceEndEvent:
                frames.pop()
            elif t is ScalarEvent or t is MappingStartEvent or t is SequenceStartEvent:
                sub = ()
                if frames:
                    f = frames[-1]
                    if f[0] and f[1] is _MISS:
                        if f[2] == path and getattr(ev, "value", None) == key:
                            return ev.start_mark.line + 1
                        f[1] = getattr(ev, "value", None)
                        continue
                    sub = f[2] + (f[1],)
                    f[1] = _MISS if f[0] else f[1] + 1
                if t is not ScalarEvent:
                    frames.append([t is MappingStartEvent, _MISS if t is MappingStartEvent else 0, sub])
    except yaml.YAMLError:
        return 1
    finally:
        p.dispose()


def _duplicate(path: tuple, key: str, first: int, m, rel: str) -> Finding:
    where = f"“{'.'.join(str(p) for p in path)}”下的" if path else ""
    return _finding(
        rel,
        m.line + 1,
        m.column + 1,
        "Y006",
        f"{where}字段“{key}”在第{first}行和第{m.line + 1}行重复出现",
        "同一个字段只能写一次：请保留正确的那一行，删除另一行",
    )


# libyaml problem text -> (Chinese sentence, hint, use the context mark as the position)
_SYNTAX = {
    "could not find expected ':'": (
        "这一行缺少冒号，或者冒号后面要有空格",
        "每一行写成“字段名: 值”，英文冒号后面加一个空格",
        True,
    ),
    "mapping values are not allowed in this context": (
        "这里多了一个“冒号+空格”，或者缩进不对齐",
        '值里有冒号时请给整个值加上引号，例如 note: "时间: 上午"；并检查这一行的缩进是否和上一行对齐',
        False,
    ),
    "did not find expected key": (
        "缩进不对齐，或者这一行的写法不对",
        "同一层的字段要用同样多的空格缩进；引号里的值后面不能再接文字",
        False,
    ),
    "found unexpected end of stream": (
        "引号没有配对：这里开始的引号一直到文件末尾都没有找到结尾的引号",
        "请在值的末尾补上同样的引号",
        True,
    ),
    "found character that cannot start any token": (
        "值不能以这个字符开头（例如 @ 或 `）",
        '请给整个值加上引号，例如 note: "@某人"',
        False,
    ),
    "did not find expected alphabetic or numeric character": (
        "以 * 或 & 开头的值会被当作引用",
        '请给整个值加上引号，例如 note: "*重要"',
        False,
    ),
    "found unknown escape character": (
        "双引号里的反斜杠“\\”后面跟了不认识的字符",
        "请把双引号换成单引号，或者把“\\”写成“\\\\”",
        False,
    ),
    "block sequence entries are not allowed in this context": (
        "列表项“- ”的位置不对",
        "列表要另起一行并缩进，例如：\nneeds:\n  - 学习辅导",
        False,
    ),
    "did not find expected ',' or ']'": (
        "方括号 [ ] 没有配对，或者列表项之间缺少逗号",
        "请检查方括号和逗号，例如 needs: [学习辅导, 精神关爱]",
        True,
    ),
    "did not find expected ',' or '}'": (
        "花括号 { } 没有配对，或者缺少逗号",
        "请检查花括号和逗号；值里有花括号时请给整个值加上引号",
        True,
    ),
    "did not find expected <document start>": ("这里之后还有多余的内容", "请删除单独一行的“...”或多余的内容", False),
}

_SYNTAX_OTHER = ("YAML 格式写法有错误", "请对照同类记录的模板检查这一行和上一行：冒号、引号、缩进", False)


# A field name followed by a Chinese colon (name：示例), as a Chinese input method types it.
_CHINESE_COLON = re.compile(r"^[ ]*(?:- )?([A-Za-z_][A-Za-z0-9_]*)[ ]*：[ ]*(.*)$", re.MULTILINE)


def _chinese_colons(src: bytes, rel: str) -> list[Finding]:
    """Y005 on each line whose field name is followed by a Chinese colon, when the file does
    not parse: libyaml's own report lands on that line or the next, and never names the colon."""
    text = src.decode("utf-8", "replace")
    found = []
    for match in _CHINESE_COLON.finditer(text):
        if len(found) == MAX_REPORTED:
            break
        line = text.count("\n", 0, match.start()) + 1
        key, value = match.groups()
        value = value.strip() if len(value.strip()) <= 20 else value.strip()[:20] + "…"
        fixed = mask_digits(f"{key}: {value}" if value else f"{key}:")
        found.append(
            _finding(
                rel,
                line,
                match.start(1) - match.start() + 1,
                "Y005",
                f"第{line}行：字段名“{key}”后面用了中文冒号“：”",
                f"字段名后面要用英文冒号“:”再加一个空格（输入时先切换到英文输入法）：写作 {fixed}",
            )
        )
    return found


def _syntax(exc: yaml.YAMLError, rel: str) -> Finding:
    """Y005 in Chinese; libyaml's English text only when its problem has no Chinese wording here,
    for whoever helps (a coordinator reads the sentence and the hint)."""
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    mark = getattr(exc, "problem_mark", None)
    sentence, hint, at_context = _SYNTAX.get(problem, _SYNTAX_OTHER)
    if problem == "found unexpected end of stream" and "quoted" not in (context or ""):
        sentence, hint, at_context = _SYNTAX_OTHER
    code = "Y005"
    if problem == "found undefined tag handle":
        sentence, hint, code = (
            "不能使用类型标记（以 ! 开头）",
            "请删除以 ! 开头的标记；如果值本身以 ! 开头，请给整个值加上引号",
            "Y008",
        )
    elif problem == "exceeded maximum nesting depth":  # libyaml's own cap, hit before our events
        sentence, hint, code = "内容嵌套太深", _Y010_HINT, "Y010"
    if at_context and getattr(exc, "context_mark", None) is not None:
        mark = exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    english = f"（YAML: {context}: {problem}）" if context else f"（YAML: {problem}）"
    known = problem in _SYNTAX or code != "Y005"
    return _finding(rel, line, col, code, f"第{line}行：{sentence}{'' if known else english}", hint)


def _screen(text: str, rel: str) -> list[Finding]:
    """Y003 invisible/control characters and Y004 tabs in indentation, before libyaml sees them."""
    out = []
    if not text.replace("\n", "").isprintable() and _INVISIBLE.search(text):  # fast path first
        for n, mo in enumerate(_INVISIBLE.finditer(text)):
            if n == MAX_REPORTED:
                break
            line = text.count("\n", 0, mo.start()) + 1
            col = mo.start() - text.rfind("\n", 0, mo.start())
            out.append(_invisible(rel, line, col, ord(mo.group())))
    if "\t" in text:
        bad = [n for n, ln in enumerate(text.split("\n"), 1) if "\t" in ln[: len(ln) - len(ln.lstrip(" \t"))]]
        for n in bad[:MAX_REPORTED]:
            out.append(
                _finding(
                    rel,
                    n,
                    1,
                    "Y004",
                    f"第{n}行的缩进里有制表符（Tab 键）",
                    "缩进只能用空格：请把这一行开头的 Tab 换成空格（每一层缩进两个空格）",
                )
            )
    return out


def _invisible(rel: str, line: int, col: int, cp: int, *, escaped: bool = False) -> Finding:
    """Y003 for one invisible or control character: in the raw text, or (`escaped`) in a parsed
    value, where a double-quoted scalar's escape such as "\\u202e" or "\\e" wrote it."""
    name = _CHAR_NAMES.get(cp) or ("回车符" if cp == 0x0D else "控制字符" if cp < 0xA0 else "看不见的格式字符")
    if escaped:
        message = f"第{line}行的值里有看不见的字符 U+{cp:04X}（{name}），是用双引号里的“\\”写法写出来的"
        hint = "请删掉双引号里以“\\”开头的这类写法（如 \\u202e、\\e、\\0），只写文字本身"
    else:
        message = f"第{line}行有看不见的字符 U+{cp:04X}（{name}）"
        hint = "这种字符常在从网页、微信或 Word 复制文字时被带进来：请删掉这个位置附近的文字后重新手动输入"
    return _finding(rel, line, col, "Y003", message, hint)


def _not_utf8(raw: bytes, pos: int, rel: str) -> Finding:
    line = raw.count(b"\n", 0, pos) + 1
    col = len(raw[raw.rfind(b"\n", 0, pos) + 1 : pos].decode("utf-8", "replace")) + 1
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        guess = "（看起来是 UTF-16 编码）"
    else:
        try:
            raw.decode("gb18030")
            guess = "（看起来是 GBK/GB18030 编码，常见于 Windows 记事本或 WPS 的默认保存）"
        except UnicodeDecodeError:
            guess = ""
    return _finding(
        rel,
        line,
        col,
        "Y002",
        f"文件不是 UTF-8 编码{guess}，从第{line}行开始无法读取",
        "请用编辑器“另存为 UTF-8”编码后再提交",
    )


def _too_big(size: int, rel: str) -> Finding:
    return _finding(
        rel,
        1,
        1,
        "Y001",
        f"文件太大（{(size + 1023) // 1024} KB），记录文件最大 {MAX_FILE_BYTES // 1024} KB",
        "一份记录通常只有几十行：请检查是否误粘贴了大段内容；照片请放在 photos 目录，不要写进记录文件",
    )


def _finding(rel: str, line: int, col: int, rule: str, message: str, hint: str) -> Finding:
    return Finding(rel, line, col, rule, Severity.ERROR, message, hint, PurePosixPath(rel).stem)
