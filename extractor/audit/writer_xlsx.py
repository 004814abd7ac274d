"""audit.xlsx: a summary sheet, and per report with findings its three tables laid out like the template.

Offending cells are filled red and carry a comment with the finding's message; the other cells a
finding involves are filled amber. Every string from a report goes through safe.cell_text (no
formula, no control character); numbers stay numbers.
"""

from __future__ import annotations

import io
import unicodedata
from collections import defaultdict

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from extractor.audit import fsio
from extractor.audit.crops import offending_keys
from extractor.audit.layout import display_value, table_layout
from extractor.audit.model import STATUS_ZH
from extractor.audit.rows import finding_page_box, ordered_findings
from extractor.audit.safe import cell_text, clean, sheet_name
from schemas.supervision import FAMILIES, FAMILY_ZH
from schemas.vocabulary import TABLE_TITLES, TABLES

RED = "FFFF7C80"
AMBER = "FFFFE699"
GREY = "FFE7E6E6"
RED_FILL = PatternFill("solid", fgColor=RED)
AMBER_FILL = PatternFill("solid", fgColor=AMBER)
HEAD_FILL = PatternFill("solid", fgColor=GREY)
STATUS_FILL = {"ok": PatternFill("solid", fgColor="FFC6EFCE"), "findings": PatternFill("solid", fgColor="FFFFEB9C"),
               "unreadable": PatternFill("solid", fgColor="FFFFC7CE"), "timeout": PatternFill("solid", fgColor="FFFFC7CE"),
               "too_large": PatternFill("solid", fgColor="FFFFC7CE"),
               "crashed": PatternFill("solid", fgColor="FFFFC7CE")}
THIN = Side(style="thin", color="FF999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
# one column per rule family (勾稽 arithmetic, 完整性 completeness, 及时性 timeliness, 跨年 history), to sort by
SUMMARY_HEAD = ("文件", "发文机关", "年度", "模板", "状态", "原因", "错误", "警告", "提示",
                *(FAMILY_ZH[f] for f in FAMILIES), "重复于", "SHA-256", "工作表")


def text_width(value) -> int:
    """Display width of a value: CJK characters count double."""
    if value is None:
        return 0
    text = str(value)
    return max((sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
                for line in text.split("\n")), default=0)


def fit_columns(ws, minimum: int = 6, maximum: int = 60, skip_rows: set[int] = frozenset()) -> None:
    """Column widths that fit the unmerged cells' contents, within bounds."""
    merged = {(r, c) for rng in ws.merged_cells.ranges for r in range(rng.min_row, rng.max_row + 1)
              for c in range(rng.min_col, rng.max_col + 1)}
    widths: dict[int, int] = defaultdict(int)
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None or (cell.row, cell.column) in merged or cell.row in skip_rows:
                continue
            widths[cell.column] = max(widths[cell.column], text_width(cell.value))
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = max(minimum, min(maximum, width + 2))


def _summary(ws, results, sheets: dict[str, str]) -> None:
    ws.append(SUMMARY_HEAD)
    for r in results:
        rep = r.report
        ws.append([cell_text(clean(v)) if isinstance(v, str) else v for v in (
            r.path, rep.issuer if rep else None, r.year, rep.template if rep else None,
            f"{r.status} {STATUS_ZH.get(r.status, '')}", r.reason or None,
            r.count("error"), r.count("warning"), r.count("info"), *(r.count_family(f) for f in FAMILIES),
            r.duplicate_of, r.sha256,
            sheets.get(r.path))])
        row = ws.max_row
        ws.cell(row, 5).fill = STATUS_FILL.get(r.status, HEAD_FILL)
        if r.path in sheets:
            link = ws.cell(row, len(SUMMARY_HEAD))
            link.hyperlink = "#'{}'!A1".format(sheets[r.path].replace("'", "''"))
            link.font = Font(color="FF0563C1", underline="single")
    for c in range(1, len(SUMMARY_HEAD) + 1):
        ws.cell(1, c).font = BOLD
        ws.cell(1, c).fill = HEAD_FILL
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(SUMMARY_HEAD))}{ws.max_row}"
    fit_columns(ws)


