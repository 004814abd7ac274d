"""The 勾稽 relations of the statutory tables, as data: which cells must add up to which.

A relation *instance* says `sum(lhs) = sum(rhs)` over a few cells of one table, and is
anchored at one cell (where pandera marks the failure). This module is the only place the
arithmetic is written: the pandera checks in `schemas.tables` call `evaluate`, and the
findings read the same `found`/`expected` back for the cells pandera reported.

found = sum(lhs), expected = sum(rhs):
- `requests.row_total`:   lhs = [row/total],            rhs = the six applicant columns
- `requests.column_total`: lhs = [total_processed/col], rhs = the 22 result rows (or 20 + other_combined)
- `requests.balance`:     lhs = [total_processed, carried_forward] (三+四), rhs = [new, carried_over] (一+二)
- `reviews.*_total`:      lhs = [all/<group>_total],    rhs = its four result columns
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from schemas.vocabulary import (
    APPLICANT_COLUMNS,
    OTHER_SPLIT_ROWS,
    REQUESTS_COLUMNS,
    RESULT_ROWS_2021,
    RESULT_ROWS_COMBINED,
    REVIEW_TOTALS,
    REVIEWS_ROW,
)

Key = tuple[str, str]  # (row, column)

ARITHMETIC_RULES = ("requests.row_total", "requests.column_total", "requests.balance", *REVIEW_TOTALS)
REVIEW_PARTS = ("upheld", "corrected", "other", "pending")
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Instance:
    """One equation of a relation: sum of `lhs` cells = sum of `rhs` cells, anchored at `anchor`."""

    rule: str
    table: str
    anchor: Key
    lhs: tuple[Key, ...]
    rhs: tuple[Key, ...]

    @property
    def keys(self) -> tuple[Key, ...]:
        return self.lhs + self.rhs


@dataclass(frozen=True)
class Outcome:
    """An instance evaluated on a frame: checkable only when every cell holds a number."""

    instance: Instance
    found: float | None
    expected: float | None

    @property
    def checkable(self) -> bool:
        return self.found is not None and self.expected is not None

    @property
    def holds(self) -> bool:
        return not self.checkable or abs(self.found - self.expected) <= TOLERANCE


def result_rows(index) -> tuple[str, ...]:
    """The rows summed into total_processed: split (六) rows when printed, else other_combined."""
    rows = set(index)
    if "other_combined" in rows and not any(r in rows for r in OTHER_SPLIT_ROWS):
        return RESULT_ROWS_COMBINED
    return RESULT_ROWS_2021


def instances(rule: str, frame: pd.DataFrame) -> list[Instance]:
    """Every equation of `rule` on a table with this frame's rows and columns."""
    if rule == "requests.row_total":
        return [Instance(rule, "requests", (r, "total"), ((r, "total"),), tuple((r, c) for c in APPLICANT_COLUMNS))
                for r in frame.index]
    columns = [c for c in REQUESTS_COLUMNS if c in frame.columns]
    if rule == "requests.column_total":
        rows = result_rows(frame.index)
        return [Instance(rule, "requests", ("total_processed", c), (("total_processed", c),),
                         tuple((r, c) for r in rows)) for c in columns]
    if rule == "requests.balance":
        return [Instance(rule, "requests", ("new", c), (("total_processed", c), ("carried_forward", c)),
                         (("new", c), ("carried_over", c))) for c in columns]
    if rule in REVIEW_TOTALS:
        group = REVIEW_TOTALS[rule]
        total = (REVIEWS_ROW, f"{group}_total")
        return [Instance(rule, "reviews", total, (total,), tuple((REVIEWS_ROW, f"{group}_{p}") for p in REVIEW_PARTS))]
    raise KeyError(rule)


def table_rules(table: str) -> tuple[str, ...]:
    """The relation rule ids that live in one table."""
    return tuple(r for r in ARITHMETIC_RULES if r.startswith(table + "."))


def _value(frame: pd.DataFrame, key: Key) -> float | None:
    row, col = key
    if row not in frame.index or col not in frame.columns:
        return None
    v = frame.at[row, col]
    return None if v is None or (isinstance(v, float) and math.isnan(v)) or pd.isna(v) else float(v)


def _sum(frame: pd.DataFrame, keys) -> float | None:
    values = [_value(frame, k) for k in keys]
    return None if any(v is None for v in values) else float(sum(values))


def evaluate(instance: Instance, frame: pd.DataFrame) -> Outcome:
    """found = sum(lhs), expected = sum(rhs); None when a cell is blank or absent."""
    return Outcome(instance, _sum(frame, instance.lhs), _sum(frame, instance.rhs))


def check_frame(rule: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The pandera check output: a boolean frame, False at the anchor of each failing equation."""
    out = pd.DataFrame(True, index=frame.index, columns=frame.columns, dtype=bool)
    for inst in instances(rule, frame):
        if not evaluate(inst, frame).holds:
            out.at[inst.anchor] = False
    return out


def anchored(rule: str, frame: pd.DataFrame) -> dict[Key, Instance]:
    """Instances of `rule` by their anchor cell (to read pandera's failure cases back)."""
    return {i.anchor: i for i in instances(rule, frame)}
