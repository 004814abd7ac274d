"""The embedded DuckDB store: every audited report once per content hash, its cells, its findings.

    from extractor.store import open_store, load_dataset
    with open_store("nianbao.duckdb") as store:
        history = store.history_findings(reports)      # history.carry_over within the batch + vs the store
        for r in reports:
            store.add(r, validate(r) + history.get(r.sha256, []), status="ok")
    frames = load_dataset("nianbao.duckdb")             # {"reports", "long", "wide", "findings", "codebook"}

Tables (column names and types in docs/dataset.md):
  reports   one row per sha256: file, issuer as printed and normalised, level, year, template, …
  cells     long form: sha256, table, row, column, value, raw, kind, page, x0/top/x1/bottom, method, …
  findings  sha256, seq, rule, severity, table, row, column, expected, found, page, messages, …
  sections  sha256, number, heading, page, text: the narrative parts 一 … 六 (schemas.supervision.sections),
            kept for the history rules that compare text across files (copied_text, changed_after_publication)

`add` replaces everything stored for that sha256 in one transaction, so adding the same file
twice leaves one report. Reports that could not be read can be recorded with `add_failure`.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
from typing import Iterable, Optional

import pandas as pd

from schemas import history, supervision
from schemas.report import Cell, Finding, Report
from schemas.vocabulary import (
    ACTIVE_ROWS_2019,
    ACTIVE_ROWS_2021,
    REQUESTS_COLUMNS,
    REQUESTS_ROWS_2021,
    REVIEWS_COLUMNS,
    REVIEWS_ROW,
    OTHER_COMBINED,
    TABLE_TITLES,
    column_label,
    is_decimal,
    row_label,
)

DEFAULT_DB = "nianbao.duckdb"
SCHEMA_VERSION = 1

REPORT_COLUMNS = ["sha256", "file", "issuer", "issuer_norm", "level", "year", "template", "source", "title",
                  "tool_version", "status", "status_reason", "n_cells", "n_errors", "n_warnings", "n_info",
                  "added_at"]
CELL_COLUMNS = ["sha256", "table", "row", "column", "value", "raw", "kind", "page", "x0", "top", "x1", "bottom",
                "method", "mapped_by", "confidence", "locator"]
SECTION_COLUMNS = ["sha256", "number", "heading", "page", "text"]
FINDING_COLUMNS = ["sha256", "seq", "rule", "severity", "table", "row", "column", "expected", "found", "page",
                   "file", "message", "message_en", "root", "quote", "cells_json"]

_DDL = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS reports (
    sha256 VARCHAR PRIMARY KEY, file VARCHAR, issuer VARCHAR, issuer_norm VARCHAR, level VARCHAR,
    year INTEGER, template VARCHAR, source VARCHAR, title VARCHAR, tool_version VARCHAR,
    status VARCHAR, status_reason VARCHAR, n_cells INTEGER, n_errors INTEGER, n_warnings INTEGER,
    n_info INTEGER, added_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS cells (
    sha256 VARCHAR, "table" VARCHAR, "row" VARCHAR, "column" VARCHAR, value DOUBLE, raw VARCHAR,
    kind VARCHAR, page INTEGER, x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE, method VARCHAR,
    mapped_by VARCHAR, confidence DOUBLE, locator VARCHAR);
CREATE TABLE IF NOT EXISTS findings (
    sha256 VARCHAR, seq INTEGER, rule VARCHAR, severity VARCHAR, "table" VARCHAR, "row" VARCHAR,
    "column" VARCHAR, expected DOUBLE, found DOUBLE, page INTEGER, file VARCHAR, message VARCHAR,
    message_en VARCHAR, root BOOLEAN, quote VARCHAR, cells_json VARCHAR);
CREATE TABLE IF NOT EXISTS sections (
    sha256 VARCHAR, number INTEGER, heading VARCHAR, page INTEGER, text VARCHAR);
CREATE INDEX IF NOT EXISTS cells_sha ON cells (sha256);
CREATE INDEX IF NOT EXISTS findings_sha ON findings (sha256);
"""


def _tool_version() -> str:
    from extractor import __version__
    return __version__


