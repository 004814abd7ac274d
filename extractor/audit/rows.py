"""Findings → flat rows, in one deterministic order, for every writer.

A row: file, body, year, rule, severity, table, row, column, expected, found, page, box, message
(+ message_en, root). Files that could not be audited get one row each (rule `file.<status>`) so
that the list of things to act on is complete; duplicates get an `info` row naming the original.
"""

from __future__ import annotations

from typing import Optional

from extractor.audit.model import FAILED, FileResult
from schemas.report import json_number
from schemas.vocabulary import TABLES, expected_cells

COLUMNS = ("file", "body", "year", "rule", "severity", "table", "row", "column", "expected", "found",
           "page", "box", "message", "message_en")
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
FILE_MESSAGES = {
    "unreadable": "无法读取该文件:{reason}",
    "timeout": "读取该文件超时:{reason}",
    "too_large": "读取该文件超出内存限制:{reason}",
    "crashed": "读取该文件时程序出错:{reason}",
    "interrupted": "审核中断,未读取该文件:{reason}",
}


def _position(template: str, table, row, column) -> tuple:
    """Where a key sits in the printed table, for sorting in reading order."""
    t = TABLES.index(table) if table in TABLES else len(TABLES)
    if t == len(TABLES):
        return (t, 0, 0)
    order = expected_cells(template, table, combined_other=row == "other_combined")
    rows = list(dict.fromkeys(r for r, _ in order))
    cols = list(dict.fromkeys(c for _, c in order))
    return (t, rows.index(row) if row in rows else -1 if row is None else len(rows),
            cols.index(column) if column in cols else -1 if column is None else len(cols))


def finding_page_box(finding) -> tuple[Optional[int], Optional[list]]:
    """The page and box of the finding's own cell (or the first of its cells with a place)."""
    own = [c for c in finding.cells if (c.get("row"), c.get("column")) == (finding.row, finding.column)]
    for c in own + list(finding.cells):
        if c.get("page"):
            box = [round(float(v), 1) for v in c["bbox"]] if c.get("bbox") else None
            return int(c["page"]), box
    return finding.page, None


def finding_key(template: str, f) -> tuple:
    return (SEVERITY_ORDER.get(f.severity, 9), _position(template, f.table, f.row, f.column),
            f.rule, str(f.row), str(f.column), f.message)


def ordered_findings(result: FileResult) -> list[tuple[int, object]]:
    """(index into result.findings, finding) in reading order: errors first, then table, row, column."""
    template = result.report.template if result.report else "2021"
    return sorted(enumerate(result.findings), key=lambda item: finding_key(template, item[1]))


def finding_row(result: FileResult, f) -> dict:
    page, box = finding_page_box(f)
    return {
        "file": result.path, "body": result.issuer, "year": result.year, "rule": f.rule, "severity": f.severity,
        "table": f.table, "row": f.row, "column": f.column,
        "expected": json_number(f.expected), "found": json_number(f.found),
        "page": page, "box": box, "message": f.message, "message_en": f.message_en,
    }


def file_row(result: FileResult) -> Optional[dict]:
    """The row for a file that yields no findings of its own: failed, or a duplicate."""
    base = dict.fromkeys(COLUMNS)
    base.update(file=result.path, body=result.issuer, year=result.year)
    if result.duplicate_of:
        base.update(rule="file.duplicate", severity="info",
                    message=f"与 {result.duplicate_of} 内容相同(SHA-256 一致),只审核一次",
                    message_en=f"same content as {result.duplicate_of} (same SHA-256): audited once")
        return base
    if result.status in FAILED:
        base.update(rule=f"file.{result.status}", severity="error",
                    message=FILE_MESSAGES[result.status].format(reason=result.reason),
                    message_en=f"{result.status}: {result.reason}")
        return base
    return None


def all_rows(results: list[FileResult]) -> list[dict]:
    """Every row, in input order and, within a file, in reading order."""
    out = []
    for r in results:
        extra = file_row(r)
        if extra:
            out.append(extra)
        if r.audited:
            out.extend(finding_row(r, f) for _, f in ordered_findings(r))
    return out
