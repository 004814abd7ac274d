"""Every committed PDF sample, and the real PDF, extract with all cells equal to their truth."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import cell_diffs, sample_files, truth_of
from extractor import extract
from schemas.vocabulary import expected_cells

PDFS = sample_files(".pdf")


def test_there_are_samples_of_every_required_layout():
    layouts = {truth_of(p).get("layout") for p in PDFS}
    assert len(PDFS) >= 12
    for needed in ("word-ruled", "split-repeat-header", "split-no-header", "borderless", "kangxi",
                   "garbled-header", "seed"):
        assert needed in layouts, f"no sample of layout {needed}"


@pytest.mark.parametrize("pdf", PDFS, ids=[p.name for p in PDFS])
def test_sample_cells_equal_truth(pdf):
    truth = truth_of(pdf)
    report = extract(pdf)
    assert cell_diffs(truth["tables"], report.tables_dict()) == []
    assert report.template == truth.get("template", "2021")
    assert report.year == truth["year"]
    # every printed cell has its provenance
    for cell in report.cells:
        assert cell.page and cell.bbox and cell.method in {"pdfium-lattice", "pdfplumber", "pdfplumber-words", "camelot-lattice"}


def test_real_hongze_pdf(real_dir):
    pdf = real_dir / "hongze-2023.pdf"
    truth = json.loads((real_dir / "hongze-2023.json").read_text(encoding="utf-8"))
    report = extract(pdf)
    assert cell_diffs(truth["tables"], report.tables_dict()) == []
    assert report.issuer == truth["issuer"]
    assert report.year == 2023
    assert report.missing == []
    # the single (六)其他处理 row is a template deviation, reported, not hidden
    assert any(d["row"] == "other_combined" for d in report.deviations)
    # provenance: the 行政处罚 4119 is on page 3, in a box left of the page centre line
    cell = report.cell("active", "punishment", "decisions")
    assert (cell.value, cell.page, cell.raw) == (4119, 3, "4119")
    assert 0 < cell.bbox[0] < cell.bbox[2] <= 595 and 0 < cell.bbox[1] < cell.bbox[3] <= 842


def test_only_table_pages_are_parsed(real_dir):
    from extractor.pdf_source import text_pass

    text = text_pass(str(real_dir / "hongze-2023.pdf"))
    assert len(text.pages) == 5
    pages = sorted({p for ps in text.table_pages.values() for p in ps})
    assert 1 not in pages and pages[0] == 2  # page 1 is narrative only


def test_garbled_header_falls_back_to_order_and_says_so():
    pdfs = [p for p in PDFS if truth_of(p).get("layout") == "garbled-header"]
    assert pdfs
    report = extract(pdfs[0])
    assert any(c.mapped_by == "order" for c in report.cells if c.table == "reviews")


def test_json_command_prints_canonical_keys():
    pdf = PDFS[0]
    out = subprocess.run([sys.executable, "-m", "extractor.cli", "extract", str(pdf), "--json"],
                         capture_output=True, text=True, check=True)
    doc = json.loads(out.stdout)
    assert set(doc) >= {"file", "sha256", "issuer", "year", "template", "tables", "cells", "missing"}
    for table, rows in doc["tables"].items():
        expected = set(expected_cells(doc["template"], table, combined_other="other_combined" in rows))
        got = {(row, col) for row, cols in rows.items() for col in cols}
        assert got == expected, table
    cell = doc["cells"][0]
    assert set(cell) >= {"table", "row", "column", "value", "raw", "page", "bbox", "method"}


@pytest.mark.parametrize("pdf", [p for p in PDFS if truth_of(p).get("layout") in ("word-ruled", "combined-other",
                                                                                    "split-no-header")][:4],
                         ids=lambda p: p.name)
def test_fast_path_reads_the_same_grids_as_pdfplumber(pdf):
    """pdfium objects through pdfplumber's table functions give pdfplumber's own cells and texts."""
    import pdfplumber
    import pypdfium2 as pdfium

    from extractor.labels import fold
    from extractor.pdf_fast import fast_grids
    from extractor.pdf_source import plumber_grids

    doc = pdfium.PdfDocument(str(pdf))
    with pdfplumber.open(pdf) as plumber:
        for number in range(1, len(doc) + 1):
            fast = fast_grids(doc, number)
            slow = plumber_grids(plumber.pages[number - 1], number)
            assert [(g.n_rows, g.n_cols) for g in fast] == [(g.n_rows, g.n_cols) for g in slow]
            for a, b in zip(fast, slow):
                for row_a, row_b in zip(a.rows, b.rows):
                    assert [fold(c.text) if c else None for c in row_a] == [fold(c.text) if c else None for c in row_b]
                    for ca, cb in zip(row_a, row_b):
                        assert (ca is None) == (cb is None)
                        if ca is not None:
                            assert ca.bbox == pytest.approx(cb.bbox, abs=0.5)
    doc.close()


def test_rows_cut_by_a_page_break_are_closed():
    """Three side rules ending together with no rule across them get one (Chromium's cut rows)."""
    from extractor.pdf_fast import close_open_ends, find_cells

    def v(x, top, bottom):
        return {"x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0, "height": bottom - top,
                "orientation": "v", "object_type": "line"}

    def h(x0, x1, y):
        return {"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0,
                "orientation": "h", "object_type": "line"}

    open_top = [v(10, 30, 90), v(60, 30, 90), v(110, 30, 90), h(10, 110, 60), h(10, 110, 90)]
    assert len(close_open_ends(open_top)) == len(open_top) + 1
    assert sum(len(t) for t in find_cells(open_top)) == 4  # the cut row is a row of cells again
    closed = open_top + [h(10, 110, 30)]
    assert close_open_ends(closed) == closed  # a ruled top is left alone