def _nan_none(v):
    if v is None:
        return None
    try:
        if isinstance(v, float) and math.isnan(v):
            return None
    except TypeError:
        pass
    return v


# ------------------------------------------------------------------ rows
def report_row(report: Report, status: str = "ok", findings: Iterable[Finding] = (), reason: str = "") -> dict:
    """The `reports` row of a Report."""
    findings = list(findings)
    sev = [f.severity for f in findings]
    return {
        "sha256": report.sha256, "file": report.file, "issuer": report.issuer,
        "issuer_norm": history.normalise_issuer(report.issuer) or None, "level": history.level_of(report.issuer),
        "year": report.year, "template": report.template, "source": report.source, "title": report.title or None,
        "tool_version": _tool_version(), "status": status, "status_reason": reason or None,
        "n_cells": len(report.cells), "n_errors": sev.count("error"), "n_warnings": sev.count("warning"),
        "n_info": sev.count("info"), "added_at": _dt.datetime.now().replace(microsecond=0),
    }


def cell_rows(report: Report) -> list[dict]:
    """The `cells` rows (long form) of a Report."""
    out = []
    for c in report.cells:
        box = c.bbox or (None, None, None, None)
        out.append({"sha256": report.sha256, "table": c.table, "row": c.row, "column": c.column,
                    "value": None if c.value is None else float(c.value), "raw": c.raw, "kind": c.kind,
                    "page": c.page, "x0": box[0], "top": box[1], "x1": box[2], "bottom": box[3],
                    "method": c.method, "mapped_by": c.mapped_by, "confidence": c.confidence,
                    "locator": c.locator or None})
    return out


def section_rows(report: Report) -> list[dict]:
    """The `sections` rows of a Report: its narrative parts as found in its text (none without text)."""
    return [{"sha256": report.sha256, "number": int(sec["number"]), "heading": sec.get("heading"),
             "page": sec.get("page"), "text": sec.get("text") or ""} for sec in supervision.sections(report)]


def finding_rows(sha256: str, findings: Iterable[Finding]) -> list[dict]:
    """The `findings` rows of one report's findings; page from the finding or its first cell."""
    out = []
    for i, f in enumerate(findings):
        page = f.page
        if page is None:
            page = next((c.get("page") for c in f.cells if c.get("page") is not None), None)
        out.append({"sha256": sha256, "seq": i, "rule": f.rule, "severity": f.severity, "table": f.table,
                    "row": f.row, "column": f.column,
                    "expected": None if f.expected is None else float(f.expected),
                    "found": None if f.found is None else float(f.found), "page": page, "file": f.file,
                    "message": f.message, "message_en": f.message_en, "root": bool(f.root), "quote": f.quote or None,
                    "cells_json": json.dumps(f.cells, ensure_ascii=False, default=str)})
    return out


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame({c: [] for c in columns})


