"""`validate(report) -> list[Finding]`: the pandera schemas, value rules and narrative figures.

Pure: a Report in, Findings out, no file I/O. Arithmetic and numeric-value findings are read
from pandera's lazy `SchemaErrors.failure_cases` (schemas.tables); the found/expected values
of a failing relation come from the same `schemas.relations.evaluate` the check ran. Markers
(blank, '—', '/', '无', unreadable) come from the Cells' `kind`, missing rows/columns and
template deviations from the Report and the template's expected cells.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from schemas import messages as M
from schemas import relations
from schemas import tables as T
from schemas.report import Finding, Report
from schemas.vocabulary import TABLES, expected_cells

SEVERITY = {
    **{r: "error" for r in relations.ARITHMETIC_RULES},
    "relations.root_cell": "error",
    "table.missing": "error",
    "value.blank": "warning",
    "value.unreadable": "warning",
    "ocr.low_confidence": "warning",
    "value.negative": "warning",
    "value.non_integer": "warning",
    "value.fee_unit": "warning",
    "template.missing": "warning",
    "template.deviation": "warning",
    "narrative.mismatch": "warning",
    "active.in_force_below_issued": "info",
    # beyond arithmetic (schemas.supervision): single-report rules run here, history ones across reports
    "completeness.section_missing": "warning",
    "completeness.fee_statement_missing": "warning",
    "timeliness.late": "warning",
    "history.copied_text": "warning",
    "history.repeated_tables": "warning",
    "history.changed_after_publication": "warning",
}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
MARKER_KINDS = ("blank", "dash", "slash", "none")
# A cell read by OCR below this confidence is named in a warning (chosen from the scanned samples:
# every misread cell scored below it; see extractor/ocr_source.py).
OCR_MIN_CONFIDENCE = 0.9


def cell_dict(report: Report, table: str, row: str, column: str) -> dict:
    """The provenance of one cell as a finding lists it (value None, raw '' when absent)."""
    c = report.cell(table, row, column)
    if c is None:
        return {"table": table, "row": row, "column": column, "value": None, "raw": "", "page": None, "bbox": None}
    d = c.to_dict()
    return {k: d[k] for k in ("table", "row", "column", "value", "raw", "page", "bbox")}


def _finding(rule: str, report: Report, table, row, column, expected_value, found_value, cells,
             key: str | None = None, **fields) -> Finding:
    zh, en = M.render(key or rule, **fields)
    return Finding(rule=rule, severity=SEVERITY[rule], table=table, row=row, column=column,
                   expected=expected_value, found=found_value, message=zh, message_en=en, cells=cells, file=report.file)


def _addr(report: Report, table, row, column) -> dict:
    return {"addr": M.address(report.template, table, row, column), "addr_en": M.address_en(table, row, column)}


# ------------------------------------------------------------------ arithmetic
def _relation_findings(report: Report, table: str, frame: pd.DataFrame, cases: pd.DataFrame) -> list[Finding]:
    """Findings for the failing relation equations pandera reported, plus likely root cells."""
    failing: list[relations.Outcome] = []
    for _, case in cases.iterrows():
        rule = case["check"]
        if rule not in relations.ARITHMETIC_RULES or not isinstance(case["failure_case"], dict):
            continue
        by_anchor = relations.anchored(rule, frame)
        for column in case["failure_case"]:
            inst = by_anchor.get((case["index"], column))
            if inst is not None:
                failing.append(relations.evaluate(inst, frame))
    roots = _roots(report, table, frame, failing)
    out = []
    for outcome in failing:
        inst = outcome.instance
        row, column = inst.anchor
        if inst.rule == "requests.balance":
            row = None
        fields = dict(found=M.num(outcome.found), expected=M.num(outcome.expected),
                      diff=M.num(abs(outcome.found - outcome.expected)),
                      col=M.column_text(report.template, table, column).strip("列").strip('"'), col_en=column,
                      **_addr(report, table, row, column))
        f = _finding(inst.rule, report, table, row, column, outcome.expected, outcome.found,
                     [cell_dict(report, table, r, c) for r, c in inst.keys], **fields)
        for key in roots:
            if key in inst.keys:
                zh, en = M.render("relations.root_hint", **_addr(report, table, *key))
                f.message += zh
                f.message_en += en
        out.append(f)
    for key, (value, corrected, broken) in roots.items():
        names = [M.RELATION_NAMES[o.instance.rule] for o in broken]
        rel_zh = "、".join(n[0].format(row=M.row_text(report.template, table, o.instance.anchor[0]),
                                       col=M.column_text(report.template, table, o.instance.anchor[1]))
                          for n, o in zip(names, broken))
        rel_en = ", ".join(n[1].format(row=o.instance.anchor[0], col=o.instance.anchor[1]) for n, o in zip(names, broken))
        f = _finding("relations.root_cell", report, table, key[0], key[1], corrected, value,
                     [cell_dict(report, table, *key)], found=M.num(value), expected=M.num(corrected),
                     n=len(broken), relations=rel_zh, relations_en=rel_en, **_addr(report, table, *key))
        f.root = True
        out.append(f)
    return out


def _roots(report: Report, table: str, frame: pd.DataFrame, failing: list[relations.Outcome]) -> dict:
    """Cells in ≥ 2 failing equations, in no equation that holds, all of which one new value fixes.

    Returns {(row, column): (value, corrected value, [failing outcomes])}.
    """
    if len(failing) < 2:
        return {}
    fail_by_cell: dict = defaultdict(list)
    for o in failing:
        for key in o.instance.keys:
            fail_by_cell[key].append(o)
    candidates = {k: os for k, os in fail_by_cell.items() if len(os) >= 2}
    if not candidates:
        return {}
    holding = set()
    for rule in relations.table_rules(table):
        for inst in relations.instances(rule, frame):
            o = relations.evaluate(inst, frame)
            if o.checkable and o.holds:
                holding.update(inst.keys)
    roots = {}
    for key, outcomes in candidates.items():
        if key in holding:
            continue
        value = float(frame.at[key])
        fixes = set()
        for o in outcomes:
            delta = o.found - o.expected
            fixes.add(round(value - delta if key in o.instance.lhs else value + delta, 6))
        if len(fixes) == 1 and (fix := fixes.pop()) >= 0:
            roots[key] = (value, fix, outcomes)
    return roots


# ------------------------------------------------------------------ values and template shape
def _schema_findings(report: Report, table: str, frame: pd.DataFrame, cases: pd.DataFrame) -> list[Finding]:
    out = []
    for _, case in cases.iterrows():
        check, row, column = case["check"], case["index"], case["column"]
        if check in (T.CHECK_NEGATIVE, T.CHECK_INTEGER):
            value = float(case["failure_case"])
            out.append(_finding(check, report, table, row, column, None, value,
                                [cell_dict(report, table, row, column)], found=M.num(value),
                                **_addr(report, table, row, column)))
        elif check == T.CHECK_IN_FORCE and isinstance(case["failure_case"], dict):
            for column, value in case["failure_case"].items():
                issued = float(frame.at[row, "issued"])
                out.append(_finding(check, report, table, row, column, issued, float(value),
                                    [cell_dict(report, table, row, column), cell_dict(report, table, row, "issued")],
                                    found=M.num(value), expected=M.num(issued), **_addr(report, table, row, column)))
        elif check == T.CHECK_OTHER_BOTH:
            out.append(_deviation(report, table, row, "第(六)项\"其他处理\"既印作一行,又印有三个子项",
                                  "other_combined printed beside the three other_* rows"))
        elif check == T.CHECK_UNKNOWN_ROW:
            out.append(_deviation(report, table, None, f"出现模板之外的行\"{case['failure_case']}\"",
                                  f"row key {case['failure_case']!r} is not in the template"))
        elif check == "column_in_schema":
            out.append(_deviation(report, table, None, f"出现模板之外的列\"{case['failure_case']}\"",
                                  f"column key {case['failure_case']!r} is not in the template"))
    return out


def _deviation(report: Report, table, row, what: str, what_en: str, page=None) -> Finding:
    f = _finding("template.deviation", report, table, row, None, None, None, [],
                 tname=M.table_name(table) if table else "报告", tname_en=table or "report", what=what, what_en=what_en)
    f.page = page
    return f


def _marker_findings(report: Report) -> list[Finding]:
    out = []
    for c in report.cells:
        if c.kind in MARKER_KINDS:
            mark, mark_en = M.MARKS[c.kind]
            out.append(_finding("value.blank", report, c.table, c.row, c.column, None, None,
                                [cell_dict(report, c.table, c.row, c.column)], mark=mark, mark_en=mark_en,
                                **_addr(report, c.table, c.row, c.column)))
        elif c.kind == "unreadable" or (c.kind == "number" and c.value is None):
            out.append(_finding("value.unreadable", report, c.table, c.row, c.column, None, None,
                                [cell_dict(report, c.table, c.row, c.column)], raw=c.raw,
                                **_addr(report, c.table, c.row, c.column)))
    return out


# Largest plausible 行政事业性收费 in 万元 by the level the issuer's name says; above it the figure
# reads like 元 printed in the 万元 column. A township collects little; a county or a department
# rarely more than 10 亿元 (100,000 万元); a city or province more.
FEE_CEILING = {"乡": 1_000, "镇": 1_000, "街道": 1_000, "县": 100_000, "区": 100_000, "部门": 100_000}


def _fee_unit_findings(report: Report) -> list[Finding]:
    """The 2021 fee (万元) printed with 元, or too large for the body's level: a unit warning."""
    from schemas.history import level_of

    c = report.cell("active", "fees", "amount")
    if report.template != "2021" or c is None:
        return []
    raw = c.raw or ""
    level = level_of(report.issuer)
    ceiling = FEE_CEILING.get(level or "")
    if "元" in raw and "万" not in raw:
        why, why_en = "单位写作\"元\",而表二该列单位为万元", "the cell says 元 while the column is in 万元"
    elif ceiling is not None and c.value is not None and c.value > ceiling:
        why = f"即 {c.value:,.2f} 万元,超出{level}级机关常见的收费规模({ceiling:,} 万元)"
        why_en = f"that is {c.value:,.2f} 万元, beyond what a {level}-level body collects (≤ {ceiling:,} 万元)"
    else:
        return []
    return [_finding("value.fee_unit", report, "active", "fees", "amount", None, c.value,
                     [cell_dict(report, "active", "fees", "amount")], raw=raw, why=why, why_en=why_en,
                     **_addr(report, "active", "fees", "amount"))]


