"""Layout `word-ruled`: fill the 2021 template .docx with python-docx and print it with LibreOffice.

This is how most real reports are made (Word/WPS → PDF): ruled tables with merged label cells,
宋体-like serif text, the requests table breaking wherever the word processor puts the page end.
"""

from __future__ import annotations

import copy
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from samples.data import cell_text, request_rows

TEMPLATE = Path(__file__).resolve().parents[2] / "shared" / "spec" / "template-2021.docx"  # ../shared beside the checkout
SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"


def _fonts(el, name: str = SERIF) -> None:
    for rf in el.iter(qn("w:rFonts")):
        for a in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            rf.set(qn(a), name)
        for a in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            if rf.get(qn(a)) is not None:
                del rf.attrib[qn(a)]


def _set_run_font(run, size: float, name: str = SERIF, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    rf = rpr.find(qn("w:rFonts"))
    if rf is None:
        rf = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rf)
    for a in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        rf.set(qn(a), name)


def _set_cell(cell, text: str, size: float = 9, bold: bool = False, align=WD_ALIGN_PARAGRAPH.CENTER) -> None:
    paras = cell.paragraphs
    for p in paras[1:]:
        p._element.getparent().remove(p._element)
    p = paras[0]
    for r in list(p.runs):
        r._element.getparent().remove(r._element)
    for ch in list(p._element):
        if ch.tag != qn("w:pPr"):
            p._element.remove(ch)
    p.alignment = align
    lines = text.split("\n")
    for i, line in enumerate(lines):
        run = p.add_run(line)
        _set_run_font(run, size, bold=bold)
        if i < len(lines) - 1:
            run.add_break()


def _insert_after(par: Paragraph, text: str, size: float = 12, bold=False, indent=True, name=SERIF,
                  align=None) -> Paragraph:
    new = copy.deepcopy(par._element)
    for ch in list(new):
        if ch.tag != qn("w:pPr"):
            new.remove(ch)
    par._element.addnext(new)
    p = Paragraph(new, par._parent)
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if align is None else align
    p.paragraph_format.first_line_indent = Pt(size * 2) if indent else Pt(0)
    p.paragraph_format.line_spacing = 1.3
    p.paragraph_format.space_before = Pt(0)
    p.paragraph_format.space_after = Pt(0)
    run = p.add_run(text)
    _set_run_font(run, size, name=name, bold=bold)
    return p


def _set_par(par: Paragraph, text: str, size: float, bold=False, name=SERIF, align=None, indent=False) -> None:
    for r in list(par.runs):
        r._element.getparent().remove(r._element)
    run = par.add_run(text)
    _set_run_font(run, size, name=name, bold=bold)
    par.alignment = WD_ALIGN_PARAGRAPH.LEFT if align is None else align
    par.paragraph_format.space_before = Pt(6)
    par.paragraph_format.space_after = Pt(3)
    par.paragraph_format.first_line_indent = Pt(size * 2) if indent else Pt(0)


