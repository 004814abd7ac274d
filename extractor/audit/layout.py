"""The three statutory tables laid out like the template, as placed cells both workbook and HTML draw.

`table_layout(report, table)` → (width, height, [Placed]): header and label cells carry text;
value cells carry their key and the report's Cell (None when the report lacks it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from schemas.report import Cell, Report, json_number
from schemas.vocabulary import (
    APPLICANT_COLUMNS,
    REQUESTS_COLUMNS,
    REVIEW_GROUPS,
    REVIEW_RESULTS,
    REVIEWS_COLUMNS,
    REVIEWS_ROW,
    active_column_labels,
    active_rows,
    requests_rows,
)


@dataclass
class Placed:
    r: int
    c: int
    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    header: bool = False  # a heading or label, not a value
    key: Optional[tuple[str, str, str]] = None  # (table, row, column) for a value cell
    cell: Optional[Cell] = None


def display_value(cell: Optional[Cell]):
    """What a value cell shows: the number, the marker as printed, or 缺失 when the report lacks it."""
    if cell is None:
        return "缺失"
    if cell.value is None:
        return cell.raw if cell.raw else "(空白)"
    return json_number(cell.value)


def _active(report: Report) -> tuple[int, int, list[Placed]]:
    rows = active_rows(report.template)
    labels = active_column_labels(report.template)
    width = 1 + max(len(cols) for *_, cols in rows)
    out, r, i = [], 0, 0
    while i < len(rows):
        block, cols = rows[i][2], rows[i][3]
        group = [row for row in rows[i:] if (row[2], row[3]) == (block, cols)]
        group = group[: next((n for n, row in enumerate(rows[i:]) if (row[2], row[3]) != (block, cols)), len(group))]
        out.append(Placed(r, 0, block, colspan=width, header=True))
        out.append(Placed(r + 1, 0, "信息内容", header=True))
        for n, col in enumerate(cols):
            span = width - 1 - n if n == len(cols) - 1 else 1
            out.append(Placed(r + 1, 1 + n, labels[col], colspan=span, header=True))
        r += 2
        for key, label, _, _ in group:
            out.append(Placed(r, 0, label, header=True))
            for n, col in enumerate(cols):
                span = width - 1 - n if n == len(cols) - 1 else 1
                out.append(Placed(r, 1 + n, colspan=span, key=("active", key, col),
                                  cell=report.cell("active", key, col)))
            r += 1
        i += len(group)
    return width, r, out


def _requests(report: Report) -> tuple[int, int, list[Placed]]:
    cols = list(REQUESTS_COLUMNS)
    out = [Placed(0, 0, "项目", rowspan=3, colspan=3, header=True),
           Placed(0, 3, "申请人情况", colspan=len(cols), header=True),
           Placed(1, 3, REQUESTS_COLUMNS["natural_person"], rowspan=2, header=True),
           Placed(1, 4, "法人或其他组织", colspan=len(APPLICANT_COLUMNS) - 1, header=True),
           Placed(1, 3 + len(cols) - 1, REQUESTS_COLUMNS["total"], rowspan=2, header=True)]
    for n, col in enumerate(APPLICANT_COLUMNS[1:]):
        out.append(Placed(2, 4 + n, REQUESTS_COLUMNS[col], header=True))
    rows = requests_rows(report.template, report.combined_other)
    r0 = 3
    for n, (key, group, item) in enumerate(rows):
        r = r0 + n
        if not group:
            out.append(Placed(r, 0, item, colspan=3, header=True))
        elif group.startswith("三"):
            out.append(Placed(r, 1, item, colspan=2, header=True))
        else:
            out.append(Placed(r, 2, item, header=True))
        for m, col in enumerate(cols):
            out.append(Placed(r, 3 + m, key=("requests", key, col), cell=report.cell("requests", key, col)))
    # the vertical headings: 三、本年度办理结果 over its rows, (三)(四)(五)(六) over their items
    spans: dict[str, list[int]] = {}
    for n, (_, group, _) in enumerate(rows):
        if group:
            spans.setdefault(group, []).append(r0 + n)
            if not group.startswith("三"):
                spans.setdefault("三、本年度办理结果", []).append(r0 + n)
    for group, rs in spans.items():
        col = 0 if group.startswith("三") else 1
        out.append(Placed(min(rs), col, group, rowspan=max(rs) - min(rs) + 1, header=True))
    return 3 + len(cols), r0 + len(rows), out


def _reviews(report: Report) -> tuple[int, int, list[Placed]]:
    n = len(REVIEW_RESULTS)
    out = [Placed(0, 0, REVIEW_GROUPS["review"], rowspan=2, colspan=n, header=True),
           Placed(0, n, "行政诉讼", colspan=2 * n, header=True)]
    for g, group in enumerate(list(REVIEW_GROUPS)[1:]):
        out.append(Placed(1, n * (g + 1), REVIEW_GROUPS[group], colspan=n, header=True))
    for c, col in enumerate(REVIEWS_COLUMNS):
        out.append(Placed(2, c, REVIEWS_COLUMNS[col][1], header=True))
        out.append(Placed(3, c, key=("reviews", REVIEWS_ROW, col), cell=report.cell("reviews", REVIEWS_ROW, col)))
    return len(REVIEWS_COLUMNS), 4, out


def table_layout(report: Report, table: str) -> tuple[int, int, list[Placed]]:
    """(width, height, placed cells) of one table, top-left at (0, 0)."""
    return {"active": _active, "requests": _requests, "reviews": _reviews}[table](report)
