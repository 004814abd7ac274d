"""Page images for findings: the table region around a finding's cells, the offending ones boxed in red.

Runs inside the worker (pdfium parses an untrusted file; a crash there costs a worker, not the
batch). Each page is rendered once at `SCALE`; every crop is a PNG.
"""

from __future__ import annotations

import io
from typing import Optional

SCALE = 2.0  # pixels per PDF point
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


def finding_page(finding) -> Optional[int]:
    """The page a finding's image shows: the page of its offending cells, else of most of its cells."""
    boxes = _boxes(finding)
    if not boxes:
        return None
    pages = [p for p, _, off in boxes if off] or [p for p, _, _ in boxes]
    return max(set(pages), key=lambda p: (pages.count(p), -p))


def crop_findings(path: str, findings: list, password: str | None = None, max_pages: int = 50) -> list[Optional[bytes]]:
    """One PNG per finding (None when it has no cell with a page box, or the page cannot be rendered)."""
    import pypdfium2 as pdfium

    wanted = {finding_page(f) for f in findings} - {None}
    if not wanted:
        return [None] * len(findings)
    images: dict[int, object] = {}
    doc = pdfium.PdfDocument(path, password=password)
    try:
        for page_no in sorted(wanted)[:max_pages]:
            if 1 <= page_no <= len(doc):
                page = doc[page_no - 1]
                images[page_no] = page.render(scale=SCALE).to_pil().convert("RGB")
                page.close()
    finally:
        doc.close()
    return [_crop(f, images) for f in findings]


def _crop(finding, images: dict) -> Optional[bytes]:
    from PIL import ImageDraw

    page_no = finding_page(finding)
    if page_no not in images:
        return None
    page_img = images[page_no]
    boxes = [(b, off) for p, b, off in _boxes(finding) if p == page_no]
    top = min(b[1] for b, _ in boxes) - MARGIN_Y
    bottom = max(b[3] for b, _ in boxes) + MARGIN_Y
    width_pt = page_img.width / SCALE
    # the full width of the table region: row labels on the left, totals on the right
    left = max(0.0, min(min(b[0] for b, _ in boxes) - MARGIN_X, 28.0))
    right = min(width_pt, max(max(b[2] for b, _ in boxes) + MARGIN_X, width_pt - 28.0))
    top, bottom = max(0.0, top), min(page_img.height / SCALE, bottom)
    region = page_img.crop(tuple(int(round(v * SCALE)) for v in (left, top, right, bottom)))
    draw = ImageDraw.Draw(region)
    for bbox, off in sorted(boxes, key=lambda x: x[1]):  # red drawn last, on top
        x0, y0, x1, y1 = ((bbox[0] - left) * SCALE, (bbox[1] - top) * SCALE,
                          (bbox[2] - left) * SCALE, (bbox[3] - top) * SCALE)
        if off:
            draw.rectangle((x0 - 2, y0 - 2, x1 + 2, y1 + 2), outline=RED, width=4)
        else:
            draw.rectangle((x0, y0, x1, y1), outline=AMBER, width=2)
    buf = io.BytesIO()
    region = region.quantize(colors=64)  # text on white: a small palette keeps the HTML light
    region.save(buf, format="PNG", optimize=True)
    return buf.getvalue()
