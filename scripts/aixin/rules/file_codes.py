"""The finding codes that are not rules in the registry: loader `Y…`, schema `S…`, layout `R…`
(R001–R006, R012–R014).

Rules document themselves in their docstrings (`rules/registry.py`); these codes are emitted by
`load/loader.py`, `load/schemas.py` and `domain/layout.py`, so their titles and explanations live
here; `catalogue.py` lists them with the rules. Every one of them is an error: a
file that cannot be read, parsed, validated or placed cannot be checked any further.
"""

from __future__ import annotations

from dataclasses import dataclass

from aixin.core.findings import Severity
from aixin.load.loader import MAX_DEPTH, MAX_FILE_BYTES


@dataclass(frozen=True)
class CodeInfo:
    """One finding code: its severity, a Chinese title, and what it means and how to fix it."""

    code: str
    severity: Severity
    title: str
    explanation: str


_E = Severity.ERROR

_TABLE = (
    # The strict YAML loader (load/loader.py).
    (
        "Y001",
        "文件太大",
        f"记录文件超过 {MAX_FILE_BYTES // 1024} KB，系统不再读取它；一份记录通常只有几十行。请检查是否误粘贴了大段内容，照片和音视频放在 photos/、media/ 文件夹中，不要写进记录文件。",
    ),
    (
        "Y002",
        "文件不是 UTF-8 编码",
        "文件不能按 UTF-8 编码读取，常见于 Windows 记事本或 WPS 默认保存的 GBK 编码。请用编辑器“另存为 UTF-8”后再提交。",
    ),
    (
        "Y003",
        "文件中有看不见的字符",
        "文件里有控制字符、零宽空格、文字方向控制符等看不见的字符，常在从网页、微信或 Word 复制文字时被带进来。请删掉提示位置附近的文字，重新手动输入。",
    ),
    (
        "Y004",
        "缩进里有制表符（Tab 键）",
        "行首的缩进只能用空格，不能用 Tab。请把这一行开头的 Tab 换成空格，每一层缩进两个空格。",
    ),
    (
        "Y005",
        "YAML 格式写法有错误",
        "文件不能按 YAML 格式读取：冒号、引号、缩进或括号写得不对（如字段名后面用了中文冒号“：”），或者字段名写成了列表或“字段: 值”的组合。请按提示检查这一行和上一行，每一行写成“字段名: 值”（英文冒号后加一个空格）。",
    ),
    ("Y006", "字段重复", "同一层里同一个字段写了两次，系统无法判断哪个是对的。请保留正确的那一行，删除另一行。"),
    (
        "Y007",
        "不能使用锚点、引用或合并键",
        "记录文件里不能用 & 和 * 引用别处的内容，也不能用“<<”合并。请把内容直接写出来；值本身以 & 或 * 开头时，给整个值加上引号。",
    ),
    (
        "Y008",
        "不能使用类型标记",
        "记录文件里不能用以 ! 开头的类型标记（如 !!str）。请删除标记，只写值本身；值本身以 ! 开头时，给整个值加上引号。",
    ),
    (
        "Y009",
        "一个文件里有多份记录",
        "文件中用“---”开始了第二份内容，而一个文件只能有一份记录。请删除“---”和后面多出来的内容，另一份记录放在单独的文件里。",
    ),
    (
        "Y010",
        "内容嵌套太深",
        f"记录的层次超过了 {MAX_DEPTH} 层，而记录的结构最多只有几层。请检查缩进是否多缩了、括号是否多写了，或者按模板重写这一段。",
    ),
    (
        "Y011",
        "文件是空的或不是“字段: 值”的形式",
        "文件没有任何字段，或者最外层不是“字段: 值”的形式（例如整个文件是一个列表或一句话）。请按同类记录的模板，每一行写成“字段名: 值”，例如“name: 张小花”。",
    ),
    (
        "Y012",
        "文件无法读取",
        "系统打不开这个文件（例如文件已不存在或没有读取权限）。请确认文件存在并且是普通文本文件，然后重新运行检查。",
    ),
    # The schema checks (load/schemas.py).
    (
        "S001",
        "缺少必填项",
        "记录缺少必须填写的字段，包括按条件必填的字段（如父母外出时的外出日期、结对已结束时的结束日期和原因）。请按提示补上这一项；各字段是否必填见数据字典。",
    ),
    (
        "S002",
        "不认识的字段",
        "记录里有表格中没有的字段，多半是字段名拼写错了。请检查拼写，或删去这一行；可以写的字段见数据字典。",
    ),
    (
        "S003",
        "值的类型不对",
        "值的类型与要求不符，例如身份证号码、电话号码没有加引号而被当成数值，日期写成了数字，或“是否”项写成了“是/否”而不是 true/false。请按提示改写。",
    ),
    (
        "S004",
        "值不在可选范围内",
        "这一项只能从规定的选项中选一个（列表项则每一项都要是规定的选项；方括号里用中文逗号会让几项连成一项）。请改成提示中列出的选项之一，文字要完全一致，写的是平常的叫法（如奶奶）时，提示会给出表格里的叫法（祖母）。",
    ),
    (
        "S005",
        "格式不对或日期无效",
        "值的写法不符合规定的格式（如电话号码、身份证号码、单位代码、记录编号、照片路径、年-月-日的日期），或者日期在日历上不存在（如 2019-02-30）。请按提示的格式改写，平常的写法（2019年7月12日、138 0000 0001、船山区）会在提示中写出规定的写法。",
    ),
    (
        "S006",
        "内容为空、过长、重复或超出范围",
        "值不满足其他要求：文字为空或超过字数上限、列表项数不够或有重复、数字超出范围。请按提示补充、精简或改正。",
    ),
    # Where the file is (domain/layout.py).
    (
        "R001",
        "文件不在记录应在的位置",
        "文件放错了地方：records/ 下直接放了文件，或记录不在 girls/、mothers/、pairings/、logs/<结对编号>/ 文件夹中，或文件不是 .yaml 文件。记录放在 records/<单位>/girls|mothers|pairings/<编号>.yaml，联系记录放在 records/<单位>/logs/<结对编号>/<编号>.yaml。",
    ),
    (
        "R002",
        "记录编号的单位前缀与所在文件夹不一致",
        "文件名（记录编号）开头的单位代码与它所在的单位文件夹不同。如果记录属于另一个单位，请把文件移到那个单位的文件夹；否则把编号改为以本单位代码开头。",
    ),
    (
        "R003",
        "文件名不是有效的记录编号",
        "文件名（不含 .yaml）必须是记录编号，形式为“单位代码-类别字母-随机码”，如 chuanshan-g-3m8x4p，随机码是4至16位小写字母或数字。随机码随意编写、不要按顺序，然后把文件改成这个名字。",
    ),
    (
        "R004",
        "文件夹不是已登记的单位",
        "records/ 下的文件夹名必须是 records/programme.yaml 中登记的单位代码之一。请检查文件夹名的拼写，或把文件移到正确的单位文件夹。",
    ),
    (
        "R005",
        "记录编号的类别字母与文件夹不一致",
        "编号中间的类别字母要与文件夹对应：girls 为 g，mothers 为 m，pairings 为 p，logs 为 l。请改正编号，或把文件移到对应的文件夹。",
    ),
    ("R006", "文件扩展名应为 .yaml", "记录文件的扩展名是 .yaml，不是 .yml。请把文件改名为 .yaml 结尾。"),
    # What is not a regular file (domain/layout.py `walk`): never followed, opened or read.
    (
        "R012",
        "records/ 中有符号链接",
        "records/ 中的文件和文件夹不能是符号链接（快捷方式）：系统不会打开它指向的内容，它指向的记录、照片或文件夹既不检查，也不会出现在网站上。请删除链接，把真正的文件放在它应在的位置。",
    ),
    (
        "R013",
        "不是普通文件",
        "records/ 中只能有普通文件和文件夹；命名管道（FIFO）、套接字和设备文件不会被打开，也不会被检查。请删除这个文件。",
    ),
    (
        "R014",
        "文件夹无法读取",
        "系统打不开这个文件夹（常见原因是没有读取权限），其中的记录和照片都没有检查。请给文件夹读取权限后重新运行检查。",
    ),
)

CODES: dict[str, CodeInfo] = {code: CodeInfo(code, _E, title, text) for code, title, text in _TABLE}