def _ocr_findings(report: Report) -> list[Finding]:
    """Cells read from a scan with a confidence below OCR_MIN_CONFIDENCE: what was read, to check by eye."""
    out = []
    for c in report.cells:
        if c.method == "ocr" and c.confidence < OCR_MIN_CONFIDENCE:
            f = _finding("ocr.low_confidence", report, c.table, c.row, c.column, None, c.value,
                         [cell_dict(report, c.table, c.row, c.column)], raw=c.raw, conf=f"{c.confidence:.2f}",
                         page=c.page if c.page is not None else "?", **_addr(report, c.table, c.row, c.column))
            f.page = c.page
            out.append(f)
    return out


def _covered(entries: list[dict], table: str, row: str, column: str) -> bool:
    return any(e.get("table") == table and e.get("row") in (None, row) and e.get("column") in (None, column)
               for e in entries)


def _missing_findings(report: Report, present_tables: set[str]) -> list[Finding]:
    out = []
    for e in report.missing:
        table = e.get("table")
        if table not in present_tables:
            continue  # reported as table.missing
        out.append(_missing_finding(report, table, e.get("row"), e.get("column"), e.get("reason", "")))
    for table in present_tables:
        have = {(c.row, c.column) for c in report.cells if c.table == table}
        want = expected_cells(report.template, table, combined_other=report.combined_other)
        absent = [(r, c) for r, c in want if (r, c) not in have and not _covered(report.missing, table, r, c)]
        if not absent:
            continue
        rows = list(dict.fromkeys(r for r, _ in want))
        done = set()
        for r in rows:
            cols = [c for rr, c in want if rr == r]
            if all((r, c) in absent for c in cols):
                out.append(_missing_finding(report, table, r, None))
                done.update((r, c) for c in cols)
        for r, c in absent:
            if (r, c) not in done:
                out.append(_missing_finding(report, table, r, c))
    return out