# ------------------------------------------------------------------ the store
class Store:
    """A DuckDB file holding reports, cells and findings. Use `open_store(path)`."""

    def __init__(self, path: str, read_only: bool = False):
        import duckdb

        self.path = os.fspath(path)
        self.con = duckdb.connect(self.path, read_only=read_only)
        if not read_only:
            self.con.execute(_DDL)
            self.con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])

    # context manager
    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    # -------------------------------------------------------------- writing
    def add(self, report: Report, findings: Iterable[Finding] = (), status: str = "ok", reason: str = "") -> None:
        """Store one report with its cells and findings, replacing whatever that sha256 had (idempotent)."""
        if not report.sha256:
            raise ValueError(f"{report.file}: a report needs its sha256 to be stored")
        findings = list(findings)
        self._replace(report.sha256, [report_row(report, status, findings, reason)], cell_rows(report),
                      finding_rows(report.sha256, findings), section_rows(report))

    def add_failure(self, file: str, sha256: str, status: str, reason: str = "") -> None:
        """Record a file that could not be read (status e.g. unreadable, not_a_report, encrypted)."""
        row = {c: None for c in REPORT_COLUMNS}
        row.update(sha256=sha256, file=os.path.basename(file), status=status, status_reason=reason or None,
                   tool_version=_tool_version(), n_cells=0, n_errors=0, n_warnings=0, n_info=0,
                   added_at=_dt.datetime.now().replace(microsecond=0))
        self._replace(sha256, [row], [], [])

    def add_findings(self, sha256: str, findings: Iterable[Finding], replace_rule: Optional[str] = None) -> None:
        """Append findings to a stored report (first deleting its findings of `replace_rule`, if given)."""
        findings = list(findings)
        self.con.execute("BEGIN TRANSACTION")
        try:
            if replace_rule:
                self.con.execute("DELETE FROM findings WHERE sha256 = ? AND rule = ?", [sha256, replace_rule])
            start = self.con.execute("SELECT coalesce(max(seq) + 1, 0) FROM findings WHERE sha256 = ?",
                                     [sha256]).fetchall()[0][0]
            rows = finding_rows(sha256, findings)
            for r in rows:
                r["seq"] += start
            self._insert("findings", _frame(rows, FINDING_COLUMNS))
            self._recount(sha256)
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise

    def _replace(self, sha256: str, reports: list[dict], cells: list[dict], findings: list[dict],
                 sections: list[dict] = ()) -> None:
        self.con.execute("BEGIN TRANSACTION")
        try:
            for table in ("findings", "cells", "sections", "reports"):
                self.con.execute(f"DELETE FROM {table} WHERE sha256 = ?", [sha256])
            self._insert("reports", _frame(reports, REPORT_COLUMNS))
            self._insert("cells", _frame(cells, CELL_COLUMNS))
            self._insert("findings", _frame(findings, FINDING_COLUMNS))
            self._insert("sections", _frame(list(sections), SECTION_COLUMNS))
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise

    def _insert(self, table: str, frame: pd.DataFrame) -> None:
        if frame.empty:
            return
        self.con.register("_incoming", frame)
        try:
            cols = ", ".join(f'"{c}"' for c in frame.columns)
            self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _incoming")
        finally:
            self.con.unregister("_incoming")

    def _recount(self, sha256: str) -> None:
        self.con.execute("""
            UPDATE reports SET
              n_errors = (SELECT count(*) FROM findings f WHERE f.sha256 = reports.sha256 AND severity = 'error'),
              n_warnings = (SELECT count(*) FROM findings f WHERE f.sha256 = reports.sha256 AND severity = 'warning'),
              n_info = (SELECT count(*) FROM findings f WHERE f.sha256 = reports.sha256 AND severity = 'info')
            WHERE sha256 = ?""", [sha256])

    # -------------------------------------------------------------- reading
    def count(self) -> int:
        """How many reports (content hashes) are stored."""
        return self.con.execute("SELECT count(*) FROM reports").fetchall()[0][0]

    def has(self, sha256: str) -> bool:
        """Whether a content hash is stored (for resuming a batch)."""
        return self.con.execute("SELECT count(*) FROM reports WHERE sha256 = ?", [sha256]).fetchall()[0][0] > 0

    def frame(self, table: str) -> pd.DataFrame:
        """One stored table as a DataFrame (reports, cells, findings or sections)."""
        if table not in ("reports", "cells", "findings", "sections"):
            raise KeyError(table)
        return self.con.execute(f"SELECT * FROM {table}").df()

    def reports_for(self, issuer_norm: str, years: Iterable[int], tables: tuple[str, ...] | None = None,
                    exclude: Iterable[str] = (), with_sections: bool = False) -> list[Report]:
        """Stored reports of one body (normalised name) and years, rebuilt as Reports (cells of `tables`;
        with_sections: also their narrative parts, as Report.sections)."""
        years = [int(y) for y in years]
        if not issuer_norm or not years:
            return []
        meta = self.con.execute(
            f"SELECT sha256, file, issuer, year, template, source FROM reports WHERE issuer_norm = ? "
            f"AND year IN ({', '.join('?' * len(years))}) AND status = 'ok'", [issuer_norm, *years]).df()
        meta = meta[~meta["sha256"].isin(list(exclude))]
        out = []
        for m in meta.itertuples():
            q = "SELECT * FROM cells WHERE sha256 = ?"
            args = [m.sha256]
            if tables:
                q += f' AND "table" IN ({", ".join("?" * len(tables))})'
                args += list(tables)
            cells = self.con.execute(q, args).df()
            rep = Report(file=m.file, sha256=m.sha256, issuer=m.issuer, year=int(m.year), template=m.template,
                         source=m.source, cells=[_cell_from_row(c) for c in cells.to_dict("records")])
            if with_sections:
                rep.sections = self.sections_of(m.sha256)
            out.append(rep)
        return out

    def sections_of(self, sha256: str) -> list[dict]:
        """The stored narrative parts of one report: [{number, heading, page, text}] in order."""
        rows = self.con.execute("SELECT number, heading, page, text FROM sections WHERE sha256 = ? ORDER BY number",
                                [sha256]).fetchall()
        return [{"number": int(n), "heading": h or "", "page": None if p is None else int(p), "text": t or ""}
                for n, h, p, t in rows]

    def supervision_priors(self, reports: Iterable[Report]) -> list[Report]:
        """Stored reports of the bodies of `reports` for last year and the same year (all cells, with sections)."""
        out, seen = [], set()
        for r in reports:
            if not history.comparable(r):
                continue
            key = (history.normalise_issuer(r.issuer), r.year)
            if key not in seen:
                seen.add(key)
                out += self.reports_for(key[0], [r.year - 1, r.year], with_sections=True)
        return out

    def prior_reports(self, reports: Iterable[Report]) -> list[Report]:
        """The stored last-year reports of the bodies of `reports` (requests cells only)."""
        out, seen = [], set()
        for r in reports:
            if not history.comparable(r):
                continue
            key = (history.normalise_issuer(r.issuer), r.year - 1)
            if key not in seen:
                seen.add(key)
                out += self.reports_for(key[0], [key[1]], tables=("requests",))
        return out

    def history_findings(self, reports: Iterable[Report]) -> dict[str, list[Finding]]:
        """The history rules for a batch, within it and against the store: {sha256: [Finding]}.

        `history.carry_over` (schemas.history) and `history.copied_text`, `history.repeated_tables`,
        `history.changed_after_publication` (schemas.supervision).
        """
        reports = list(reports)
        out = history.by_report(history.carry_over(reports, prior=self.prior_reports(reports)))
        for sha, fs in supervision.history_findings(reports, prior=self.supervision_priors(reports)).items():
            out.setdefault(sha, []).extend(fs)
        return out

    def refresh_history(self) -> int:
        """Recompute the history rules for every stored report (after adding last year's reports later).

        `history.carry_over` and the three history rules of schemas.supervision. Returns the number
        of history findings now stored.
        """
        meta = self.con.execute("SELECT DISTINCT issuer_norm FROM reports WHERE status = 'ok' "
                                "AND issuer_norm IS NOT NULL AND year IS NOT NULL").fetchall()
        rules = (history.RULE,) + supervision.HISTORY_RULES
        found: dict[str, dict[str, list[Finding]]] = {rule: {} for rule in rules}
        shas = [r[0] for r in self.con.execute("SELECT sha256 FROM reports WHERE status = 'ok'").fetchall()]
        for (body,) in meta:
            years = [y for (y,) in self.con.execute(
                "SELECT year FROM reports WHERE issuer_norm = ? AND year IS NOT NULL AND status = 'ok'",
                [body]).fetchall()]
            if len(years) < 2:  # one report of the body: nothing to compare
                continue
            reps = self.reports_for(body, sorted(set(years)), with_sections=True)
            by_sha: dict = history.by_report(history.carry_over(reps))
            for sha, fs in supervision.history_findings(reps).items():
                by_sha.setdefault(sha, []).extend(fs)
            for sha, fs in by_sha.items():
                for f in fs:
                    found[f.rule].setdefault(sha, []).append(f)
        for sha in shas:
            for rule in rules:
                self.add_findings(sha, found[rule].get(sha, []), replace_rule=rule)
        return sum(len(v) for by in found.values() for v in by.values())


