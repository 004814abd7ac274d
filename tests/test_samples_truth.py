"""The sample corpus' ground truth (samples/*.json) is well-formed and arithmetically what it claims.

Relations are computed here from the truth dicts directly (not with the generator's code): consistent
samples (no expected_findings) satisfy every checkable relation, each deliberately wrong sample breaks
exactly the relations its expected_findings list. A relation with a null (marker) operand is not checkable.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas.vocabulary import (
    ACTIVE_ROWS_2021,
    APPLICANT_COLUMNS,
    REQUESTS_COLUMNS,
    RESULT_ROWS_2021,
    RESULT_ROWS_COMBINED,
    REVIEWS_COLUMNS,
    requests_rows,
)

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
TRUTHS = sorted(SAMPLES.glob("*.json"))
RULES = {"requests.row_total", "requests.column_total", "requests.balance", "reviews.review_total",
         "reviews.suit_direct_total", "reviews.suit_after_review_total", "narrative.mismatch"}
LAYOUTS = {"word-ruled", "split-repeat-header", "split-no-header", "borderless", "kangxi", "garbled-header", "seed",
           "combined-other", "markers", "chromium-print"}


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def ids(paths):
    return [p.stem for p in paths]


def test_corpus_size_and_layouts():
    truths = [load(p) for p in TRUTHS]
    assert len(truths) >= 12
    layouts = {t["layout"] for t in truths}
    assert LAYOUTS <= layouts
    assert sum(t["layout"] == "word-ruled" and not t["expected_findings"] for t in truths) >= 3


def _is_count(v) -> bool:
    return v is None or (isinstance(v, int) and not isinstance(v, bool) and v >= 0)


@pytest.mark.parametrize("path", TRUTHS, ids=ids(TRUTHS))
def test_truth_well_formed(path):
    t = load(path)
    assert {"file", "issuer", "year", "template", "layout", "notes", "tables", "expected_findings"} <= set(t)
    assert t["file"] == path.stem + ".pdf"
    pdf = SAMPLES / t["file"]
    limit = 700_000 if t.get("layout") == "chromium-print" else 300_000  # Chromium embeds whole CJK subsets
    assert pdf.exists() and pdf.stat().st_size < limit
    assert t["template"] == "2021" and 2022 <= t["year"] <= 2024 and t["layout"] in LAYOUTS
    assert t["issuer"] and t["notes"]
    tables = t["tables"]
    assert set(tables) == {"active", "requests", "reviews"}

    active = tables["active"]
    assert set(active) == {k for k, *_ in ACTIVE_ROWS_2021}
    for key, _, _, cols in ACTIVE_ROWS_2021:
        assert set(active[key]) == set(cols), key
        for col, v in active[key].items():
            if col == "amount":
                assert v is None or (isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0)
            else:
                assert _is_count(v), (key, col, v)

    req = tables["requests"]
    combined = "other_combined" in req
    assert set(req) == {k for k, _, _ in requests_rows("2021", combined)}
    for row, cols in req.items():
        assert set(cols) == set(REQUESTS_COLUMNS), row
        assert all(_is_count(v) for v in cols.values()), row

    assert set(tables["reviews"]) == {"all"}
    assert set(tables["reviews"]["all"]) == set(REVIEWS_COLUMNS)
    assert all(_is_count(v) for v in tables["reviews"]["all"].values())

    for f in t["expected_findings"]:
        assert f["rule"] in RULES
        assert {"rule", "table", "row", "column", "expected", "found"} <= set(f)
    for n in t.get("narrative", []):
        assert n["sentence"] and isinstance(n["page"], int) and n["page"] >= 1


def relation_failures(tables: dict) -> set[tuple]:
    def total(vals):
        return None if any(v is None for v in vals) else sum(vals)

    out = set()
    req = tables["requests"]
    for row, cols in req.items():
        s = total([cols[c] for c in APPLICANT_COLUMNS])
        if s is not None and cols["total"] is not None and s != cols["total"]:
            out.add(("requests.row_total", row, "total", s, cols["total"]))
    rows = RESULT_ROWS_COMBINED if "other_combined" in req else RESULT_ROWS_2021
    for col in REQUESTS_COLUMNS:
        s, tp = total([req[r][col] for r in rows]), req["total_processed"][col]
        if s is not None and tp is not None and s != tp:
            out.add(("requests.column_total", "total_processed", col, s, tp))
        a = total([req["new"][col], req["carried_over"][col]])
        b = total([req["total_processed"][col], req["carried_forward"][col]])
        if a is not None and b is not None and a != b:
            out.add(("requests.balance", None, col, a, b))
    rev = tables["reviews"]["all"]
    for group in ("review", "suit_direct", "suit_after_review"):
        s = total([rev[f"{group}_{r}"] for r in ("upheld", "corrected", "other", "pending")])
        if s is not None and rev[f"{group}_total"] is not None and s != rev[f"{group}_total"]:
            out.add((f"reviews.{group}_total", "all", f"{group}_total", s, rev[f"{group}_total"]))
    return out


@pytest.mark.parametrize("path", TRUTHS, ids=ids(TRUTHS))
def test_relations_match_expected_findings(path):
    t = load(path)
    want = {(f["rule"], f["row"], f["column"], f["expected"], f["found"])
            for f in t["expected_findings"] if f["rule"] != "narrative.mismatch"}
    assert relation_failures(t["tables"]) == want
    if path.stem.startswith("error-"):
        assert t["expected_findings"], "an error sample must say what is wrong"


@pytest.mark.parametrize("path", TRUTHS, ids=ids(TRUTHS))
def test_narrative_figures(path):
    t = load(path)
    mismatches = {(f["table"], f["row"], f["column"]): f for f in t["expected_findings"]
                  if f["rule"] == "narrative.mismatch"}
    for n in t.get("narrative", []):
        for fig in n.get("figures", []):
            key = (fig["table"], fig["row"], fig["column"])
            value = t["tables"][fig["table"]][fig["row"]][fig["column"]]
            if key in mismatches:
                assert mismatches[key]["expected"] == value and mismatches[key]["found"] == fig["value"] != value
                assert str(fig["value"]) in n["sentence"]
            else:
                assert fig["value"] == value, (n["sentence"], key)


def test_seed_reproduction():
    t = load(SAMPLES / "seed-baima-2023.json")
    nonzero = [(tb, r, c, v) for tb, rows in t["tables"].items() for r, cols in rows.items()
               for c, v in cols.items() if v != 0]
    assert nonzero == [("active", "punishment", "decisions", 4)]


def test_markers_are_null_and_combined_other():
    t = load(SAMPLES / "markers-ziranziyuan-2022.json")
    assert t["tables"]["active"]["regulations"]["issued"] is None
    assert t["tables"]["active"]["fees"]["amount"] == 12.35
    c = load(SAMPLES / "combined-other-huaian-2023.json")
    assert "other_combined" in c["tables"]["requests"] and "other_other" not in c["tables"]["requests"]
