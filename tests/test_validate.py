"""validate(): each rule broken alone, root cells, provenance, messages, seed, real report, samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from _tables import altered, consistent_tables
from schemas import messages as M
from schemas.report import report_from_tables
from schemas.tables import failure_cases
from schemas.validate import SEVERITY, validate

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real"
SEED_TEXT = ROOT.parent / "shared" / "spec" / "seed-report-baima-2023.txt"
ARITH_OR_NARRATIVE = ("requests.", "reviews.", "narrative.")


def run(tables, template="2021", **kw):
    kw.setdefault("year", 2020 if template == "2019" else 2023)
    return validate(report_from_tables(tables, template=template, **kw))


def keyed(findings, rule=None):
    return sorted((f.rule, f.row, f.column, f.expected, f.found) for f in findings if rule in (None, f.rule))


def cell_keys(f):
    return sorted((c["row"], c["column"]) for c in f.cells)


BASE = consistent_tables()


# ------------------------------------------------------------------ consistent reports
@pytest.mark.parametrize("template,combined", [("2021", False), ("2021", True), ("2019", False)])
def test_consistent_report_has_no_finding(template, combined):
    assert run(consistent_tables(template, combined), template) == []


def test_relations_come_from_pandera_failure_cases():
    t = altered(BASE, ("reviews", "all", "review_total", 1))
    report = report_from_tables(t)
    cases = failure_cases(report.frame("reviews"), "reviews")
    assert list(cases["check"]) == ["reviews.review_total"]
    assert cases.iloc[0]["failure_case"] == {"review_total": 5.0}


# ------------------------------------------------------------------ arithmetic, one rule at a time
def test_row_total():
    t = altered(BASE, ("requests", "granted", "natural_person", 1), ("requests", "partly_granted", "natural_person", -1))
    fs = run(t)
    assert keyed(fs) == [("requests.row_total", "granted", "total", 9, 8), ("requests.row_total", "partly_granted", "total", 2, 3)]
    f = next(f for f in fs if f.row == "granted")
    assert f.severity == "error" and f.difference == -1
    assert cell_keys(f) == sorted([("granted", "total")] + [("granted", c) for c in
                                  ("natural_person", "commercial", "research", "public_interest", "legal_service", "other_org")])
    assert f.message == '表三第(一)项"予以公开"行"总计"列为 8,但该行六类申请人(自然人及法人或其他组织五类)之和为 9,相差 1'


def test_column_total():
    t = altered(BASE, ("requests", "granted", "natural_person", 1), ("requests", "granted", "commercial", -1))
    fs = run(t)
    assert keyed(fs) == [("requests.column_total", "total_processed", "commercial", 2, 3),
                         ("requests.column_total", "total_processed", "natural_person", 13, 12)]
    f = next(f for f in fs if f.column == "natural_person")
    assert len(f.cells) == 22  # total_processed + the 21 result rows
    assert ("total_processed", "natural_person") in cell_keys(f)
    assert f.message == '表三第(七)项"总计"行"自然人"列为 12,但各办理结果之和为 13,相差 1'


def test_column_total_with_other_combined():
    t = altered(consistent_tables(combined_other=True), ("requests", "other_combined", "natural_person", 1),
                ("requests", "other_combined", "commercial", -1))
    fs = run(t)
    assert keyed(fs, "requests.column_total") == [("requests.column_total", "total_processed", "commercial", 2, 3),
                                                  ("requests.column_total", "total_processed", "natural_person", 13, 12)]


def test_balance():
    t = altered(BASE, ("requests", "carried_forward", "natural_person", 1), ("requests", "carried_forward", "commercial", -1))
    fs = run(t)
    assert keyed(fs) == [("requests.balance", None, "commercial", 4, 3), ("requests.balance", None, "natural_person", 14, 15)]
    f = next(f for f in fs if f.column == "natural_person")
    assert cell_keys(f) == sorted([("total_processed", "natural_person"), ("carried_forward", "natural_person"),
                                   ("new", "natural_person"), ("carried_over", "natural_person")])
    assert "第三项加第四项之和为 15,但第一项加第二项之和为 14,相差 1" in f.message


@pytest.mark.parametrize("rule,column", [("reviews.review_total", "review_total"),
                                         ("reviews.suit_direct_total", "suit_direct_total"),
                                         ("reviews.suit_after_review_total", "suit_after_review_total")])
def test_review_totals(rule, column):
    before = BASE["reviews"]["all"][column]
    fs = run(altered(BASE, ("reviews", "all", column, 2)))
    assert keyed(fs) == [(rule, "all", column, before, before + 2)]
    assert len(fs[0].cells) == 5 and fs[0].severity == "error"
    assert fs[0].message.startswith(M.address("2021", "reviews", "all", column))


# ------------------------------------------------------------------ root cells
def test_root_cell_total_breaks_row_and_balance():
    fs = run(altered(BASE, ("requests", "new", "total", 3)))
    assert keyed(fs) == [("relations.root_cell", "new", "total", 22, 25),
                         ("requests.balance", None, "total", 28, 25),
                         ("requests.row_total", "new", "total", 22, 25)]
    root = next(f for f in fs if f.root)
    assert root.rule == "relations.root_cell" and cell_keys(root) == [("new", "total")]
    assert "很可能是出错的单元格" in root.message and "若该格为 22" in root.message
    assert all("可能的出错单元格" in f.message for f in fs if not f.root)


def test_root_cell_inside_the_table():
    fs = run(altered(BASE, ("requests", "granted", "natural_person", 1)))
    assert keyed(fs) == [("relations.root_cell", "granted", "natural_person", 5, 6),
                         ("requests.column_total", "total_processed", "natural_person", 13, 12),
                         ("requests.row_total", "granted", "total", 9, 8)]


def test_two_unrelated_errors_have_no_root():
    fs = run(altered(BASE, ("reviews", "all", "review_total", 1), ("requests", "new", "total", 1),
                     ("requests", "new", "natural_person", 1)))
    assert not any(f.root for f in fs)


# ------------------------------------------------------------------ values
@pytest.mark.parametrize("kind,raw", [("blank", ""), ("dash", "—"), ("slash", "/"), ("none", "无")])
def test_marker_cells_are_warnings_and_make_relations_uncheckable(kind, raw):
    report = report_from_tables(BASE, year=2023)
    cell = report.cell("requests", "granted", "commercial")
    cell.value, cell.kind, cell.raw, cell.page, cell.bbox = None, kind, raw, 3, (1.0, 2.0, 3.0, 4.0)
    fs = validate(report)
    assert keyed(fs) == [("value.blank", "granted", "commercial", None, None)]
    assert fs[0].severity == "warning"
    assert fs[0].cells == [{"table": "requests", "row": "granted", "column": "commercial", "value": None,
                            "raw": raw, "page": 3, "bbox": [1.0, 2.0, 3.0, 4.0]}]


def test_blank_from_truth_null_is_a_marker_only():
    fs = run(altered(BASE, ("requests", "new", "total", ("=", None))))
    assert keyed(fs) == [("value.blank", "new", "total", None, None)]


def test_unreadable_cell():
    report = report_from_tables(BASE, year=2023)
    cell = report.cell("active", "punishment", "decisions")
    cell.value, cell.kind, cell.raw = None, "unreadable", "4O"
    fs = validate(report)
    assert keyed(fs) == [("value.unreadable", "punishment", "decisions", None, None)]
    assert '"4O"' in fs[0].message


def test_negative_count():
    fs = run(altered(BASE, ("active", "licensing", "decisions", ("=", -2))))
    assert keyed(fs) == [("value.negative", "licensing", "decisions", None, -2)]
    assert fs[0].message == '表二"行政许可"行"本年处理决定数量"列为 -2,数量或金额不应为负数'


def test_non_integer_count_but_decimal_fee_is_fine():
    fs = run(altered(BASE, ("active", "punishment", "decisions", ("=", 4.5)), ("active", "fees", "amount", ("=", 7730.28))))
    assert keyed(fs) == [("value.non_integer", "punishment", "decisions", None, 4.5)]


def test_negative_fee():
    fs = run(altered(BASE, ("active", "fees", "amount", ("=", -0.5))))
    assert keyed(fs) == [("value.negative", "fees", "amount", None, -0.5)]


def test_2019_items_change_may_be_negative_but_counts_not():
    t = consistent_tables("2019")
    assert run(t, "2019") == []
    fs = run(altered(t, ("active", "regulations", "made", ("=", -1))), "2019")
    assert keyed(fs) == [("value.negative", "regulations", "made", None, -1)]


# ------------------------------------------------------------------ template shape
def test_missing_row_is_a_warning_and_its_relations_are_not_checked():
    t = altered(BASE)
    del t["requests"]["denied_query"]
    fs = run(t)
    assert keyed(fs) == [("template.missing", "denied_query", None, None, None)]
    assert fs[0].severity == "warning" and "属于行政查询事项" in fs[0].message


def test_missing_cell_and_report_missing_entries():
    t = altered(BASE)
    del t["reviews"]["all"]["suit_direct_pending"]
    report = report_from_tables(t, year=2023)
    report.missing.append({"table": "reviews", "row": "all", "column": "suit_direct_pending", "reason": "not found"})
    fs = validate(report)
    assert keyed(fs) == [("template.missing", "all", "suit_direct_pending", None, None)]


def test_missing_column():
    t = altered(BASE)
    for cols in t["requests"].values():
        del cols["legal_service"]
    fs = run(t)
    assert {(f.rule, f.column) for f in fs} == {("template.missing", "legal_service")}


def test_table_missing_is_an_error():
    t = altered(BASE)
    del t["reviews"]
    fs = run(t)
    assert keyed(fs) == [("table.missing", None, None, None, None)]
    assert fs[0].table == "reviews" and fs[0].severity == "error"
    assert fs[0].message == "未找到表四(政府信息公开行政复议、行政诉讼情况)"


def test_report_deviations_and_2019_layout_in_2022():
    report = report_from_tables(consistent_tables("2019"), template="2019", year=2022)
    report.deviations.append({"table": "requests", "row": "other_combined", "what": "(六)其他处理印作一行", "page": 4})
    fs = validate(report)
    assert [(f.rule, f.table, f.page) for f in fs] == [("template.deviation", "requests", 4), ("template.deviation", None, None)]
    assert "2019 年版" in fs[1].message


def test_other_combined_beside_the_three_rows():
    t = altered(BASE)
    t["requests"]["other_combined"] = dict(t["requests"]["other_other"])
    fs = run(t)
    assert [(f.rule, f.row) for f in fs] == [("template.deviation", "other_combined")]


# ------------------------------------------------------------------ plausibility
def test_in_force_below_issued_is_info():
    fs = run(altered(BASE, ("active", "normative_documents", "in_force", ("=", 1))))
    assert keyed(fs) == [("active.in_force_below_issued", "normative_documents", "in_force", 2, 1)]
    assert fs[0].severity == "info"


def test_every_rule_has_a_severity_and_a_template():
    assert set(SEVERITY) == set(M.RULE_IDS)


# ------------------------------------------------------------------ seed, real report, samples
def seed_tables():
    t = {"active": {"regulations": {"issued": 0, "repealed": 0, "in_force": 0},
                    "normative_documents": {"issued": 0, "repealed": 0, "in_force": 0},
                    "licensing": {"decisions": 0}, "punishment": {"decisions": 4}, "enforcement": {"decisions": 0},
                    "fees": {"amount": 0}}}
    zero = consistent_tables()
    t["requests"] = {r: {c: 0 for c in cols} for r, cols in zero["requests"].items()}
    t["reviews"] = {"all": {c: 0 for c in zero["reviews"]["all"]}}
    return t


def test_seed_report_yields_nothing():
    pages = [SEED_TEXT.read_text(encoding="utf-8")] if SEED_TEXT.exists() else []
    assert run(seed_tables(), pages=pages) == []


@pytest.mark.skipif(not (REAL / "hongze-2023.json").exists(), reason="shared/real absent")
def test_hongze_real_relation_failures():
    truth = json.loads((REAL / "hongze-2023.json").read_text(encoding="utf-8"))
    fs = run(truth["tables"])
    got = keyed([f for f in fs if f.severity == "error"])
    want = sorted((r["rule"], r["row"], r["column"], r["expected"], r["found"]) for r in truth["relation_failures"])
    assert got == want
    assert not any(f.rule.startswith("value.") or f.rule == "template.missing" for f in fs)


SAMPLE_TRUTHS = sorted((ROOT / "samples").glob("*.json"))


@pytest.mark.skipif(not SAMPLE_TRUTHS, reason="no samples yet")
@pytest.mark.parametrize("path", SAMPLE_TRUTHS, ids=lambda p: p.stem)
def test_samples_expected_findings(path):
    truth = json.loads(path.read_text(encoding="utf-8"))
    pages = [""] * max(truth.get("pages") or 1, 1)
    for n in truth.get("narrative", []):  # the sentences that restate figures, on their pages
        pages[(n.get("page") or 1) - 1] += n["sentence"]
    fs = validate(report_from_tables(truth["tables"], template=truth.get("template", "2021"), year=truth.get("year"),
                                     pages=pages))
    got = keyed([f for f in fs if f.rule.startswith(ARITH_OR_NARRATIVE)])
    want = sorted((e["rule"], e["row"], e["column"], e["expected"], e["found"]) for e in truth["expected_findings"])
    assert got == want
    if path.stem.startswith("error-"):
        assert want, "an error sample lists its expected findings"


# ------------------------------------------------------------------ nianbao check
def _fake_extract(tables_by_path):
    from extractor.errors import ReportError

    def extract(path, password=None):
        if path not in tables_by_path:
            raise ReportError(path, "not a PDF (no %PDF header)")
        return report_from_tables(tables_by_path[path], file=path, year=2023)
    return extract


def test_check_cli_json_and_exit_codes(monkeypatch, capsys):
    import extractor
    from extractor.cli import main

    monkeypatch.setattr(extractor, "extract", _fake_extract({"good.pdf": BASE,
                                                             "bad.pdf": altered(BASE, ("reviews", "all", "review_total", 1))}))
    assert main(["check", "good.pdf"]) == 0
    capsys.readouterr()
    assert main(["check", "good.pdf", "bad.pdf", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert [(f["file"], f["rule"], f["severity"], f["expected"], f["found"]) for f in out] == \
        [("bad.pdf", "reviews.review_total", "error", 4, 5)]
    assert {"file", "rule", "severity", "table", "row", "column", "expected", "found", "cells", "message",
            "message_en"} <= set(out[0])
    assert main(["check", "bad.pdf", "missing.txt"]) == 2
    captured = capsys.readouterr()
    assert captured.err.strip() == "nianbao: missing.txt: not a PDF (no %PDF header)"
    assert "表四" in captured.out and "Traceback" not in captured.err


@pytest.mark.skipif(not (ROOT / "samples" / "error-requests-new_total.pdf").exists(), reason="sample absent")
def test_check_cli_on_a_sample_pdf(capsys):
    from extractor.cli import main

    path = ROOT / "samples" / "error-requests-new_total.pdf"
    assert main(["check", str(path), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    truth = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    got = sorted((f["rule"], f["row"], f["column"], f["expected"], f["found"]) for f in out
                 if f["rule"].startswith(ARITH_OR_NARRATIVE))
    assert got == sorted((e["rule"], e["row"], e["column"], e["expected"], e["found"]) for e in truth["expected_findings"])
    root = [f for f in out if f["root"]]
    assert [(f["row"], f["column"]) for f in root] == [("new", "total")] and root[0]["cells"][0]["page"]


# ------------------------------------------------------------------ fee unit (rules.md: values)
def _fee_report(raw: str, issuer: str):
    from extractor.numbers import read_number

    rep = report_from_tables(_consistent_for_fee(), issuer=issuer, year=2023)
    cell = rep.cell("active", "fees", "amount")
    cell.value, cell.kind = read_number(raw)
    cell.raw = raw
    return rep


def _consistent_for_fee():
    import json

    from conftest import SAMPLES
    return json.loads((SAMPLES / "word-ruled-taiping-2024.json").read_text(encoding="utf-8"))["tables"]


def test_fee_printed_in_yuan_is_a_unit_warning():
    found = [f for f in validate(_fee_report("1500元", "长宁县人民政府")) if f.rule == "value.fee_unit"]
    assert len(found) == 1 and found[0].severity == "warning" and "元" in found[0].message


def test_fee_too_large_for_a_township_is_a_unit_warning():
    found = [f for f in validate(_fee_report("25000", "中宁县白马乡人民政府")) if f.rule == "value.fee_unit"]
    assert len(found) == 1 and found[0].found == 25000 and found[0].cells[0]["row"] == "fees"


def test_plausible_fees_get_no_unit_warning():
    for raw, issuer in (("12.35", "中宁县白马乡人民政府"), ("7730.28", "淮安市洪泽区人民政府"), ("0", "某某局")):
        assert not [f for f in validate(_fee_report(raw, issuer)) if f.rule == "value.fee_unit"]
