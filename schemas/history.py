"""Checks across years for the same issuing body: `history.carry_over`.

Pure: Reports in, Findings out (schemas.report.Finding). No file or database I/O; the store
(extractor/store.py) fetches last year's reports and hands them in as `prior`.

What counts as the same issuing body (see docs/dataset.md): two issuer names are the same
body when `normalise_issuer` gives the same string, i.e. after
  * NFKC (full-width letters, digits and brackets → plain; Kangxi-radical code points → the
    ordinary character) and a few CJK-radical-supplement forms mapped,
  * dropping all whitespace (ASCII, U+00A0, U+3000) and the punctuation · • ・ . and quotes,
  * （）→ (), and
  * the variants 人民政府 / 政府 treated as one (every 人民政府 becomes 政府).
Nothing else is merged: 江桥镇人民政府 and 临川县江桥镇人民政府 (with and without the county
prefix) are different names, because short names repeat across the country (和平区, 新华街道);
bodies renamed or merged in 机构改革 are different bodies too.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Optional

from schemas.report import Finding, Report, json_number
from schemas.vocabulary import REQUESTS_COLUMNS

RULE = "history.carry_over"
SEVERITY = "warning"

_RADICALS = str.maketrans({
    "\u2e8e": "兀", "\u2ea0": "民", "\u2ec5": "见", "\u2ed8": "青", "\u2ee2": "页",
    "\u2ecb": "车", "\u2ec4": "西", "\u2ea7": "牛", "\u2eb3": "网", "\u2ebc": "肉",
})
_DROP = re.compile(r"[\s\u00a0\u3000·•・.\"'“”‘’《》<>]+")

# ------------------------------------------------------------------ names
LEVELS = ("省", "市", "县", "区", "乡", "镇", "街道", "部门")
_GOV_LEVEL = (  # suffix of the name before 政府 → level
    ("街道办事处", "街道"), ("街道", "街道"), ("自治区", "省"), ("省", "省"), ("自治州", "市"), ("州", "市"),
    ("盟", "市"), ("地区", "市"), ("市", "市"), ("自治县", "县"), ("自治旗", "县"), ("县", "县"), ("旗", "县"),
    ("区", "区"), ("民族乡", "乡"), ("乡", "乡"), ("镇", "镇"),
)
_DEPARTMENT = re.compile(r"(局|委员会|委|办公室|办|厅|中心|院|署|所|站|队|处|部|会|管理局|支队)$")


def normalise_issuer(name: Optional[str]) -> str:
    """The comparable form of an issuing body's name ('' for None): see the module docstring."""
    if not name:
        return ""
    s = unicodedata.normalize("NFKC", name.translate(_RADICALS))
    s = _DROP.sub("", s).replace("（", "(").replace("）", ")")
    return s.replace("人民政府", "政府")


def level_of(name: Optional[str]) -> Optional[str]:
    """Administrative level where the name says it: 省/市/县/区/乡/镇/街道/部门, else None.

    A government (…政府) takes the level of the unit before 政府 (长宁县人民政府 → 县); a street
    office (…街道办事处, …街道) is 街道 even under a 区 government; a name ending in 乡/镇 is that
    level; a name ending in an office word (局, 委员会, 办公室, 中心, …) is a department (部门),
    including 县人民政府办公室.
    """
    n = normalise_issuer(name)
    if not n:
        return None
    if n.endswith(("街道办事处", "街道办")):
        return "街道"
    if n.endswith("政府"):
        base = n[: -len("政府")]
        for suffix, level in _GOV_LEVEL:
            if base.endswith(suffix):
                return level
        return None
    for suffix, level in (("街道", "街道"), ("乡", "乡"), ("镇", "镇")):
        if n.endswith(suffix):
            return level
    if _DEPARTMENT.search(n):
        return "部门"
    return None


# ------------------------------------------------------------------ the rule
MESSAGE_ZH = ("表三第二项\"上年结转政府信息公开申请数量\"行\"{col}\"列为 {found}(本年报告 {file},第 {page} 页),"
              "但上年({prior_year} 年)报告 {prior_file} 第 {prior_page} 页第四项\"结转下年度继续办理\"行同列为 "
              "{expected},相差 {diff};请核实(机构改革、报告更正时可能合理)")
