"""Layouts drawn directly with reportlab: split tables, borderless, Kangxi text layer, garbled headers,
combined (六), marker cells. A small page composer: paragraphs wrap by glyph width, tables are grids of
cells with column/row spans, laid out row by row over pages (optionally repeating the header rows);
a cell spanning a page break is drawn as two boxes and its text lines stay on the page where they fall.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from samples.data import REQUESTS_COLUMNS, cell_text, request_rows
from schemas.vocabulary import REVIEWS_COLUMNS

FONT_FILE = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
FONT = "ZenHei"
_registered = False


def _register():
    global _registered
    if not _registered:
        pdfmetrics.registerFont(TTFont(FONT, FONT_FILE, subfontIndex=0))
        _registered = True


W, H = A4
LM, RM, TM, BM = 64, 64, 72, 72
CONTENT_W = W - LM - RM
SHADE = Color(0.80, 0.88, 0.96)

# Kangxi radicals (U+2F00–U+2FD5) keyed by the unified ideograph they normalise to
KANGXI = {unicodedata.normalize("NFKC", chr(cp)): chr(cp) for cp in range(0x2F00, 0x2FD6)}


def kangxi(text: str) -> str:
    return "".join(KANGXI.get(ch, ch) for ch in text)


def fullwidth_digits(text: str) -> str:
    return "".join(chr(ord(ch) - 0x30 + 0xFF10) if ch.isdigit() else ("．" if ch == "." else ch) for ch in text)


def wrap(text: str, size: float, width: float) -> list[str]:
    lines = []
    for part in text.split("\n"):
        cur = ""
        for ch in part:
            if cur and pdfmetrics.stringWidth(cur + ch, FONT, size) > width:
                lines.append(cur)
                cur = ch
            else:
                cur += ch
        lines.append(cur)
    return lines


# ------------------------------------------------------------------ table model
@dataclass
class Cell:
    col: int
    text: str = ""
    cs: int = 1
    rs: int = 1
    align: str = "c"          # c | l
    size: float = 8.5
    fill: Color | None = None
    border: bool = True
    spread: bool = False      # distribute lines over the whole span (vertical group labels)
    bold: bool = False


@dataclass
class Table:
    cols: list[float]
    rows: list[list[Cell]] = field(default_factory=list)
    header_rows: int = 0
    min_h: float = 15


class Composer:
    def __init__(self, path: str, title: str, ruled: bool = True):
        _register()
        self.c = canvas.Canvas(path, pagesize=A4, pageCompression=1, invariant=1)
        self.c.setTitle(title)
        self.c.setAuthor("nianbao samples")
        self.c.setCreator("WPS 文字")
        self.page = 1
        self.y = H - TM
        self.ruled = ruled
        self.log: list[str] = []

    # ---- pages
    def new_page(self):
        self._footer()
        self.c.showPage()
        self.page += 1
        self.y = H - TM

    def _footer(self):
        self.c.setFont(FONT, 9)
        self.c.drawCentredString(W / 2, BM / 2, f"- {self.page} -")

    def save(self):
        self._footer()
        self.c.save()

    def need(self, h: float):
        if self.y - h < BM:
            self.new_page()

    # ---- text
    def text(self, text: str, size: float = 11.5, indent: bool = True, align: str = "l", lead: float = 1.75,
             space: float = 0):
        self.y -= space
        width = CONTENT_W
        first = pdfmetrics.stringWidth("　　", FONT, size) if indent else 0
        lines = wrap(text, size, width - first)
        if len(lines) > 1:  # re-wrap the rest at the full width
            rest = "".join(lines[1:])
            lines = lines[:1] + wrap(rest, size, width)
        for i, line in enumerate(lines):
            self.need(size * lead)
            self.y -= size * lead
            self.c.setFont(FONT, size)
            if align == "c":
                self.c.drawCentredString(W / 2, self.y, line)
            elif align == "r":
                self.c.drawRightString(W - RM, self.y, line)
            else:
                self.c.drawString(LM + (first if i == 0 else 0), self.y, line)

    # ---- tables
    def _row_heights(self, t: Table) -> list[float]:
        hs = []
        for row in t.rows:
            h = t.min_h
            for cell in row:
                if cell.rs == 1 and cell.text:
                    w = sum(t.cols[cell.col: cell.col + cell.cs]) - 4
                    n = len(wrap(cell.text, cell.size, w))
                    h = max(h, n * cell.size * 1.25 + 5)
            hs.append(h)
        return hs

    def table(self, t: Table, repeat_header: bool = False, break_before: int | None = None,
              keep_together: bool = False) -> list[int]:
        """Draw the table from the current y; returns the page of every row."""
        hs = self._row_heights(t)
        if keep_together and sum(hs) > self.y - BM:
            self.new_page()
        placed = []  # (row index, page, y_top)
        page, y = self.page, self.y
        first_on_page = True
        for i, h in enumerate(hs):
            if (not first_on_page and (y - h < BM or i == break_before)):
                page += 1
                y = H - TM
                if repeat_header and i >= t.header_rows:
                    for j in range(t.header_rows):
                        placed.append((j, page, y))
                        y -= hs[j]
                first_on_page = True
            placed.append((i, page, y))
            y -= h
            first_on_page = False
        pages_of_row = {}
        for i, p, _ in placed:
            pages_of_row.setdefault(i, p)
        for p in sorted({p for _, p, _ in placed}):
            if p != self.page:
                self.new_page()
            on = [(i, yy) for i, pp, yy in placed if pp == p]
            self._draw_segment(t, hs, dict(on))
        self.y = y - 4
        return [pages_of_row[i] for i in range(len(hs))]

    def _draw_segment(self, t: Table, hs: list[float], on: dict[int, float]):
        c = self.c
        xs = [LM]
        for w in t.cols:
            xs.append(xs[-1] + w)
        for r, row in enumerate(t.rows):
            for cell in row:
                span = range(r, r + cell.rs)
                vis = [i for i in span if i in on]
                if not vis:
                    continue
                top = on[vis[0]]
                bottom = on[vis[-1]] - hs[vis[-1]]
                x0, x1 = xs[cell.col], xs[cell.col + cell.cs]
                if cell.fill is not None:
                    c.setFillColor(cell.fill)
                    c.rect(x0, bottom, x1 - x0, top - bottom, stroke=0, fill=1)
                    c.setFillColor(black)
                if self.ruled and cell.border:
                    c.setLineWidth(0.6)
                    c.rect(x0, bottom, x1 - x0, top - bottom, stroke=1, fill=0)
                if not cell.text:
                    continue
                lines = wrap(cell.text, cell.size, x1 - x0 - 4)
                lead = cell.size * 1.25
                total = sum(hs[i] for i in span)
                n = len(lines)
                for k, line in enumerate(lines):
                    if cell.spread and n > 1:
                        centre = (k + 0.5) * total / n
                    else:
                        centre = total / 2 - (n - 1) * lead / 2 + k * lead
                    # find the row the line falls in
                    acc = 0.0
                    for i in span:
                        if acc + hs[i] > centre or i == span[-1]:
                            break
                        acc += hs[i]
                    if i not in on:
                        continue
                    yb = on[i] - (centre - acc) - cell.size * 0.35
                    c.setFont(FONT, cell.size)
                    if cell.align == "l":
                        c.drawString(x0 + 2.5, yb, line)
                    else:
                        c.drawCentredString((x0 + x1) / 2, yb, line)


# ------------------------------------------------------------------ the three tables
def active_table(spec: dict, L) -> Table:
    shade = SHADE if spec.get("shade") else None
    t = Table(cols=[CONTENT_W * 0.31, CONTENT_W * 0.23, CONTENT_W * 0.23, CONTENT_W * 0.23], min_h=18)
    v = lambda row, col: cell_text(spec, "active", row, col)  # noqa: E731
    for block, rows, cols in (("第二十条第（一）项", ("regulations", "normative_documents"), ("issued", "repealed", "in_force")),
                              ("第二十条第（五）项", ("licensing",), ("decisions",)),
                              ("第二十条第（六）项", ("punishment", "enforcement"), ("decisions",)),
                              ("第二十条第（八）项", ("fees",), ("amount",))):
        t.rows.append([Cell(0, L(block), cs=4, size=9.5, fill=shade)])
        if len(cols) == 3:
            t.rows.append([Cell(0, L("信息内容"), size=9.5, bold=True), Cell(1, L("本年制发件数"), size=9.5),
                           Cell(2, L("本年废止件数"), size=9.5), Cell(3, L("现行有效件数"), size=9.5)])
        else:
            head = "本年收费金额（单位：万元）" if cols == ("amount",) else "本年处理决定数量"
            t.rows.append([Cell(0, L("信息内容"), size=9.5), Cell(1, L(head), cs=3, size=9.5)])
        labels = {"regulations": "规章", "normative_documents": "行政规范性文件", "licensing": "行政许可",
                  "punishment": "行政处罚", "enforcement": "行政强制", "fees": "行政事业性收费"}
        for row in rows:
            if len(cols) == 3:
                t.rows.append([Cell(0, L(labels[row]), size=9.5, align="l")] +
                              [Cell(j + 1, v(row, c), size=9.5) for j, c in enumerate(cols)])
            else:
                t.rows.append([Cell(0, L(labels[row]), size=9.5, align="l"), Cell(1, v(row, cols[0]), cs=3, size=9.5)])
    return t


def requests_table(spec: dict, L) -> Table:
    t = Table(cols=[24, 50, 150] + [(CONTENT_W - 224) / 7] * 7, header_rows=3, min_h=15)
    garble = spec.get("garble")
    vs = 9.5
    note = L("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
    t.rows.append([Cell(0, note, cs=3, rs=3, size=8, align="l"), Cell(3, L("申请人情况"), cs=7)])
    t.rows.append([Cell(3, L("自然人"), rs=2), Cell(4, L("法人或其他组织"), cs=5), Cell(9, L("总计"), rs=2)])
    t.rows.append([Cell(4 + j, L(x)) for j, x in enumerate(("商业\n企业", "科研\n机构", "社会\n公益\n组织",
                                                          "法律\n服务\n机构", "其他"))])
    rows = request_rows(spec)
    keys = [k for k, _, _ in rows]
    i_first, i_tp = keys.index("granted"), keys.index("total_processed")
    groups = {}
    for k, g, _ in rows:
        if g.startswith("("):
            groups.setdefault(g, []).append(k)
    overrides = spec.get("group_labels", {})
    for idx, (key, group, item) in enumerate(rows):
        cells = []
        vals = [Cell(3 + j, cell_text(spec, "requests", key, c), size=vs) for j, c in enumerate(REQUESTS_COLUMNS)]
        lab = item.replace("(", "（").replace(")", "）").replace(",", "，").replace('"', "“", 1).replace('"', "”", 1)
        if key in ("new", "carried_over", "carried_forward"):
            if garble and key == "new":
                cells = [Cell(0, "", cs=3), Cell(0, L("一、本年"), border=False, align="l"),
                         Cell(1, L("新收政府信"), border=False, align="l"),
                         Cell(2, L("息公开申请数量"), border=False, align="l")]
            else:
                cells = [Cell(0, L(lab), cs=3, align="l", bold=True)]
        else:
            if idx == i_first:
                text = "三、本年度办理结果" + ("5年" if garble else "")
                cells.append(Cell(0, L(text), rs=i_tp - i_first + 1, spread=True, size=8.5))
            if group.startswith("("):
                members = groups[group]
                if key == members[0]:
                    gl = overrides.get(group, group.replace("(", "（").replace(")", "）"))
                    cells.append(Cell(1, L(gl), rs=len(members), size=8.5, spread="\n" in gl))
                cells.append(Cell(2, L(lab), align="l", size=8))
            else:
                cells.append(Cell(1, L(lab), cs=2, align="l", size=8.5))
        t.rows.append(cells + vals)
    return t


def reviews_table(spec: dict, L) -> Table:
    t = Table(cols=[CONTENT_W / 15] * 15, header_rows=3, min_h=16)
    heads = ["结果\n维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计"]
    first = spec.get("review_heads", heads)
    t.rows.append([Cell(0, L("行政复议"), cs=5), Cell(5, L("行政诉讼"), cs=10)])
    t.rows.append([Cell(j, L(h), rs=2, size=8) for j, h in enumerate(first)] +
                  [Cell(5, L("未经复议直接起诉"), cs=5), Cell(10, L("复议后起诉"), cs=5)])
    t.rows.append([Cell(5 + j, L(h), size=8) for j, h in enumerate(heads * 2)])
    t.rows.append([Cell(j, cell_text(spec, "reviews", "all", c), size=9.5) for j, c in enumerate(REVIEWS_COLUMNS)])
    return t


# ------------------------------------------------------------------ whole report
def render(spec: dict, out_pdf) -> None:
    L = kangxi if spec.get("kangxi") else (lambda s: s)
    title = f"{spec['issuer']}{spec['year']}年政府信息公开工作年度报告"
    comp = Composer(str(out_pdf), title, ruled=spec["layout"] != "borderless")
    comp.text(L(title), size=16, indent=False, align="c", lead=1.6)
    comp.y -= 10
    comp.text(spec["intro"])
    heads = {1: "一、总体情况", 2: "二、主动公开政府信息情况", 3: "三、收到和处理政府信息公开申请情况",
             4: "四、政府信息公开行政复议、行政诉讼情况", 5: "五、存在的主要问题及改进情况", 6: "六、其他需要报告的事项"}
    opts = spec.get("table_opts", {})
    keys = [k for k, _, _ in request_rows(spec)]
    bb = opts.get("break_before")
    tables = {2: active_table(spec, L), 3: requests_table(spec, L), 4: reviews_table(spec, L)}
    for n in range(1, 7):
        comp.need(60)
        if n in tables and not (n == 3 and bb is not None):
            h = sum(comp._row_heights(tables[n])) + 40
            if h < H - TM - BM:
                comp.need(h)
        comp.text(L(heads[n]), size=13, lead=2.0, space=4)
        if n in spec["sections"]:
            for p in spec["sections"][n]:
                comp.text(p)
        if n == 2:
            comp.y -= 6
            comp.table(tables[2], keep_together=True)
        elif n == 3:
            comp.y -= 6
            t = tables[3]
            pages = comp.table(t, repeat_header=opts.get("repeat_header", False),
                               break_before=None if bb is None else 3 + keys.index(bb), keep_together=bb is None)
            split = [k for k, p in zip(keys, pages[3:]) if p != pages[3]]
            if split:
                spec["notes"] += (f" The requests table runs from page {pages[3]} to page {pages[-1]}; "
                                  f"row {split[0]} is the first row on page {pages[-1]}.")
            else:
                spec["notes"] += f" The requests table is whole on page {pages[3]}."
        elif n == 4:
            comp.y -= 6
            comp.table(tables[4], keep_together=True)
    comp.y -= 20
    comp.text(spec["issuer"], indent=False, align="r")
    comp.text(spec.get("date", f"{spec['year'] + 1}年1月{15 + spec['year'] % 7}日"), indent=False, align="r")
    comp.save()


# ------------------------------------------------------------------ the samples drawn here
def specs(base) -> list[dict]:
    from samples.data import rebalance

    out = []
    s = base("split-repeat-header-shimen-2024", "临川县石门乡人民政府", "石门乡", 2024, "split-repeat-header", 21,
             "medium", "reportlab; the requests table breaks across two pages and its three header rows are "
             "repeated at the top of the second page.")
    s["table_opts"] = {"repeat_header": True, "break_before": "rejected_petition"}
    out.append(s)

    s = base("split-no-header-qinghe-2022", "安平市清河区人民政府清河街道办事处", "清河街道", 2022, "split-no-header", 22,
             "small", "reportlab; the requests table breaks across two pages inside the (三)不予公开 group, with no "
             "repeated header: the (三)不予公开 label cell is drawn in two parts, (三)不予 on the first page and 公开 "
             "on the second.")
    s["table_opts"] = {"break_before": "denied_third_party"}
    s["group_labels"] = {"(三)不予公开": "（三）不予\n公开"}
    out.append(s)

    s = base("split-no-header-cut-dongba-2023", "临川县东坝镇人民政府", "东坝镇", 2023, "split-no-header", 23,
             "medium", "reportlab; the requests table breaks across two pages with no repeated header, inside the "
             "(四)无法提供 group: its label cell is cut in two, page 1 shows （四）无 and page 2 shows 法提供.")
    s["table_opts"] = {"break_before": "unavailable_needs_creation"}
    s["group_labels"] = {"(四)无法提供": "（四）无\n法提供"}
    out.append(s)

    s = base("borderless-xinhua-2023", "安平市新华区人民政府新华街道办事处", "新华街道", 2023, "borderless", 24, "medium",
             "reportlab; all three tables without any ruling lines, columns aligned by position only.")
    out.append(s)

    s = base("kangxi-wenjiao-2024", "青川市南岭区文化广电和旅游局", "区文化广电和旅游局", 2024, "kangxi", 25, "medium",
             "reportlab; title, headings and every table label use Kangxi-radical code points where one exists "
             "(U+2F00 ⼀ for 一, U+2F06 ⼆, U+2F08 ⼈, U+2F26 ⼦ …) as Chromium/WPS PDFs do; some value cells "
             "printed with full-width digits (１２) and the fee with a full-width point (０．５０ style). "
             "Narrative paragraphs are ordinary text.")
    s["kangxi"] = True
    v = s["values"]
    v["active"]["fees"]["amount"] = 3.5
    s["printed"][("active", "fees", "amount")] = fullwidth_digits("3.50")
    for row in ("new", "granted", "total_processed"):
        for col in ("natural_person", "total"):
            s["printed"][("requests", row, col)] = fullwidth_digits(str(v["requests"][row][col]))
    s["printed"][("active", "punishment", "decisions")] = fullwidth_digits(str(v["active"]["punishment"]["decisions"]))
    out.append(s)

    s = base("garbled-header-liushu-2023", "长宁县柳树镇人民政府", "柳树镇", 2023, "garbled-header", 26, "small",
             "reportlab; garbled header words as in the seed report: reviews header 公田 公田 甘仙 in place of "
             "结果维持/结果纠正/其他结果 (行政复议 group), a stray fragment 5年 after 三、本年度办理结果 in the "
             "requests label column, and the new-requests label split over three cells as 一、本年 | 新收政府信 | "
             "息公开申请数量.")
    s["garble"] = True
    s["review_heads"] = ["公田", "公田", "甘仙", "尚未\n审结", "总计"]
    out.append(s)

    s = base("combined-other-huaian-2023", "青川市洪湖区人民政府", "洪湖区", 2023, "combined-other", 27, "medium",
             "reportlab, WPS-like shaded block headings (like the real hongze-2023 PDF); (六)其他处理 printed as a "
             "single row (row key other_combined, the three other_* rows absent) and the row label typo "
             "2.其他法律行政止公开 for denied_prohibited.", combined_other=True)
    s["labels"] = {"denied_prohibited": "2.其他法律行政止公开"}
    s["shade"] = True
    out.append(s)

    s = base("markers-ziranziyuan-2022", "长宁县自然资源局", "县自然资源局", 2022, "markers", 28, "large",
             "reportlab; marker cells (truth null): active/regulations printed 无, requests research column "
             "printed —, public_interest printed / in the (三) and (五) rows, other_org blank in the (四) rows, "
             "reviews suit_after_review_* printed /. Thousands separators (1,234 style) in large counts; fee 12.35 "
             "万元. Relations with a null operand are not checkable; all others hold.")
    v = s["values"]
    req = v["requests"]
    req["granted"]["natural_person"] += 950
    req["unavailable_not_held"]["natural_person"] += 120
    for row in req.values():
        row["research"] = 0
    marked_pi = [r for r in req if r.startswith(("denied_", "rejected_"))]
    marked_oo = [r for r in req if r.startswith("unavailable_")]
    for r in marked_pi:
        req[r]["public_interest"] = 0
    for r in marked_oo:
        req[r]["other_org"] = 0
    rev = v["reviews"]["all"]
    for res in ("upheld", "corrected", "other", "pending"):
        rev[f"suit_after_review_{res}"] = 0
    rebalance(v)
    v["active"]["regulations"] = {"issued": 0, "repealed": 0, "in_force": 0}
    v["active"]["licensing"]["decisions"] = 1234
    v["active"]["punishment"]["decisions"] = 3517
    v["active"]["fees"]["amount"] = 12.35
    for c in ("issued", "repealed", "in_force"):
        s["nulls"].add(("active", "regulations", c))
        s["printed"][("active", "regulations", c)] = "无"
    for r in req:
        s["nulls"].add(("requests", r, "research"))
        s["printed"][("requests", r, "research")] = "—"
    for r in marked_pi:
        s["nulls"].add(("requests", r, "public_interest"))
        s["printed"][("requests", r, "public_interest")] = "/"
    for r in marked_oo:
        s["nulls"].add(("requests", r, "other_org"))
        s["printed"][("requests", r, "other_org")] = ""
    for c in REVIEWS_COLUMNS:
        if c.startswith("suit_after_review"):
            s["nulls"].add(("reviews", "all", c))
            s["printed"][("reviews", "all", c)] = "/"
    for table, rows in v.items():
        for row, cols in rows.items():
            for col, val in cols.items():
                if isinstance(val, int) and val >= 1000 and (table, row, col) not in s["printed"]:
                    s["printed"][(table, row, col)] = f"{val:,}"
    out.append(s)
    return out