def _cell_from_row(c: dict) -> Cell:
    box = tuple(c[k] for k in ("x0", "top", "x1", "bottom"))
    box = None if any(_nan_none(v) is None for v in box) else tuple(float(v) for v in box)
    page = _nan_none(c["page"])
    value = _nan_none(c["value"])
    return Cell(table=c["table"], row=c["row"], column=c["column"], value=None if value is None else float(value),
                raw=c["raw"] or "", kind=c["kind"], page=None if page is None else int(page), bbox=box,
                method=c["method"] or "", mapped_by=c["mapped_by"] or "", confidence=float(c["confidence"]),
                locator=_nan_none(c["locator"]) or "")


def open_store(path: str = DEFAULT_DB, read_only: bool = False) -> Store:
    """Open (creating if needed) the DuckDB store at `path`."""
    return Store(path, read_only=read_only)


# ------------------------------------------------------------------ the dataset
META_COLUMNS = ["sha256", "file", "issuer", "issuer_norm", "level", "year", "template", "status"]


def variable_name(template: str, table: str, row: str, column: str) -> str:
    """The wide-table column of a cell: `requests.new.total`; 2019-template `active` → `active2019.…`."""
    prefix = "active2019" if (table == "active" and template == "2019") else table
    return f"{prefix}.{row}.{column}"


