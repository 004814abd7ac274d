"""A mixed-format audit: PDF (both templates), HTML and DOCX reports in one batch."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import SAMPLES, truth_of
from extractor.audit import writer_xlsx
from extractor.cli import main
from schemas.relations import ARITHMETIC_RULES

FORMATS = SAMPLES / "formats"
FILES = {
    "error-requests-balance.pdf": SAMPLES,
    "web-error-requests-balance.html": FORMATS,   # the same report as a Word-exported page
    "docx-error-reviews-review_total.docx": FORMATS,
    "t2019-ruled-fengle-2019.pdf": FORMATS,        # 2019 template, consistent
    "web-site-2019-chengguan-2019.shtml": FORMATS,  # 2019 template site page, consistent
}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("mixed")
    folder = root / "in"
    folder.mkdir()
    for name, where in FILES.items():
        shutil.copy(where / name, folder / name)
    code = main(["audit", str(folder), "--out", str(root / "out"), "--workers", "2", "--timeout", "120"])
    manifest = json.loads((root / "out" / "manifest.json").read_text(encoding="utf-8"))
    rows = json.loads((root / "out" / "findings.json").read_text(encoding="utf-8"))
    return {"out": root / "out", "code": code, "files": {Path(f["path"]).name: f for f in manifest["files"]},
            "rows": rows}


def test_every_format_audited_with_its_template(run):
    assert set(run["files"]) == set(FILES)
    assert run["code"] == 1  # errors found, nothing unreadable
    for name, f in run["files"].items():
        want = "findings" if "error" in name else "ok"
        assert f["status"] == want, (name, f)


def test_arithmetic_findings_equal_truth_in_every_format(run):
    for name, where in FILES.items():
        truth = truth_of(where / name)
        want = {(x["rule"], x["row"], x["column"], x["expected"], x["found"])
                for x in truth["expected_findings"] if x["rule"] in ARITHMETIC_RULES}
        got = {(r["rule"], r["row"], r["column"], r["expected"], r["found"])
               for r in run["rows"] if Path(r["file"]).name == name and r["rule"] in ARITHMETIC_RULES}
        assert got == want, name
    # the PDF and its HTML version are the same report: the same arithmetic findings
    pdf = {(r["rule"], r["column"]) for r in run["rows"] if r["file"].endswith("error-requests-balance.pdf")}
    html = {(r["rule"], r["column"]) for r in run["rows"] if r["file"].endswith("web-error-requests-balance.html")}
    assert {x for x in pdf if x[0] in ARITHMETIC_RULES} == {x for x in html if x[0] in ARITHMETIC_RULES}


def test_html_and_docx_findings_redraw_the_table(run):
    page = (run["out"] / "report.html").read_text(encoding="utf-8")
    sections = page.split("<section")[1:]
    for name in ("web-error-requests-balance.html", "docx-error-reviews-review_total.docx"):
        mine = [s for s in sections if name in s]
        assert len(mine) == 1, name  # one section per report with findings
        assert re.search(r'<table class="?redraw', mine[0]), name  # the table redrawn: no page image to crop
        assert re.search(r'<td class="[^"]*\bred\b', mine[0]), name  # with the offending cells marked
        assert "data:image/png" not in mine[0]


def test_xlsx_marks_cells_of_html_and_docx_reports(run):
    wb = load_workbook(run["out"] / "audit.xlsx")
    summary = wb["汇总"]
    head = [c.value for c in summary[1]]
    by_name = {Path(row[0]).name: dict(zip(head, row)) for row in summary.iter_rows(min_row=2, values_only=True)}
    for name in ("web-error-requests-balance.html", "docx-error-reviews-review_total.docx"):
        ws = wb[by_name[name]["工作表"]]
        red = [c for row in ws.iter_rows() for c in row if c.fill.fgColor.rgb == writer_xlsx.RED and c.comment]
        assert red, name
