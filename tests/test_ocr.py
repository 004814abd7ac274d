"""Scanned reports: pages without text are found and read by offline OCR into the same Report.

The OCR is the slow part of the suite, so only few pages are read: the mixed sample (its table
pages are scans, its prose has text) end to end, and the two table pages of the split scan.
One engine is shared by the whole process (extractor.ocr_source.engine).
"""

from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import pytest

from conftest import SAMPLES, cell_diffs, sample_files, truth_of
from extractor import extract
from extractor import ocr_source
from extractor.ocr_source import image_pages, read_scanned, usable_text
from extractor.pdf_source import text_pass
from extractor.report_builder import build_report
from schemas.report import Report, report_from_tables
from schemas.validate import OCR_MIN_CONFIDENCE, validate

SCANS = SAMPLES / "scans"
MIXED = SCANS / "scan-mixed-heping-2022.pdf"
SPLIT = SCANS / "scan-split-qinghe-2022.pdf"


def n_cells(tables: dict) -> int:
    return sum(len(cols) for rows in tables.values() for cols in rows.values())


def unflagged_wrong_cells(truth: dict, report: Report) -> list[tuple]:
    """Cells that differ from the truth and that no finding names (the silently wrong ones)."""
    flagged = {(c["table"], c["row"], c["column"]) for f in validate(report) for c in f.cells}
    flagged |= {(m["table"], m["row"], m["column"]) for m in report.missing}
    return [d for d in cell_diffs(truth, report.tables_dict()) if d[:3] not in flagged]


# ------------------------------------------------------------------ which pages are scans
def test_usable_text():
    assert usable_text("临川县江桥镇人民政府2023年政府信息公开工作年度报告 一、总体情况")
    assert not usable_text("")
    assert not usable_text(" \n \n 3 ")  # a page number only
    assert not usable_text("\ufffd" * 40 + "ab")  # glyphs without a Unicode mapping
    assert not usable_text("".join(chr(0xE000 + i) for i in range(60)))  # private-use garbage
    assert usable_text("⼀、总体情况 ⼆、主动公开政府信息情况 ⾏政许可")  # Kangxi radicals are text


def test_pages_without_text_are_found():
    text = text_pass(str(SCANS / "scan-150-jiangqiao-2023.pdf"))
    assert image_pages(str(SCANS / "scan-150-jiangqiao-2023.pdf"), text.pages) == [1, 2, 3, 4, 5]
    text = text_pass(str(MIXED))
    assert image_pages(str(MIXED), text.pages) == truth_of(MIXED)["scanned_pages"]
    for pdf in sample_files(".pdf")[:4]:  # text PDFs: nothing to OCR
        assert image_pages(str(pdf), text_pass(str(pdf)).pages) == []


def test_scanned_samples_are_small_image_only_pdfs():
    pdfs = sorted(SCANS.glob("*.pdf"))
    assert len(pdfs) >= 4 and sum(p.stat().st_size for p in pdfs) < 8_000_000
    layouts = {truth_of(p)["layout"] for p in pdfs}
    assert {"scan-150", "scan-200", "scan-split", "scan-mixed"} <= layouts
    for p in pdfs:
        assert p.stat().st_size < 1_500_000


# ------------------------------------------------------------------ end to end
@pytest.fixture(scope="module")
def mixed_report() -> Report:
    return extract(MIXED)


def test_mixed_scan_end_to_end(mixed_report):
    truth = truth_of(MIXED)
    diffs = cell_diffs(truth["tables"], mixed_report.tables_dict())
    total = n_cells(truth["tables"])
    assert (total - len(diffs)) / total >= 0.995, diffs
    assert unflagged_wrong_cells(truth["tables"], mixed_report) == []
    assert mixed_report.issuer == truth["issuer"] and mixed_report.year == truth["year"]
    scanned = set(truth["scanned_pages"])
    for cell in mixed_report.cells:
        assert cell.method == "ocr" and cell.page in scanned
        x0, top, x1, bottom = cell.bbox
        assert 0 <= x0 < x1 <= 600 and 0 <= top < bottom <= 845  # PDF points on an A4 page
        assert 0.0 <= cell.confidence <= 1.0


