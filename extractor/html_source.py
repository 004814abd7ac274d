"""HTML input (.html/.htm/.shtml): decode, parse with lxml, find the report's tables, resolve spans.

Pages as they are published: Word's "save as web page" output (MsoNormalTable, `<p><span>`,
`&nbsp;`, `<o:p>`, conditional comments), GB2312/GBK pages with or without a meta charset,
and reports embedded in a site page among navigation menus, layout tables and footers.
Every `<table>` on the page is numbered (1-based, document order: that number is the
provenance); a table's own cells exclude the tables nested inside them, so a layout table
wrapped around the report never looks like the report.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from extractor.errors import ReportError
from extractor.grid import Grid, GridCell
from extractor.labels import fold
from extractor.title import parse_title

HTML_EXTENSIONS = (".html", ".htm", ".shtml", ".xhtml", ".mht")
BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "table", "tr", "td", "th",
              "section", "article", "header", "footer", "blockquote", "pre", "dd", "dt", "dl", "form",
              "center", "tbody", "thead", "tfoot", "caption", "nav", "aside", "main", "address", "hr"}
SKIP_TAGS = {"script", "style", "noscript", "template", "head", "title", "iframe", "object", "select", "button"}
# Words of the statutory tables (folded when compared); a table holding several is a report table.
TABLE_WORDS = (
    "第二十条第", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额",
    "本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "处理决定数量", "政府集中采购",
    "行政许可", "行政处罚", "行政强制", "行政事业性收费", "申请人情况", "自然人", "法人或其他组织", "商业企业",
    "科研机构", "社会公益组织", "法律服务机构", "本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量",
    "本年度办理结果", "予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理",
    "结转下年度继续办理", "行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉", "结果维持", "结果纠正",
    "其他结果", "尚未审结",
)
_FOLDED_WORDS = tuple(fold(w) for w in TABLE_WORDS)
MIN_SCORE = 3


@dataclass
class HtmlDocument:
    """What an HTML page yields: the report's grids, its narrative as one page of text, and a title."""

    grids: list[Grid]
    pages: list[str]
    title: str = ""
    encoding: str = ""
    all_tables: int = 0
    scores: dict[int, int] = field(default_factory=dict)  # table number → label score


# ---------------------------------------------------------------- encoding
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
            "cp936": "gb18030", "big5": "big5hkscs", "iso-8859-1": "cp1252", "latin1": "cp1252"}


