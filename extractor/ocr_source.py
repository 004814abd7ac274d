"""Scanned pages: pages without a usable text layer → OCR → Grids (method "ocr") and page text.

A page is rasterised with pypdfium2 at its image's own resolution (150–300 dpi, at most 40 Mpx),
deskewed and its ruled tables found (extractor.ocr_grid), and every cell is read by rapidocr
(PP-OCRv4 on onnxruntime; the models ship inside the rapidocr_onnxruntime wheel, nothing is
downloaded). Cells are read as crops of the known grid: each text line of a cell is cut out and
recognised, no text detection needed (measured faster and more accurate than detecting over the
whole page, see `read_page(mode=...)`). Text outside the tables (title, headings, prose) is
detected and recognised on the page with the tables blanked, so the same text pass finds the
tables 二/三/四 and the narrative. Every GridCell carries the recogniser's confidence (the lowest
of its lines) and its box converted back to PDF points.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from extractor.grid import Grid, GridCell

log = logging.getLogger(__name__)

MAX_DPI = 300
MIN_DPI = 150
MAX_PIXELS = 40_000_000
TEXT_MIN_CHARS = 20  # fewer printable characters than this on a page: no usable text layer
IMAGE_MIN_COVER = 0.3  # the page's images cover at least this share of it: a scan

_ENGINE = None
_ENGINE_LOCK = threading.Lock()


def ocr_threads() -> int:
    """onnxruntime threads: 1 in an audit worker (OMP_NUM_THREADS=1, one worker per core), else up to 2.

    Measured on 2 busy cores: one thread per session recognised faster than two.
    """
    env = os.environ.get("NIANBAO_OCR_THREADS") or os.environ.get("OMP_NUM_THREADS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def engine():
    """The process's one OCR engine (rapidocr on onnxruntime), made on first use."""
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            from rapidocr_onnxruntime import RapidOCR

            _ENGINE = RapidOCR(intra_op_num_threads=ocr_threads(), inter_op_num_threads=1)
    return _ENGINE


# ------------------------------------------------------------------ which pages are scans
_GOOD = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\u2e80-\u2fdf\u3000-\u303f\uff00-\uffef0-9A-Za-z]")


def usable_text(text: str) -> bool:
    """Whether a page's text layer reads as text: enough characters, mostly CJK, digits, letters, punctuation.

    Garbage layers (a scanner's glyph ids mapped to nothing: U+FFFD, private-use or control
    characters, or a few stray marks) are not usable.
    """
    chars = [ch for ch in text if not ch.isspace()]
    if len(chars) < TEXT_MIN_CHARS:
        return False
    good = sum(1 for ch in chars if _GOOD.match(ch))
    return good / len(chars) >= 0.6


def image_pages(path: str, pages: list[str], password: Optional[str] = None) -> list[int]:
    """1-based pages whose text layer is not usable and whose images cover much of the page."""
    candidates = [i for i, text in enumerate(pages) if not usable_text(text)]
    if not candidates:
        return []
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    out = []
    doc = pdfium.PdfDocument(path, password=password)
    try:
        for i in candidates:
            page = doc[i]
            w, h = page.get_size()
            cover = 0.0
            for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2):
                left, bottom, right, top = obj.get_bounds()
                cover += max(0.0, min(right, w) - max(left, 0.0)) * max(0.0, min(top, h) - max(bottom, 0.0))
            if cover >= IMAGE_MIN_COVER * w * h:
                out.append(i + 1)
            page.close()
    finally:
        doc.close()
    return out


# ------------------------------------------------------------------ rasterising
def render_scale(page) -> float:
    """Pixels per point for a scanned page: its largest image's resolution, within 150–300 dpi and 40 Mpx."""
    import pypdfium2.raw as pdfium_c

    w, h = page.get_size()
    native = 0.0
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2):
        left, _, right, _ = obj.get_bounds()
        try:
            px_w, _ = obj.get_px_size()
        except Exception:  # pragma: no cover - pdfium cannot size some inline images
            continue
        if right - left > 1:
            native = max(native, px_w / (right - left))
    scale = native if native else 200 / 72
    scale = min(max(scale, MIN_DPI / 72), MAX_DPI / 72)
    cap = (MAX_PIXELS / max(1.0, w * h)) ** 0.5
    return min(scale, cap)


