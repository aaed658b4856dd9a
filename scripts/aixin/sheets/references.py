"""Whom a pairing row names: a mother by record id or by name + ID number, a girl by record id or
by name + birth month — among the repository's records and the rows of the same file.

A mother or girl filled in earlier in the same file can be named before she has a record: she
gets her new id here. If her own row has errors, the pairing says so rather than "not found".
"""

from __future__ import annotations

from dataclasses import dataclass

from aixin.core import idnumber
from aixin.core.masking import mask_id

from .convert import Row
from .existing import ExistingRecords, girls_by_name

LABELS = {"mother": "爱心妈妈", "girl": "留守女童"}


@dataclass(frozen=True)
class Person:
    name: str
    id: str | None  # None when her row in this file has errors
    unit: str
    where: str  # her file, or her row in this file
    number: str = ""  # a mother's ID number; a girl's birth month


class NotFound(Exception):
    def __init__(self, message: str, hint: str, part: str):
        super().__init__(message)
        self.message, self.hint, self.part = message, hint, part


class People:
    def __init__(self, repo: ExistingRecords, unit: str):
        self.unit = unit
        self.by_id = {kind: {r.id: r for r in repo.records[kind]} for kind in LABELS}
        self.mothers: dict[str, Person] = {}
        for record in repo.records["mother"]:
            number = record.data.get("id_number")
            if isinstance(number, str):
                number = idnumber.normalise(number)
                self.mothers.setdefault(
                    number, Person(str(record.data.get("name")), record.id, record.unit, record.file, number)
                )
        self.girls: dict[tuple[str, str], list[Person]] = {
            key: [Person(key[0], r.id, r.unit, r.file, key[1]) for r in found]
            for key, found in girls_by_name(repo.records["girl"]).items()
        }

    def add_row(self, row: Row) -> None:
        """A girl or mother row of this file (not a duplicate) that pairing rows may name."""
        data, new_id = row.record, (row.id if row.ok else None)
        name = data.get("name")
        if row.kind == "mother" and isinstance(data.get("id_number"), str):
            self.mothers.setdefault(data["id_number"], Person(name, new_id, self.unit, row.where, data["id_number"]))
        elif row.kind == "girl" and isinstance(name, str) and isinstance(data.get("birth"), str):
            self.girls.setdefault((name, data["birth"]), []).append(
                Person(name, new_id, self.unit, row.where, data["birth"])
            )

    def resolve(self, key: str, ref: dict) -> str:
        """The record id the reference columns name; NotFound says why there is none."""
        label, given = LABELS[key], ref.get("id")
        if given:
            self._check_given(key, given, ref)
            return given  # an id that names no record is left to rule P002
        second = "id_number" if key == "mother" else "birth"
        if not ref.get("name") or not ref.get(second):
            what = "身份证号码" if key == "mother" else "出生年月"
            raise NotFound(
                f"没有填写{label}的编号，也没有同时填写她的姓名和{what}",
                f"请填写{label}的记录编号，或者同时填写她的姓名和{what}。",
                "id",
            )
        person = self._mother(ref) if key == "mother" else self._girl(ref)
        if person.id is None:
            raise NotFound(f"这位{label}在{person.where}，那一行有错误，没有导入", "请先改正那一行。", "name")
        return person.id

    def _check_given(self, key: str, given: str, ref: dict) -> None:
        record = self.by_id[key].get(given)
        if record is None:
            return
        name = record.data.get("name")
        if ref.get("name") and ref["name"] != name:
            raise NotFound(
                f"编号 {given} 的{LABELS[key]}是“{name}”，与所填姓名“{ref['name']}”不一致", "请核对编号和姓名。", "id"
            )
        if (
            key == "mother"
            and ref.get("id_number")
            and ref["id_number"] != idnumber.normalise(str(record.data.get("id_number")))
        ):
            raise NotFound(
                f"编号 {given} 的爱心妈妈的身份证号码不是 {mask_id(ref['id_number'])}", "请核对编号和身份证号码。", "id"
            )
        if key == "girl" and ref.get("birth") and ref["birth"] != record.data.get("birth"):
            raise NotFound(
                f"编号 {given} 的女童出生年月是 {record.data.get('birth')}，与所填的 {ref['birth']} 不一致",
                "请核对编号和出生年月。",
                "id",
            )

    def _mother(self, ref: dict) -> Person:
        person = self.mothers.get(ref["id_number"])
        if person is None:
            raise NotFound(
                f"没有找到身份证号码为 {mask_id(ref['id_number'])} 的爱心妈妈",
                "请先导入她的申报表（附件2，可以放在同一个文件里），或填写她的记录编号。",
                "id_number",
            )
        if person.name != ref["name"]:
            raise NotFound(
                f"身份证号码 {mask_id(ref['id_number'])} 是爱心妈妈“{person.name}”的（{person.where}），"
                f"与所填姓名“{ref['name']}”不一致",
                "请核对姓名和身份证号码。",
                "name",
            )
        return person

    def _girl(self, ref: dict) -> Person:
        found = self.girls.get((ref["name"], ref["birth"]), [])
        if len(found) > 1:
            found = [p for p in found if p.unit == self.unit] or found
        if not found:
            raise NotFound(
                f"没有找到姓名为“{ref['name']}”、出生年月为 {ref['birth']} 的女童",
                "请先导入她的采集表（附件1，可以放在同一个文件里），或填写她的记录编号。",
                "name",
            )
        if len(found) > 1:
            raise NotFound(
                f"有 {len(found)} 名女童姓名为“{ref['name']}”、出生年月为 {ref['birth']}",
                "请填写「留守女童编号」，说明是哪一名。",
                "id",
            )
        return found[0]
