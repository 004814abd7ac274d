"""DOCX input: merged cells (gridSpan, vMerge) resolved, paragraphs as narrative, legacy .doc/.wps refused."""

from __future__ import annotations

import json
import shutil

import docx
import pytest

from conftest import ROOT, cell_diffs
from extractor import ReportError, extract, sniff
from extractor.docx_source import W, read_docx, table_grid

FORMATS = ROOT / "samples" / "formats"
DOCX_SAMPLES = sorted(FORMATS.glob("*.docx"))


def _merged_docx(path):
    d = docx.Document()
    d.add_paragraph("某镇人民政府2023年政府信息公开工作年度报告")
    d.add_paragraph("一、总体情况")
    t = d.add_table(rows=4, cols=4)
    t.cell(0, 0).merge(t.cell(0, 3)).text = "第二十条第（一）项"  # gridSpan 4
    t.cell(1, 0).merge(t.cell(3, 0)).text = "信息内容"  # vMerge over three rows
    for c, text in enumerate(("本年制发件数", "本年废止件数", "现行有效件数"), 1):
        t.cell(1, c).text = text
    for r, row in ((2, ("1", "0", "5")), (3, ("2", "1", "7"))):
        for c, text in enumerate(row, 1):
            t.cell(r, c).text = text
    d.add_paragraph("五、存在的主要问题及改进情况")
    d.save(str(path))


def test_grid_span_and_vmerge(tmp_path):
    path = tmp_path / "merged.docx"
    _merged_docx(path)
    tbl = next(docx.Document(str(path)).element.body.iter(W + "tbl"))
    grid = table_grid(tbl, index=1)
    assert grid.n_rows == 4 and grid.n_cols == 4 and grid.method == "docx"
    head = grid.rows[0][0]
    assert head.text == "第二十条第（一）项" and head.colspan == 4 and all(grid.rows[0][c] is head for c in range(4))
    label = grid.rows[1][0]
    assert label.text == "信息内容" and label.rowspan == 3 and grid.rows[3][0] is label
    assert grid.rows[3][3].text == "7" and grid.locator(grid.rows[3][3]) == "table 1, row 4, column 4"


def test_paragraphs_are_the_narrative(tmp_path):
    path = tmp_path / "merged.docx"
    _merged_docx(path)
    doc = read_docx(str(path))
    assert doc.pages[0].split("\n") == ["某镇人民政府2023年政府信息公开工作年度报告", "一、总体情况",
                                        "五、存在的主要问题及改进情况"]
    assert doc.title.startswith("某镇人民政府2023年")


def test_sniffing(tmp_path):
    path = tmp_path / "merged.docx"
    _merged_docx(path)
    renamed = tmp_path / "report.bin"
    shutil.copy(path, renamed)
    assert sniff(str(renamed)) == "docx"
    assert sniff(str(FORMATS / "web-site-utf8-kaifa-2023.shtml")) == "html"
    assert sniff(str(FORMATS / "t2019-ruled-fengle-2019.pdf")) == "pdf"


@pytest.mark.parametrize("path", DOCX_SAMPLES, ids=[p.name for p in DOCX_SAMPLES])
def test_docx_sample_equals_truth(path):
    truth = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    report = extract(path)
    assert cell_diffs(truth["tables"], report.tables_dict()) == []
    assert report.template == truth["template"] and report.source == "docx"
    assert (report.issuer, report.year) == (truth["issuer"], truth["year"])
    assert not report.missing
    cell = report.cell("requests", "total_processed", "total")
    assert cell.method == "docx" and cell.locator.startswith("table 2, row ")


def test_legacy_doc_without_soffice_is_one_line(tmp_path, monkeypatch):
    path = tmp_path / "report.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ReportError) as err:
        extract(path)
    assert err.value.status == "unsupported" and "convert" in err.value.reason and "\n" not in str(err.value)


def test_wps_extension_is_legacy(tmp_path, monkeypatch):
    path = tmp_path / "report.wps"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ReportError, match="docx"):
        extract(path)


def test_damaged_docx_is_one_line(tmp_path):
    import zipfile

    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<w:document>not closed")
    with pytest.raises(ReportError) as err:
        extract(path)
    assert "DOCX" in err.value.reason and "\n" not in str(err.value)


def test_zip_that_is_not_a_docx(tmp_path):
    import zipfile

    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(ReportError) as err:
        extract(path)
    assert err.value.status == "unsupported"
