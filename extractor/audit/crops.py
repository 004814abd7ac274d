"""Page images for findings: the table region around a finding's cells, the offending ones boxed in red.

Runs inside the worker (pdfium parses an untrusted file; a crash there costs a worker, not the
batch). Each page is rendered once at `SCALE`; every crop is a PNG.
"""

from __future__ import annotations

import io
from typing import Optional

SCALE = 2.0  # pixels per PDF point
MAX_SIDE = 4000  # pixels: the longest side of a rendered page
MARGIN_Y = 34.0  # points above and below the involved cells
MARGIN_X = 24.0
RED = (220, 0, 0)
AMBER = (235, 150, 0)


def offending_keys(finding) -> set[tuple]:
    """The cells a finding is about: its own (table, row, column) if it names one, else all its cells."""
    if finding.table and finding.row and finding.column:
        return {(finding.table, finding.row, finding.column)}
    return {(c.get("table"), c.get("row"), c.get("column")) for c in finding.cells}


def _boxes(finding) -> list[tuple[int, tuple, bool]]:
    """(page, bbox, offending) for each involved cell that has a place on a page."""
    red = offending_keys(finding)
    out = []
    for c in finding.cells:
        if c.get("page") and c.get("bbox"):
            out.append((int(c["page"]), tuple(c["bbox"]), (c.get("table"), c.get("row"), c.get("column")) in red))
    return out


def finding_pages(finding) -> list[int]:
    """The pages a finding's image shows: those of its offending cells, else those of all its cells."""
    boxes = _boxes(finding)
    pages = sorted({p for p, _, off in boxes if off}) or sorted({p for p, _, _ in boxes})
    return pages[:3]


HEADED_TABLES = {"requests": ("new", "other_combined"), "reviews": ("all",)}  # tables whose column heads matter
HEAD_SEARCH = 110.0  # points above the first row searched for the table's top rule
HEAD_DEFAULT = 70.0  # points kept above the first row when no rule is found (borderless tables)


def table_heads(report) -> dict[str, tuple[int, float]]:
    """{table: (page, top of its first row)} for the tables whose column headings a crop should show."""
    out = {}
    if report is None:
        return out
    for table, rows in HEADED_TABLES.items():
        cells = [c for c in report.cells if c.table == table and c.row == rows[0] and c.page and c.bbox]
        if cells:
            first = min(cells, key=lambda c: (c.page, c.bbox[1]))
            out[table] = (first.page, float(first.bbox[1]))
    return out


def crop_findings(path: str, findings: list, password: str | None = None, max_pages: int = 50,
                  report=None) -> list[Optional[bytes]]:
    """One PNG per finding (None when it has no cell with a page box, or the page cannot be rendered).

    With the report, a crop of the requests or reviews table also shows that table's column headings
    (stacked above the crop when the offending cells are further down the page)."""
    heads = table_heads(report)
    import pypdfium2 as pdfium

    wanted = {p for f in findings for p in finding_pages(f)}
    if not wanted:
        return [None] * len(findings)
    images: dict[int, object] = {}
    doc = pdfium.PdfDocument(path, password=password)
    try:
        for page_no in sorted(wanted)[:max_pages]:
            if 1 <= page_no <= len(doc):
                page = doc[page_no - 1]
                w, h = page.get_size()
                scale = min(SCALE, MAX_SIDE / max(w, h, 1.0))  # a hostile page size must not become a pixel bomb
                images[page_no] = (page.render(scale=scale).to_pil().convert("RGB"), scale)
                page.close()
    finally:
        doc.close()
    return [_crop(f, images, heads) for f in findings]


def _crop(finding, images: dict, heads: dict | None = None) -> Optional[bytes]:
    """The crop of each page the finding's cells are on, stacked (a table split over two pages)."""
    from PIL import Image

    parts = [_crop_page(finding, *images[p], p, (heads or {}).get(finding.table)) for p in finding_pages(finding)
             if p in images]
    if not parts:
        return None
    if len(parts) == 1:
        region = parts[0]
    else:
        gap = 12
        region = Image.new("RGB", (max(p.width for p in parts), sum(p.height for p in parts) + gap * (len(parts) - 1)),
                           (160, 160, 160))
        y = 0
        for p in parts:
            region.paste(p, (0, y))
            y += p.height + gap
    buf = io.BytesIO()
    region = region.quantize(colors=64, method=Image.Quantize.FASTOCTREE)  # text on white: a small palette keeps the HTML light (octree: ~4x faster than median cut)
    region.save(buf, format="PNG")
    return buf.getvalue()


