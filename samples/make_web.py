"""Samples beyond the PDF layouts: the 2019–2020 template (PDF), and HTML and DOCX versions of reports.

    .venv/bin/python samples/make_web.py            # everything written here
    .venv/bin/python samples/make_web.py 2019 web   # only samples whose name contains one of the words

Called from generate.py. Tables are built once in make_pdf's table model (cells with column and
row spans) and written three ways: drawn by make_pdf's composer (PDF), as HTML `<table>`
markup (Word "save as web page" in GBK, or a government site page in UTF-8), and as a DOCX
table with merged cells (python-docx). The 2021-template DOCX is make_docx's filled template.
Every file is written to samples/formats/ with its ground truth JSON beside it, in the shape of
the other samples plus `format` (pdf | html | docx); `template` is "2019" or "2021".
"""

from __future__ import annotations

import copy
import html
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "formats"  # beside, not among, the PDF corpus (whose truth tests expect PDFs of the 2021 template)
sys.path.insert(0, str(HERE.parent))

from samples import make_pdf as mp  # noqa: E402
from samples import relations  # noqa: E402
from samples.data import cell_text, combine_other, truth  # noqa: E402

HEADINGS = {1: "一、总体情况", 2: "二、主动公开政府信息情况", 3: "三、收到和处理政府信息公开申请情况",
            4: "四、政府信息公开行政复议、行政诉讼情况", 5: "五、存在的主要问题及改进情况", 6: "六、其他需要报告的事项"}


# ------------------------------------------------------------------ the 2019 template
def values_2019(spec: dict, rng: random.Random) -> None:
    """Give a spec the 2019 layout: table 二 in its own rows and columns, (六) as one row."""
    a21 = spec["values"]["active"]
    nd = a21["normative_documents"]

    def items(base_n: int, decisions: int) -> dict:
        last = rng.randint(0, base_n)
        return {"items_last_year": last, "items_change": rng.randint(-min(last, 6), 9), "decisions": decisions}

    fee_last = rng.randint(0, 6)
    spec["values"]["active"] = {
        "regulations": {"made": 0, "published": 0, "published_total": 0},
        "normative_documents": {"made": nd["issued"], "published": nd["issued"], "published_total": nd["in_force"]},
        "licensing": items(60, a21["licensing"]["decisions"]),
        "other_services": items(20, rng.randint(0, 30)),
        "punishment": items(30, a21["punishment"]["decisions"]),
        "enforcement": items(8, a21["enforcement"]["decisions"]),
        "fees": {"items_last_year": fee_last, "items_change": -rng.randint(0, fee_last) if fee_last else 0},
        "procurement": {"projects": rng.randint(0, 14), "amount": round(rng.randint(0, 90000) / 100, 2)},
    }
    if "other_combined" not in spec["values"]["requests"]:
        combine_other(spec["values"])
    spec["combined_other"] = True
    spec["template"] = "2019"
    act = spec["values"]["active"]
    # signed column printed as real reports do: +14, -3, 减4, 0
    for i, row in enumerate(("licensing", "other_services", "punishment", "enforcement", "fees")):
        v = act[row]["items_change"]
        if v > 0:
            spec["printed"][("active", row, "items_change")] = f"+{v}"
        elif v < 0:
            spec["printed"][("active", row, "items_change")] = f"减{-v}" if i % 2 else f"-{-v}"
    spec["printed"][("active", "procurement", "amount")] = f"{act['procurement']['amount']:.2f}"
    spec["intro"] = spec["intro"].replace("国办公开办函〔2021〕30号", "国办公开办函〔2019〕60号")
    # narrative figures of table 二 use the 2019 keys
    fix = {("active", "normative_documents", "issued"): ("active", "normative_documents", "made")}
    spec["narrative"] = [(s, [fix.get(f[:3], f[:3]) + (f[3],) for f in figs]) for s, figs in spec["narrative"]]


