"""PDF input: open safely, a fast text pass over every page, then grids from the table pages only.

pdfplumber recovers ruled grids; camelot lattice is the second opinion where pdfplumber finds none,
and word positions (extractor.pdf_words) rebuild tables that have no ruling lines at all.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from dataclasses import dataclass, field

from extractor.errors import ReportError
from extractor.grid import Grid, GridCell
from extractor.labels import fold
from extractor.pdf_fast import fast_grids
from extractor.pdf_words import word_grids

log = logging.getLogger(__name__)

# Words whose presence on a page means a statutory table is there (folded before comparing).
TABLE_SIGNALS = {
    "active": ("第二十条第", "信息内容", "本年制发件数", "现行有效件数", "本年处理决定数量", "本年新制作数量", "行政事业性收费"),
    "requests": ("申请人情况", "本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "予以公开", "结转下年度继续办理", "法人或其他组织"),
    "reviews": ("未经复议直接起诉", "复议后起诉", "尚未审结", "结果维持"),
}
_FOLDED_SIGNALS = {t: tuple(fold(w) for w in words) for t, words in TABLE_SIGNALS.items()}


@dataclass
class PdfText:
    """The text pass: every page's text, and the pages that hold each table's signals."""

    pages: list[str]
    table_pages: dict[str, list[int]] = field(default_factory=dict)  # table → 1-based pages
    signal_pages: set[int] = field(default_factory=set)  # pages whose own text names a table
    page_sizes: list[tuple[float, float]] = field(default_factory=list)
    ruled: dict[int, list[Grid]] = field(default_factory=dict)  # page → ruled grids read by the fast path


def check_pdf_file(path: str) -> None:
    """Refuse what is plainly not a readable PDF, with a one-line reason."""
    if not os.path.exists(path):
        raise ReportError(path, "file not found")
    if os.path.isdir(path):
        raise ReportError(path, "is a directory, not a file")
    size = os.path.getsize(path)
    if size == 0:
        raise ReportError(path, "empty file (0 bytes)")
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise ReportError(path, "not a PDF (no %PDF header)")


def text_pass(path: str, password: str | None = None, max_pages: int = 400) -> PdfText:
    """Read each page's text with pypdfium2 and note which pages carry table signals."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(path, password=password)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise ReportError(path, "encrypted: a password is needed to open it", status="encrypted") from None
        raise ReportError(path, f"damaged or truncated PDF ({message.strip()})") from None
    try:
        n_pages = len(doc)
        if n_pages == 0:
            raise ReportError(path, "PDF has no pages")
        pages, sizes, ruled = [], [], {}
        previous_hit = False
        hits: dict[str, list[int]] = {}
        for index in range(min(n_pages, max_pages)):  # a 3,000-page file is read up to max_pages, no further
            try:
                page = doc[index]
            except pdfium.PdfiumError:  # a page tree that loops or names no page there
                if index == 0:
                    raise ReportError(path, "damaged PDF (its first page cannot be loaded: a broken or cyclic "
                                            "page tree)") from None
                break
            sizes.append(page.get_size())
            textpage = page.get_textpage()
            text = textpage.get_text_range() or ""
            pages.append(text.replace("\r\n", "\n").replace("\r", "\n"))
            # the pages locate_tables will name (a signal page, the page after one) are read while open
            here = page_signals(pages[-1])
            for table in here:
                hits.setdefault(table, []).append(index + 1)
            hit = bool(here)
            if hit or previous_hit:
                ruled[index + 1] = fast_grids(doc, index + 1, page=page, textpage=textpage)
            previous_hit = hit
            textpage.close()
            page.close()
        table_pages = locate_tables(hits, len(pages))
        signal = {p for ps in hits.values() for p in ps}
    finally:
        doc.close()
    return PdfText(pages=pages, table_pages=table_pages, signal_pages=signal, page_sizes=sizes, ruled=ruled)


def page_signals(text: str) -> set[str]:
    """The tables at least two of whose signal words appear in one page's text."""
    folded = fold(text)
    return {table for table, words in _FOLDED_SIGNALS.items() if sum(w in folded for w in words) >= 2}