def _head_top(page_img, scale: float, first_top: float, left: float, right: float) -> float:
    """The top of a table's heading: the highest long horizontal rule in the band above its first row."""
    band_top = max(0.0, first_top - HEAD_SEARCH)
    box = tuple(int(round(v * scale)) for v in (left, band_top, right, first_top - 6))
    if box[3] - box[1] < 4 or box[2] - box[0] < 40:
        return max(0.0, first_top - HEAD_DEFAULT)
    band = page_img.crop(box).convert("L")
    width, height = band.size
    data = band.tobytes()
    for y in range(height):
        dark = sum(1 for v in data[y * width:(y + 1) * width] if v < 110)
        if dark > 0.6 * width:
            return band_top + y / scale - 3
    return max(0.0, first_top - HEAD_DEFAULT)


def _padded(bbox, width: float = 18.0, height: float = 14.0) -> tuple:
    """A box at least width × height points around its centre (some sources box the digits, not the cell)."""
    x0, y0, x1, y1 = bbox
    if x1 - x0 < width:
        cx = (x0 + x1) / 2
        x0, x1 = cx - width / 2, cx + width / 2
    if y1 - y0 < height:
        cy = (y0 + y1) / 2
        y0, y1 = cy - height / 2, cy + height / 2
    return (x0, y0, x1, y1)


def _crop_page(finding, page_img, scale: float, page_no: int, head: tuple | None = None):
    from PIL import Image, ImageDraw

    boxes = [(_padded(b), off) for p, b, off in _boxes(finding) if p == page_no]
    top = min(b[1] for b, _ in boxes) - MARGIN_Y
    bottom = max(b[3] for b, _ in boxes) + MARGIN_Y
    width_pt = page_img.width / scale
    # the full width of the table region: row labels on the left, totals on the right
    left = max(0.0, min(min(b[0] for b, _ in boxes) - MARGIN_X, 28.0))
    right = min(width_pt, max(max(b[2] for b, _ in boxes) + MARGIN_X, width_pt - 28.0))
    top, bottom = max(0.0, top), min(page_img.height / scale, bottom)
    region = page_img.crop(tuple(int(round(v * scale)) for v in (left, top, right, bottom)))
    draw = ImageDraw.Draw(region)
    for bbox, off in sorted(boxes, key=lambda x: x[1]):  # red drawn last, on top
        x0, y0, x1, y1 = ((bbox[0] - left) * scale, (bbox[1] - top) * scale,
                          (bbox[2] - left) * scale, (bbox[3] - top) * scale)
        if off:
            draw.rectangle((x0 - 2, y0 - 2, x1 + 2, y1 + 2), outline=RED, width=4)
        else:
            draw.rectangle((x0, y0, x1, y1), outline=AMBER, width=2)
    head_top = _head_top(page_img, scale, head[1], left, right) if head and head[0] == page_no else None
    if head_top is not None and top > head_top + 2:
        if top <= head[1] + 4 * MARGIN_Y:  # close below the heading: grow the crop upwards instead
            grown = page_img.crop(tuple(int(round(v * scale)) for v in (left, head_top, right, top)))
            out = Image.new("RGB", (region.width, grown.height + region.height), (255, 255, 255))
            out.paste(grown, (0, 0))
            out.paste(region, (0, grown.height))
            return out
        strip = page_img.crop(tuple(int(round(v * scale)) for v in (left, head_top, right, head[1])))
        gap = 10
        out = Image.new("RGB", (region.width, strip.height + gap + region.height), (255, 255, 255))
        out.paste(strip, (0, 0))
        ImageDraw.Draw(out).line((0, strip.height + gap // 2, out.width, strip.height + gap // 2),
                                 fill=(150, 150, 150), width=2)
        out.paste(region, (0, strip.height + gap))
        return out
    return region
