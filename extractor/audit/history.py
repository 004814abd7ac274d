"""The history rules across one audit batch: the same body in consecutive years, or twice in one year.

Runs in the parent after the workers (each worker sees one file): `history.carry_over`
(schemas.history) and `history.copied_text`, `history.repeated_tables`,
`history.changed_after_publication` (schemas.supervision), comparing the batch's reports with one
another. The workers keep each report's narrative parts (Report.sections) for this, not its pages.
A file gets its history findings appended (no picture: the image slot is None) and becomes
status `findings`; a duplicate (same SHA-256) is audited once and compared once.
"""

from __future__ import annotations

from extractor.audit.model import FileResult
from schemas import history, supervision


def add_history_findings(results: list[FileResult]) -> int:
    """Append the batch's history findings to the results they belong to; returns how many."""
    audited = [r for r in results if r.audited and r.report is not None and r.status in ("ok", "findings")]
    reports = [r.report for r in audited]
    by_sha = history.by_report(history.carry_over(reports))
    for sha, fs in supervision.history_findings(reports).items():
        by_sha.setdefault(sha, []).extend(fs)
    n = 0
    for r in audited:
        fs = by_sha.get(r.report.sha256 or "", [])
        if not fs:
            continue
        r.images = list(r.images) + [None] * (len(r.findings) - len(r.images))
        r.findings = list(r.findings) + fs
        r.images += [None] * len(fs)
        r.status = "findings"
        n += len(fs)
    return n
