"""Supervision rules (schemas/supervision.py): completeness, timeliness, copied text, repeated tables,
changed after publication — on samples/supervision/ (each truth's expected_supervision_findings), their
controls, the existing samples as controls, heading variants and the three date sources."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

from schemas import supervision as S
from schemas.messages import MESSAGES
from schemas.report import Report
from schemas.validate import SEVERITY, validate

ROOT = Path(__file__).resolve().parents[1]
SUP = ROOT / "samples" / "supervision"
SUP_FILES = sorted(p for p in SUP.glob("*.*") if p.suffix != ".json")
SINGLE_RULES = (S.SECTION_MISSING, S.FEE_MISSING, S.LATE)


@lru_cache(maxsize=None)
def extracted(path: str) -> Report:
    from extractor import extract

    return extract(path)


def truth(path: Path) -> dict:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def sup_report(name: str) -> Report:
    return extracted(str(next(p for p in SUP_FILES if p.stem == name)))


def single(findings):
    return [f for f in findings if f.rule in SINGLE_RULES]


# ------------------------------------------------------------------ the rule ids
def test_rules_registered_with_severity_and_messages():
    for rule in S.RULES:
        assert SEVERITY[rule] == "warning" and rule in MESSAGES
    assert {S.family(r) for r in S.RULES} == {"completeness", "timeliness", "history"}
    assert S.family("requests.balance") == S.family("relations.root_cell") == "arithmetic"
    assert S.family("narrative.mismatch") is None and S.family("history.carry_over") == "history"


# ------------------------------------------------------------------ single-report rules on every supervision sample
@pytest.mark.parametrize("path", SUP_FILES, ids=[p.name for p in SUP_FILES])
def test_single_report_rules_match_truth(path):
    t = truth(path)
    fs = single(validate(extracted(str(path))))
    want = [e for e in t["expected_supervision_findings"] if e["rule"] in SINGLE_RULES]
    assert sorted(f.rule for f in fs) == sorted(e["rule"] for e in want), [f.message for f in fs]
    assert not [f for f in validate(extracted(str(path))) if f.severity == "error"]
    for f, e in zip(sorted(fs, key=lambda f: f.rule), sorted(want, key=lambda e: e["rule"])):
        assert f.file == e["file"] == path.name and f.severity == "warning"
        assert f.message and f.message_en
        if e["rule"] == S.SECTION_MISSING:
            assert e["title"] in f.message and f"part {S.TITLES_EN[e['section']]}" in f.message_en
        elif e["rule"] == S.FEE_MISSING:
            assert "信息处理费" in f.message and f.quote.startswith("六")
        else:
            assert e["date"] in f.message_en and e["deadline"] in f.message_en and f.found == e["days"]
            assert f"{e['days']} 天" in f.message and f.quote


def test_section_missing_names_part_five_only():
    fs = single(validate(sup_report("sup-no-section5-shijian-2023")))
    assert [(f.rule, f.message) for f in fs] == [(S.SECTION_MISSING, MESSAGES[S.SECTION_MISSING][0].format(
        title="五、存在的主要问题及改进情况"))]
    # part 四 was printed in its variant wording and is found
    assert 4 in {s["number"] for s in S.sections(sup_report("sup-no-section5-shijian-2023"))}


def test_fee_rule_ignores_table_fee_row():
    r = sup_report("sup-no-fee-weijian-2023")
    assert r.cell("active", "fees", "amount").value > 0  # money in table 二: not a fee statement
    assert [f.rule for f in single(validate(r))] == [S.FEE_MISSING]


# ------------------------------------------------------------------ controls
CONTROLS = ["sup-timely-shuili-2023", "sup-clean-kangxi-huanbao-2023", "sup-clean-variants-docx-gongan-2023",
            "sup-fresh-nongye-2022", "sup-fresh-nongye-2023"]


@pytest.mark.parametrize("name", CONTROLS)
def test_controls_get_no_supervision_finding(name):
    r = sup_report(name)
    assert [s["number"] for s in S.sections(r)] == [1, 2, 3, 4, 5, 6]
    assert single(validate(r)) == []


EXISTING = sorted([*(ROOT / "samples").glob("*.pdf"), *(ROOT / "samples" / "formats").glob("*.*")])
EXISTING = [p for p in EXISTING if p.suffix != ".json"]


@pytest.mark.parametrize("path", EXISTING, ids=[p.name for p in EXISTING])
def test_existing_samples_are_complete_and_timely(path):
    r = extracted(str(path))
    assert [s["number"] for s in S.sections(r)] == [1, 2, 3, 4, 5, 6]
    assert single(validate(r)) == []


def test_real_reports_complete_and_timely(real_dir):
    for name in ("hongze-2023.pdf", "pingtan-zhz-2025.html", "shuyang-fgj-2023.html"):
        r = extracted(str(real_dir / name))
        assert single(validate(r)) == [], name
    # 未发生收费情况 / 没有产生信息公开处理费 count as the fee statement
    assert S.fee_statement("2023年度，县发展和改革局政府信息公开未发生收费情况。")
    assert S.fee_statement("我局本年度没有产生信息公开处理费。")


# ------------------------------------------------------------------ headings
@pytest.mark.parametrize("line,n", [
    ("一、总体情况", 1), ("⼀、总体情况", 1), ("一．总体情况", 1), ("一 、 总 体 情 况", 1),
    ("二、主动公开政府信息情况", 2), ("三、收到和处理政府信息公开申请情况", 3),
    ("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", 4), ("四、政府信息公开行政复议、行政诉讼情况", 4),
    ("五、政府信息公开工作存在的主要问题及改进情况", 5), ("五、存在的主要问题及改进措施", 5), ("五、存在的不足及改进措施", 5),
    ("六、其他需要报告的事项", 6), ("⼋、其他需要报告的事项", None),
    # table rows and body text that start with a numeral are not headings
    ("一、本年新收政府信息公开申请数量", None), ("二、上年结转政府信息公开申请数量", None), ("三、本年度办理结果", None),
    ("四、结转下年度继续办理", None), ("一是完善制度", None),
])
def test_heading_variants(line, n):
    assert S.heading_number(line) == n


def test_heading_cut_over_two_lines():
    assert S.heading_number("六、其他需要", "报告的事项") == 6


def test_kangxi_headings_found_in_pdf():
    r = sup_report("sup-clean-kangxi-huanbao-2023")
    heads = {s["number"]: s["heading"] for s in S.sections(r)}
    assert any(ord(ch) >= 0x2F00 and ord(ch) <= 0x2FDF for h in heads.values() for ch in h)  # printed as Kangxi
    assert len(heads) == 6


# ------------------------------------------------------------------ dates: HTML, PDF, DOCX
def test_date_from_html_page():
    pub = S.publication_date(sup_report("sup-late-web-linchuan-2023"))
    assert (str(pub.date), pub.source, pub.label) == ("2024-04-08", "page", "发布时间")  # not the signature (3月25日)
    f = single(validate(sup_report("sup-late-web-linchuan-2023")))[0]
    assert "网页发布时间" in f.message and "县级以上人民政府" in f.message and "2024年3月31日" in f.message


def test_date_from_pdf_signature_with_page():
    r = sup_report("sup-late-minzheng-2023")
    pub = S.publication_date(r)
    assert (str(pub.date), pub.source, pub.page) == ("2024-03-05", "signature", len(r.pages))
    f = single(validate(r))[0]
    assert f.page == len(r.pages) and f"第 {len(r.pages)} 页落款日期" in f.message and "政府部门" in f.message


def test_date_from_docx_signature_chinese_numerals():
    pub = S.publication_date(sup_report("sup-late-docx-shenji-2023"))
    assert (str(pub.date), pub.source, pub.line) == ("2024-02-06", "signature", "二〇二四年二月六日")


def test_existing_html_publication_line():
    from conftest import SAMPLES
    pub = S.publication_date(extracted(str(SAMPLES / "formats" / "web-site-utf8-kaifa-2023.shtml")))
    assert (str(pub.date), pub.label) == ("2024-01-10", "发布时间")  # 发布时间, not the later 成文日期


def test_no_date_or_unclear_level_no_finding():
    r = Report(file="x.pdf", sha256="x", issuer="长宁县民政局", year=2023, template="2021",
               pages=["一、总体情况\n正文。\n长宁县民政局"])
    assert S.publication_date(r) is None and S.timeliness_findings(r) == []
    r.pages = ["一、总体情况\n正文。\n长宁县民政局\n2024年6月1日"]
    assert [f.rule for f in S.timeliness_findings(r)] == [S.LATE]
    for issuer in ("临川县江桥镇人民政府", "某某", None):  # 乡镇: no date in 第四十九条; unclear: none
        r.issuer = issuer
        assert S.timeliness_findings(r) == []
    r.issuer = "长宁县人民政府"  # a county government: 3月31日
    assert S.timeliness_findings(r)[0].found == (S.dt.date(2024, 6, 1) - S.dt.date(2024, 3, 31)).days


@pytest.mark.parametrize("text,date", [("2024年1月15日", "2024-01-15"), ("2024 年 1 月 15 日", "2024-01-15"),
                                       ("发布时间：2024-01-09 10:00", "2024-01-09"), ("2024/2/3", "2024-02-03"),
                                       ("二〇二四年一月十五日", "2024-01-15"), ("二〇二三年十二月三十一日", "2023-12-31")])
def test_parse_date(text, date):
    assert str(S.parse_date(text)) == date


# ------------------------------------------------------------------ history rules
@lru_cache(maxsize=None)
def batch_history():
    reports = [extracted(str(p)) for p in SUP_FILES]
    return reports, S.history_findings(reports)


def test_history_rules_match_truth():
    reports, found = batch_history()
    for r, path in zip(reports, SUP_FILES):
        want = [e for e in truth(path)["expected_supervision_findings"] if e["rule"] in S.HISTORY_RULES]
        got = found.get(r.sha256, [])
        assert sorted(f.rule for f in got) == sorted(e["rule"] for e in want), (path.name, [f.message for f in got])
        for f, e in zip(got, want):
            assert f.file == path.name and f.severity == "warning"
            if e["rule"] == S.COPIED:
                assert f.found >= e["min_share"] and e["prior"] in f.message and e["passage"] in f.quote
                assert f"{S.json_number(f.found)}%" in f.message and f.quote[:20] in f.message
            elif e["rule"] == S.REPEATED:
                assert e["prior"] in f.message and e["prior"] in f.message_en
            else:
                assert e["other"] in f.message and path.name == f.file
                assert [(c["table"], c["row"], c["column"]) for c in f.cells] == \
                    [(c["table"], c["row"], c["column"]) for c in e["cells"]]
                assert [f.cells[0]["value"], f.cells[0]["other_value"]] == e["values"]
                assert "表二\"行政强制\"行" in f.message


def test_copied_share_and_control_pair():
    a, b = sup_report("sup-copied-jiaoyu-2022"), sup_report("sup-copied-jiaoyu-2023")
    share, passage, page = S.copied_share(b, a)
    assert share >= 0.9 and len(passage) > 100 and page
    a, b = sup_report("sup-fresh-nongye-2022"), sup_report("sup-fresh-nongye-2023")
    assert S.copied_share(b, a)[0] < 0.5 and S.copied_text_pair(b, a) == []
    # digits and years are normalised: the same sentence with other figures is the same text
    assert S.normalise_sentence("2023年，共收到申请12件。") == S.normalise_sentence("2024 年,共收到申请 7 件")


def test_repeated_needs_a_nonzero_number_and_same_keys():
    a, b = sup_report("sup-repeated-linye-2022"), sup_report("sup-repeated-linye-2023")
    assert [f.rule for f in S.repeated_tables_pair(b, a)] == [S.REPEATED]
    assert S.repeated_tables_pair(b, sup_report("sup-fresh-nongye-2022")) == []
    zero = Report(file="z", sha256="z", issuer="x", year=2023, template="2021",
                  cells=[c.__class__(**{**c.__dict__, "value": 0.0}) for c in a.cells])
    zero_prior = Report(file="y", sha256="y", issuer="x", year=2022, template="2021", cells=zero.cells)
    assert S.repeated_tables_pair(zero, zero_prior) == []


def test_same_report_in_two_formats_is_not_changed():
    """error-requests-balance.pdf and its HTML version: same numbers, same narrative parts 一, 五, 六."""
    from conftest import SAMPLES
    a = extracted(str(SAMPLES / "error-requests-balance.pdf"))
    b = extracted(str(SAMPLES / "formats" / "web-error-requests-balance.html"))
    assert S.changed_pair(a, b) == [] and S.changed_pair(b, a) == []


def test_existing_history_pairs_share_the_generator_text():
    """The history pairs use data.narrative's wording both years: copied, which the rule says."""
    from conftest import SAMPLES
    reps = [extracted(str(SAMPLES / f"history-taoyuan-{y}.pdf")) for y in (2022, 2023)]
    found = S.history_findings(reps)
    assert [f.rule for f in found[reps[1].sha256]] == [S.COPIED] and reps[0].sha256 not in found


