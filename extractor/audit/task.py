"""Audit one file, inside a worker process: extract → validate → page images. Never raises."""

from __future__ import annotations

import time
import traceback

from extractor.audit.model import FileResult


def validate_report(report) -> list:
    """schemas.validate.validate, without the narrative pass if that module is not there yet."""
    from schemas.validate import validate

    try:
        return validate(report)
    except ModuleNotFoundError as exc:
        if "narrative" not in str(exc):
            raise
        return validate(report, narrative=False)


def audit_file(path: str, password: str | None = None) -> FileResult:
    """The FileResult of one file: status, reason, report, findings, one image per finding."""
    from extractor import extract
    from extractor.errors import ReportError

    started = time.monotonic()
    result = FileResult(path=path)
    try:
        report = extract(path, password=password)
    except ReportError as exc:
        result.status = "unreadable"
        result.reason = exc.reason if exc.status in ("unreadable", "encrypted") else f"{exc.status}: {exc.reason}"
        result.seconds = time.monotonic() - started
        return result
    except MemoryError:  # the worker's address-space limit (batch.limit_memory): the batch names the limit
        result.status, result.reason = "too_large", "out of memory while reading"
        result.seconds = time.monotonic() - started
        return result
    except RecursionError:  # objects nested deeper than any report needs
        result.status, result.reason = "unreadable", "damaged PDF (objects nested too deeply to read)"
        result.seconds = time.monotonic() - started
        return result
    except Exception as exc:  # an extractor bug must cost one file, not the batch
        if _out_of_memory(exc):  # a native library (onnxruntime, OpenCV) whose allocation failed
            result.status, result.reason = "too_large", f"out of memory while reading ({_one_line(exc)[:120]})"
            result.seconds = time.monotonic() - started
            return result
        result.status = "crashed"
        result.reason = f"extractor error: {_one_line(exc)}"
        result.detail = traceback.format_exc()
        result.seconds = time.monotonic() - started
        return result
    try:
        findings = validate_report(report)
    except Exception as exc:
        result.status = "crashed"
        result.reason = f"validation error: {_one_line(exc)}"
        result.detail = traceback.format_exc()
        result.seconds = time.monotonic() - started
        return result
    try:  # the narrative parts go back with the report, for the batch's history rules
        from schemas.supervision import sections
        report.sections = [{k: s[k] for k in ("number", "heading", "page", "text")} for s in sections(report)]
    except Exception:
        report.sections = []
    report.pages = []  # the page text stays in the worker: the writers do not need it
    result.report = report
    result.findings = findings
    result.status = "findings" if findings else "ok"
    images: list = [None] * len(findings)
    if findings and report.source == "pdf":
        try:
            images = crop_images(path, findings, password, report)
        except Exception:  # no picture is not a reason to lose the findings
            images = [None] * len(findings)
    result.images = images
    result.seconds = time.monotonic() - started
    return result


def crop_images(path, findings, password=None, report=None):
    from extractor.audit.crops import crop_findings

    return crop_findings(path, findings, password=password, report=report)


_MEMORY_WORDS = ("bad_alloc", "failed to allocate", "cannot allocate memory", "out of memory", "insufficient memory")


def _out_of_memory(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(w in text for w in _MEMORY_WORDS)


def _one_line(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".replace("\n", " ")
    return text[:300]
