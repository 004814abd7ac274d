"""The 2019–2020 template end to end: detection from the tables, table 二's own keys, the signed
本年增/减 column, (六)其他处理 as one row, deviations for mixed or late use, pre-2019 refused."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, cell_diffs
from extractor import ReportError, extract
from extractor.grid import grid_from_matrix
from extractor.mapping import detect_template, is_pre_2019, map_active, template_scores
from extractor.report_builder import build_report

FORMATS = ROOT / "samples" / "formats"
SAMPLES_2019 = sorted(p for p in FORMATS.glob("*.json") if json.loads(p.read_text(encoding="utf-8"))["template"] == "2019")
FILES_2019 = [next(p.parent.glob(p.stem + ".[!j]*")) for p in SAMPLES_2019]


def active_2019(change=("+14", "-3", "减4", "0", "+2")) -> list[list]:
    """Table 二 of the 2019 template as a text matrix (None = slot covered by the cell to the left)."""
    rows = [["第二十条第（一）项", None, None, None],
            ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
            ["规章", "0", "0", "0"], ["规范性文件", "3", "3", "12"],
            ["第二十条第（五）项", None, None, None],
            ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
            ["行政许可", "40", change[0], "120"], ["其他对外管理服务事项", "6", change[1], "9"],
            ["第二十条第（六）项", None, None, None],
            ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
            ["行政处罚", "20", change[2], "33"], ["行政强制", "2", change[3], "1"],
            ["第二十条第（八）项", None, None, None],
            ["信息内容", "上一年项目数量", "本年增/减", None], ["行政事业性收费", "5", change[4], None],
            ["第二十条第（九）项", None, None, None],
            ["信息内容", "采购项目数量", "采购总金额", None], ["政府集中采购", "7", "372.04", None]]
    return rows


def active_2021() -> list[list]:
    return [["第二十条第（一）项", None, None, None],
            ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            ["规章", "0", "0", "0"], ["行政规范性文件", "3", "1", "12"],
            ["第二十条第（五）项", None, None, None], ["信息内容", "本年处理决定数量", None, None],
            ["行政许可", "120", None, None],
            ["第二十条第（八）项", None, None, None], ["信息内容", "本年收费金额（单位：万元）", None, None],
            ["行政事业性收费", "0.5", None, None]]


def test_detects_2019_and_2021_from_headers():
    assert detect_template([grid_from_matrix(active_2019(), "html", 1)]) == "2019"
    assert detect_template([grid_from_matrix(active_2021(), "html", 1)]) == "2021"


def test_signed_column_and_procurement():
    grid = grid_from_matrix(active_2019(), "html", 1)
    cells = {(c.row, c.column): c for c in map_active([grid], "2019").cells}
    assert len(cells) == 3 * 2 + 3 * 4 + 2 + 2
    assert cells[("licensing", "items_change")].value == 14
    assert cells[("other_services", "items_change")].value == -3
    punish = cells[("punishment", "items_change")]
    assert punish.value == -4 and punish.raw == "减4" and punish.kind == "number"
    assert cells[("fees", "items_change")].value == 2 and cells[("fees", "items_last_year")].value == 5
    amount = cells[("procurement", "amount")]
    assert amount.value == pytest.approx(372.04) and amount.raw == "372.04"
    assert cells[("procurement", "projects")].value == 7
    assert cells[("normative_documents", "published_total")].value == 12
    assert all(c.mapped_by == "label" for c in cells.values())


def test_signed_words_only_in_the_signed_column():
    grid = grid_from_matrix(active_2019(), "html", 1)
    cells = {(c.row, c.column): c for c in map_active([grid], "2019").cells}
    assert cells[("licensing", "decisions")].value == 120
    from extractor.numbers import read_number
    assert read_number("减4") == (None, "unreadable")  # a count column never reads a sign word


def test_late_report_in_2019_layout_is_a_deviation():
    grid = grid_from_matrix(active_2019(), "html", 1)
    report = build_report([grid], ["某镇人民政府2022年政府信息公开工作年度报告"], "x.html", "", "html")
    assert report.template == "2019" and report.year == 2022
    assert any("2022 report printed in the 2019 layout" in d["what"] for d in report.deviations)
    assert report.cell("active", "licensing", "items_change").value == 14


def test_mixed_layout_is_mapped_by_labels_with_a_deviation():
    mixed = active_2021() + active_2019()[15:]  # a 2021 table 二 with the 2019 procurement block
    grid = grid_from_matrix(mixed, "html", 1)
    s2019, s2021 = template_scores([grid])
    assert s2019 and s2021
    report = build_report([grid], ["某局2023年政府信息公开工作年度报告"], "x.html", "", "html")
    assert report.template == "2021"
    assert any("mixes the 2019 and 2021 layouts" in d["what"] for d in report.deviations)
    assert report.cell("active", "licensing", "decisions").value == 120


def test_2019_report_without_deviation():
    path = FORMATS / "web-word-undeclared-2019-taoyuan-2020.htm"
    report = extract(path)
    assert report.template == "2019" and report.year == 2020 and report.deviations == []
    assert report.combined_other and report.cell("requests", "other_other", "total") is None
    assert report.to_dict()["template"] == "2019"


PRE_2019_ROWS = [("统计指标", "单位", "统计数"), ("一、主动公开情况", "", ""), ("（一）主动公开政府信息数", "条", "356"),
                 ("其中：主动公开规范性文件数", "条", "12"), ("三、依申请公开情况", "", ""), ("（一）收到申请数", "件", "9"),
                 ("1.当面申请数", "件", "3"), ("2.传真申请数", "件", "0"), ("3.网络申请数", "件", "5"),
                 ("4.信函申请数", "件", "1"), ("（二）申请办结数", "件", "9"), ("1.按时办结数", "件", "9"),
                 ("2.延期办结数", "件", "0"), ("（三）申请答复数", "件", "9"), ("2.同意公开答复数", "件", "6"),
                 ("四、行政复议数量", "件", "0"), ("（一）维持具体行政行为数", "件", "0"), ("（二）被依法纠错数", "件", "0"),
                 ("五、行政诉讼数量", "件", "0"), ("六、举报投诉数量", "件", "0"),
                 ("（一）政府信息公开专门机构数", "个", "1"), ("（三）从事政府信息公开工作人员数", "人", "2")]


def test_pre_2019_report_is_unsupported_in_one_line(tmp_path):
    rows = "".join(f"<tr><td>{a}</td><td>{b}</td><td>{c}</td></tr>" for a, b, c in PRE_2019_ROWS)
    page = ("<html><head><meta charset='utf-8'></head><body><h1>某县人民政府2017年政府信息公开工作年度报告</h1>"
            "<p>一、概述</p><p>附表：政府信息公开情况统计表</p>"
            f"<table border=1>{rows}</table></body></html>")
    path = tmp_path / "old.html"
    path.write_text(page, encoding="utf-8")
    with pytest.raises(ReportError) as err:
        extract(path)
    assert err.value.status == "unsupported"
    assert "pre-2019" in err.value.reason and "\n" not in str(err.value)


def test_pre_2019_signals_do_not_fire_on_current_reports():
    texts = ["申请人情况 自然人 本年新收政府信息公开申请数量 结转下年度继续办理 当面申请数 网络申请数 信函申请数"]
    assert not is_pre_2019(texts)
    assert is_pre_2019([" ".join(a for a, _, _ in PRE_2019_ROWS)])



@pytest.mark.parametrize("path", FILES_2019, ids=[p.name for p in FILES_2019])
def test_2019_sample_equals_truth(path):
    truth = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    report = extract(path)
    assert cell_diffs(truth["tables"], report.tables_dict()) == []
    assert report.template == "2019" and "other_combined" in report.tables_dict()["requests"]
    assert (report.issuer, report.year) == (truth["issuer"], truth["year"])
    assert not report.missing and report.deviations == []