def _unit(template: str, table: str, row: str, column: str) -> str:
    if table == "active" and column == "amount":
        return "万元" if template != "2019" else "as printed (see raw in the long table)"
    if table == "active" and column in ("items_last_year", "items_change"):
        return "项 (items)"
    if table == "active" and column == "projects":
        return "个 (projects)"
    return "件 (count)"


def cell_variables() -> list[dict]:
    """Every wide-table cell column in order, with its keys, labels, type and unit."""
    out = []

    def add(template, table, row, column):
        decimal = is_decimal(template, table, row, column)
        out.append({
            "variable": variable_name(template, table, row, column), "table": table, "row": row, "column": column,
            "template": "2019" if table == "active" and template == "2019" else ("2021" if table == "active" else "all"),
            "table_label": TABLE_TITLES[table], "row_label": row_label(template, table, row),
            "column_label": column_label(template, table, column),
            "type": "float64" if decimal else "Int64", "unit": _unit(template, table, row, column),
            "signed": table == "active" and column == "items_change",
        })

    for row, _, _, cols in ACTIVE_ROWS_2021:
        for col in cols:
            add("2021", "active", row, col)
    rows = [r for r, _, _ in REQUESTS_ROWS_2021]
    rows.insert(rows.index("total_processed"), OTHER_COMBINED[0])
    for row in rows:
        for col in REQUESTS_COLUMNS:
            add("2021", "requests", row, col)
    for col in REVIEWS_COLUMNS:
        add("2021", "reviews", REVIEWS_ROW, col)
    for row, _, _, cols in ACTIVE_ROWS_2019:
        for col in cols:
            add("2019", "active", row, col)
    return out


META_DOC = {
    "sha256": ("string", "SHA-256 of the report file's bytes: the report's identity", "报告文件的 SHA-256"),
    "file": ("string", "file name as audited", "文件名"),
    "issuer": ("string", "issuing body as printed in the title", "发文机关(标题所印)"),
    "issuer_norm": ("string", "issuing body normalised (how bodies are matched across years)", "发文机关(规范化)"),
    "level": ("string", "administrative level from the name: 省/市/县/区/乡/镇/街道/部门, empty if the name "
              "does not say", "行政层级"),
    "year": ("Int64", "report year (the year reported on, not the publication year)", "报告年度"),
    "template": ("string", "table layout: 2021 (国办公开办函〔2021〕30号) or 2019 (〔2019〕60号)", "表格模板"),
    "status": ("string", "ok, or why the file could not be read", "处理状态"),
    "n_errors": ("Int64", "findings of severity error", "错误数"),
    "n_warnings": ("Int64", "findings of severity warning", "警告数"),
    "n_info": ("Int64", "findings of severity info", "提示数"),
}


