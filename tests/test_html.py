"""HTML input: encodings, Word/CMS markup quirks, finding the report among layout tables, spans, truth."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT, cell_diffs
from extractor import ReportError, extract
from extractor.html_source import cell_text, decode_html, parse_html, read_html, table_grid

FORMATS = ROOT / "samples" / "formats"
HTML_SAMPLES = sorted(p for ext in ("*.html", "*.htm", "*.shtml") for p in FORMATS.glob(ext))
REAL_PAGES = ("shuyang-fgj-2023.html", "pingtan-zhz-2025.html")

REQUESTS_HEAD = ("<tr><td rowspan=3 colspan=3>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>"
                 "<td colspan=7>申请人情况</td></tr>"
                 "<tr><td rowspan=2>自然人</td><td colspan=5>法人或其他组织</td><td rowspan=2>总计</td></tr>"
                 "<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>")


def _requests_table(new_row: str = "<td>3</td>" * 6 + "<td>18</td>") -> str:
    return ("<table border=1>" + REQUESTS_HEAD +
            f"<tr><td colspan=3>一、本年新收政府信息公开申请数量</td>{new_row}</tr>"
            "<tr><td colspan=3>二、上年结转政府信息公开申请数量</td>" + "<td>0</td>" * 7 + "</tr></table>")


# ---------------------------------------------------------------- encodings
def test_gbk_declared_in_meta():
    page = '<html><head><meta http-equiv=Content-Type content="text/html; charset=gb2312"></head><body>规章</body></html>'
    text, enc = decode_html(page.encode("gbk"))
    assert "规章" in text and enc == "gb18030"


def test_gbk_undeclared_is_detected():
    body = "<html><body><p>" + "本机关二〇二三年收到政府信息公开申请十八件，均已按期答复。" * 8 + "</p></body></html>"
    text, enc = decode_html(body.encode("gbk"))
    assert "收到政府信息公开申请十八件" in text
    assert enc in ("gb18030", "gbk", "gb2312")


def test_declared_utf8_but_really_gbk_falls_back():
    page = '<html><head><meta charset="utf-8"></head><body><p>' + "政府信息公开工作年度报告" * 10 + "</p></body></html>"
    text, _ = decode_html(page.encode("gbk"))
    assert "政府信息公开工作年度报告" in text


def test_utf8_bom():
    text, enc = decode_html("\ufeff<html><body>自然人</body></html>".encode("utf-8-sig"))
    assert enc == "utf-8" and text.startswith("<html>")


# ---------------------------------------------------------------- cell text
def _td(markup: str):
    root = parse_html(f"<html><body><table><tr>{markup}</tr></table></body></html>")
    return next(root.iter("td"))


def test_word_cell_markup_is_cleaned():
    td = _td("<td><p class=MsoNormal align=center><![if !supportLists]><span>本年新收政府</span><![endif]>"
             "<span style='font-family:宋体'>信息公开申请数量<span lang=EN-US><o:p></o:p></span></span></p>"
             "<!--[if gte mso 9]><xml><w:junk>99</w:junk></xml><![endif]--></td>")
    assert cell_text(td) == "本年新收政府信息公开申请数量"


def test_nbsp_padding_and_empty_cells():
    assert cell_text(_td("<td><p>&nbsp;&nbsp;0&nbsp;</p></td>")) == "0"
    assert cell_text(_td("<td><p class=MsoNormal><span lang=EN-US>&nbsp;<o:p></o:p></span></p></td>")) == ""
    assert cell_text(_td("<td>本年制发件数&nbsp;</td>")) == "本年制发件数"


def test_br_and_paragraphs_are_line_breaks():
    assert cell_text(_td("<td><p>社会</p><p>公益<br>组织</p></td>")) == "社会\n公益\n组织"


# ---------------------------------------------------------------- tables and spans
def test_rowspan_colspan_resolved_into_one_cell_per_span():
    root = parse_html("<html><body>" + _requests_table() + "</body></html>")
    grid = table_grid(next(root.iter("table")), index=1)
    assert grid.n_cols == 10 and grid.n_rows == 5
    note = grid.rows[0][0]
    assert note.rowspan == 3 and note.colspan == 3
    assert all(grid.rows[r][c] is note for r in range(3) for c in range(3))
    assert grid.rows[1][3].text == "自然人" and grid.rows[2][3] is grid.rows[1][3]
    assert grid.rows[2][4].text == "商业企业" and grid.rows[3][9].text == "18"
    assert grid.locator(grid.rows[3][9]) == "table 1, row 4, column 10"


def test_report_found_inside_nested_layout_tables_and_menus(tmp_path):
    menu = "".join(f"<tr><td><a href='#'>{x}</a></td></tr>" for x in ("行政许可", "行政处罚", "行政强制", "予以公开"))
    page = ("<html><head><meta charset='utf-8'><title>某县某局2023年政府信息公开工作年度报告</title></head><body>"
            "<div class=nav><ul><li>首页</li><li>信息公开</li></ul></div>"
            f"<table class=layout><tr><td><table class=menu>{menu}</table></td><td>"
            "<h1>某县某局2023年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>全年共收到申请18件。</p>"
            "<p>三、收到和处理政府信息公开申请情况</p>"
            f"<table><tr><td><div>{_requests_table()}</div></td></tr></table>"
            "<p>四、政府信息公开行政复议、行政诉讼情况</p></td></tr></table>"
            "<table class=footer><tr><td>版权所有</td><td>行政复议 行政诉讼</td></tr></table></body></html>")
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    doc = read_html(str(path))
    assert [g.index for g in doc.grids] == [4]  # layout 1, menu 2, wrapper 3, report 4, footer 5
    assert doc.all_tables == 5
    lines = doc.pages[0].split("\n")
    assert lines[0] == "某县某局2023年政府信息公开工作年度报告"
    assert lines.index("一、总体情况") < lines.index("全年共收到申请18件。") < lines.index("四、政府信息公开行政复议、行政诉讼情况")
    assert "行政许可" not in doc.pages[0] and "版权所有" not in doc.pages[0]
    report = extract(path)
    assert report.source == "html" and report.issuer == "某县某局" and report.year == 2023
    new = report.cell("requests", "new", "total")
    assert new.value == 18 and new.method == "html" and new.page is None and new.bbox is None
    assert new.locator == "table 4, row 4, column 10" and new.raw == "18"


def test_page_without_report_tables_is_one_line(tmp_path):
    path = tmp_path / "news.html"
    path.write_text("<html><body><table><tr><td>新闻</td><td>2024-01-02</td></tr></table></body></html>",
                    encoding="utf-8")
    with pytest.raises(ReportError) as err:
        extract(path)
    assert err.value.status == "not_a_report" and "\n" not in str(err.value)


# ---------------------------------------------------------------- samples and real pages, cell for cell
@pytest.mark.parametrize("path", HTML_SAMPLES, ids=[p.name for p in HTML_SAMPLES])
def test_html_sample_equals_truth(path):
    truth = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    report = extract(path)
    assert cell_diffs(truth["tables"], report.tables_dict()) == []
    assert report.template == truth["template"] and report.source == "html"
    assert (report.issuer, report.year) == (truth["issuer"], truth["year"])
    assert not report.missing
    assert all(c.locator.startswith("table ") for c in report.cells)
    for n in truth["narrative"]:
        assert "".join(n["sentence"].split()) in "".join(report.pages[0].split())


@pytest.mark.parametrize("name", REAL_PAGES)
def test_real_page_equals_truth(real_dir, name):
    path = real_dir / name
    truth = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    report = extract(path)
    assert cell_diffs(truth["tables"], report.tables_dict()) == []
    assert report.template == truth["template"] == "2021"
    assert (report.issuer, report.year) == (truth["issuer"], truth["year"])


def test_real_shuyang_blank_legal_person_columns_are_blank_not_zero(real_dir):
    report = extract(real_dir / "shuyang-fgj-2023.html")
    cell = report.cell("requests", "new", "commercial")
    assert cell.value is None and cell.kind == "blank"


def test_cli_json_same_shape_as_pdf():
    html = FORMATS / "web-word-gbk-shuangqiao-2023.html"
    pdf = sorted((ROOT / "samples").glob("word-ruled-*.pdf"))[0]
    out = {}
    for path in (html, pdf):
        proc = subprocess.run([sys.executable, "-m", "extractor.cli", "extract", str(path), "--json"],
                              capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert proc.returncode == 0, proc.stderr
        out[path.suffix] = json.loads(proc.stdout)
    h, p = out[".html"], out[".pdf"]
    assert set(h) == set(p) and h["source"] == "html" and p["source"] == "pdf"
    assert set(h["cells"][0]) == set(p["cells"][0])
    assert {t: set(rows) for t, rows in h["tables"].items()} == {t: set(rows) for t, rows in p["tables"].items()}


def test_utf8_page_mislabelled_gb2312_stays_utf8():
    page = '<html><head><meta charset="gb2312"></head><body><p>本年新收政府信息公开申请数量</p></body></html>'
    text, enc = decode_html(page.encode("utf-8"))
    assert "本年新收政府信息公开申请数量" in text and enc == "utf-8"