def render_gray(page, scale: float) -> np.ndarray:
    """A page as an 8-bit grey image at the given pixels per point."""
    return np.asarray(page.render(scale=scale, grayscale=True).to_pil().convert("L"))


# ------------------------------------------------------------------ reading one page
@dataclass
class ScannedPage:
    """What OCR read on one page: its grids, its text (tables and prose, top to bottom), timings."""

    number: int
    text: str
    grids: list[Grid] = field(default_factory=list)
    angle: float = 0.0
    seconds: float = 0.0
    dpi: float = 0.0


def _bgr(img: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)


def _line_crop(gray: np.ndarray, box: tuple[int, int, int, int], dpi: float) -> np.ndarray:
    """A text line cut out with a margin of paper around it (the recogniser wants some)."""
    m = max(3, int(0.03 * dpi))
    x0, y0, x1, y1 = box
    h, w = gray.shape
    return gray[max(0, y0 - m): min(h, y1 + m), max(0, x0 - m): min(w, x1 + m)]


REC_HEIGHT = 48  # the recogniser's input height (PP-OCRv4 rec)
REC_BATCH = 8


def _to_height(img: np.ndarray, height: int = REC_HEIGHT) -> np.ndarray:
    import cv2

    h, w = img.shape[:2]
    return cv2.resize(img, (max(1, int(round(w * height / max(1, h)))), height), interpolation=cv2.INTER_AREA
                      if h > height else cv2.INTER_CUBIC)


def _stretch(img: np.ndarray) -> np.ndarray:
    """Contrast stretched so the paper (or a cell's grey shading) is white and the ink black."""
    if img.size == 0:
        return img
    lo, hi = np.percentile(img, (1, 85))
    if hi - lo < 30:
        return img
    out = (img.astype(np.float32) - lo) * (255.0 / (hi - lo))
    return np.clip(out, 0, 255).astype(np.uint8)


def recognise_strips(strips: list[list[np.ndarray]]) -> list[list[tuple[str, float]]]:
    """Recognise rows of single-line images, each row laid side by side on one strip.

    One strip per table row reads all its value cells in one pass of the recogniser; the CTC
    time step of each character says which image it came from. The confidence of a piece is its
    least certain character (0.0 when ink was there and nothing was read).
    """
    rec = engine().text_rec
    chars = rec.postprocess_op.character
    gap = REC_HEIGHT // 2
    built, counts = [], []
    for segments in strips:
        pieces, spans, x, glyphs = [], [], 0, []
        counts.append(glyphs)
        for img in segments:
            piece = _to_height(_stretch(img))
            glyphs.append(_glyph_count(piece))
            paper = int(np.median(piece)) if piece.size else 255
            if pieces:
                pieces.append(np.full((REC_HEIGHT, gap), paper, dtype=np.uint8))
                x += gap
            pieces.append(piece)
            spans.append((x, x + piece.shape[1]))
            x += piece.shape[1]
        canvas = np.concatenate(pieces, axis=1) if pieces else np.full((REC_HEIGHT, 8), 255, np.uint8)
        built.append((canvas, spans))
    out: list[list[tuple[str, float]]] = [[] for _ in strips]
    order = sorted(range(len(built)), key=lambda i: built[i][0].shape[1])
    for start in range(0, len(order), REC_BATCH):
        batch = order[start:start + REC_BATCH]
        width = max(max(built[i][0].shape[1] for i in batch), REC_HEIGHT * 2)
        width = (width + 7) // 8 * 8
        tensor = np.zeros((len(batch), 3, REC_HEIGHT, width), dtype=np.float32)
        for k, i in enumerate(batch):
            canvas = built[i][0].astype(np.float32) / 255.0
            tensor[k, :, :, :canvas.shape[1]] = (canvas - 0.5) / 0.5
        preds = rec.session(tensor)[0]
        step = width / preds.shape[1]
        for k, i in enumerate(batch):
            out[i] = [_check_count(text, conf, n) for (text, conf), n in
                      zip(_decode(preds[k], step, built[i][1], chars), counts[i])]
    return out