def signal_hits(pages: list[str]) -> dict[str, list[int]]:
    """Pages (1-based) on which each table's signal words appear (tables with none are left out)."""
    hits: dict[str, list[int]] = {}
    for number, text in enumerate(pages, start=1):
        for table in page_signals(text):
            hits.setdefault(table, []).append(number)
    return hits


def locate_tables(hits: dict[str, list[int]], n_pages: int) -> dict[str, list[int]]:
    """Pages each table may be on: its signal pages plus the page after each (a table split by a break)."""
    return {table: sorted(set(pages) | {p + 1 for p in pages if p < n_pages})
            for table, pages in hits.items() if pages}


def table_grids(path: str, text: PdfText, password: str | None = None) -> list[Grid]:
    """Grids of every table page: the fast path's ruled grids, and the slower methods where it found none.

    A page after a table page (a possible continuation) that the fast path finds empty is left alone.
    """
    grids: list[Grid] = []
    slow: list[int] = []
    for number, ruled in sorted(text.ruled.items()):
        if any(_is_table_like(g) for g in ruled):
            grids.extend(ruled)
        elif number in text.signal_pages and looks_tabular(text.pages[number - 1]):
            slow.append(number)
    if slow:
        grids.extend(grids_from_pdf(path, slow, password=password, second_method_pages=text.signal_pages))
    return sorted(grids, key=lambda g: ((g.page or 0), g.index))


_STANDALONE_NUMBER = re.compile(r"(?:^|(?<=\s))[0-9０-９][0-9０-９,，.]*(?=\s|$)")


def looks_tabular(text: str) -> bool:
    """Whether a page's text has lines of three or more standalone numbers: rows of a table."""
    return any(len(_STANDALONE_NUMBER.findall(line)) >= 3 for line in text.splitlines())


def grids_from_pdf(path: str, pages: list[int], password: str | None = None,
                   second_method_pages: set[int] | None = None) -> list[Grid]:
    """Grids of the given pages: pdfplumber's ruled grids, else camelot lattice, else word positions.

    camelot runs only on `second_method_pages` (pages whose own text names a table).
    """
    import pdfplumber
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    damaged = (PdfminerException, MalformedPDFException, PSException)
    grids: list[Grid] = []
    try:
        pdf = pdfplumber.open(path, password=password or "")
    except Exception as exc:  # pdfminer raises many kinds on damaged files
        raise ReportError(path, f"damaged PDF ({type(exc).__name__})") from None
    with _closing(pdf, damaged):
        for number in pages:
            try:
                if number > len(pdf.pages):
                    continue
                page = pdf.pages[number - 1]
                page_grids = plumber_grids(page, number)
                wants_second = second_method_pages is None or number in second_method_pages
                if wants_second and not any(_is_table_like(g) for g in page_grids):
                    ruled = len(page.edges) >= 4  # camelot's lattice needs ruling lines to find anything
                    page_grids = ((ruled and camelot_grids(path, number, page.height, password))
                                  or word_grids(page, number) or page_grids)
                page.flush_cache()
            except damaged as exc:  # a damaged page (broken resources, content): its tables are not read
                log.debug("page %s of %s is damaged: %s", number, path, exc)
                continue
            grids.extend(page_grids)
    return grids


@contextlib.contextmanager
def _closing(pdf, damaged: tuple):
    """pdfplumber's close() walks every page, and a damaged page raises there: it is closed all the same."""
    try:
        yield pdf
    finally:
        try:
            pdf.close()
        except damaged:
            pass


def _is_table_like(grid: Grid) -> bool:
    """A grid with two rows of two or more numbers, or one row of five or more (table 四's one row)."""
    from extractor.numbers import read_number

    counts = [sum(1 for c in row if c is not None and read_number(c.text)[1] == "number") for row in grid.rows]
    return sum(n >= 2 for n in counts) >= 2 or any(n >= 5 for n in counts)


def plumber_grids(page, number: int) -> list[Grid]:
    """Ruled tables of one page as Grids, via pdfplumber's edges → intersections → cells."""
    grids = []
    for index, table in enumerate(page.find_tables(), start=1):
        texts = table.extract()
        grids.append(grid_from_plumber(table, texts, number, index))
    return grids


