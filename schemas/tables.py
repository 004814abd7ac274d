"""Pandera schemas for the three statutory tables, per template (2021 and 2019).

Each table is a float frame (`Report.frame`) indexed by row keys with column keys as
columns; NaN where the cell holds no number (blank cells are reported from the Cells, not
here). Column checks: counts are whole numbers ≥ 0, the fee/procurement `amount` a decimal
≥ 0, the 2019 `items_change` a signed whole number. Index: only canonical row keys, unique.
Wide (dataframe-level) checks: the 勾稽 relations of `schemas.relations`, each named by its
rule id, returning a boolean frame that is False at the anchor cell of a failing equation;
plus template-shape checks. Validate with `lazy=True` and read `SchemaErrors.failure_cases`.
"""

from __future__ import annotations

import math
from functools import lru_cache

import pandas as pd
import pandera.pandas as pa

from schemas import relations
from schemas.vocabulary import (
    OTHER_SPLIT_ROWS,
    REQUESTS_COLUMNS,
    REQUESTS_ROWS_2021,
    REVIEWS_COLUMNS,
    REVIEWS_ROW,
    active_column_labels,
    active_rows,
    is_decimal,
    is_signed,
)

# Names of the non-relation checks (read back by schemas.validate).
CHECK_NEGATIVE = "value.negative"
CHECK_INTEGER = "value.non_integer"
CHECK_OTHER_BOTH = "template.other_both"
CHECK_IN_FORCE = "active.in_force_below_issued"
CHECK_UNKNOWN_ROW = "template.unknown_row"

FAST_PASS = True  # skip pandera for tables that certainly pass (certainly_valid); False: always pandera


def _integer(series: pd.Series) -> pd.Series:
    return (series % 1).abs() <= relations.TOLERANCE


def _column(table: str, template: str, column: str) -> pa.Column:
    checks = []
    if not is_signed(template, table, "", column):
        checks.append(pa.Check(lambda s: s >= 0, name=CHECK_NEGATIVE, ignore_na=True))
    if not is_decimal(template, table, "", column):
        checks.append(pa.Check(_integer, name=CHECK_INTEGER, ignore_na=True))
    return pa.Column(float, checks=checks, nullable=True, required=False, coerce=True)


def _relation_check(rule: str) -> pa.Check:
    return pa.Check(lambda df, rule=rule: relations.check_frame(rule, df), name=rule, ignore_na=False)


def _other_both(df: pd.DataFrame) -> pd.DataFrame:
    """False on other_combined when it is printed beside the three other_* rows."""
    out = pd.DataFrame(True, index=df.index, columns=df.columns, dtype=bool)
    if "other_combined" in df.index and any(r in df.index for r in OTHER_SPLIT_ROWS):
        out.loc["other_combined", :] = False
    return out


def _in_force_below_issued(df: pd.DataFrame) -> pd.DataFrame:
    """Plausibility: in_force ≥ issued for 规章 and 行政规范性文件 (False on in_force when not)."""
    out = pd.DataFrame(True, index=df.index, columns=df.columns, dtype=bool)
    if "in_force" in df.columns and "issued" in df.columns:
        for row in ("regulations", "normative_documents"):
            if row in df.index:
                a, b = df.at[row, "in_force"], df.at[row, "issued"]
                if pd.notna(a) and pd.notna(b) and a < b:
                    out.at[row, "in_force"] = False
    return out


def row_keys(table: str, template: str) -> tuple[str, ...]:
    """Every canonical row key a table of this template may hold."""
    if table == "active":
        return tuple(k for k, _, _, _ in active_rows(template))
    if table == "requests":
        return tuple(k for k, _, _ in REQUESTS_ROWS_2021) + ("other_combined",)
    return (REVIEWS_ROW,)


def column_keys(table: str, template: str) -> tuple[str, ...]:
    if table == "active":
        return tuple(active_column_labels(template))
    if table == "requests":
        return tuple(REQUESTS_COLUMNS)
    return tuple(REVIEWS_COLUMNS)