def _glyph_count(piece: np.ndarray) -> int:
    """Separate tall ink shapes side by side in a line image (digits, CJK radicals count as one each)."""
    import cv2

    _, bw = cv2.threshold(piece, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    n, _, stats, _ = cv2.connectedComponentsWithStats(bw)
    h = piece.shape[0]
    cols = np.zeros(piece.shape[1], dtype=bool)
    for x, y, w, hh, area in stats[1:]:
        if hh >= 0.3 * h and area >= 20 and w < piece.shape[1] * 0.9:
            cols[x:x + w] = True
    edges = np.flatnonzero(np.diff(np.concatenate(([0], cols.astype(np.int8), [0]))))
    return len(edges) // 2


_THOUSANDS_AS_POINT = re.compile(r"^\d{1,3}(\.\d{3})+$")


def _check_count(text: str, conf: float, glyphs: int) -> tuple[str, float]:
    """A number read with fewer digits than the separate shapes printed (CTC merges '11' into '1'):
    uncertain whatever the recogniser's score. A point before groups of three digits is read as the
    thousands separator it almost always is in these tables (counts), and flagged as uncertain."""
    if _THOUSANDS_AS_POINT.match(text):  # '1,234' read as '1.234': a comma under the baseline looks like a point
        return text.replace(".", ","), min(conf, 0.8)
    digits = sum(ch.isdigit() for ch in text)
    if digits and digits == len(text.replace(",", "").replace(".", "")) and glyphs > digits:
        return text, min(conf, 0.5)
    return text, conf


# letters the recogniser reads for digits in isolated table cells ('0' of a round sans font as 'O' or 'o')
CONFUSABLE = {"O": "0", "o": "0", "D": "0", "Q": "0", "〇": "0", "l": "1", "I": "1", "|": "1", "i": "1",
              "Z": "2", "z": "2", "S": "5", "s": "5", "B": "8", "g": "9", "q": "9"}
_NUMERIC = "0123456789.,"
_numeric_ids: dict[int, np.ndarray] = {}


def _numeric_classes(chars) -> np.ndarray:
    key = id(chars)
    if key not in _numeric_ids:
        _numeric_ids[key] = np.array([i for i, ch in enumerate(chars) if ch in _NUMERIC])
    return _numeric_ids[key]


_digit_groups: dict[int, list[tuple[str, list[int]]]] = {}


def _likeliest_digit(probs: np.ndarray, chars) -> tuple[str, float]:
    """The digit whose glyph is likeliest at a time step: its own probability plus its look-alike letters'."""
    key = id(chars)
    if key not in _digit_groups:
        index = {ch: i for i, ch in enumerate(chars)}
        _digit_groups[key] = [(d, [index[d]] + [index[k] for k, v in CONFUSABLE.items() if v == d and k in index])
                              for d in "0123456789" if d in index]
    best = max(((d, float(probs[ids].sum())) for d, ids in _digit_groups[key]), key=lambda x: x[1])
    return best


def _decode(pred: np.ndarray, step: float, spans: list[tuple[int, int]], chars) -> list[tuple[str, float]]:
    """Greedy CTC decoding, each character given to the piece its time step falls in (or is nearest to).

    A piece read as digits mixed with digit-like letters ('O', 'l') is a number: each letter is
    replaced by the likeliest digit at its time step; its confidence is the probability of that
    digit's glyph (the digit and the letters that look like it), so a 'O' that was as likely '0'
    is a confident 0, and a glyph torn between digits stays uncertain and is flagged.
    """
    idx = pred.argmax(axis=1)
    prob = pred.max(axis=1)
    pieces: list[list[tuple[int, str, float]]] = [[] for _ in spans]
    for t, (i, pr) in enumerate(zip(idx.tolist(), prob.tolist())):
        if i == 0 or (t > 0 and idx[t - 1] == i) or i >= len(chars):
            continue
        x = (t + 0.5) * step
        k = min(range(len(spans)), key=lambda j: 0 if spans[j][0] <= x <= spans[j][1]
                else min(abs(x - spans[j][0]), abs(x - spans[j][1])))
        pieces[k].append((t, chars[i], pr))
    out = []
    numeric = _numeric_classes(chars)
    for piece in pieces:
        text = "".join(ch for _, ch, _ in piece)
        if piece and all(ch in CONFUSABLE or ch in _NUMERIC for ch in text) and any(ch.isdigit() or ch in CONFUSABLE for ch in text):
            fixed = []
            for t, ch, pr in piece:
                if (ch in CONFUSABLE or ch.isdigit()) and numeric.size:
                    digit, mass = _likeliest_digit(pred[t], chars)
                    fixed.append((t, digit, mass))
                else:
                    fixed.append((t, ch, pr))
            piece = fixed
        out.append(("".join(ch for _, ch, _ in piece), min((pr for _, _, pr in piece), default=0.0)))
    return out


def recognise(images: list[np.ndarray]) -> list[tuple[str, float]]:
    """Text and confidence of each single-line image."""
    return [r[0] for r in recognise_strips([[img] for img in images])]


def _detect(gray: np.ndarray) -> list[tuple[tuple[float, float, float, float], str, float]]:
    """Detection + recognition over an image: (box x0, y0, x1, y1 in its pixels, text, confidence)."""
    result, _ = engine()(_bgr(gray), use_cls=False)
    out = []
    for pts, text, score in result or []:
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        out.append(((min(xs), min(ys), max(xs), max(ys)), str(text), float(score)))
    return out


def read_page(gray: np.ndarray, scale: float, number: int, mode: str = "cells", prose: bool = True) -> ScannedPage:
    """OCR one scanned page image into Grids (PDF-point boxes) and its text.

    mode "cells": each cell's text lines are cut from the known grid and recognised (the default);
    mode "page": text is detected and recognised over the whole page and each line put in the
    cell holding its centre (kept for measurement).
    """
    from extractor.ocr_grid import analyse_page, text_lines

    started = time.perf_counter()
    dpi = scale * 72
    page = analyse_page(gray, dpi)
    grids: list[Grid] = []
    items: list[tuple[float, str]] = []  # (y in deskewed pixels, text) for the page text
    table_texts: list[list[tuple[str, float]]] = []
    if mode == "page":
        found = _detect(page.gray)
        for table in page.tables:
            texts = []
            for cell in table.cells:
                x0, y0, x1, y1 = cell.box
                inside = [(b, t, s) for b, t, s in found if x0 <= (b[0] + b[2]) / 2 <= x1 and y0 <= (b[1] + b[3]) / 2 <= y1]
                inside.sort(key=lambda k: (round(k[0][1] / (0.08 * dpi)), k[0][0]))
                texts.append(("".join(t for _, t, _ in inside), min((s for _, _, s in inside), default=1.0)))
            table_texts.append(texts)
        outside = [(b, t) for b, t, _ in found
                   if not any(_inside(b, table.box) for table in page.tables)]
        items.extend(((b[1] + b[3]) / 2, t) for b, t in outside)
    else:
        strips, owners = [], []  # one strip per table row of one-line cells; multi-line cells line by line
        for ti, table in enumerate(page.tables):
            rows: dict[int, tuple[list, list]] = {}
            for ci, cell in enumerate(table.cells):
                lines = text_lines(page.ink, cell.box, dpi)
                if len(lines) == 1:
                    crops, who = rows.setdefault(cell.row, ([], []))
                    crops.append(_line_crop(page.gray, lines[0], dpi))
                    who.append((ti, ci))
                else:
                    for line in lines:
                        strips.append([_line_crop(page.gray, line, dpi)])
                        owners.append([(ti, ci)])
            for crops, who in rows.values():
                strips.append(crops)
                owners.append(who)
        per_cell: dict[tuple[int, int], list[tuple[str, float]]] = {}
        for who, read in zip(owners, recognise_strips(strips)):
            for owner, (text, score) in zip(who, read):
                per_cell.setdefault(owner, []).append((text, score))
        for ti, table in enumerate(page.tables):
            texts = []
            for ci, _ in enumerate(table.cells):
                lines = per_cell.get((ti, ci), [])
                texts.append((clean_text("".join(t for t, _ in lines)), min((s for _, s in lines), default=1.0)))
            table_texts.append(texts)
        if prose:
            items.extend(_prose(page))
    for ti, (table, texts) in enumerate(zip(page.tables, table_texts), start=1):
        grid = _grid(table, texts, page.matrix, scale, number, ti)
        grids.append(grid)
        for r in range(grid.n_rows):
            seen = []
            for cell in grid.rows[r]:
                if cell is not None and cell.row == r and cell not in seen:
                    seen.append(cell)
            y = table.cells[0].box[1] if table.cells else 0
            row_y = next((c.box[1] for c in table.cells if c.row == r), y)
            items.append((row_y + 1, " ".join(c.text for c in seen if c.text)))
    items.sort(key=lambda k: k[0])
    text = "\n".join(t for _, t in items if t)
    return ScannedPage(number=number, text=text, grids=grids, angle=page.angle,
                       seconds=time.perf_counter() - started, dpi=dpi)


_NUMBER_WITH_SPECKS = re.compile(r"^[.,·、'`]*(\d(?:[\d,.]*\d)?)[.,·、'`]*$")


def clean_text(text: str) -> str:
    """A cell's recognised text, with the dust a scan adds around a lone number ('0.' → '0') taken off."""
    text = text.strip()
    m = _NUMBER_WITH_SPECKS.match(text)
    return m.group(1) if m else text


def _inside(box, outer) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return outer[0] <= cx <= outer[2] and outer[1] <= cy <= outer[3]


PROSE_DET_DPI = 100  # text lines are found on a page scaled down to this, read at full resolution


def _prose(page) -> list[tuple[float, str]]:
    """Text lines outside the tables: detected on a downscaled copy with the tables painted over, read full size."""
    import cv2

    gray = page.gray.copy()
    paper = int(np.median(gray[::8, ::8]))
    for table in page.tables:
        x0, y0, x1, y1 = table.box
        gray[max(0, y0 - 3): y1 + 4, max(0, x0 - 3): x1 + 4] = paper
    factor = min(1.0, PROSE_DET_DPI / page.dpi)
    small = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA) if factor < 1 else gray
    boxes, _ = engine().text_det(_bgr(small))
    lines = []
    for pts in (boxes if boxes is not None else []):
        xs, ys = pts[:, 0] / factor, pts[:, 1] / factor
        lines.append((int(xs.min()), int(ys.min()), int(np.ceil(xs.max())), int(np.ceil(ys.max()))))
    lines.sort(key=lambda b: (b[1], b[0]))
    crops = [gray[max(0, y0 - 2): y1 + 2, max(0, x0 - 2): x1 + 2] for x0, y0, x1, y1 in lines]
    read = recognise(crops)
    return [((b[1] + b[3]) / 2, text) for b, (text, _) in zip(lines, read) if text.strip()]


