"""Samples for the cross-year rule `history.carry_over`: the same body in consecutive years.

  history-taoyuan-2022 / history-taoyuan-2023   consistent: 2023's 上年结转 row equals 2022's
      结转下年度继续办理 row column by column. The 2023 title prints the body as 临川县桃源镇政府, the
      2022 one as 临川县桃源镇人民政府: the same body after normalisation (人民政府 ≡ 政府).
  history-jiaotong-2023 / history-jiaotong-2024  inconsistent: 2024's carried_over is 2 higher than
      2023's carried_forward in natural_person (and so in total); 2024 is consistent within itself
      (new is 2 lower), so only the cross-year rule sees it.

Each report is internally consistent (no per-report findings: `expected_findings` is empty). The
cross-year finding is listed in the later report's truth under `expected_history_findings`
(rule, table, row, column, expected = last year's carried_forward, found = this year's
carried_over, prior = last year's file), kept apart from `expected_findings` because those list
what `validate()` finds in one report alone.

Called from generate.py's main: `make_history.main(wanted, base, finish, _renderer)`.
"""

from __future__ import annotations

import json
from pathlib import Path

from samples import relations
from samples.data import truth
from schemas.vocabulary import APPLICANT_COLUMNS

HERE = Path(__file__).resolve().parent
BUMP = 2  # how much 2024's natural_person carried_over exceeds 2023's carried_forward


def _carry(spec_prior: dict, spec: dict, bump: dict[str, int] | None = None) -> None:
    """Make spec's carried_over = the prior's carried_forward (+ bump), rebalancing `new` (and `granted` if needed)."""
    bump = bump or {}
    before = spec_prior["values"]["requests"]["carried_forward"]
    r = spec["values"]["requests"]
    for c in APPLICANT_COLUMNS:
        r["carried_over"][c] = before[c] + bump.get(c, 0)
        new = r["total_processed"][c] + r["carried_forward"][c] - r["carried_over"][c]
        if new < 0:  # keep every count ≥ 0: more results this year
            r["granted"][c] += -new
            r["total_processed"][c] += -new
            new = 0
        r["new"][c] = new
    for row in r:
        r[row]["total"] = sum(r[row][c] for c in APPLICANT_COLUMNS)


def specs(base, finish) -> list[dict]:
    """The four history samples as generator specs (numbers, narrative), in year order per body."""
    t22 = base("history-taoyuan-2022", "临川县桃源镇人民政府", "桃源镇", 2022, "word-ruled", 601, "medium",
               "History pair (consistent), year 1: a town government. Its requests/carried_forward row is "
               "history-taoyuan-2023's carried_over row.")
    t23 = base("history-taoyuan-2023", "临川县桃源镇政府", "桃源镇", 2023, "word-ruled", 602, "medium",
               "History pair (consistent), year 2: the same body as history-taoyuan-2022, its title printing "
               "政府 where 2022 printed 人民政府. requests/carried_over equals 2022's carried_forward in every "
               "column: no history.carry_over finding.")
    _carry(t22, t23)
    j23 = base("history-jiaotong-2023", "长宁县交通运输局", "县交通运输局", 2023, "word-ruled", 603, "medium",
               "History pair (inconsistent), year 1: a county department.")
    if j23["values"]["requests"]["carried_forward"]["natural_person"] == 0:
        r = j23["values"]["requests"]
        r["carried_forward"]["natural_person"] = 3
        r["new"]["natural_person"] += 3
        for row in ("carried_forward", "new"):
            r[row]["total"] = sum(r[row][c] for c in APPLICANT_COLUMNS)
    j24 = base("history-jiaotong-2024", "长宁县交通运输局", "县交通运输局", 2024, "word-ruled", 604, "medium",
               f"History pair (inconsistent), year 2: requests/carried_over/natural_person (and total) printed "
               f"{BUMP} higher than history-jiaotong-2023's carried_forward; the report itself balances (new is "
               f"{BUMP} lower). Two history.carry_over warnings (natural_person, total), listed under "
               f"expected_history_findings.")
    _carry(j23, j24, {"natural_person": BUMP})
    prior = j23["values"]["requests"]["carried_forward"]
    j24["history_findings"] = [
        {"rule": "history.carry_over", "table": "requests", "row": "carried_over", "column": c,
         "expected": prior[c], "found": j24["values"]["requests"]["carried_over"][c],
         "prior": "history-jiaotong-2023.pdf"} for c in ("natural_person", "total")]
    return [finish(s) for s in (t22, t23, j23, j24)]


def main(wanted: list[str], base, finish, renderer) -> None:
    """Render the history samples (those whose name contains a wanted word, or all) and write their truth."""
    import pdfplumber

    for spec in specs(base, finish):
        if wanted and not any(w in spec["name"] for w in wanted):
            continue
        pdf = HERE / f"{spec['name']}.pdf"
        renderer(spec["layout"])(spec, pdf)
        with pdfplumber.open(pdf) as doc:
            pages = [p.extract_text() or "" for p in doc.pages]
        t = truth(spec, pages)
        t["expected_history_findings"] = spec.get("history_findings", [])
        assert relations.failures(t["tables"]) == [], spec["name"]
        assert all(v >= 0 for rows in t["tables"]["requests"].values() for v in rows.values()), spec["name"]
        for n in t["narrative"]:
            assert n["page"], (spec["name"], n["sentence"])
        (HERE / f"{spec['name']}.json").write_text(json.dumps(t, ensure_ascii=False, indent=1) + "\n",
                                                   encoding="utf-8")
        print(f"{spec['name']:40s} {spec['layout']:20s} {len(pages)}p {pdf.stat().st_size // 1024}KB "
              f"history={len(t['expected_history_findings'])}")