def _marks(result) -> tuple[dict, set]:
    """{key: [comment lines]} of offending cells, and the set of merely involved keys."""
    red: dict = defaultdict(list)
    involved: set = set()
    for _, f in ordered_findings(result):
        for key in offending_keys(f):
            red[key].append(f"[{SEVERITY_ZH.get(f.severity, f.severity)}] {clean(f.message)}")
        involved.update((c.get("table"), c.get("row"), c.get("column")) for c in f.cells)
    return red, involved - set(red)


def _report_sheet(ws, result) -> None:
    rep = result.report
    ws.append([cell_text(clean(result.path))])
    ws.append([cell_text(clean(rep.issuer or "(发文机关未识别)")), f"{rep.year or '?'} 年度", f"模板 {rep.template}"])
    ws.append([f"错误 {result.count('error')} · 警告 {result.count('warning')} · 提示 {result.count('info')}",
               "红色:出错单元格(批注为说明) · 黄色:相关单元格"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.freeze_panes = "A4"
    r = 5
    ws.cell(r, 1, "问题清单").font = BOLD
    head = ("严重程度", "规则", "页码", "说明")
    for c, text in enumerate(head, 1):
        ws.cell(r + 1, c, text).font = BOLD
        ws.cell(r + 1, c).fill = HEAD_FILL
    r += 2
    long_rows = set()
    for _, f in ordered_findings(result):
        page, _ = finding_page_box(f)
        ws.cell(r, 1, SEVERITY_ZH.get(f.severity, f.severity))
        ws.cell(r, 2, cell_text(f.rule))
        ws.cell(r, 3, page)
        ws.cell(r, 4, cell_text(clean(f.message))).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=r, start_column=4, end_row=r, end_column=12)
        ws.row_dimensions[r].height = 15 * max(1, min(6, text_width(f.message) // 110 + 1))
        long_rows.add(r)
        r += 1
    r += 1
    red, involved = _marks(result)
    for table in TABLES:
        ws.cell(r, 1, TABLE_TITLES[table]).font = Font(bold=True, size=12)
        r += 1
        width, height, placed = table_layout(rep, table)
        for p in placed:
            row, col = r + p.r, 1 + p.c
            for i in range(p.rowspan):
                for j in range(p.colspan):
                    ws.cell(row + i, col + j).border = BOX
            if p.rowspan > 1 or p.colspan > 1:
                ws.merge_cells(start_row=row, start_column=col, end_row=row + p.rowspan - 1,
                               end_column=col + p.colspan - 1)
            cell = ws.cell(row, col)
            if p.header:
                cell.value = cell_text(clean(p.text))
                cell.fill = HEAD_FILL
                cell.alignment = Alignment(wrap_text=True, vertical="center",
                                           horizontal="left" if p.c < 3 and p.colspan < 4 else "center")
                continue
            cell.value = cell_text(display_value(p.cell))
            cell.alignment = Alignment(horizontal="right")
            if p.cell is None:
                cell.font = Font(italic=True, color="FF808080")
            if p.key in red:
                cell.fill = RED_FILL
                cell.font = Font(bold=True)
                comment = Comment("\n\n".join(red[p.key]), "nianbao")
                comment.width, comment.height = 420, 60 + 40 * len(red[p.key])
                cell.comment = comment
            elif p.key in involved:
                cell.fill = AMBER_FILL
        r += height + 1
    fit_columns(ws, minimum=8, maximum=24, skip_rows={1, 2, 3} | long_rows)


def workbook_bytes(results) -> bytes:
    wb = Workbook()
    summary = wb.active
    summary.title = "汇总"
    taken = {summary.title}
    sheets: dict[str, str] = {}
    with_findings = [r for r in results if r.audited and r.report is not None and r.findings]
    for r in with_findings:
        wanted = f"{r.report.issuer or ''}{r.report.year or ''}" or r.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        sheets[r.path] = sheet_name(wanted, taken)
    _summary(summary, results, sheets)
    for r in with_findings:
        _report_sheet(wb.create_sheet(sheets[r.path]), r)
    wb.properties.creator = "nianbao"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write(out_dir: str, results) -> None:
    fsio.write_bytes(out_dir, "audit.xlsx", workbook_bytes(results))
