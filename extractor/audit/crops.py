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


def finding_page(finding) -> Optional[int]:
    pages = finding_pages(finding)
    return pages[0] if pages else None


def crop_findings(path: str, findings: list, password: str | None = None, max_pages: int = 50) -> list[Optional[bytes]]:
    """One PNG per finding (None when it has no cell with a page box, or the page cannot be rendered)."""
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
    return [_crop(f, images) for f in findings]


def _crop(finding, images: dict) -> Optional[bytes]:
    """The crop of each page the finding's cells are on, stacked (a table split over two pages)."""
    from PIL import Image

    parts = [_crop_page(finding, *images[p], p) for p in finding_pages(finding) if p in images]
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
    region = region.quantize(colors=64)  # text on white: a small palette keeps the HTML light
    region.save(buf, format="PNG")
    return buf.getvalue()


def _crop_page(finding, page_img, scale: float, page_no: int):
    from PIL import ImageDraw

    boxes = [(b, off) for p, b, off in _boxes(finding) if p == page_no]
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
    return region