def build_docx(spec: dict, out: Path) -> None:
    d = docx.Document(str(TEMPLATE))
    _fonts(d.element)
    _fonts(d.styles.element)
    body_pars = d.paragraphs
    by_text = {p.text.strip(): p for p in body_pars if p.text.strip()}

    title = by_text["政府信息公开工作年度报告格式模板"]
    _set_par(title, f"{spec['issuer']}{spec['year']}年政府信息公开工作年度报告", 16, bold=True, name=SANS,
             align=WD_ALIGN_PARAGRAPH.CENTER)
    _insert_after(title, spec["intro"])

    headings = {1: "一、总体情况", 2: "二、主动公开政府信息情况", 3: "三、收到和处理政府信息公开申请情况",
                4: "四、政府信息公开行政复议、行政诉讼情况", 5: "五、存在的主要问题及改进情况", 6: "六、其他需要报告的事项"}
    head_pars = {}
    for n, h in headings.items():
        p = by_text[h]
        _set_par(p, spec.get("headings", {}).get(n, h), 12, bold=True, name=SANS, indent=True)
        head_pars[n] = p
    # drop the placeholder paragraphs (文字描述…) and insert the narrative after each heading
    for p in body_pars:
        if p.text.strip().startswith("（文字描述"):
            p._element.getparent().remove(p._element)
    for n in (1, 5, 6):
        anchor = head_pars[n]
        for text in spec["sections"][n]:
            anchor = _insert_after(anchor, text)
    # remove runs of empty paragraphs (the template has up to nine) – keep one
    prev_empty = False
    for el in list(d.element.body):
        if el.tag == qn("w:p"):
            empty = not "".join(t.text or "" for t in el.iter(qn("w:t"))).strip() and el.find(".//" + qn("w:sectPr")) is None
            if empty and prev_empty:
                el.getparent().remove(el)
                continue
            prev_empty = empty
        else:
            prev_empty = False
    # signature and date
    last = head_pars[6]
    for p in d.paragraphs:
        if p.text.strip():
            last = p
    sig = _insert_after(last, spec["issuer"], indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _insert_after(sig, spec.get("date", f"{spec['year'] + 1}年1月{18 + spec['year'] % 5}日"), indent=False,
                  align=WD_ALIGN_PARAGRAPH.RIGHT)

    t_active, t_req, t_rev = d.tables[:3]
    fill_active(spec, t_active)
    fill_requests(spec, t_req)
    fill_reviews(spec, t_rev)
    if spec.get("seed_garble"):
        # as the seed report's text layer reads: 公田 公田 甘仙, and a stray 5年 in the label column
        for j, text in enumerate(("公田", "公田", "甘仙")):
            _set_cell(t_rev.rows[1].cells[j], text, size=9)
        _set_cell(t_req.rows[5].cells[0], "三、本年度办理结果\n\n5年", size=9)
    d.save(str(out))


def fill_active(spec: dict, t: Table) -> None:
    rows = {2: ("regulations", ("issued", "repealed", "in_force")),
            3: ("normative_documents", ("issued", "repealed", "in_force")),
            6: ("licensing", ("decisions",)), 9: ("punishment", ("decisions",)),
            10: ("enforcement", ("decisions",)), 13: ("fees", ("amount",))}
    for i, (row, cols) in rows.items():
        cells = t.rows[i].cells
        for j, col in enumerate(cols, 1):
            _set_cell(cells[j], cell_text(spec, "active", row, col), size=10.5)


def fill_requests(spec: dict, t: Table) -> None:
    order = [k for k, _, _ in request_rows(spec)]
    assert "other_combined" not in order, "word-ruled template layout prints the three (六) rows"
    labels = spec.get("labels", {})
    for i, row in enumerate(order, 3):
        cells = t.rows[i].cells
        if row in labels:
            _set_cell(cells[2], labels[row], size=9, align=WD_ALIGN_PARAGRAPH.LEFT)
        for j, col in enumerate(("natural_person", "commercial", "research", "public_interest",
                                 "legal_service", "other_org", "total"), 3):
            _set_cell(cells[j], cell_text(spec, "requests", row, col), size=10.5)


def fill_reviews(spec: dict, t: Table) -> None:
    from schemas.vocabulary import REVIEWS_COLUMNS
    cells = t.rows[3].cells
    for j, col in enumerate(REVIEWS_COLUMNS):
        _set_cell(cells[j], cell_text(spec, "reviews", "all", col), size=10.5)


def to_pdf(docx_path: Path, out_pdf: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", tmp, str(docx_path)], check=True, capture_output=True, timeout=240)
        shutil.move(str(Path(tmp) / (docx_path.stem + ".pdf")), str(out_pdf))


def render(spec: dict, out_pdf: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{spec['name']}.docx"
        build_docx(spec, path)
        to_pdf(path, out_pdf)