def codebook() -> pd.DataFrame:
    """One row per wide-table column: variable, table/row/column keys, Chinese labels, type, unit."""
    rows = [{"variable": k, "table": None, "row": None, "column": None, "template": "all",
             "table_label": None, "row_label": v[2], "column_label": None, "type": v[0], "unit": None,
             "signed": False, "description": v[1]}
            for k, v in META_DOC.items()]
    for v in cell_variables():
        v["description"] = (f"{v['table_label']} · {v['row_label']} · {v['column_label']}"
                            + (" (2019–2020 template)" if v["template"] == "2019" else ""))
        rows.append(v)
    return pd.DataFrame(rows)


def _wide(reports: pd.DataFrame, long: pd.DataFrame) -> pd.DataFrame:
    variables = cell_variables()
    names = [v["variable"] for v in variables]
    meta_cols = META_COLUMNS + ["n_errors", "n_warnings", "n_info"]
    base = reports[meta_cols].reset_index(drop=True)
    if long.empty:
        values = pd.DataFrame(index=base["sha256"], columns=names, dtype="float64")
    else:
        pivot = long.pivot_table(index="sha256", columns="variable", values="value", aggfunc="first", dropna=False)
        values = pivot.reindex(index=base["sha256"], columns=names).astype("float64")
    values = values.reset_index(drop=True)
    for v in variables:
        col = values[v["variable"]]
        if v["type"] == "Int64":
            whole = col.dropna()
            if (whole == whole.round()).all():
                values[v["variable"]] = col.round().astype("Int64")
    return pd.concat([base, values], axis=1)


def _typed(frame: pd.DataFrame, ints=(), floats=(), bools=(), keep=()) -> pd.DataFrame:
    """Stable column types whatever the content: Int64, float64, bool, the rest nullable strings."""
    frame = frame.copy()
    for c in frame.columns:
        if c in keep:
            continue
        if c in ints:
            frame[c] = frame[c].astype("float64").round().astype("Int64")
        elif c in floats:
            frame[c] = frame[c].astype("float64")
        elif c in bools:
            frame[c] = frame[c].fillna(False).astype(bool)
        else:
            frame[c] = frame[c].astype(pd.StringDtype())
    return frame


def load_dataset(db="nianbao.duckdb") -> dict[str, pd.DataFrame]:
    """The dataset as pandas frames: reports, long, wide, findings, codebook.

    `db` is a path or an open Store. `long` is the cells with report metadata and the wide
    column name (`variable`); `wide` has one row per report (status ok) and one column per
    canonical cell (see `codebook()`); values not printed or not numbers are missing (NA).
    """
    own = not isinstance(db, Store)
    store = open_store(db, read_only=os.path.exists(os.fspath(db))) if own else db
    try:
        reports = store.con.execute("SELECT * FROM reports ORDER BY issuer_norm, year, file").df()
        long = store.con.execute(
            'SELECT r.file, r.issuer, r.issuer_norm, r.level, r.year, r.template, c.* '
            'FROM cells c JOIN reports r USING (sha256) ORDER BY r.issuer_norm, r.year, r.file, c.sha256').df()
        findings = store.con.execute(
            'SELECT f.*, r.issuer, r.year FROM findings f JOIN reports r USING (sha256) '
            'ORDER BY r.issuer_norm, r.year, f.sha256, f.seq').df()
    finally:
        if own:
            store.close()
    reports = _typed(reports, ints=("year", "n_cells", "n_errors", "n_warnings", "n_info"), keep=("added_at",))
    if not long.empty:
        long.insert(6, "variable", [variable_name(t, tb, r, c) for t, tb, r, c in
                                    zip(long["template"], long["table"], long["row"], long["column"])])
    else:
        long.insert(6, "variable", pd.Series(dtype="object"))
    long = long[["sha256", "file", "issuer", "issuer_norm", "level", "year", "template", "variable", "table", "row",
                 "column", "value", "raw", "kind", "page", "x0", "top", "x1", "bottom", "method", "mapped_by",
                 "confidence", "locator"]]
    long = _typed(long, ints=("year", "page"), floats=("value", "x0", "top", "x1", "bottom", "confidence"))
    findings = _typed(findings, ints=("seq", "page", "year"), floats=("expected", "found"), bools=("root",))
    wide = _wide(reports[reports["status"] == "ok"], long)
    return {"reports": reports, "long": long, "wide": wide, "findings": findings, "codebook": codebook()}
