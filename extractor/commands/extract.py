"""`nianbao extract FILE [--json]`: the three tables of one report, as rich tables or JSON."""

from __future__ import annotations

import json
import sys

from rich.console import Console
from rich.table import Table
from rich.text import Text

from extractor import extract
from extractor.errors import ReportError
from schemas.report import Report, json_number
from schemas.vocabulary import TABLE_TITLES, TABLES, column_label, expected_cells, row_label


def add_parser(sub):
    """Register the subcommand."""
    parser = sub.add_parser("extract", help="extract the three statutory tables of one report")
    parser.add_argument("file", help="a report file: PDF, HTML or DOCX")
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    parser.add_argument("--password", help="user password of an encrypted PDF")
    return parser


def run(args) -> int:
    """Extract and print; exit 2 with one line when the file cannot be read."""
    try:
        report = extract(args.file, password=args.password)
    except ReportError as exc:
        print(f"nianbao: {exc}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(report.to_dict(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    console = Console()
    console.print(Text(f"{report.issuer or '(发文机关未识别)'} · {report.year or '?'} 年 · 模板 {report.template}"
                       f" · {report.file}", style="bold"))
    for table in TABLES:
        console.print(table_renderable(report, table))
    if report.missing:
        console.print(f"[yellow]缺失单元格 {len(report.missing)} 个[/yellow] (missing cells)")
    return 0


def table_renderable(report: Report, table: str) -> Table:
    """One statutory table as a rich Table with the template's Chinese labels."""
    order = expected_cells(report.template, table, combined_other=report.combined_other)
    if table == "reviews":  # one row of fifteen: print it standing up
        view = Table(title=TABLE_TITLES[table], title_justify="left")
        view.add_column("项目")
        view.add_column("数量", justify="right")
        for row, col in order:
            view.add_row(column_label(report.template, table, col), value_text(report.cell(table, row, col)))
        return view
    rows = list(dict.fromkeys(r for r, _ in order))
    cols = list(dict.fromkeys(c for _, c in order))
    view = Table(title=TABLE_TITLES[table], title_justify="left", show_lines=False)
    view.add_column("项目", overflow="fold", max_width=28)
    for col in cols:
        view.add_column(column_label(report.template, table, col), justify="right", overflow="fold")
    for row in rows:
        line = [Text(row_label(report.template, table, row))]
        for col in cols:
            present = (row, col) in order
            line.append(value_text(report.cell(table, row, col)) if present else Text(""))
        view.add_row(*line)
    return view


def value_text(cell) -> Text:
    """A cell's value for the terminal: the number, the marker as printed, or 缺失 (missing)."""
    if cell is None:
        return Text("缺失", style="red")
    if cell.value is None:
        return Text(cell.raw or "(空)", style="yellow")
    return Text(str(json_number(cell.value)))