def active_table_2019(spec: dict, L=lambda s: s) -> mp.Table:
    """Table 二 of the 2019 template in make_pdf's table model."""
    t = mp.Table(cols=[mp.CONTENT_W * 0.31, mp.CONTENT_W * 0.23, mp.CONTENT_W * 0.23, mp.CONTENT_W * 0.23], min_h=18)
    v = lambda row, col: cell_text(spec, "active", row, col)  # noqa: E731
    labels = {"regulations": "规章", "normative_documents": "规范性文件", "licensing": "行政许可",
              "other_services": "其他对外管理服务事项", "punishment": "行政处罚", "enforcement": "行政强制",
              "fees": "行政事业性收费", "procurement": "政府集中采购"}
    heads = {"made": "本年新制作数量", "published": "本年新公开数量", "published_total": "对外公开总数量",
             "items_last_year": "上一年项目数量", "items_change": "本年增/减", "decisions": "处理决定数量",
             "projects": "采购项目数量", "amount": "采购总金额"}
    blocks = (("第二十条第（一）项", ("regulations", "normative_documents"), ("made", "published", "published_total")),
              ("第二十条第（五）项", ("licensing", "other_services"), ("items_last_year", "items_change", "decisions")),
              ("第二十条第（六）项", ("punishment", "enforcement"), ("items_last_year", "items_change", "decisions")),
              ("第二十条第（八）项", ("fees",), ("items_last_year", "items_change")),
              ("第二十条第（九）项", ("procurement",), ("projects", "amount")))
    for block, rows, cols in blocks:
        t.rows.append([mp.Cell(0, L(block), cs=4, size=9.5)])
        spans = [1] * len(cols) if len(cols) == 3 else [1, 2]
        starts = [1, 2, 3] if len(cols) == 3 else [1, 2]
        t.rows.append([mp.Cell(0, L("信息内容"), size=9.5)] +
                      [mp.Cell(s, L(heads[c]), cs=n, size=9.5) for s, n, c in zip(starts, spans, cols)])
        for row in rows:
            t.rows.append([mp.Cell(0, L(labels[row]), size=9.5, align="l")] +
                          [mp.Cell(s, v(row, c), cs=n, size=9.5) for s, n, c in zip(starts, spans, cols)])
    return t


def tables_of(spec: dict) -> dict[int, mp.Table]:
    """The three tables of a spec in the table model, by section number."""
    active = active_table_2019(spec) if spec.get("template") == "2019" else mp.active_table(spec, lambda s: s)
    return {2: active, 3: mp.requests_table(spec, lambda s: s), 4: mp.reviews_table(spec, lambda s: s)}


def render_pdf_2019(spec: dict, out_pdf: Path) -> None:
    """A 2019-template report drawn by make_pdf's composer (ruled, split, or borderless)."""
    title = f"{spec['issuer']}{spec['year']}年政府信息公开工作年度报告"
    comp = mp.Composer(str(out_pdf), title, ruled=spec["layout"] != "2019-borderless")
    comp.text(title, size=16, indent=False, align="c", lead=1.6)
    comp.y -= 10
    comp.text(spec["intro"])
    tables = tables_of(spec)
    keys = [k for k, _, _ in mp.request_rows(spec)]
    bb = spec.get("table_opts", {}).get("break_before")
    for n in range(1, 7):
        comp.need(60)
        if n in tables and not (n == 3 and bb is not None):
            h = sum(comp._row_heights(tables[n])) + 40
            if h < mp.H - mp.TM - mp.BM:
                comp.need(h)
        comp.text(HEADINGS[n], size=13, lead=2.0, space=4)
        for p in spec["sections"].get(n, []):
            comp.text(p)
        if n in tables:
            comp.y -= 6
            if n == 3:
                pages = comp.table(tables[3], break_before=None if bb is None else 3 + keys.index(bb),
                                   keep_together=bb is None)
                where = (f"runs from page {pages[3]} to page {pages[-1]}, row {bb} first on page {pages[-1]}"
                         if pages[-1] != pages[3] else f"is whole on page {pages[3]}")
                spec["notes"] += f" The requests table {where}."
            else:
                comp.table(tables[n], keep_together=True)
    comp.y -= 20
    comp.text(spec["issuer"], indent=False, align="r")
    comp.text(spec.get("date", f"{spec['year'] + 1}年1月{15 + spec['year'] % 7}日"), indent=False, align="r")
    comp.save()


