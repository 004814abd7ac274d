"""The audit and the DuckDB store (extractor.store): history findings before the writers, every report stored.

Only the parent process opens the store (DuckDB has one writer); the workers never see it.
`store.history_findings(reports)` is the one place the cross-year rules are asked for (carry-over
and the rules schemas.supervision adds behind it): within the batch and against the reports the
store already holds from earlier audits.
"""

from __future__ import annotations

import dataclasses
import os
from typing import Optional

from extractor.audit.model import FileResult
from extractor.audit.safe import printable

DB_NAME = "nianbao.duckdb"
TRANSIENT = ("timeout", "too_large", "crashed")  # failures that say nothing lasting about the file


def default_db(out_dir: str) -> str:
    return os.path.join(out_dir, DB_NAME)


def open_for_audit(path: str, warn=lambda message: None):
    """The store at `path`, or an in-memory one (with a warning) when that file cannot be opened
    (held by another process, not a DuckDB file, no permission): the audit goes on either way."""
    from extractor.store import open_store

    try:
        return open_store(path)
    except Exception as exc:  # duckdb.IOException (lock), duckdb.Error (not a database), OSError
        warn(f"cannot open the store {path} ({type(exc).__name__}: {str(exc).splitlines()[0][:200]}); "
             f"this audit is not stored, and its history rules compare the batch only")
        return open_store(":memory:")


def readable(r: FileResult) -> bool:
    return r.audited and r.report is not None and r.status in ("ok", "findings")


def add_history_findings(results: list[FileResult], store) -> int:
    """Append each report's history findings (batch + store) to its result; returns how many.

    A result with history findings becomes status `findings`; its image slots get None (the
    finding names another file's page)."""
    audited = [r for r in results if readable(r)]
    if not audited:
        return 0
    by_sha = store.history_findings([r.report for r in audited])
    n = 0
    for r in audited:
        fs = by_sha.get(r.report.sha256 or "", [])
        if not fs:
            continue
        r.images = list(r.images) + [None] * (len(r.findings) - len(r.images))
        r.findings = list(r.findings) + list(fs)
        r.images += [None] * len(fs)
        r.status = "findings"
        n += len(fs)
    return n


def save(results: list[FileResult], store, warn=lambda message: None) -> int:
    """Store every audited file once per content hash: readable reports with all their findings, the
    others as failures (a timeout or a memory limit does not replace a report stored before).

    File names are stored as the outputs show them (undecodable bytes as U+FFFD). A file that cannot
    be stored is named in a warning; the others are stored all the same."""
    n = 0
    for r in results:
        if not r.audited or not r.sha256 or r.status == "interrupted":
            continue
        try:
            if readable(r):
                report = dataclasses.replace(r.report, file=printable(r.report.file or ""),
                                             sha256=r.report.sha256 or r.sha256)
                findings = [dataclasses.replace(f, file=printable(f.file)) if f.file else f for f in r.findings]
                store.add(report, findings, status="ok")
            elif r.status in TRANSIENT and store.has(r.sha256):
                continue
            else:
                store.add_failure(printable(r.path), r.sha256, r.status, r.reason)
        except Exception as exc:
            warn(f"{printable(r.path)} could not be stored: {type(exc).__name__}: {exc}")
            continue
        n += 1
    return n


def close(store: Optional[object]) -> None:
    if store is not None:
        try:
            store.close()
        except Exception:
            pass