@lru_cache(maxsize=None)
def schema(table: str, template: str = "2021") -> pa.DataFrameSchema:
    """The pandera schema of one table in one template."""
    template = "2019" if template == "2019" else "2021"
    checks = []
    if table == "requests":
        checks = [_relation_check(r) for r in relations.table_rules("requests")]
        checks.append(pa.Check(_other_both, name=CHECK_OTHER_BOTH, ignore_na=False))
    elif table == "reviews":
        checks = [_relation_check(r) for r in relations.table_rules("reviews")]
    elif table == "active" and template == "2021":
        checks = [pa.Check(_in_force_below_issued, name=CHECK_IN_FORCE, ignore_na=False)]
    return pa.DataFrameSchema(
        {c: _column(table, template, c) for c in column_keys(table, template)},
        index=pa.Index(str, checks=[pa.Check(lambda s, keys=frozenset(row_keys(table, template)): s.isin(keys), name=CHECK_UNKNOWN_ROW)],
                       unique=True, name="row"),
        checks=checks,
        strict=True,
        name=f"{table}:{template}",
    )


def certainly_valid(frame: pd.DataFrame, table: str, template: str = "2021") -> bool:
    """True only when pandera would find nothing: the same checks over plain floats, no pandas per cell.

    pandera costs ~30 ms per table; most reports pass. Anything this function is not sure about
    (an unexpected dtype, index, column, non-finite value, a failing check) returns False, and
    `failure_cases` then asks pandera for the exact failure cases. The relation sums are those of
    `relations.evaluate` (same cells, same order, same tolerance).
    """
    template = "2019" if template == "2019" else "2021"
    index, columns = frame.index, frame.columns
    allowed_cols = column_keys(table, template)
    if (len(index) == 0 or index.name != "row" or not pd.api.types.is_string_dtype(index.dtype) or not index.is_unique
            or not all(isinstance(r, str) for r in index) or not set(index) <= set(row_keys(table, template))
            or not all(isinstance(c, str) and c in allowed_cols for c in columns) or not columns.is_unique
            or not all(dtype == "float64" for dtype in frame.dtypes)):
        return False
    values: dict = {}
    for column, series in zip(columns, frame.to_numpy().T):
        signed, decimal = is_signed(template, table, "", column), is_decimal(template, table, "", column)
        for row, v in zip(index, series.tolist()):
            if v != v:  # NaN: blank, ignored by the value checks, breaks a relation's sum
                continue
            if v in (math.inf, -math.inf) or (not signed and not v >= 0) or \
                    (not decimal and not abs(v % 1) <= relations.TOLERANCE):
                return False
            values[(row, column)] = v
    for rule in relations.table_rules(table):
        for inst in relations.instances(rule, frame):
            lhs, rhs = [values.get(k) for k in inst.lhs], [values.get(k) for k in inst.rhs]
            if None in lhs or None in rhs:
                continue  # not checkable: holds
            if not abs(float(sum(lhs)) - float(sum(rhs))) <= relations.TOLERANCE:
                return False
    if table == "requests" and "other_combined" in index and any(r in index for r in OTHER_SPLIT_ROWS):
        return False
    if table == "active" and template == "2021" and "in_force" in columns and "issued" in columns:
        for row in ("regulations", "normative_documents"):
            a, b = values.get((row, "in_force")), values.get((row, "issued"))
            if a is not None and b is not None and a < b:
                return False
    return True


def failure_cases(frame: pd.DataFrame, table: str, template: str = "2021") -> pd.DataFrame:
    """Validate one table lazily; pandera's failure cases (empty frame when it passes)."""
    if FAST_PASS and certainly_valid(frame, table, template):
        return pd.DataFrame(columns=["schema_context", "column", "check", "check_number", "failure_case", "index"])
    try:
        schema(table, template).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return exc.failure_cases
    return pd.DataFrame(columns=["schema_context", "column", "check", "check_number", "failure_case", "index"])