def _missing_finding(report: Report, table: str, row, column, reason: str = "") -> Finding:
    what = (M.row_text(report.template, table, row) + M.column_text(report.template, table, column)) or "内容"
    what_en = " ".join(p for p in (f"row {row}" if row else "", f"column {column}" if column else "") if p) or "content"
    if reason:
        what_en += f" ({reason})"
    f = _finding("template.missing", report, table, row, column, None, None,
                 [cell_dict(report, table, row, column)] if row and column else [],
                 tname=M.table_name(table), tname_en=table, what=what, what_en=what_en)
    return f


def _template_findings(report: Report) -> list[Finding]:
    out = [_deviation(report, d.get("table"), d.get("row"), str(d.get("what_zh") or d.get("what", "")), str(d.get("what", "")),
                      page=d.get("page")) for d in report.deviations]
    if report.template == "2019" and report.year and report.year >= 2021 and \
            not any("2019" in str(d.get("what", "")) for d in report.deviations):
        out.append(_deviation(report, None, None, f"{report.year} 年度报告使用了 2019 年版表格格式",
                              f"a {report.year} report printed in the 2019 layout"))
    return out


# ------------------------------------------------------------------ entry point
def validate(report: Report, narrative: bool = True) -> list[Finding]:
    """Every finding for one report: tables, values, template shape, (optionally) narrative, and the
    completeness and timeliness rules of schemas.supervision when the report has its text."""
    findings: list[Finding] = []
    present = {c.table for c in report.cells}
    for table in TABLES:
        if table not in present:
            findings.append(_finding("table.missing", report, table, None, None, None, None, [],
                                     tname=M.table_name(table), tname_en=table))
            continue
        frame = report.frame(table)
        cases = T.failure_cases(frame, table, report.template)
        findings += _relation_findings(report, table, frame, cases)
        findings += _schema_findings(report, table, frame, cases)
    findings += _marker_findings(report)
    findings += _fee_unit_findings(report)
    findings += _ocr_findings(report)
    findings += _missing_findings(report, present)
    findings += _template_findings(report)
    if narrative and report.pages:
        from schemas.narrative import narrative_findings
        findings += narrative_findings(report)
    if report.pages or report.sections:
        from schemas.supervision import report_findings
        findings += report_findings(report)
    for f in findings:
        f.file = report.file
    return findings


def has_errors(findings: list[Finding]) -> bool:
    """Whether any finding is an error (exit code 1 of check and audit)."""
    return any(f.severity == "error" for f in findings)
