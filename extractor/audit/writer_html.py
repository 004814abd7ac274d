"""report.html: one self-contained page an auditor can open and forward.

The summary of every input, then, per report with findings, each finding with an image of the
table region cropped from the PDF page (offending cells boxed red, involved cells amber), or —
for sources without page images — the table redrawn with the offending cells marked.

Everything from a report is passed through html.escape; the page carries a Content-Security-Policy
that forbids scripts and every fetch (images only from data: URLs, styles only inline).
"""

from __future__ import annotations

import base64
from html import escape

from extractor.audit import fsio
from extractor.audit.crops import finding_pages, offending_keys
from extractor.audit.layout import display_value, table_layout
from extractor.audit.model import FAILED, STATUS_ZH
from extractor.audit.rows import finding_page_box, ordered_findings
from extractor.audit.safe import clean
from schemas.report import json_number
from schemas.supervision import FAMILIES, FAMILY_ZH
from schemas.vocabulary import TABLE_NUMBERS, TABLE_TITLES

CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'none'; connect-src 'none'; "
       "font-src 'none'; media-src 'none'; object-src 'none'; frame-src 'none'; form-action 'none'; base-uri 'none'")
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}

STYLE = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei","Microsoft YaHei",sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 4px;border-bottom:2px solid #ccc;padding-bottom:4px}
.meta{color:#666;font-size:13px}.totals{font-size:15px;margin:10px 0 16px}
table.sum{border-collapse:collapse;font-size:13px;width:100%}table.sum th,table.sum td{border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top}
table.sum th{background:#eee}td.n{text-align:right}
.st{padding:1px 6px;border-radius:3px;white-space:nowrap}.st-ok{background:#c6efce}.st-findings{background:#ffeb9c}
.st-unreadable,.st-timeout,.st-too_large,.st-crashed{background:#ffc7ce}
.finding{border:1px solid #ddd;border-left:5px solid #999;margin:14px 0;padding:8px 12px;break-inside:avoid}
.sev-error{border-left-color:#d00}.sev-warning{border-left-color:#e69500}.sev-info{border-left-color:#3a7bd5}
.fh{font-size:13px;color:#555}.msg{font-size:15px;margin:6px 0}.en{font-size:12px;color:#777;margin:2px 0 6px}
.finding img{max-width:100%;border:1px solid #bbb;display:block;margin-top:6px}
table.redraw{border-collapse:collapse;font-size:12px;margin-top:6px}table.redraw td{border:1px solid #aaa;padding:2px 5px}
table.redraw td.h{background:#f0f0f0}table.redraw td.v{text-align:right}
table.redraw td.red{background:#ff7c80;font-weight:bold;outline:2px solid #d00}table.redraw td.amber{background:#ffe699}
.file{font-family:monospace;font-size:12px;color:#555;word-break:break-all}
"""


def e(value) -> str:
    """Escaped text (control characters dropped)."""
    return escape(clean(value), quote=True)


def _status(status: str) -> str:
    return f'<span class="st st-{e(status)}">{e(status)} {e(STATUS_ZH.get(status, ""))}</span>'


def _summary(results, anchors: dict) -> str:
    rows = []
    for r in results:
        name = e(r.path)
        if r.path in anchors:
            name = f'<a href="#{anchors[r.path]}">{name}</a>'
        reason = r.reason or (f"与 {r.duplicate_of} 内容相同,只审核一次" if r.duplicate_of else "")
        if r.duplicate_of and r.reason:
            reason = f"{r.reason};与 {r.duplicate_of} 内容相同"
        rows.append(f"<tr><td class=file>{name}</td><td>{e(r.issuer or '')}</td><td>{e(r.year or '')}</td>"
                    f"<td>{_status(r.status)}</td><td class=n>{r.count('error')}</td><td class=n>{r.count('warning')}</td>"
                    + "".join(f"<td class=n>{r.count_family(f)}</td>" for f in FAMILIES)
                    + f"<td>{e(reason)}</td></tr>")
    return ("<table class=sum><thead><tr><th>文件</th><th>发文机关</th><th>年度</th><th>状态</th><th>错误</th>"
            "<th>警告</th>" + "".join(f"<th>{FAMILY_ZH[f]}</th>" for f in FAMILIES)
            + "<th>说明</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def redraw(report, finding) -> str:
    """The finding's table as an HTML table, offending cells red, involved cells amber."""
    if not finding.table or finding.table not in TABLE_TITLES:
        return ""
    red = offending_keys(finding)
    involved = {(c.get("table"), c.get("row"), c.get("column")) for c in finding.cells} - red
    width, height, placed = table_layout(report, finding.table)
    by_row: dict[int, list] = {}
    for p in placed:
        by_row.setdefault(p.r, []).append(p)
    html = ['<table class=redraw>']
    for r in range(height):
        html.append("<tr>")
        for p in sorted(by_row.get(r, []), key=lambda p: p.c):
            span = (f' rowspan="{p.rowspan}"' if p.rowspan > 1 else "") + (f' colspan="{p.colspan}"' if p.colspan > 1 else "")
            if p.header:
                html.append(f"<td class=h{span}>{e(p.text)}</td>")
            else:
                cls = "v red" if p.key in red else "v amber" if p.key in involved else "v"
                html.append(f'<td class="{cls}"{span}>{e(display_value(p.cell))}</td>')
        html.append("</tr>")
    html.append("</table>")
    return "".join(html)


def _place(result, f) -> str:
    """第 4 页, 第 4–5 页, or the table/row/column locator of an HTML or DOCX source."""
    pages = finding_pages(f)
    if pages:
        return f"第 {pages[0]} 页" if len(pages) == 1 else f"第 {pages[0]}–{pages[-1]} 页"
    page, _ = finding_page_box(f)
    if page:
        return f"第 {page} 页"
    for key in sorted(offending_keys(f), key=str):
        cell = result.report.cell(*key) if result.report and None not in key else None
        if cell is not None and cell.locator:
            return cell.locator
    return ""


def _finding(result, index: int, f) -> str:
    page, _ = finding_page_box(f)
    where = " · ".join(x for x in (
        f"表{TABLE_NUMBERS[f.table]}" if f.table in TABLE_NUMBERS else "", _place(result, f), f.rule) if x)
    numbers = ""
    if f.expected is not None or f.found is not None:
        numbers = (f"<div class=fh>应为 <b>{e(json_number(f.expected) if f.expected is not None else '—')}</b>"
                   f" · 实为 <b>{e(json_number(f.found) if f.found is not None else '—')}</b></div>")
    image = result.images[index] if index < len(result.images) else None
    if image:
        alt = f"第 {page} 页表格截图,红框为出错单元格" if page else "表格截图"
        visual = f'<img alt="{e(alt)}" src="data:image/png;base64,{base64.b64encode(image).decode("ascii")}">'
    else:
        visual = redraw(result.report, f)
    return (f'<div class="finding sev-{e(f.severity)}"><div class=fh><b>{e(SEVERITY_ZH.get(f.severity, f.severity))}</b>'
            f" · {e(where)}</div><p class=msg>{e(f.message)}</p><p class=en>{e(f.message_en)}</p>{numbers}{visual}</div>")


def page(results, title: str, meta: str) -> str:
    anchors = {}
    sections = []
    for n, r in enumerate(results):
        if not (r.audited and r.report is not None and r.findings):
            continue
        anchors[r.path] = f"r{n + 1}"
        body = "".join(_finding(r, i, f) for i, f in ordered_findings(r))
        sections.append(f'<section id="r{n + 1}"><h2>{e(r.issuer or "(发文机关未识别)")} · {e(r.year or "?")} 年度</h2>'
                        f"<div class=file>{e(r.path)} · 错误 {r.count('error')} · 警告 {r.count('warning')}"
                        f" · 提示 {r.count('info')}</div>{body}</section>")
    counts = {s: sum(1 for r in results if r.status == s) for s in ("ok", "findings", *FAILED)}
    totals = (f"共 {len(results)} 个文件:" + ",".join(f"{STATUS_ZH[s]} {n}" for s, n in counts.items() if n)
              + f";重复 {sum(1 for r in results if r.duplicate_of)};"
              f"错误 {sum(r.count('error') for r in results if r.audited)},"
              f"警告 {sum(r.count('warning') for r in results if r.audited)}")
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f'<meta name="referrer" content="no-referrer"><title>{e(title)}</title><style>{STYLE}</style></head><body>'
            f"<h1>{e(title)}</h1><div class=meta>{e(meta)}</div><p class=totals>{e(totals)}</p>"
            f"{_summary(results, anchors)}{''.join(sections)}</body></html>\n")


def write(out_dir: str, results, meta: str) -> None:
    html = page(results, "政府信息公开工作年度报告 审核结果", meta)
    fsio.write_text(out_dir, "report.html", html)