def test_ocr_boxes_are_where_the_text_pdf_has_them(mixed_report):
    """The box of an OCR cell (converted back to points, skew undone) lies over the same cell of the text PDF."""
    original = extract(SAMPLES / truth_of(MIXED)["source_sample"])
    for key in (("requests", "new", "total"), ("requests", "total_processed", "natural_person")):
        a, b = mixed_report.cell(*key), original.cell(*key)
        ca = ((a.bbox[0] + a.bbox[2]) / 2, (a.bbox[1] + a.bbox[3]) / 2)
        cb = ((b.bbox[0] + b.bbox[2]) / 2, (b.bbox[1] + b.bbox[3]) / 2)
        assert a.page == b.page and abs(ca[0] - cb[0]) < 8 and abs(ca[1] - cb[1]) < 8, (a.bbox, b.bbox)


def test_split_requests_table_across_two_scanned_pages():
    truth = truth_of(SPLIT)
    pages = read_scanned(str(SPLIT), [2, 3], prose_pages=set())  # the two table pages, cells only
    assert all(p.grids for p in pages)
    texts = ["", *(p.text for p in pages)]
    report = build_report([g for p in pages for g in p.grids], texts, file=SPLIT.name, sha256="", source="pdf")
    requests = report.tables_dict()["requests"]
    assert {c.page for c in report.cells if c.table == "requests"} == {2, 3}
    diffs = cell_diffs({"requests": truth["tables"]["requests"]}, {"requests": requests})
    total = n_cells({"requests": truth["tables"]["requests"]})
    assert (total - len(diffs)) / total >= 0.995, diffs
    report.pages = []  # no narrative here
    assert unflagged_wrong_cells({"requests": truth["tables"]["requests"]},
                                 _only(report, "requests")) == []


def _only(report: Report, table: str) -> Report:
    report.cells = [c for c in report.cells if c.table == table]
    report.missing = [m for m in report.missing if m["table"] == table]
    return report


# ------------------------------------------------------------------ the warning
def test_low_confidence_cells_are_warnings_naming_what_was_read():
    report = report_from_tables(truth_of(SAMPLES / "word-ruled-jiangqiao-2023.pdf")["tables"], file="x.pdf")
    for c in report.cells:
        c.method = "ocr"
        c.page = 3
        c.confidence = 0.99
    low = report.cell("requests", "new", "natural_person")
    low.confidence = 0.42
    low.raw = "7"
    text_cell = report.cell("requests", "new", "total")
    text_cell.method, text_cell.confidence = "pdfplumber", 0.1  # only OCR cells are judged by confidence
    found = [f for f in validate(report, narrative=False) if f.rule == "ocr.low_confidence"]
    assert len(found) == 1
    f = found[0]
    assert f.severity == "warning" and (f.table, f.row, f.column) == ("requests", "new", "natural_person")
    assert '"7"' in f.message and "0.42" in f.message and "第 3 页" in f.message and f.page == 3
    assert '"7"' in f.message_en and "0.42" in f.message_en
    assert f.cells[0]["raw"] == "7"


def test_threshold_flags_uncertain_cells_of_a_scan(mixed_report):
    low = [c for c in mixed_report.cells if c.confidence < OCR_MIN_CONFIDENCE]
    warned = {(f.table, f.row, f.column) for f in validate(mixed_report) if f.rule == "ocr.low_confidence"}
    assert warned == {(c.table, c.row, c.column) for c in low}


# ------------------------------------------------------------------ offline
def test_ocr_needs_no_network(monkeypatch):
    """A fresh engine loads its models from the wheel and reads a line with every connection refused."""

    def refuse(*args, **kwargs):
        raise OSError("network unreachable (test)")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(ocr_source, "_ENGINE", None)
    import cv2

    img = np.full((60, 220), 230, dtype=np.uint8)
    cv2.putText(img, "2024", (20, 45), cv2.FONT_HERSHEY_SIMPLEX, 1.4, 0, 3)
    (text, score), = ocr_source.recognise([img])
    assert text == "2024" and score > 0.5
    import rapidocr_onnxruntime  # the models are files inside the installed wheel

    assert (Path(rapidocr_onnxruntime.__file__).parent / "models" / "ch_PP-OCRv4_rec_infer.onnx").is_file()