# ------------------------------------------------------------------ through the store and the audit
def test_store_keeps_sections_and_finds_history(tmp_path):
    from extractor.store import open_store

    a, b = sup_report("sup-copied-jiaoyu-2022"), sup_report("sup-copied-jiaoyu-2023")
    v1, v2 = sup_report("sup-twice-tongji-2023-v1"), sup_report("sup-twice-tongji-2023-v2")
    with open_store(tmp_path / "s.duckdb") as store:
        store.add(a, validate(a))
        store.add(v1, validate(v1))
        stored = store.sections_of(a.sha256)
        assert [s["number"] for s in stored] == [1, 2, 3, 4, 5, 6] and "主动公开" in stored[0]["text"]
        by = store.history_findings([b, v2])  # last year and the first file only in the store
        assert [f.rule for f in by[b.sha256]] == [S.COPIED]
        assert [f.rule for f in by[v2.sha256]] == [S.CHANGED]
        store.add(b, validate(b) + by[b.sha256])
        store.add(v2, validate(v2) + by[v2.sha256])
        assert store.refresh_history() == 3  # copied (b) + changed on each file of the pair
        rules = store.con.execute("SELECT rule, count(*) FROM findings WHERE rule LIKE 'history.%' GROUP BY rule "
                                  "ORDER BY rule").fetchall()
        assert rules == [(S.CHANGED, 2), (S.COPIED, 1)]
    from extractor.store import load_dataset
    f = load_dataset(tmp_path / "s.duckdb")["findings"]
    assert set(f[f["rule"] == S.COPIED]["file"]) == {b.file}


