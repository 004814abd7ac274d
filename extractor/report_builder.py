"""Grids + page text → a Report: map the three tables, note what is missing and what deviates."""

from __future__ import annotations

from extractor.grid import Grid
from extractor.mapping import Mapping, detect_template, map_active, map_requests, map_reviews, template_scores
from extractor.title import parse_title
from schemas.report import Report
from schemas.vocabulary import OTHER_SPLIT_ROWS, TABLES, expected_cells


def build_report(grids: list[Grid], pages: list[str], file: str, sha256: str, source: str) -> Report:
    """The Report of one file from its grids (all tables) and its text by page."""
    issuer, year, title = parse_title(pages[0] if pages else "")
    template = detect_template(grids)
    mapped = {"active": map_active(grids, template), "requests": map_requests(grids), "reviews": map_reviews(grids)}
    cells = [c for m in mapped.values() for c in m.cells]
    report = Report(file=file, sha256=sha256, issuer=issuer, year=year, template=template, cells=cells,
                    pages=pages, source=source, title=title)
    report.deviations = [d for m in mapped.values() for d in m.deviations] + template_deviations(report, grids)
    report.missing = missing_cells(report, mapped)
    return report


def template_deviations(report: Report, grids: list[Grid] | None = None) -> list[dict]:
    """Where the printed layout departs from the template its year calls for, or mixes the two."""
    out = []
    rows = {c.row for c in report.cells if c.table == "requests"}
    page = next((c.page for c in report.cells if c.row == "other_combined"), None)
    if "other_combined" in rows and rows & set(OTHER_SPLIT_ROWS):
        out.append({"table": "requests", "row": "other_combined",
                    "what": "(六)其他处理 printed both as one row and as three sub-items",
                    "what_zh": "(六)其他处理既印为一行,又印为三个子项", "page": page})
    elif "other_combined" in rows and report.template == "2021":
        out.append({"table": "requests", "row": "other_combined",
                    "what": "(六)其他处理 printed as one row without its three sub-items",
                    "what_zh": "(六)其他处理印为一行,未分列三个子项", "page": page})
    elif rows & set(OTHER_SPLIT_ROWS) and report.template == "2019":
        out.append({"table": "requests", "row": "other_combined",
                    "what": "(六)其他处理 printed as three sub-items in a 2019-layout report",
                    "what_zh": "2019 年版格式的报告中(六)其他处理分列了三个子项"})
    if grids:
        s2019, s2021 = template_scores(grids)
        if s2019 and s2021:
            out.append({"table": "active", "row": None,
                        "what": f"table 二 mixes the 2019 and 2021 layouts ({s2019} and {s2021} header words); "
                                f"mapped as {report.template} by its labels",
                        "what_zh": f"表二混用 2019 年版与 2021 年版格式,已按标签以 {report.template} 年版读取"})
    if report.template == "2019" and report.year and report.year >= 2021:
        out.append({"table": "active", "row": None, "what": f"{report.year} report printed in the 2019 layout",
                    "what_zh": f"{report.year} 年度报告使用了 2019 年版表格格式"})
    if report.template == "2021" and report.year and report.year <= 2020:
        out.append({"table": "active", "row": None, "what": f"{report.year} report printed in the 2021 layout",
                    "what_zh": f"{report.year} 年度报告使用了 2021 年版表格格式"})
    return out


def missing_cells(report: Report, mapped: dict[str, Mapping]) -> list[dict]:
    """Every cell the template expects that no grid supplied, with why."""
    out = []
    combined = report.combined_other
    for table in TABLES:
        have = mapped[table].keys()
        found_rows = {row for _, row, _ in have}
        for row, column in expected_cells(report.template, table, combined_other=combined):
            if (table, row, column) in have:
                continue
            reason = ("table not found" if not have else
                      "row not found" if row not in found_rows else "column not found")
            out.append({"table": table, "row": row, "column": column, "reason": reason})
    return out
