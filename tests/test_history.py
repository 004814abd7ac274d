"""history.carry_over: name normalisation, levels, the rule on the sample pairs, within a batch and against the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas.history import RULE, carry_over, carry_over_pair, level_of, normalise_issuer
from schemas.report import report_from_tables

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def truth_report(name: str, **override):
    t = json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    r = report_from_tables(t["tables"], template=t["template"], file=t["file"], issuer=override.get("issuer", t["issuer"]),
                           year=override.get("year", t["year"]))
    r.sha256 = name
    return r, t


# ------------------------------------------------------------------ names
@pytest.mark.parametrize("a,b", [
    ("长宁县人民政府", "长宁县政府"),
    ("长宁县 人民政府", "长宁县人民政府"),
    ("长宁县\u3000人民\n政府", "长宁县政府"),
    ("青川市东湖区（发展和改革局）", "青川市东湖区(发展和改革局)"),
    ("\u2f00\u2f06镇人民政府", "一二镇政府"),  # Kangxi radicals 一 二
    ("临川县桃源镇人民政府", "临川县桃源镇政府"),
    ("安平市和平区人民政府和平街道办事处", "安平市和平区政府和平街道办事处"),
])
def test_same_body(a, b):
    assert normalise_issuer(a) == normalise_issuer(b)


@pytest.mark.parametrize("a,b", [
    ("江桥镇人民政府", "临川县江桥镇人民政府"),  # a prefix more or less is another name
    ("长宁县交通运输局", "长宁县交通局"),
    ("长宁县人民政府", "长宁县人民政府办公室"),
])
def test_different_bodies(a, b):
    assert normalise_issuer(a) != normalise_issuer(b)


@pytest.mark.parametrize("name,level", [
    ("某某省人民政府", "省"), ("宁夏回族自治区人民政府", "省"), ("安平市人民政府", "市"), ("长宁县人民政府", "县"),
    ("青川市东湖区人民政府", "区"), ("临川县石门乡人民政府", "乡"), ("临川县江桥镇人民政府", "镇"),
    ("安平市和平区人民政府和平街道办事处", "街道"), ("青川市西山区教育局", "部门"), ("长宁县人民政府办公室", "部门"),
    ("某某县卫生健康委员会", "部门"), ("白马乡", "乡"), ("", None), (None, None), ("某某", None),
])
def test_level(name, level):
    assert level_of(name) == level


def test_normalise_empty():
    assert normalise_issuer(None) == "" and normalise_issuer("  ") == ""


# ------------------------------------------------------------------ the rule on the sample pairs (truth tables)
def test_consistent_pair_no_finding():
    a, _ = truth_report("history-taoyuan-2022")
    b, _ = truth_report("history-taoyuan-2023")
    assert a.issuer != b.issuer and normalise_issuer(a.issuer) == normalise_issuer(b.issuer)
    assert carry_over([a, b]) == []


def test_inconsistent_pair_findings_match_truth():
    a, _ = truth_report("history-jiaotong-2023")
    b, t = truth_report("history-jiaotong-2024")
    fs = carry_over([b, a])
    got = sorted((f.rule, f.table, f.row, f.column, f.expected, f.found) for f in fs)
    want = sorted((e["rule"], e["table"], e["row"], e["column"], e["expected"], e["found"])
                  for e in t["expected_history_findings"])
    assert got == want and len(got) == 2
    f = fs[0]
    assert f.severity == "warning" and f.rule == RULE
    assert f.file == "history-jiaotong-2024.pdf"
    assert "history-jiaotong-2023.pdf" in f.message and "history-jiaotong-2024.pdf" in f.message
    assert "history-jiaotong-2023.pdf" in f.message_en and "上年结转" in f.message
    assert [c["file"] for c in f.cells] == ["history-jiaotong-2024.pdf", "history-jiaotong-2023.pdf"]
    assert [c["row"] for c in f.cells] == ["carried_over", "carried_forward"]


def test_no_finding_for_earlier_report_or_other_years():
    a, _ = truth_report("history-jiaotong-2023")
    b, _ = truth_report("history-jiaotong-2024", year=2025)  # not consecutive
    assert carry_over([a, b]) == []
    c, _ = truth_report("history-jiaotong-2024", issuer="长宁县财政局")  # another body
    assert carry_over([a, c]) == []
    assert carry_over([a]) == []


def test_2019_has_no_prior():
    a, _ = truth_report("history-jiaotong-2023", year=2018)
    b, _ = truth_report("history-jiaotong-2024", year=2019)
    assert carry_over_pair(b, a) == []


def test_across_template_change_requests_only():
    """2020 (2019 template) → 2021: carry-over still compared; active (fee items vs money) never."""
    a, _ = truth_report("history-jiaotong-2023", year=2020)
    a.template = "2019"
    for c in a.cells:
        if c.table == "active" and c.row == "fees":
            c.column, c.value = "items_last_year", 99.0
    b, _ = truth_report("history-jiaotong-2024", year=2021)
    fs = carry_over([b], prior=[a])
    assert {f.table for f in fs} == {"requests"} and len(fs) == 2


def test_blank_cells_not_compared():
    a, _ = truth_report("history-jiaotong-2023")
    b, _ = truth_report("history-jiaotong-2024")
    b.cell("requests", "carried_over", "natural_person").value = None
    assert [f.column for f in carry_over([b], prior=[a])] == ["total"]


# ------------------------------------------------------------------ against the store
def test_against_store_and_refresh(tmp_path):
    from extractor.store import open_store

    a, _ = truth_report("history-jiaotong-2023")
    b, _ = truth_report("history-jiaotong-2024")
    with open_store(tmp_path / "h.duckdb") as store:
        store.add(a, [])
        by = store.history_findings([b])  # a is only in the store
        assert list(by) == [b.sha256] and len(by[b.sha256]) == 2
        store.add(b, by[b.sha256])
        assert store.con.execute("SELECT count(*) FROM findings WHERE rule = ?", [RULE]).fetchone()[0] == 2
        # refresh recomputes, does not duplicate
        assert store.refresh_history() == 2
        assert store.con.execute("SELECT count(*) FROM findings WHERE rule = ?", [RULE]).fetchone()[0] == 2
        n = store.con.execute("SELECT n_warnings FROM reports WHERE sha256 = ?", [b.sha256]).fetchone()[0]
        assert n == 2


def test_refresh_when_last_year_arrives_later(tmp_path):
    from extractor.store import open_store

    a, _ = truth_report("history-jiaotong-2023")
    b, _ = truth_report("history-jiaotong-2024")
    with open_store(tmp_path / "h.duckdb") as store:
        store.add(b, [])
        assert store.history_findings([b]) == {}
        store.add(a, [])
        assert store.refresh_history() == 2
        rows = store.con.execute("SELECT sha256, page FROM findings WHERE rule = ?", [RULE]).fetchall()
        assert {r[0] for r in rows} == {b.sha256}


@pytest.mark.parametrize("pair,n", [(("history-taoyuan-2022", "history-taoyuan-2023"), 0),
                                    (("history-jiaotong-2023", "history-jiaotong-2024"), 2)])
def test_pairs_from_pdfs(pair, n):
    from extractor import extract

    a, b = (extract(SAMPLES / f"{name}.pdf") for name in pair)
    fs = carry_over([a, b])
    assert len(fs) == n
    for f in fs:
        assert f.page and all(c["page"] for c in f.cells)
        assert f"第 {f.cells[1]['page']} 页" in f.message