def _grid(table, texts: list[tuple[str, float]], matrix, scale: float, number: int, index: int) -> Grid:
    """A PixelTable and its cell texts → a Grid with boxes in PDF points on the original page."""
    from extractor.ocr_grid import to_original

    rows: list[list[Optional[GridCell]]] = [[None] * table.n_cols for _ in range(table.n_rows)]
    for cell, (text, score) in zip(table.cells, texts):
        x0, y0, x1, y1 = to_original(matrix, cell.box)
        gcell = GridCell(text=text, row=cell.row, col=cell.col, rowspan=cell.rowspan, colspan=cell.colspan,
                         page=number, bbox=(x0 / scale, y0 / scale, x1 / scale, y1 / scale),
                         confidence=round(score, 4))
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                rows[r][c] = gcell
    return Grid(rows=rows, method="ocr", page=number, index=index, pages=[number])


# ------------------------------------------------------------------ a document
MODE = "cells"  # how table cells are read: "cells" (crops of the known grid) or "page" (whole-page detection)


def read_scanned(path: str, numbers: list[int], password: Optional[str] = None, mode: Optional[str] = None,
                 prose_pages: Optional[set[int]] = None) -> list[ScannedPage]:
    """OCR the given 1-based pages of a PDF; prose outside tables is read on `prose_pages` (all when None)."""
    mode = mode or MODE
    import pypdfium2 as pdfium

    out = []
    doc = pdfium.PdfDocument(path, password=password)
    try:
        for number in numbers:
            page = doc[number - 1]
            scale = render_scale(page)
            gray = render_gray(page, scale)
            page.close()
            prose = prose_pages is None or number in prose_pages
            out.append(read_page(gray, scale, number, mode=mode, prose=prose))
    finally:
        doc.close()
    return out
