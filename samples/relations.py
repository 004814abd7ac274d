"""The arithmetic relations of canonical-keys.md, computed on truth tables (None = not checkable).

Used by generate.py to assert that every sample breaks exactly what its expected_findings say.
"""

from __future__ import annotations

from schemas.vocabulary import APPLICANT_COLUMNS, REQUESTS_COLUMNS, RESULT_ROWS_2021, RESULT_ROWS_COMBINED, REVIEW_TOTALS

RESULTS = ("upheld", "corrected", "other", "pending")


def _sum(vals):
    return None if any(v is None for v in vals) else sum(vals)


def failures(tables: dict) -> list[dict]:
    out = []
    req = tables.get("requests", {})
    for row, cols in req.items():
        s = _sum([cols.get(c) for c in APPLICANT_COLUMNS])
        if s is not None and cols.get("total") is not None and s != cols["total"]:
            out.append({"rule": "requests.row_total", "table": "requests", "row": row, "column": "total",
                        "expected": s, "found": cols["total"]})
    result_rows = RESULT_ROWS_COMBINED if "other_combined" in req else RESULT_ROWS_2021
    for col in REQUESTS_COLUMNS:
        tp = req["total_processed"][col]
        s = _sum([req[r][col] for r in result_rows])
        if s is not None and tp is not None and s != tp:
            out.append({"rule": "requests.column_total", "table": "requests", "row": "total_processed",
                        "column": col, "expected": s, "found": tp})
    for col in REQUESTS_COLUMNS:
        a, b = req["new"][col], req["carried_over"][col]
        c, d = req["total_processed"][col], req["carried_forward"][col]
        if None in (a, b, c, d):
            continue
        if a + b != c + d:
            out.append({"rule": "requests.balance", "table": "requests", "row": None, "column": col,
                        "expected": a + b, "found": c + d})
    rev = tables["reviews"]["all"]
    for rule, group in REVIEW_TOTALS.items():
        s = _sum([rev[f"{group}_{r}"] for r in RESULTS])
        t = rev[f"{group}_total"]
        if s is not None and t is not None and s != t:
            out.append({"rule": rule, "table": "reviews", "row": "all", "column": f"{group}_total",
                        "expected": s, "found": t})
    return out