def _boundaries(values: list[float], tolerance: float = 1.5) -> list[float]:
    """Sorted distinct coordinates, merging those closer than the tolerance."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tolerance:
            out.append(v)
    return out


def _span(start: float, end: float, bounds: list[float], tolerance: float = 1.5) -> range:
    """Indices of the slots (between consecutive bounds) a segment [start, end] covers."""
    idx = [i for i, b in enumerate(bounds[:-1]) if b >= start - tolerance and bounds[i + 1] <= end + tolerance]
    return range(idx[0], idx[-1] + 1) if idx else range(0)


def grid_from_plumber(table, texts: list[list[str | None]], number: int, index: int) -> Grid:
    """A pdfplumber Table and its extracted texts → a Grid with row and column spans."""
    boxes = [(box, texts[r][c]) for r, row in enumerate(table.rows) for c, box in enumerate(row.cells)
             if box is not None]
    xs = _boundaries([b[0] for b, _ in boxes] + [b[2] for b, _ in boxes])
    ys = _boundaries([b[1] for b, _ in boxes] + [b[3] for b, _ in boxes])
    rows: list[list[GridCell | None]] = [[None] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    for box, text in boxes:
        cols, rws = _span(box[0], box[2], xs), _span(box[1], box[3], ys)
        if not cols or not rws:
            continue
        cell = GridCell(text=text or "", row=rws[0], col=cols[0], rowspan=len(rws), colspan=len(cols),
                        page=number, bbox=tuple(float(v) for v in box))
        for r in rws:
            for c in cols:
                if rows[r][c] is None:
                    rows[r][c] = cell
    return Grid(rows=rows, method="pdfplumber", page=number, index=index, pages=[number])


def camelot_grids(path: str, number: int, page_height: float, password: str | None = None) -> list[Grid]:
    """Ruled tables of one page read by camelot's lattice parser (pdfplumber's second opinion).

    camelot's stream parser was tried for borderless tables and splits wrapped CJK labels and
    headers into rows and columns of their own; extractor.pdf_words reads those instead.
    """
    try:
        import camelot
    except ImportError:  # pragma: no cover - camelot is a declared dependency
        return []
    for flavor in ("lattice",):
        try:
            kwargs = {"password": password} if password else {}
            tables = camelot.read_pdf(path, pages=str(number), flavor=flavor, **kwargs)
        except Exception as exc:  # camelot raises on pages it cannot parse
            log.debug("camelot %s failed on page %s: %s", flavor, number, exc)
            continue
        grids = [grid_from_camelot(t, number, page_height, f"camelot-{flavor}", i)
                 for i, t in enumerate(tables, start=1)]
        grids = [g for g in grids if _is_table_like(g)]
        if grids:
            return grids
    return []


def grid_from_camelot(table, number: int, page_height: float, method: str, index: int) -> Grid:
    """A camelot Table → a Grid; camelot's spanned cells are folded into one GridCell."""
    rows: list[list[GridCell | None]] = []
    for r, line in enumerate(table.cells):
        out: list[GridCell | None] = []
        for c, cell in enumerate(line):
            text = table.df.iat[r, c] if r < table.df.shape[0] and c < table.df.shape[1] else ""
            bbox = (float(cell.x1), page_height - float(cell.y2), float(cell.x2), page_height - float(cell.y1))
            left_joined = c > 0 and not cell.left and out[c - 1] is not None
            top_joined = r > 0 and not cell.top and rows[r - 1][c] is not None
            if method.endswith("lattice") and left_joined and not text:
                prev = out[c - 1]
                prev.colspan += 1 if prev.row == r else 0
                prev.bbox = (prev.bbox[0], prev.bbox[1], max(prev.bbox[2], bbox[2]), prev.bbox[3])
                out.append(prev)
            elif method.endswith("lattice") and top_joined and not text:
                above = rows[r - 1][c]
                above.bbox = (above.bbox[0], above.bbox[1], above.bbox[2], max(above.bbox[3], bbox[3]))
                out.append(above)
            else:
                out.append(GridCell(text=str(text), row=r, col=c, page=number, bbox=bbox))
        rows.append(out)
    return Grid(rows=rows, method=method, page=number, index=index, pages=[number])