# ------------------------------------------------------------------ HTML
def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _word_cell_html(cell: mp.Cell, width: float, rng: random.Random) -> str:
    """One cell as Word's 'save as web page' writes it: <p class=MsoNormal><span>…<o:p></o:p>."""
    attrs = f" width={int(width)}"
    if cell.cs > 1:
        attrs += f" colspan={cell.cs}"
    if cell.rs > 1:
        attrs += f" rowspan={cell.rs}"
    style = "border:solid windowtext 1.0pt;mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt"
    align = "left" if cell.align == "l" else "center"
    font = "font-size:9.0pt;font-family:宋体;mso-ascii-font-family:&quot;Times New Roman&quot;"
    paras = []
    for line in (cell.text.split("\n") if cell.text else [""]):
        if not line:
            inner = "<span lang=EN-US>&nbsp;<o:p></o:p></span>"
        elif len(line) > 6 and not line.isdigit():  # Word splits runs wherever the formatting changed
            cut = len(line) // 2
            inner = (f"<span style='{font}'>{_esc(line[:cut])}</span><span style='{font}'>{_esc(line[cut:])}"
                     f"<span lang=EN-US><o:p></o:p></span></span>")
        else:
            pad = "&nbsp;" if rng.random() < 0.3 else ""
            inner = f"<span lang=EN-US style='{font}'>{pad}{_esc(line)}{pad}<o:p></o:p></span>"
        paras.append(f"<p class=MsoNormal align={align} style='text-align:{align}'>{inner}</p>")
    return f"  <td{attrs} valign=middle style='{style}'>\n  {''.join(paras)}\n  </td>\n"


def _site_cell_html(cell: mp.Cell, rng: random.Random) -> str:
    """One cell as a CMS editor writes it: plain <td><p>, labels and numbers padded with &nbsp;."""
    attrs = (f' colspan="{cell.cs}"' if cell.cs > 1 else "") + (f' rowspan="{cell.rs}"' if cell.rs > 1 else "")
    text = "<br/>".join(_esc(x) for x in cell.text.split("\n")) if cell.text else "&nbsp;"
    pad = rng.choice(["", "&nbsp;", "&nbsp;&nbsp;"])
    return (f'<td{attrs} style="border: 1px solid rgb(0, 0, 0); word-break: break-all;">'
            f'<p style="text-align: center;">{pad}{text}{pad}</p></td>')