MESSAGE_EN = ("requests/carried_over/{column} is {found} ({file}, page {page}), but last year's report "
              "{prior_file} ({prior_year}) prints requests/carried_forward/{column} = {expected} on page "
              "{prior_page} (difference {diff}); legitimate after restructuring or a correction")


def _num(v) -> str:
    v = json_number(v)
    return "—" if v is None else str(v)


def _cell_dict(report: Report, row: str, column: str) -> dict:
    c = report.cell("requests", row, column)
    d = {"table": "requests", "row": row, "column": column, "value": None, "raw": "", "page": None, "bbox": None}
    if c is not None:
        d.update(value=json_number(c.value), raw=c.raw, page=c.page,
                 bbox=[round(v, 2) for v in c.bbox] if c.bbox else None)
    d.update(file=report.file, sha256=report.sha256, year=report.year)
    return d


def comparable(report: Report) -> bool:
    """Whether a report can take part: issuer and year known."""
    return bool(normalise_issuer(report.issuer)) and report.year is not None



def reports_by_body(reports: Iterable[Report], prior: Iterable[Report] = ()) -> dict:
    """(normalised issuer, year) → the comparable reports among both inputs, each sha256 once."""
    pool: dict = {}
    for r in list(prior) + list(reports):
        pool[r.sha256 or id(r)] = r
    by_body: dict = {}
    for r in pool.values():
        if comparable(r):
            by_body.setdefault((normalise_issuer(r.issuer), r.year), []).append(r)
    return by_body

def carry_over_pair(this: Report, last: Report) -> list[Finding]:
    """`history.carry_over` between one report and the same body's report of the year before.

    Compares `requests/carried_over` (this) with `requests/carried_forward` (last), column by
    column; a column missing or blank on either side is not compared. Only `requests` is
    compared, so the 2019/2021 `active` tables (fee items vs money) never meet. No finding
    when the years are not consecutive, the bodies differ, or `this` is a 2019 report (the
    first year of the 2019 template: its 上年结转 row has no prior in this format).
    """
    if not (comparable(this) and comparable(last)):
        return []
    if normalise_issuer(this.issuer) != normalise_issuer(last.issuer) or this.year != last.year + 1:
        return []
    if this.year <= 2019:
        return []
    out = []
    for column in REQUESTS_COLUMNS:
        now = this.cell("requests", "carried_over", column)
        before = last.cell("requests", "carried_forward", column)
        if now is None or before is None or now.value is None or before.value is None:
            continue
        if abs(float(now.value) - float(before.value)) < 1e-9:
            continue
        fields = dict(col=REQUESTS_COLUMNS[column], column=column, found=_num(now.value), expected=_num(before.value),
                      diff=_num(abs(float(now.value) - float(before.value))), file=this.file,
                      page=now.page if now.page is not None else "?", prior_file=last.file, prior_year=last.year,
                      prior_page=before.page if before.page is not None else "?")
        out.append(Finding(
            rule=RULE, severity=SEVERITY, table="requests", row="carried_over", column=column,
            expected=float(before.value), found=float(now.value),
            message=MESSAGE_ZH.format(**fields), message_en=MESSAGE_EN.format(**fields),
            cells=[_cell_dict(this, "carried_over", column), _cell_dict(last, "carried_forward", column)],
            file=this.file, page=now.page))
    return out


def carry_over(reports: Iterable[Report], prior: Iterable[Report] = ()) -> list[Finding]:
    """`history.carry_over` for every report of `reports` as the later year.

    Its last-year report is looked for among `reports` themselves (one batch) and `prior`
    (for example the reports already in the store). A report present in both (same sha256)
    counts once. Each finding's `file` is the later report's, `cells[0]` is its
    carried_over cell and `cells[1]` last year's carried_forward cell, each with `file`,
    `sha256` and `year`.
    """
    reports = list(reports)
    by_body = reports_by_body(reports, prior)
    out: list[Finding] = []
    for r in reports:
        if not comparable(r):
            continue
        for last in by_body.get((normalise_issuer(r.issuer), r.year - 1), []):
            out += carry_over_pair(r, last)
    return out


def by_report(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    """History findings grouped by the sha256 of the report they belong to (the later year)."""
    out: dict[str, list[Finding]] = {}
    for f in findings:
        key = f.cells[0].get("sha256", "") if f.cells else ""
        out.setdefault(key, []).append(f)
    return out
