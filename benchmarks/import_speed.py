"""How fast is `aixin import`? Prints its figures; it is a measurement, not a test.

Generates the fictional programme with `aixin demo`, then, for each size, a fictional CSV and
.xlsx file of that many girls (made at run time, never committed), and times `aixin import` of
each into a fresh copy of the programme: seconds and the peak memory of the process. The rows
per second at each size show whether the import grows linearly.

    python benchmarks/import_speed.py                    # 10,000 and 100,000 rows
    python benchmarks/import_speed.py --rows 1000 30000 --formats csv
"""

from __future__ import annotations

import argparse
import csv
import shutil
import tempfile
from pathlib import Path

from measure import BIN, generate, timed

HEADERS = [
    "建档日期", "女童姓名", "出生年月", "乡镇（街道）", "村（社区）", "是否建档立卡贫困户", "父母外出情况",
    "父亲姓名", "父亲联系电话", "父亲外出日期", "母亲姓名", "母亲外出日期",
    "临时监护人姓名", "临时监护人联系电话", "与临时监护人的关系", "现居住地址", "目前需求",
    "监护人同意·同意人", "监护人同意·同意人与女童的关系", "监护人同意·同意日期",
]  # fmt: skip


def girl_row(n: int) -> list[str]:
    """A fictional girl, different from every other by name and guardian's phone."""
    return [
        "2019-07-06", f"基准女童{n}", "2011-04", "示例镇", "示例村", "否", "父母均外出",
        f"基准父亲{n}", f"138{n:08d}", "2018-03-01", f"基准母亲{n}", "2018-03-01",
        f"基准祖母{n}", f"0825-{2000000 + n}", "祖母", "示例镇示例村1组", "学习辅导、精神关爱",
        f"基准祖母{n}", "祖母", "2019-07-06",
    ]  # fmt: skip


def write_csv(path: Path, rows: int) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(girl_row(n) for n in range(rows))


def write_xlsx(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("附件1 留守女童")
    sheet.append(HEADERS)
    for n in range(rows):
        sheet.append(girl_row(n))
    workbook.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--formats", nargs="+", default=["csv", "xlsx"], choices=["csv", "xlsx"])
    parser.add_argument("--scale", type=float, default=1, help="size of the generated programme (aixin demo)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="aixin-import-bench-") as tmp:
        base = Path(tmp) / "programme"
        print(f"aixin demo --scale {args.scale}:")
        generate(args.scale, base)
        print(
            f"{'rows':>9}  {'file':>4}  {'MB':>6}  {'seconds':>8}  {'rows/s':>8}  {'peak MiB':>8}  {'written':>8}  exit"
        )
        for rows in args.rows:
            for kind in args.formats:
                source = Path(tmp) / f"girls-{rows}.{kind}"
                (write_csv if kind == "csv" else write_xlsx)(source, rows)
                repo = Path(tmp) / f"repo-{rows}-{kind}"
                shutil.copytree(base, repo)
                before = sum(1 for _ in (repo / "records").rglob("*.yaml"))
                command = [str(BIN / "aixin"), "import", str(source), "--unit", "chuanshan", "--root", str(repo)]
                seconds, peak, code = timed(command, repo)
                written = sum(1 for _ in (repo / "records").rglob("*.yaml")) - before
                size = source.stat().st_size / 1024 / 1024
                print(
                    f"{rows:>9,}  {kind:>4}  {size:>6.1f}  {seconds:>8.1f}  {rows / seconds:>8,.0f}  {peak:>8,}"
                    f"  {written:>8,}  {code}"
                )
                shutil.rmtree(repo)
                source.unlink()


if __name__ == "__main__":
    main()
