"""The contracts between stages: a `Cell`, a `Report` built from cells, and a `Finding`.

Plain data. The extractor builds Reports, validation turns Reports into Findings, the
writers read both. Nothing here imports the extractor.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Optional

import numpy as np
import pandas as pd

from schemas.vocabulary import TABLES, expected_cells

# How a cell's text was read: a number, or one of the markers kept distinct from a printed 0.
KINDS = ("number", "blank", "dash", "slash", "none", "unreadable")

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points (top-left origin)


@dataclass
class Cell:
    """One value of a statutory table with where it came from."""

    table: str
    row: str
    column: str
    value: Optional[float]  # the number read, None when the cell holds no number
    raw: str  # the cell's text as printed
    kind: str = "number"  # one of KINDS
    page: Optional[int] = None  # 1-based page number (PDF) or None
    bbox: Optional[BBox] = None  # box on the page in points, or None
    method: str = ""  # pdfplumber | pdfplumber-words | camelot-lattice | html | docx | ocr
    mapped_by: str = "label"  # label: row and column found by their labels; order: by template position
    confidence: float = 1.0
    locator: str = ""  # for HTML/DOCX: "table 3, row 5, column 2"

    def to_dict(self) -> dict:
        """JSON-ready dict of the cell."""
        d = asdict(self)
        d["bbox"] = [round(v, 2) for v in self.bbox] if self.bbox else None
        d["value"] = json_number(self.value)
        return d


def json_number(value):
    """A float that is a whole number as int, NaN as None: the JSON form of a value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if float(value).is_integer():
        return int(value)
    return float(value)


@dataclass
class Report:
    """What one report file says: who, which year, which template, and its three tables."""

    file: str
    sha256: str
    issuer: Optional[str]
    year: Optional[int]
    template: str
    cells: list[Cell] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)  # {"table", "row", "column", "reason"}
    deviations: list[dict] = field(default_factory=list)  # {"table", "row", "what", "page"}: template deviations
    pages: list[str] = field(default_factory=list)  # full text by page (index 0 = page 1)
    source: str = "pdf"  # pdf | html | docx
    title: str = ""
    # the narrative parts {number, heading, page, text} (schemas.supervision.sections), kept where the
    # page text is dropped (the audit's workers, the store) for the completeness and history rules
    sections: list[dict] = field(default_factory=list)

    def cell(self, table: str, row: str, column: str) -> Optional[Cell]:
        """The cell at a key, or None when it was not found."""
        for c in self.cells:
            if (c.table, c.row, c.column) == (table, row, column):
                return c
        return None

    def frame(self, table: str) -> pd.DataFrame:
        """One table as a frame indexed by row keys, columns the column keys, NaN where no number."""
        cells = [c for c in self.cells if c.table == table]
        order = expected_cells(self.template, table, combined_other=self.combined_other)
        rows = list(dict.fromkeys([r for r, _ in order] + [c.row for c in cells]))
        cols = list(dict.fromkeys([k for _, k in order] + [c.column for c in cells]))
        present_rows = [r for r in rows if any(c.row == r for c in cells)]
        at_row, at_col = {r: i for i, r in enumerate(present_rows)}, {k: j for j, k in enumerate(cols)}
        values = np.full((len(present_rows), len(cols)), math.nan, dtype="float64")
        for c in cells:  # filled as a plain array: .loc per cell cost ~20 ms a report
            values[at_row[c.row], at_col[c.column]] = math.nan if c.value is None else float(c.value)
        return pd.DataFrame(values, index=pd.Index(present_rows, name="row"), columns=pd.Index(cols, name="column"))

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The three tables as frames (a table not found is an empty frame)."""
        return {t: self.frame(t) for t in TABLES}

    @property
    def combined_other(self) -> bool:
        """Whether (六)其他处理 is printed as one row."""
        return any(c.row == "other_combined" for c in self.cells)

    def tables_dict(self) -> dict:
        """`{table: {row: {column: number or None}}}` in the shape of the ground-truth files."""
        out: dict = {t: {} for t in TABLES}
        for c in self.cells:
            out[c.table].setdefault(c.row, {})[c.column] = json_number(c.value)
        return out

    def to_dict(self) -> dict:
        """The JSON document `nianbao extract --json` prints."""
        return {
            "file": self.file,
            "sha256": self.sha256,
            "issuer": self.issuer,
            "year": self.year,
            "template": self.template,
            "source": self.source,
            "tables": self.tables_dict(),
            "cells": [c.to_dict() for c in self.cells],
            "missing": self.missing,
            "deviations": self.deviations,
        }


@dataclass
class Finding:
    """One discrepancy an auditor must look at."""

    rule: str  # e.g. requests.row_total
    severity: str  # error | warning | info
    table: Optional[str]
    row: Optional[str]
    column: Optional[str]
    expected: Optional[float]
    found: Optional[float]
    message: str  # Chinese, ready to paste into a letter
    message_en: str
    cells: list[dict] = field(default_factory=list)  # {"table","row","column","value","raw","page","bbox"}
    root: bool = False  # the likely root cell of several failing relations
    file: str = ""
    quote: str = ""  # the narrative sentence, for narrative findings
    page: Optional[int] = None

    @property
    def difference(self) -> Optional[float]:
        """found − expected, where both are numbers."""
        if self.expected is None or self.found is None:
            return None
        return json_number(self.found - self.expected)

    def to_dict(self) -> dict:
        """JSON-ready dict of the finding."""
        d = asdict(self)
        d["expected"] = json_number(self.expected)
        d["found"] = json_number(self.found)
        d["difference"] = self.difference
        return d


def report_from_tables(tables: dict, template: str = "2021", file: str = "", issuer: str | None = None,
                       year: int | None = None, pages: list[str] | None = None, method: str = "truth") -> Report:
    """A Report from a `{table: {row: {column: value}}}` dict (ground truth, tests): None → blank cell."""
    cells = []
    for table, rows in tables.items():
        for row, cols in rows.items():
            for column, value in cols.items():
                kind = "blank" if value is None else "number"
                cells.append(Cell(table=table, row=row, column=column,
                                  value=None if value is None else float(value),
                                  raw="" if value is None else str(value), kind=kind, method=method))
    return Report(file=file, sha256="", issuer=issuer, year=year, template=template,
                  cells=cells, pages=pages or [])
