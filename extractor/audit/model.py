"""The batch's plain data: one `FileResult` per input file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from schemas.report import Finding, Report

# ok: read, no finding · findings: read, at least one finding · unreadable: not a readable report
# timeout: over the time limit · too_large: over the memory limit · crashed: the worker died or raised ·
# duplicate is never a status: a duplicate carries its original's status and names it in `duplicate_of`.
STATUSES = ("ok", "findings", "unreadable", "timeout", "too_large", "crashed", "interrupted")
FAILED = ("unreadable", "timeout", "too_large", "crashed", "interrupted")

STATUS_ZH = {"ok": "通过", "findings": "发现问题", "unreadable": "无法读取", "timeout": "超时", "too_large": "超出内存限制",
             "crashed": "处理崩溃", "interrupted": "未完成"}


@dataclass
class FileResult:
    """What the audit knows about one input file."""

    path: str  # as shown in every output (the path as given, normalised)
    size: Optional[int] = None
    sha256: Optional[str] = None
    status: str = "unreadable"
    reason: str = ""
    duplicate_of: Optional[str] = None  # path of the first file with the same content
    report: Optional[Report] = None
    findings: list[Finding] = field(default_factory=list)
    images: list[Optional[bytes]] = field(default_factory=list)  # PNG per finding (aligned), None if none
    seconds: float = 0.0
    detail: str = ""  # a traceback, for crashed files (kept out of the deterministic outputs)

    @property
    def audited(self) -> bool:
        return self.duplicate_of is None

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def count_family(self, family: str) -> int:
        """Findings of one rule family: arithmetic, completeness, timeliness, history (schemas.supervision.family)."""
        from schemas.supervision import family as family_of

        return sum(1 for f in self.findings if family_of(f.rule) == family)

    @property
    def issuer(self) -> Optional[str]:
        return self.report.issuer if self.report else None

    @property
    def year(self) -> Optional[int]:
        return self.report.year if self.report else None
