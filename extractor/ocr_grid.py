"""A scanned page image → deskewed image and ruled table grids, by OpenCV morphology.

Pure image functions (numpy arrays in, plain data out), each step a named function in the
manner of pdfplumber's table finder: binarise → skew angle from the ruling lines → rotate →
horizontal and vertical line masks → line positions → slots between them → slots joined where
no rule separates them (spans) → cells. Lengths are given in inches and turned into pixels by
the image's dpi, so 150 and 300 dpi scans behave alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np


@dataclass
class PixelCell:
    """One cell of a table found in the image: its slot range and box in deskewed pixels."""

    row: int
    col: int
    rowspan: int
    colspan: int
    box: tuple[int, int, int, int]  # x0, y0, x1, y1


@dataclass
class PixelTable:
    """A ruled table: its outline and cells (spans resolved) in deskewed pixels."""

    box: tuple[int, int, int, int]
    n_rows: int
    n_cols: int
    cells: list[PixelCell] = field(default_factory=list)


@dataclass
class PageImage:
    """A page after deskewing: the grey image, its ink mask without rules, the angle and the tables."""

    gray: np.ndarray
    ink: np.ndarray  # 255 where text ink is (ruling lines removed)
    angle: float  # degrees the scan was rotated by (the page was turned back by -angle)
    matrix: np.ndarray  # 2×3 affine map original pixels → deskewed pixels
    tables: list[PixelTable]
    dpi: float


def binarise(gray: np.ndarray) -> np.ndarray:
    """Ink = 255, paper = 0 (Otsu after a light blur: grey paper and sensor noise fall below)."""
    blur = cv2.GaussianBlur(gray, (3, 3), 0)
    _, bw = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return bw


def line_masks(bw: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical rule masks: runs of ink longer than any character stroke."""
    h_len = max(20, int(0.4 * dpi))
    v_len = max(12, int(0.18 * dpi))
    closed_h = cv2.morphologyEx(bw, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 1)))
    closed_v = cv2.morphologyEx(bw, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 3)))
    horiz = cv2.morphologyEx(closed_h, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (h_len, 1)))
    vert = cv2.morphologyEx(closed_v, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, v_len)))
    return horiz, vert


def skew_angle(gray: np.ndarray, dpi: float, max_angle: float = 3.0) -> float:
    """The scan's rotation in degrees (positive: the page was turned counter-clockwise), from its rules.

    Long near-horizontal segments (table rules) vote with their length; a page without rules
    falls back to the minimum-area rectangle of its text lines; 0 when neither is found.
    """
    bw = binarise(gray)
    short = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(10, int(0.12 * dpi)), 1)))
    votes: list[tuple[float, float]] = []
    for c in cv2.findContours(short, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)[0]:
        x, y, w, h = cv2.boundingRect(c)
        if w < 1.5 * dpi or h > 0.2 * dpi:  # a long thin run: a table rule, even when tilted
            continue
        pts = c.reshape(-1, 2).astype(np.float32)
        vx, vy, _, _ = cv2.fitLine(pts, cv2.DIST_L2, 0, 0.01, 0.01).reshape(-1).tolist()
        angle = math.degrees(math.atan2(vy, vx))
        angle = (angle + 90) % 180 - 90
        if abs(angle) <= max_angle:
            votes.append((angle, float(w)))
    if votes:
        votes.sort()
        total, acc = sum(v for _, v in votes), 0.0
        for angle, weight in votes:  # length-weighted median
            acc += weight
            if acc >= total / 2:
                return -angle
    return _text_angle(bw, dpi, max_angle)


