"""Narrative figures against tables: phrasings on real wording, scope guards, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from _tables import altered, consistent_tables
from schemas.narrative import narrative_findings, recognised
from schemas.report import report_from_tables

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real"
SEED_TEXT = ROOT.parent / "shared" / "spec" / "seed-report-baima-2023.txt"
BASE = consistent_tables()  # new/total 22, carried_over 3, total_processed 17, carried_forward 8, granted 8 …


def check(text, tables=BASE, year=2023):
    return narrative_findings(report_from_tables(tables, year=year, pages=[text] if isinstance(text, str) else text))


def keyed(fs):
    return sorted(((f.rule, f.table, f.row, f.column, f.expected, f.found) for f in fs), key=str)


# ------------------------------------------------------------------ the seed report
@pytest.mark.skipif(not SEED_TEXT.exists(), reason="seed text absent")
def test_seed_text_states_zero_and_agrees():
    text = SEED_TEXT.read_text(encoding="utf-8")
    names = {n for n, _, _ in recognised([text])}
    assert {"none_received", "none_reviews_suits"} <= names
    zero = {t: {r: {c: 0 for c in cols} for r, cols in rows.items()} for t, rows in BASE.items()}
    assert check(text, zero) == []
    # 701余条 信息, 培训 1 次, 信息处理费: other quantities, never compared
    assert not any(n in {"received", "processed", "punishment", "licensing"} for n in names)


@pytest.mark.skipif(not SEED_TEXT.exists(), reason="seed text absent")
def test_seed_text_against_non_zero_tables():
    text = SEED_TEXT.read_text(encoding="utf-8")
    fs = check(text, BASE)
    assert keyed(fs) == [("narrative.mismatch", "requests", "new", "total", 22, 0),
                         ("narrative.mismatch", "reviews", "all", None, 7, 0)]
    f = fs[0]
    assert f.page == 1 and "未收到公民、法人和其他组织政府信息公开申请" in f.quote
    assert f.message.startswith("第 1 页文字称未收到政府信息公开申请,但表三第一项")
    assert f.severity == "warning" and f.cells[0]["row"] == "new"


# ------------------------------------------------------------------ each phrasing
@pytest.mark.parametrize("sentence,row,col,table_value,stated", [
    ("2023年,本机关共收到政府信息公开申请25件。", "new", "total", 22, 25),
    ("本年度新收政府信息公开申请 20 件,均按时答复。", "new", "total", 22, 20),
    ("受理公民、法人和其他组织提出的政府信息公开申请21件。", "new", "total", 22, 21),
    ("上年结转 4 件。", "carried_over", "total", 3, 4),
    ("全年办结政府信息公开申请16件。", "total_processed", "total", 17, 16),
    ("结转下年度继续办理 7 件。", "carried_forward", "total", 8, 7),
    ("另有 9 件结转下一年度办理。", "carried_forward", "total", 8, 9),
    ("其中予以公开 9 件。", "granted", "total", 8, 9),
    ("部分公开 4 件。", "partly_granted", "total", 3, 4),
])
def test_requests_phrasings(sentence, row, col, table_value, stated):
    fs = check(sentence)
    assert keyed(fs) == [("narrative.mismatch", "requests", row, col, table_value, stated)]
    assert fs[0].quote == sentence.replace(" ", "").replace(",", ",")


@pytest.mark.parametrize("sentence,expected,stated", [
    ("予以公开及部分公开 12 件。", 11, 12),
    ("不予公开 2 件。", 1, 2),
    ("无法提供 4 件。", 3, 4),
    ("不予处理 2 件。", 1, 2),
    ("其他处理 3 件。", 1, 3),
])
def test_group_phrasings_compare_with_the_group_sum(sentence, expected, stated):
    fs = check(sentence)
    assert [(f.expected, f.found, f.column) for f in fs] == [(expected, stated, "total")]


def test_reviews_and_suits_in_a_disclosure_sentence():
    fs = check("全年因政府信息公开被申请行政复议 5 起,被提起行政诉讼 2 件。")
    assert set(keyed(fs)) == {("narrative.mismatch", "reviews", "all", None, 3, 2),
                              ("narrative.mismatch", "reviews", "all", "review_total", 4, 5)}
    assert check("全年因政府信息公开被申请行政复议4件,被提起行政诉讼3件。") == []


def test_active_phrasings():
    fs = check("全年制发行政规范性文件3件,废止规范性文件1件,作出行政处罚决定5件,办理行政许可12件,实施行政强制措施1件。")
    assert keyed(fs) == [("narrative.mismatch", "active", "licensing", "decisions", 10, 12),
                         ("narrative.mismatch", "active", "normative_documents", "issued", 2, 3),
                         ("narrative.mismatch", "active", "punishment", "decisions", 4, 5)]


def test_including_carried_over_accepts_either_reading():
    assert check("共收到政府信息公开申请25件(含上年结转3件)。") == []   # 22 + 3
    assert check("共收到政府信息公开申请22件(含上年结转3件)。") == []   # new alone
    fs = check("共收到政府信息公开申请26件(含上年结转3件)。")
    assert [(f.expected, f.found) for f in fs] == [(25, 26)]
    assert {(c["row"], c["column"]) for c in fs[0].cells} == {("new", "total"), ("carried_over", "total")}


@pytest.mark.parametrize("sentence", [
    "2023年,全市共收到政府信息公开申请500件。",            # aggregate scope
    "各部门共受理政府信息公开申请 88 件。",
    "2022年共收到政府信息公开申请30件。",                 # another year
    "较上年收到申请增加5件。",                            # comparison
    "其中,通过网络收到申请5件。",                        # a part of the whole
    "全年办理行政复议案件 30 件。",                        # reviews not about disclosure
    "全乡共发布各类信息 701余条,开展培训 1 次。",          # other quantities
    "全年收取信息处理费 0 元。",
    "受理行政复议申请 3 件。",
    "未发生泄密情况,被申请行政复议4件。",
])
def test_no_mismatch_where_scope_or_quantity_differs(sentence):
    assert check(sentence) == []


def test_blank_cell_is_not_compared():
    assert check("共收到政府信息公开申请25件。", altered(BASE, ("requests", "new", "total", ("=", None)))) == []


def test_sentence_across_pages_reports_its_first_page():
    fs = check(["一、总体情况\n2023 年共收到政府信息", "公开申请 30 件。"])
    assert [(f.page, f.found) for f in fs] == [(1, 30)]


# ------------------------------------------------------------------ real wording
@pytest.mark.skipif(not (REAL / "hongze-2023.pdf").exists(), reason="shared/real absent")
def test_hongze_real_wording():
    import pdfplumber

    with pdfplumber.open(REAL / "hongze-2023.pdf") as pdf:
        pages = [p.extract_text() or "" for p in pdf.pages]
    truth = json.loads((REAL / "hongze-2023.json").read_text(encoding="utf-8"))
    assert ("received", "受理政府信息公开申请21件", 1) in recognised(pages)
    assert check(pages, truth["tables"]) == []
    wrong = altered(truth["tables"], ("requests", "new", "total", ("=", 20)))
    assert check(pages, wrong) == []  # 全区受理…: the district as a whole, scope not clearly the table's
    own = [p.replace("全区受理", "本机关受理") for p in pages]
    fs = check(own, wrong)
    assert [(f.page, f.expected, f.found) for f in fs] == [(1, 20, 21)]
    assert "本机关受理政府信息公开申请21件" in fs[0].quote


@pytest.mark.skipif(not (ROOT / "samples" / "error-narrative-mismatch.pdf").exists(), reason="sample absent")
def test_narrative_sample_pdf_text():
    import pdfplumber

    path = ROOT / "samples" / "error-narrative-mismatch.pdf"
    with pdfplumber.open(path) as pdf:
        pages = [p.extract_text() or "" for p in pdf.pages]
    truth = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    fs = narrative_findings(report_from_tables(truth["tables"], year=truth["year"], pages=pages))
    want = [(e["rule"], e["table"], e["row"], e["column"], e["expected"], e["found"]) for e in truth["expected_findings"]]
    assert keyed(fs) == sorted(want, key=str)
