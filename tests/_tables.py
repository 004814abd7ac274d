"""Consistent statutory tables for validation tests: every relation holds by construction."""

from __future__ import annotations

import copy

from schemas.vocabulary import (
    ACTIVE_ROWS_2019,
    APPLICANT_COLUMNS,
    REVIEW_GROUPS,
    requests_rows,
)

# Result rows with non-zero counts, per applicant column (others 0).
RESULTS = {
    "natural_person": {"granted": 5, "partly_granted": 2, "denied_process": 1, "unavailable_not_held": 2,
                       "rejected_petition": 1, "other_other": 1},
    "commercial": {"granted": 2, "unavailable_not_held": 1},
    "research": {},
    "public_interest": {"granted": 1},
    "legal_service": {"partly_granted": 1},
    "other_org": {},
}
CARRIED_OVER = {"natural_person": 2, "commercial": 1}
CARRIED_FORWARD = {"natural_person": 1, "public_interest": 1}
REVIEWS = {"review": (2, 1, 0, 1), "suit_direct": (1, 0, 0, 0), "suit_after_review": (0, 1, 0, 1)}


def consistent_tables(template: str = "2021", combined_other: bool = False) -> dict:
    """`{table: {row: {column: value}}}` whose relations all hold."""
    combined = combined_other or template == "2019"
    rows = [r for r, _, _ in requests_rows(template, combined)]
    results = [r for r in rows if r not in ("new", "carried_over", "total_processed", "carried_forward")]
    req = {r: {} for r in rows}
    for col in APPLICANT_COLUMNS:
        per = dict(RESULTS[col])
        if combined and "other_other" in per:
            per["other_combined"] = per.pop("other_other")
        for r in results:
            req[r][col] = per.get(r, 0)
        tp = sum(req[r][col] for r in results)
        req["total_processed"][col] = tp
        req["carried_over"][col] = CARRIED_OVER.get(col, 0)
        req["carried_forward"][col] = CARRIED_FORWARD.get(col, 0) + 1
        req["new"][col] = tp + req["carried_forward"][col] - req["carried_over"][col]
    for r in rows:
        req[r]["total"] = sum(req[r][c] for c in APPLICANT_COLUMNS)
    reviews = {}
    for group in REVIEW_GROUPS:
        parts = REVIEWS[group]
        for name, v in zip(("upheld", "corrected", "other", "pending"), parts):
            reviews[f"{group}_{name}"] = v
        reviews[f"{group}_total"] = sum(parts)
    if template == "2019":
        active = {}
        for key, _, _, cols in ACTIVE_ROWS_2019:
            active[key] = {c: (3 if c != "items_change" else -2) for c in cols}
        active["procurement"]["amount"] = 12.5
    else:
        active = {
            "regulations": {"issued": 0, "repealed": 0, "in_force": 0},
            "normative_documents": {"issued": 2, "repealed": 1, "in_force": 5},
            "licensing": {"decisions": 10},
            "punishment": {"decisions": 4},
            "enforcement": {"decisions": 1},
            "fees": {"amount": 1.5},
        }
    return {"active": active, "requests": req, "reviews": {"all": reviews}}


def altered(tables: dict, *changes) -> dict:
    """A deep copy with (table, row, column, delta or ('=', value)) applied."""
    t = copy.deepcopy(tables)
    for table, row, col, change in changes:
        if isinstance(change, tuple):
            t[table][row][col] = change[1]
        else:
            t[table][row][col] += change
    return t