def _text_angle(bw: np.ndarray, dpi: float, max_angle: float) -> float:
    """Skew from text lines: smear characters into line blobs, median angle of their min-area rectangles."""
    smear = cv2.dilate(bw, cv2.getStructuringElement(cv2.MORPH_RECT, (max(9, int(0.12 * dpi)), 1)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(smear)
    contours, _ = cv2.findContours(smear, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    angles = []
    for c in contours:
        (_, _), (cw, ch), a = cv2.minAreaRect(c)
        if max(cw, ch) < 2.0 * dpi or min(cw, ch) > 0.4 * dpi:  # only long text lines say much about the angle
            continue
        a = a if cw >= ch else a - 90  # the direction of the long side
        a = (a + 90) % 180 - 90
        if abs(a) <= max_angle:
            angles.append(a)
    return -float(np.median(angles)) if angles else 0.0


def deskew(gray: np.ndarray, angle: float) -> tuple[np.ndarray, np.ndarray]:
    """The page turned back by the angle (same size, paper colour filled in) and the affine matrix used."""
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    if abs(angle) < 0.02:
        return gray, matrix
    paper = int(np.median(gray[:: 8, :: 8]))
    out = cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                         borderValue=paper)
    return out, matrix


def _segments(mask: np.ndarray, axis: int) -> list[tuple[float, int, int]]:
    """Rule pieces of a line mask: (position across, start along, end along); axis 0 horizontal rules."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask)
    out = []
    for x, y, w, h, _ in stats[1:]:
        if axis == 0:
            out.append((y + h / 2, x, x + w))
        else:
            out.append((x + w / 2, y, y + h))
    return out


def _cluster(values: list[float], tolerance: float) -> list[float]:
    """Positions closer than the tolerance merged into their mean."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tolerance:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _has_rule(mask: np.ndarray, fixed: float, start: float, end: float, axis: int, dpi: float) -> bool:
    """Whether a rule runs along most of [start, end] at `fixed` (axis 0: horizontal rule at y = fixed)."""
    band = max(2, int(0.025 * dpi))
    margin = max(2, int(0.03 * dpi))
    a, b = int(start) + margin, int(end) - margin
    if b <= a:
        return True
    f = int(round(fixed))
    if axis == 0:
        strip = mask[max(0, f - band): f + band + 1, a:b]
        covered = strip.max(axis=0) if strip.size else np.zeros(0)
    else:
        strip = mask[a:b, max(0, f - band): f + band + 1]
        covered = strip.max(axis=1) if strip.size else np.zeros(0)
    return covered.size > 0 and float((covered > 0).mean()) >= 0.6


def _meets(segments: list[tuple[float, int, int]], across: float, along: float, reach: float) -> bool:
    """Whether some rule of the other direction passes through the point (its position ≈ across, covering along)."""
    return any(abs(p - across) <= reach and a - reach <= along <= b + reach for p, a, b in segments)


def find_tables(horiz: np.ndarray, vert: np.ndarray, dpi: float) -> list[PixelTable]:
    """Ruled tables: each connected frame of rules → row and column lines → slots → cells with spans."""
    frame = cv2.dilate(horiz | vert, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(frame)
    tables = []
    min_side = 1.0 * dpi
    for x, y, w, h, _ in sorted(stats[1:].tolist(), key=lambda s: s[1]):
        if w < 2 * min_side or h < 0.3 * dpi:
            continue
        table = _table_in(horiz, vert, (x, y, x + w, y + h), dpi)
        if table is not None:
            tables.append(table)
    return tables


def _table_in(horiz: np.ndarray, vert: np.ndarray, box: tuple[int, int, int, int], dpi: float):
    x0, y0, x1, y1 = box
    sub_h, sub_v = horiz[y0:y1, x0:x1], vert[y0:y1, x0:x1]
    tol = max(3.0, 0.03 * dpi)
    min_len_h = 0.15 * dpi
    min_len_v = 0.12 * dpi
    hs = [(p + y0, a + x0, b + x0) for p, a, b in _segments(sub_h, 0) if b - a >= min_len_h]
    vs = [(p + x0, a + y0, b + y0) for p, a, b in _segments(sub_v, 1) if b - a >= min_len_v]
    reach = max(4.0, 0.045 * dpi)
    # a rule ends on a rule: a run of character strokes floats inside its cell and is dropped
    hs = [h for h in hs if _meets(vs, h[1], h[0], reach) and _meets(vs, h[2], h[0], reach)]
    vs = [v for v in vs if _meets(hs, v[1], v[0], reach) and _meets(hs, v[2], v[0], reach)]
    ys = _cluster([p for p, _, _ in hs], tol)
    xs = _cluster([p for p, _, _ in vs], tol)
    if len(ys) < 2 or len(xs) < 2:
        return None
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not _has_rule(vert, xs[c + 1], ys[r], ys[r + 1], 1, dpi):
                union(r * nc + c, r * nc + c + 1)
            if r + 1 < nr and not _has_rule(horiz, ys[r + 1], xs[c], xs[c + 1], 0, dpi):
                union(r * nc + c, (r + 1) * nc + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(nr):
        for c in range(nc):
            groups.setdefault(find(r * nc + c), []).append((r, c))
    cells = []
    for slots in groups.values():
        rs = [r for r, _ in slots]
        cs = [c for _, c in slots]
        r0, r1, c0, c1 = min(rs), max(rs), min(cs), max(cs)
        cells.append(PixelCell(row=r0, col=c0, rowspan=r1 - r0 + 1, colspan=c1 - c0 + 1,
                               box=(int(xs[c0]), int(ys[r0]), int(xs[c1 + 1]), int(ys[r1 + 1]))))
    cells.sort(key=lambda k: (k.row, k.col))
    return PixelTable(box=(int(xs[0]), int(ys[0]), int(xs[-1]), int(ys[-1])), n_rows=nr, n_cols=nc, cells=cells)


def analyse_page(gray: np.ndarray, dpi: float) -> PageImage:
    """Deskew a grey page image and find its ruled tables; the ink mask has the rules taken out."""
    angle = skew_angle(gray, dpi)
    straight, matrix = deskew(gray, angle)
    bw = binarise(straight)
    horiz, vert = line_masks(bw, dpi)
    tables = find_tables(horiz, vert, dpi)
    rules = cv2.dilate(horiz | vert, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    ink = cv2.bitwise_and(bw, cv2.bitwise_not(rules))
    return PageImage(gray=straight, ink=ink, angle=angle, matrix=matrix, tables=tables, dpi=dpi)


def text_lines(ink: np.ndarray, box: tuple[int, int, int, int], dpi: float) -> list[tuple[int, int, int, int]]:
    """Boxes of the text lines inside a cell box: bands of ink rows, each cut to its inked columns.

    Specks (a band or a blob too small to be a stroke) are dropped; an empty cell has no lines.
    """
    x0, y0, x1, y1 = box
    pad = max(2, int(0.02 * dpi))
    x0, y0, x1, y1 = x0 + pad, y0 + pad, x1 - pad, y1 - pad
    if x1 - x0 < 3 or y1 - y0 < 3:
        return []
    crop = ink[y0:y1, x0:x1]
    crop = cv2.morphologyEx(crop, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (2, 2)))
    rows = crop.max(axis=1) > 0
    min_h = max(4, int(0.035 * dpi))  # a digit at 9 pt is ~0.09 in tall; a stroke of 一 ~0.01 in
    gap = max(2, int(0.025 * dpi))
    bands: list[list[int]] = []
    for i, on in enumerate(rows):
        if not on:
            continue
        if bands and i - bands[-1][1] <= gap:
            bands[-1][1] = i
        else:
            bands.append([i, i])
    out = []
    for a, b in bands:
        band = crop[a:b + 1]
        if band.sum() // 255 < 6:
            continue
        cols = np.flatnonzero(band.max(axis=0) > 0)
        if b - a + 1 < min_h and not _dash_like(band, dpi):
            continue
        out.append((x0 + int(cols[0]), y0 + a, x0 + int(cols[-1]) + 1, y0 + b + 1))
    return out


def _dash_like(band: np.ndarray, dpi: float) -> bool:
    """A flat band that is a printed dash or 一 (wide and thin), not a speck."""
    cols = np.flatnonzero(band.max(axis=0) > 0)
    return cols.size > 0 and cols[-1] - cols[0] >= 0.06 * dpi


def to_original(matrix: np.ndarray, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """A deskewed-pixel box → the bounding box of its corners in the original scan's pixels."""
    inv = cv2.invertAffineTransform(matrix)
    x0, y0, x1, y1 = box
    pts = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], dtype=np.float64)
    mapped = pts @ inv.T
    return (float(mapped[:, 0].min()), float(mapped[:, 1].min()), float(mapped[:, 0].max()), float(mapped[:, 1].max()))