def table_html(t: mp.Table, style: str, rng: random.Random) -> str:
    """A table of the model as HTML markup in one of two styles (word | site)."""
    if style == "word":
        out = ["<table class=MsoNormalTable border=0 cellspacing=0 cellpadding=0 width=600 "
               "style='width:450.0pt;border-collapse:collapse;border:none;mso-yfti-tbllook:1184'>\n"]
        for i, row in enumerate(t.rows):
            out.append(f" <tr style='mso-yfti-irow:{i};height:15.0pt'>\n")
            out += [_word_cell_html(c, sum(t.cols[c.col:c.col + c.cs]), rng) for c in row]
            out.append(" </tr>\n")
        # Word's row of zero-height cells for misaligned columns, inside a downlevel conditional
        out.append(" <![if !supportMisalignedColumns]>\n <tr height=0>\n")
        out += [f"  <td width={int(w)} style='border:none'></td>\n" for w in t.cols]
        out.append(" </tr>\n <![endif]>\n</table>\n")
        return "".join(out)
    out = ['<table border="0" cellspacing="0" align="center" style="border-collapse: collapse;"><tbody>']
    for row in t.rows:
        out.append("<tr>" + "".join(_site_cell_html(c, rng) for c in row) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _word_para(text: str, size: float = 12, bold: bool = False, center: bool = False) -> str:
    """A narrative paragraph as Word exports it (text split over two spans)."""
    align = " align=center style='text-align:center'" if center else " style='text-indent:24.0pt'"
    b0, b1 = ("<b>", "</b>") if bold else ("", "")
    cut = len(text) // 3
    font = f"font-size:{size}pt;font-family:仿宋_GB2312"
    return (f"<p class=MsoNormal{align}>{b0}<span style='{font}'>{_esc(text[:cut])}</span>"
            f"<span style='{font}'>{_esc(text[cut:])}<span lang=EN-US><o:p></o:p></span></span>{b1}</p>\n")


def render_word_html(spec: dict, out: Path, declare: bool = True) -> None:
    """Word's 'save as web page' (filtered off): GBK bytes, MsoNormal paragraphs, conditional comments."""
    rng = random.Random(spec["seed"] + 7)
    title = f"{spec['issuer']}{spec['year']}年政府信息公开工作年度报告"
    meta = "<meta http-equiv=Content-Type content=\"text/html; charset=gb2312\">\n" if declare else ""
    parts = [
        "<html xmlns:v=\"urn:schemas-microsoft-com:vml\"\nxmlns:o=\"urn:schemas-microsoft-com:office:office\"\n"
        "xmlns:w=\"urn:schemas-microsoft-com:office:word\"\nxmlns=\"http://www.w3.org/TR/REC-html40\">\n\n<head>\n",
        meta,
        "<meta name=ProgId content=Word.Document>\n<meta name=Generator content=\"Microsoft Word 15\">\n",
        f"<title>{_esc(title)}</title>\n",
        "<!--[if gte mso 9]><xml>\n <o:DocumentProperties>\n  <o:Author>办公室</o:Author>\n"
        " </o:DocumentProperties>\n</xml><![endif]-->\n",
        "<style>\n<!--\n p.MsoNormal {margin:0cm;text-align:justify;font-size:10.5pt;font-family:\"Times New Roman\";}\n"
        "@page WordSection1 {size:595.3pt 841.9pt;}\ndiv.WordSection1 {page:WordSection1;}\n-->\n</style>\n",
        "<!--[if gte mso 10]>\n<style>\n table.MsoNormalTable {mso-style-name:普通表格;}\n</style>\n<![endif]-->\n",
        "</head>\n\n<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>\n\n"
        "<div class=WordSection1 style='layout-grid:15.6pt'>\n\n",
        _word_para(title, 16, bold=True, center=True),
        "<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>\n",
        _word_para(spec["intro"]),
    ]
    tables = tables_of(spec)
    for n in range(1, 7):
        parts.append(_word_para(HEADINGS[n], bold=True))
        parts += [_word_para(p) for p in spec["sections"].get(n, [])]
        if n in tables:
            parts.append(table_html(tables[n], "word", rng))
            parts.append("<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>\n")
    parts.append(f"<p class=MsoNormal align=right style='text-align:right'><span>{_esc(spec['issuer'])}</span></p>\n")
    parts.append(f"<p class=MsoNormal align=right style='text-align:right'><span>{_esc(spec['date'])}</span></p>\n")
    parts.append("\n</div>\n\n</body>\n\n</html>\n")
    out.write_bytes("".join(parts).encode("gbk"))


SITE_NAV = ["首页", "政务公开", "政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报",
            "行政许可", "行政处罚", "行政强制", "行政事业性收费", "依申请公开", "互动交流", "办事服务"]


def render_site_html(spec: dict, out: Path) -> None:
    """A government site page in UTF-8: nav menus, a layout table, a metadata table, the report, a footer."""
    rng = random.Random(spec["seed"] + 9)
    title = f"{spec['issuer']}{spec['year']}年政府信息公开工作年度报告"
    site = spec["issuer"][:3] + "人民政府"
    p = lambda text: f'<p style="text-indent: 2em; line-height: 2;"><span style="font-family: 仿宋_GB2312;">{_esc(text)}</span></p>'  # noqa: E731,E501
    nav = "".join(f'<li><a href="/col/{i}.html">{x}</a></li>' for i, x in enumerate(SITE_NAV))
    side = "".join(f'<tr><td class="menu"><a href="/xxgk/{i}.html">{x}</a></td></tr>'
                   for i, x in enumerate(SITE_NAV[4:]))
    tables = tables_of(spec)
    body = [f'<h1 class="article-title">{_esc(title)}</h1>',
            f'<div class="info">发布时间：{spec["year"] + 1}-01-{10 + spec["year"] % 17:02d}　来源：{_esc(spec["issuer"])}'
            '　【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</div>',
            '<table class="meta" width="100%"><tr><td>索引号</td><td>11320000/2024-00012</td><td>分类</td>'
            '<td>政府信息公开年报</td></tr><tr><td>发布机构</td><td>' + _esc(spec["issuer"]) +
            '</td><td>成文日期</td><td>' + _esc(spec["date"]) + '</td></tr></table>',
            '<div class="TRS_Editor">', p(spec["intro"])]
    for n in range(1, 7):
        body.append(f'<p style="text-indent: 2em;"><strong><span style="font-family: 黑体;">{HEADINGS[n]}'
                    '<span style="font-family:宋体">&nbsp;</span></span></strong></p>')
        body += [p(x) for x in spec["sections"].get(n, [])]
        if n in tables:
            body.append(table_html(tables[n], "site", rng))
    body += [f'<p style="text-align: right;">{_esc(spec["issuer"])}</p>',
             f'<p style="text-align: right;">{_esc(spec["date"])}</p>', "</div>"]
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="SiteName" content="{_esc(site)}">
<meta name="ArticleTitle" content="{_esc(title)}">
<title>{_esc(title)}_政府信息公开年报_{_esc(site)}</title>
<script type="text/javascript">var _hmt = _hmt || []; document.write("<table><tr><td>行政许可 行政处罚 行政强制 0 1 2</td></tr></table>");</script>
<style>.nav li{{float:left}} table.layout td{{vertical-align:top}}</style>
</head>
<body>
<div class="header"><div class="logo">{_esc(site)}</div>
<ul class="nav">{nav}</ul>
<form action="/search"><input name="q" placeholder="请输入关键词"><button>搜索</button></form></div>
<table class="layout" width="1000" align="center" border="0"><tr>
<td width="220" class="left"><table class="sidemenu" width="100%">{side}</table>
<table class="hot"><tr><td><a href="#">2022年政府信息公开工作年度报告</a></td><td>2023-01-20</td></tr>
<tr><td><a href="#">2021年政府信息公开工作年度报告</a></td><td>2022-01-18</td></tr></table></td>
<td width="780" class="main"><div class="position">当前位置：<a href="/">首页</a> &gt; 政府信息公开 &gt; 年报</div>
{''.join(body)}
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a></div>
</td></tr></table>
<div class="footer"><table width="100%"><tr><td>主办单位：{_esc(site)}办公室</td><td>网站标识码：3201000001</td>
<td>ICP备案号：苏ICP备05000000号</td></tr><tr><td colspan="3">版权所有 © {_esc(site)} 地址：人民路1号 电话：0527-12345678</td></tr></table></div>
</body>
</html>
"""
    out.write_text(page, encoding="utf-8")


def html_text(spec: dict) -> str:
    """The narrative as one page of text, for the truth's narrative page numbers (all on page 1)."""
    paras = [spec["intro"]] + [p for n in range(1, 7) for p in [HEADINGS[n]] + spec["sections"].get(n, [])]
    return "\n".join(paras)


# ------------------------------------------------------------------ DOCX
def render_model_docx(spec: dict, out: Path) -> None:
    """A report as a DOCX built with python-docx, each table's spans written as merged cells."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    heads = {**HEADINGS, **spec.get("headings", {})}  # a variant wording, or None to leave a part out
    d = docx.Document()
    if spec.get("created"):
        d.core_properties.created = spec["created"]
    head = d.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(f"{spec['issuer']}{spec['year']}年政府信息公开工作年度报告")
    run.bold, run.font.size = True, Pt(16)
    d.add_paragraph(spec["intro"])
    tables = tables_of(spec)
    for n in range(1, 7):
        if heads[n] is None:
            continue
        d.add_paragraph(heads[n]).runs[0].bold = True
        for p in spec["sections"].get(n, []):
            d.add_paragraph(p)
        if n in tables:
            model_to_docx(d, tables[n])
    for line in (spec["issuer"], spec["date"]):
        d.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d.save(str(out))


def model_to_docx(d, t: mp.Table):
    """Append a table of the model to a python-docx Document, merging the spanned cells."""
    n_cols = len(t.cols)
    table = d.add_table(rows=len(t.rows), cols=n_cols)
    table.style = "Table Grid"
    for r, row in enumerate(t.rows):
        for cell in row:
            target = table.cell(r, cell.col)
            if cell.cs > 1 or cell.rs > 1:
                target = target.merge(table.cell(r + cell.rs - 1, cell.col + cell.cs - 1))
            lines = cell.text.split("\n")
            para = target.paragraphs[0]
            for i, line in enumerate(lines):
                run = para.add_run(line)
                if i < len(lines) - 1:
                    run.add_break()
    return table


def render_template_docx(spec: dict, out: Path) -> None:
    """The 2021 template .docx filled by make_docx (its own merged cells), kept as DOCX."""
    from samples import make_docx

    make_docx.build_docx(spec, out)


# ------------------------------------------------------------------ specs
def specs() -> list[dict]:
    """Every sample written here: (spec, format, renderer)."""
    from samples.generate import base, error_specs, finish

    out = []

    def y2019(name, issuer, short, year, layout, seed, scale, notes, **opts):
        s = finish(base(name, issuer, short, year, layout, seed, scale, notes))
        values_2019(s, random.Random(seed + 3))
        s.update(opts)
        s.setdefault("date", f"{year + 1}年1月{12 + year % 9}日")
        return s

    # 2019 template, PDF
    s = y2019("t2019-ruled-fengle-2019", "临川县丰乐镇人民政府", "丰乐镇", 2019, "2019-ruled", 41, "small",
              "2019 template (国办公开办函〔2019〕60号) drawn with reportlab, ruled; table 二 in its own rows "
              "(本年新制作数量 …, 上一年项目数量/本年增/减/处理决定数量, 政府集中采购), (六)其他处理 one row, "
              "本年增/减 printed signed (+n, -n, 减n).")
    out.append((s, "pdf", render_pdf_2019))
    s = y2019("t2019-split-hexi-2020", "安平市河西区人民政府", "河西区", 2020, "2019-split", 42, "large",
              "2019 template, ruled, the requests table breaking across two pages inside (四)无法提供, no repeated "
              "header; signed 本年增/减.", table_opts={"break_before": "unavailable_needs_creation"})
    out.append((s, "pdf", render_pdf_2019))
    s = y2019("t2019-borderless-nanhu-2020", "青川市南湖区卫生健康局", "区卫生健康局", 2020, "2019-borderless", 43,
              "medium", "2019 template drawn without any ruling lines (columns aligned by position only).")
    out.append((s, "pdf", render_pdf_2019))

    # HTML
    s = finish(base("web-word-gbk-shuangqiao-2023", "临川县双桥镇人民政府", "双桥镇", 2023, "web-word-gbk", 51, "small",
                    "Word 'save as web page' HTML in GBK (meta charset=gb2312): MsoNormalTable, cells as "
                    "<p class=MsoNormal><span>, labels split over two spans, &nbsp;/<o:p> empty cells, conditional "
                    "comments, the supportMisalignedColumns row; 2021 template."))
    s["date"] = "2024年1月16日"
    out.append((s, "html-word", render_word_html))
    s = y2019("web-word-undeclared-2019-taoyuan-2020", "长宁县桃源乡人民政府", "桃源乡", 2020, "web-word-undeclared",
              52, "small", "Word 'save as web page' HTML in GBK with NO charset declared (detected); 2019 template, "
              "signed 本年增/减.")
    out.append((s, "html-word-undeclared", render_word_html))
    s = finish(base("web-site-utf8-kaifa-2023", "安平市开发区管理委员会", "开发区管委会", 2023, "web-site", 53, "medium",
                    "Government site page in UTF-8: nav menu, a layout table with a side menu (links named 行政许可, "
                    "行政处罚 …), a metadata table, the report's three tables nested in the layout table's cell "
                    "(CMS editor markup, &nbsp; padding), a footer table; 2021 template."))
    s["date"] = "2024年1月22日"
    out.append((s, "html-site", render_site_html))
    s = y2019("web-site-2019-chengguan-2019", "临川县城关镇人民政府", "城关镇", 2019, "web-site", 54, "medium",
              "Government site page in UTF-8 around a 2019-template report (nested in a layout table).")
    out.append((s, "html-site", render_site_html))

    # DOCX
    s = finish(base("docx-template-linhai-2022", "青川市临海区司法局", "区司法局", 2022, "docx-template", 61, "medium",
                    "The 2021 template .docx filled with python-docx, kept as DOCX (the template's own merged cells: "
                    "gridSpan and vMerge)."))
    out.append((s, "docx-template", render_template_docx))
    s = y2019("docx-2019-shanxia-2020", "长宁县山下镇人民政府", "山下镇", 2020, "docx-2019", 62, "small",
              "2019 template as a DOCX built with python-docx, spans written as merged cells (gridSpan, vMerge).")
    out.append((s, "docx-model", render_model_docx))

    # consistency defects, as HTML and DOCX
    errors = {s["name"]: s for s in error_specs()}
    for src, fmt, renderer, new in (("error-requests-balance", "html-word", render_word_html,
                                     "web-error-requests-balance"),
                                    ("error-reviews-review_total", "docx-template", render_template_docx,
                                     "docx-error-reviews-review_total")):
        s = finish(errors[src])
        s["name"] = new
        s["layout"] = fmt
        s["notes"] += f" ({fmt} version of the PDF sample {src}.)"
        s["date"] = "2024年1月25日"
        out.append((s, fmt, renderer))
    return out


EXT = {"pdf": ".pdf", "html-word": ".html", "html-word-undeclared": ".htm", "html-site": ".shtml",
       "docx-template": ".docx", "docx-model": ".docx"}


def write(spec: dict, fmt: str, renderer) -> Path:
    """Render one sample and write its ground truth; check the truth breaks exactly what it should."""
    path = OUT / f"{spec['name']}{EXT[fmt]}"
    if fmt == "html-word-undeclared":
        render_word_html(spec, path, declare=False)
    else:
        renderer(spec, path)
    if fmt == "pdf":
        import pdfplumber
        with pdfplumber.open(path) as doc:
            pages = [pg.extract_text() or "" for pg in doc.pages]
    else:
        pages = [html_text(spec)]
    t = truth(spec, pages)
    t["file"] = path.name
    t["template"] = spec.get("template", "2021")
    t["format"] = {"pdf": "pdf", "docx-template": "docx", "docx-model": "docx"}.get(fmt, "html")
    if fmt != "pdf":
        t["pages"] = None
    got = relations.failures(t["tables"])
    if spec["name"].split("-")[1] == "error" and not spec["expected_findings"]:
        t["expected_findings"] = got
    assert got == t["expected_findings"], (spec["name"], got)
    for n in t["narrative"]:
        assert n["page"], (spec["name"], n["sentence"])
    (OUT / f"{spec['name']}.json").write_text(json.dumps(t, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{path.name:46s} {fmt:22s} template={t['template']} findings={len(t['expected_findings'])}")
    return path


def main(wanted: list[str] | None = None) -> int:
    OUT.mkdir(exist_ok=True)
    for spec, fmt, renderer in specs():
        if wanted and not any(w in spec["name"] for w in wanted):
            continue
        write(copy.deepcopy(spec), fmt, renderer)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