def test_audit_summary_family_columns(tmp_path):
    """The audit runs the history rules across the batch and counts each family in the summary."""
    import shutil
    import subprocess
    import sys

    from openpyxl import load_workbook

    folder = tmp_path / "in"
    folder.mkdir()
    names = ["sup-no-section5-shijian-2023.pdf", "sup-late-web-linchuan-2023.shtml", "sup-copied-jiaoyu-2022.pdf",
             "sup-copied-jiaoyu-2023.pdf"]
    for n in names:  # the audit collects .html/.htm from folders (not .shtml): the page under an .html name
        shutil.copy(SUP / n, folder / n.replace(".shtml", ".html"))
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "extractor.cli", "audit", str(folder), "--out", str(out),
                           "--workers", "2"], capture_output=True, text=True, cwd=ROOT, env={
                               **__import__("os").environ, "COLUMNS": "250"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    got = {(Path(r["file"]).name, r["rule"]) for r in rows}
    assert got == {("sup-no-section5-shijian-2023.pdf", S.SECTION_MISSING),
                   ("sup-late-web-linchuan-2023.html", S.LATE),
                   ("sup-copied-jiaoyu-2023.pdf", S.COPIED)}
    ws = load_workbook(out / "audit.xlsx")["汇总"]
    head = [c.value for c in ws[1]]
    assert {"勾稽", "完整性", "及时性", "跨年"} <= set(head)
    by = {Path(r[0]).name: dict(zip(head, r)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert by["sup-no-section5-shijian-2023.pdf"]["完整性"] == 1
    assert by["sup-late-web-linchuan-2023.html"]["及时性"] == 1
    assert by["sup-copied-jiaoyu-2023.pdf"]["跨年"] == 1 and by["sup-copied-jiaoyu-2022.pdf"]["跨年"] == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<th>完整性</th><th>及时性</th><th>跨年</th>" in html and "history.copied_text" in html
    assert "完整性" in proc.stdout and "跨年" in proc.stdout
