"""nianbao's extractor: a report file → a Report of canonical frames with provenance."""

from __future__ import annotations

import hashlib
import logging
import os

from extractor.errors import ReportError
from schemas.report import Report

__all__ = ["extract", "ReportError", "Report", "load_dataset"]
__version__ = "0.1.0"
log = logging.getLogger(__name__)


def file_sha256(path: str) -> str:
    """The SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sniff(path: str) -> str:
    """The input kind of a file from its first bytes and extension: pdf, docx, legacy, html, or ''."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    ext = os.path.splitext(path)[1].lower()
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        import zipfile

        try:
            with zipfile.ZipFile(path) as zf:
                return "docx" if "word/document.xml" in zf.namelist() else ""
        except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError):
            return ""  # a damaged archive (bad directory, unsupported zip version, …): not a readable DOCX
    if head.startswith(b"\xd0\xcf\x11\xe0") or ext in (".doc", ".wps"):
        return "legacy"
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if ext in (".html", ".htm", ".shtml", ".xhtml") or lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) \
            or any(tag in lowered for tag in (b"<html", b"<head", b"<body", b"<table", b"<meta")):
        return "html"
    return "pdf" if ext == ".pdf" else ""


def extract(path: str, password: str | None = None) -> Report:
    """Read one report file (PDF, HTML, DOCX) into a Report; raise ReportError with a one-line reason if it cannot."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise ReportError(path, "file not found")
    if os.path.isdir(path):
        raise ReportError(path, "is a directory, not a file")
    if os.path.getsize(path) == 0:
        raise ReportError(path, "empty file (0 bytes)")
    kind = sniff(path)
    if kind in ("html", "docx", "legacy"):
        return _extract_document(path, kind)
    if kind != "pdf":
        raise ReportError(path, "not a PDF, HTML or DOCX file (unrecognised content)", status="unsupported")
    return _extract_pdf(path, password)


def _extract_document(path: str, kind: str) -> Report:
    """An HTML page or a Word file: its tables are already grids, its paragraphs the narrative."""
    from extractor.report_builder import build_report

    if kind == "html":
        from extractor.html_source import read_html
        doc = read_html(path)
    else:
        from extractor.docx_source import read_docx, read_legacy
        doc = read_docx(path) if kind == "docx" else read_legacy(path)
    _refuse_old_template(path, [g.text() for g in doc.grids] + doc.pages)
    if not doc.grids:
        raise ReportError(path, "no statutory tables found: not a 政府信息公开工作年度报告", status="not_a_report")
    report = build_report(doc.grids, doc.pages, file=os.path.basename(path), sha256=file_sha256(path),
                          source="html" if kind == "html" else "docx")
    if not report.cells:
        raise ReportError(path, "the statutory tables could not be read from its tables", status="not_a_report")
    return report


def _refuse_old_template(path: str, texts: list[str]) -> None:
    """A report in the pre-2019 indicator layout (国办发〔2014〕32号) is refused in one line."""
    from extractor.mapping import is_pre_2019

    if is_pre_2019(texts):
        raise ReportError(path, "unsupported template: a pre-2019 report (国办发〔2014〕32号 indicator list); "
                                "only the 2019 and 2021 templates are read", status="unsupported")


def _extract_pdf(path: str, password: str | None) -> Report:
    """A PDF: a text pass over every page, then grids from the table pages only."""
    from extractor.pdf_source import check_pdf_file, table_grids, text_pass
    from extractor.report_builder import build_report

    check_pdf_file(path)
    text = text_pass(path, password=password)
    scanned = _read_scanned_pages(path, text, password)
    pages = sorted({p for ps in text.table_pages.values() for p in ps})
    if not pages:
        _refuse_old_template(path, text.pages)
        raise ReportError(path, "no statutory tables found: not a 政府信息公开工作年度报告, or a scanned one",
                          status="not_a_report")
    grids = table_grids(path, text, password=password)
    if scanned:
        grids = sorted(grids + [g for page in scanned for g in page.grids], key=lambda g: ((g.page or 0), g.index))
    report = build_report(grids, text.pages, file=os.path.basename(path), sha256=file_sha256(path), source="pdf")
    if not report.cells:
        _refuse_old_template(path, text.pages)
        raise ReportError(path, "the statutory tables could not be read from its pages", status="not_a_report")
    return report


def _read_scanned_pages(path: str, text, password: str | None) -> list:
    """OCR the pages without a usable text layer (scans); their text joins the text pass, in place.

    Returns the ScannedPages (grids with method "ocr"); [] when every page has text.
    """
    from extractor.ocr_source import image_pages, read_scanned
    from extractor.pdf_source import locate_tables, signal_hits

    numbers = image_pages(path, text.pages, password)
    if not numbers:
        return []
    scanned = read_scanned(path, numbers, password=password)
    for page in scanned:
        text.pages[page.number - 1] = page.text
    hits = signal_hits(text.pages)
    text.table_pages = locate_tables(hits, len(text.pages))
    ocr_signal = {p for ps in hits.values() for p in ps} & set(numbers)
    log.debug("OCR read pages %s (table pages among them: %s)", numbers, sorted(ocr_signal))
    return scanned


def load_dataset(db: str = "nianbao.duckdb"):
    """The stored dataset as pandas frames (reports, long, wide, findings, codebook): see extractor.store."""
    from extractor.store import load_dataset as _load

    return _load(db)