def _codec(name: str | None) -> str | None:
    """A Python codec for a declared charset name (GB2312/GBK read as their superset GB18030)."""
    if not name:
        return None
    name = name.strip().strip("'\"").lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in `<meta charset>` or `<meta http-equiv content="…charset=…">`.

    The head is parsed as Latin-1 (the tags are ASCII whatever the page's encoding), with lxml.
    """
    head = data[:16384].decode("latin-1")
    try:
        root = lxml.html.fromstring(head)
    except (etree.ParserError, ValueError):
        return None
    for meta in root.iter("meta"):
        if meta.get("charset"):
            return meta.get("charset")
        content = meta.get("content") or ""
        if (meta.get("http-equiv") or "").lower() == "content-type" and "charset=" in content.lower():
            return content.lower().split("charset=", 1)[1].split(";")[0]
    return None


def decode_html(data: bytes) -> tuple[str, str]:
    """(text, encoding): BOM, else UTF-8 if the bytes are valid UTF-8, else the declared charset, else detect.

    Valid UTF-8 wins over a declared legacy charset: GBK text is almost never valid UTF-8, while
    GB18030 decodes nearly any bytes (a page mislabelled gb2312 would otherwise turn to mojibake).
    """
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace").lstrip("\ufeff"), enc
    candidates = ["utf-8", _codec(declared_charset(data))]
    for enc in candidates:
        if enc:
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    enc = _codec(best.encoding) if best is not None else None
    enc = enc or "gb18030"
    return data.decode(enc, errors="replace"), enc


def parse_html(text: str):
    """The page's element tree (lxml.html), comments and Word's conditional blocks dropped."""
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except ValueError:  # a str with an XML encoding declaration
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=lxml.html.HTMLParser(
            encoding="utf-8", remove_comments=True, remove_pis=True))
    return root


# ---------------------------------------------------------------- text
def _tag(el) -> str:
    """An element's lower-case local tag name ('' for comments and other non-elements)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].split(":")[-1].lower() if ("}" in tag or ":" in tag) else tag.lower()


def _conditional(text: str | None) -> bool:
    """Leftovers of Word's downlevel-revealed conditionals (`<![if !supportLists]>`) parsed as text."""
    t = (text or "").strip()
    return t.startswith("[if ") or t.startswith("[endif") or t.startswith("<![")


def _walk(el, out: list[str], skip) -> None:
    """Append the text of `el` to out, with '\n' at block boundaries and <br>; skip elements skip(el) says."""
    for child in el:
        tag = _tag(child)
        if tag in SKIP_TAGS or (tag and skip(child)):
            if child.tail and not _conditional(child.tail):
                out.append(child.tail)
            continue
        if tag == "br":
            out.append("\n")
        elif tag:
            block = tag in BLOCK_TAGS
            if block:
                out.append("\n")
            if child.text and not _conditional(child.text):
                out.append(child.text)
            _walk(child, out, skip)
            if block:
                out.append("\n")
        if child.tail and not _conditional(child.tail):
            out.append(child.tail)


def clean_text(raw: str) -> str:
    """Whitespace and &nbsp; collapsed within each line, empty lines dropped."""
    lines = []
    for line in raw.replace("\r", "\n").split("\n"):
        line = " ".join(line.replace("\u00a0", " ").replace("\u3000", " ").replace("\u200b", "").split())
        if line:
            lines.append(line)
    return "\n".join(lines)


def cell_text(td) -> str:
    """A cell's text: spans and <o:p> flattened, <p>/<br> as line breaks, nested tables left out."""
    out = [td.text or ""] if not _conditional(td.text) else []
    _walk(td, out, skip=lambda e: _tag(e) == "table")
    return clean_text("".join(out))


# ---------------------------------------------------------------- tables
def own_rows(table) -> list:
    """The <tr> elements that belong to this table (not to a table nested in one of its cells)."""
    rows = []
    for tr in table.iter("tr"):
        owner = next(tr.iterancestors("table"), None)
        if owner is table:
            rows.append(tr)
    return rows


def _span(el, name: str) -> int:
    """A rowspan/colspan attribute as a sane positive int."""
    try:
        value = int(float((el.get(name) or "1").strip() or 1))
    except ValueError:
        return 1
    return min(max(value, 1), 500)


def table_grid(table, index: int) -> Grid:
    """An HTML table → a Grid with rowspan/colspan resolved (the HTML table model)."""
    trs = own_rows(table)
    slots: dict[tuple[int, int], GridCell] = {}
    n_cols = 0
    for r, tr in enumerate(trs):
        c = 0
        for td in tr:
            if _tag(td) not in ("td", "th"):
                continue
            while (r, c) in slots:
                c += 1
            rowspan = min(_span(td, "rowspan"), len(trs) - r)
            colspan = _span(td, "colspan")
            cell = GridCell(text=cell_text(td), row=r, col=c, rowspan=rowspan, colspan=colspan)
            for dr in range(rowspan):
                for dc in range(colspan):
                    slots.setdefault((r + dr, c + dc), cell)
            c += colspan
            n_cols = max(n_cols, c)
    rows = [[slots.get((r, c)) for c in range(n_cols)] for r in range(len(trs))]
    return Grid(rows=rows, method="html", index=index)


def table_score(grid: Grid) -> int:
    """How many distinct statutory-table words the table's own cells hold."""
    text = fold(grid.text())
    return sum(1 for w in _FOLDED_WORDS if w in text)


def number_cells(grid: Grid) -> int:
    """How many of the table's own cells read as a number (a menu of links named 行政许可 … has none)."""
    from extractor.numbers import read_number

    seen, n = set(), 0
    for row in grid.rows:
        for cell in row:
            if cell is not None and id(cell) not in seen:
                seen.add(id(cell))
                n += read_number(cell.text, signed=True)[1] == "number"
    return n


def is_report_table(grid: Grid, score: int) -> bool:
    """A statutory table: several of its words, at least two rows, and number cells (not a menu or layout)."""
    return score >= MIN_SCORE and grid.n_rows >= 2 and number_cells(grid) >= 2


# ---------------------------------------------------------------- narrative
def _content_root(root, tables: list):
    """The element holding the report: the report tables' common ancestor, widened to the text's headings."""
    if not tables:
        body = root.find("body")
        return body if body is not None else root
    chains = [list(t.iterancestors()) for t in tables]
    common = next((a for a in chains[0] if all(a in chain for chain in chains[1:])), root)
    node = common
    while node is not None and _tag(node) != "html":
        text = fold(node.text_content())
        if "总体情况" in text or "政府信息公开工作年度报告" in text or "年度报告" in text:
            return node
        node = node.getparent()
    return common


def narrative_lines(container, report_tables: list) -> list[str]:
    """The paragraphs of the report, in order, without the statutory tables."""
    ids = {id(t) for t in report_tables}
    out: list[str] = [container.text or ""]
    _walk(container, out, skip=lambda e: id(e) in ids or _tag(e) in ("nav", "footer"))
    return [line for line in clean_text("".join(out)).split("\n") if line]


def find_title(root, lines: list[str]) -> str:
    """The report's title line: a heading or the page <title> that names issuer and year."""
    candidates = [el.text_content() for tag in ("h1", "h2", "h3") for el in root.iter(tag)]
    title = root.find(".//title")
    if title is not None and title.text:
        candidates.append(title.text)
    candidates += lines[:10]
    for text in candidates:
        text = clean_text(text).replace("\n", "")
        if text and parse_title(text)[1] is not None:
            return text
    return ""


DATE_WORDS = ("发布时间", "发布日期", "公开日期", "生成日期", "成文日期")


def page_dates(root, report_tables: list, lines: list[str]) -> list[str]:
    """The page's publication-date lines (发布时间 …) outside the report's text, for the timeliness check."""
    body = root.find("body")
    everything = narrative_lines(body if body is not None else root, report_tables)
    out = []
    for i, line in enumerate(everything):
        if len(line) < 80 and any(w in line for w in DATE_WORDS) and line not in lines:
            bare = fold(line) in {fold(w) for w in DATE_WORDS}
            out.append(line + (" " + everything[i + 1] if bare and i + 1 < len(everything) else ""))
    return out[:3]


# ---------------------------------------------------------------- entry
def read_html(path: str, data: bytes | None = None) -> HtmlDocument:
    """Read an HTML page: its report grids, narrative and title."""
    if data is None:
        with open(path, "rb") as fh:
            data = fh.read()
    text, encoding = decode_html(data)
    try:
        root = parse_html(text)
    except (etree.ParserError, ValueError) as exc:
        raise ReportError(path, f"HTML could not be parsed ({exc})") from None
    tables = list(root.iter("table"))
    grids, scores, chosen = [], {}, []
    for index, table in enumerate(tables, start=1):
        grid = table_grid(table, index)
        scores[index] = table_score(grid)
        if is_report_table(grid, scores[index]):
            grids.append(grid)
            chosen.append(table)
    container = _content_root(root, chosen)
    lines = narrative_lines(container, chosen)
    title = find_title(root, lines)
    if title and (not lines or fold(title) != fold(lines[0])):
        lines = [title] + page_dates(root, chosen, lines) + lines
    return HtmlDocument(grids=grids, pages=["\n".join(lines)], title=title, encoding=encoding,
                        all_tables=len(tables), scores=scores)
