"""nianbao's extractor: a report file → a Report of canonical frames with provenance."""

from __future__ import annotations

import hashlib
import os

from extractor.errors import ReportError
from schemas.report import Report

__all__ = ["extract", "ReportError", "Report", "load_dataset"]
__version__ = "0.1.0"


def file_sha256(path: str) -> str:
    """The SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def extract(path: str, password: str | None = None) -> Report:
    """Read one report file (PDF) into a Report; raise ReportError with a one-line reason if it cannot."""
    from extractor.pdf_source import check_pdf_file, grids_from_pdf, text_pass
    from extractor.report_builder import build_report

    path = os.fspath(path)
    check_pdf_file(path)
    text = text_pass(path, password=password)
    pages = sorted({p for ps in text.table_pages.values() for p in ps})
    if not pages:
        raise ReportError(path, "no statutory tables found: not a 政府信息公开工作年度报告, or a scanned one",
                          status="not_a_report")
    grids = grids_from_pdf(path, pages, password=password, second_method_pages=text.signal_pages)
    report = build_report(grids, text.pages, file=os.path.basename(path), sha256=file_sha256(path), source="pdf")
    if not report.cells:
        raise ReportError(path, "the statutory tables could not be read from its pages", status="not_a_report")
    return report


def load_dataset(db: str = "nianbao.duckdb"):
    """The stored dataset as pandas frames (reports, long, wide, findings, codebook): see extractor.store."""
    from extractor.store import load_dataset as _load

    return _load(db)
