"""The fast path for ruled tables: pdfium's path segments and characters, pdfplumber's table algorithm.

pdfplumber spends most of its time in pdfminer's pure-Python content-stream interpreter. pdfium
(C++) has already parsed the page for the text pass, so the edges and characters are read from it,
and pdfplumber's own pure functions (merge_edges → edges_to_intersections → intersections_to_cells
→ cells_to_tables) turn them into cells. A page this path cannot read falls back to pdfplumber.
"""

from __future__ import annotations

import ctypes
from bisect import bisect_left

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.table import cells_to_tables, edges_to_intersections, merge_edges
from pdfplumber.utils import filter_edges, obj_to_bbox

from extractor.grid import Grid, GridCell

TOLERANCE = 3  # pdfplumber's default snap/join/intersection tolerances
MIN_EDGE = 3
_SKIP = {"\r", "\n", "\x00", "\ufffe", "\x02"}


def _segment_points(obj) -> list[list[tuple[float, float]]]:
    """The sub-paths of a path object as point lists in page space (closed sub-paths repeat their start)."""
    matrix = obj.get_matrix()
    a, b, c, d, e, f = matrix.get()
    subpaths: list[list[tuple[float, float]]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(pdfium_c.FPDFPath_CountSegments(obj.raw)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj.raw, i)
        pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([point])
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO:
            subpaths[-1].append(point)
        else:  # a Bézier point: not a ruling line; break the run
            subpaths.append([point])
        if pdfium_c.FPDFPathSegment_GetClose(seg) and subpaths[-1]:
            subpaths[-1].append(subpaths[-1][0])
    return subpaths


def page_edges(page, height: float) -> list[dict]:
    """Horizontal and vertical edges of a page's path objects, in pdfplumber's top-down coordinates."""
    edges = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=1):
        for points in _segment_points(obj):
            for (x0, y0), (x1, y1) in zip(points, points[1:]):
                if abs(y0 - y1) < 0.01:
                    orientation = "h"
                elif abs(x0 - x1) < 0.01:
                    orientation = "v"
                else:
                    continue
                top, bottom = height - max(y0, y1), height - min(y0, y1)
                edges.append({"x0": min(x0, x1), "x1": max(x0, x1), "top": top, "bottom": bottom,
                              "width": abs(x1 - x0), "height": bottom - top, "orientation": orientation,
                              "object_type": "line"})
    return edges


def page_chars(textpage, height: float) -> list[tuple[str, float, float, float, float]]:
    """(text, x0, top, x1, bottom) of every printed character of a page."""
    chars = []
    for i in range(textpage.count_chars()):
        ch = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i))
        if ch in _SKIP or ch.isspace():
            continue
        left, bottom, right, top = textpage.get_charbox(i)  # the glyph: where it stands across
        _, loose_bottom, _, loose_top = textpage.get_charbox(i, loose=True)  # the line it sits on
        if right <= left and top <= bottom:
            continue
        chars.append((ch, left, height - loose_top, right, height - loose_bottom))
    return chars


def close_open_ends(edges: list[dict]) -> list[dict]:
    """Rules across the open ends of a table cut by a page break.

    Chromium and WPS draw the row a page break cuts with its side rules only: the vertical rules
    start (or end) together at the page margin with no horizontal rule joining them, so the
    lattice finds no cell there. Where three or more vertical rules end at one height and no
    horizontal rule at all runs there (only the corner dots), one is added.
    """
    verticals = [e for e in edges if e["orientation"] == "v" and e["height"] >= MIN_EDGE]
    horizontals = [e for e in edges if e["orientation"] == "h"]
    added = []
    for end in ("top", "bottom"):
        groups: dict[float, list[dict]] = {}
        for e in verticals:
            key = next((k for k in groups if abs(k - e[end]) <= TOLERANCE), e[end])
            groups.setdefault(key, []).append(e)
        for y, group in groups.items():
            if len(group) < 3:
                continue
            x0, x1 = min(e["x0"] for e in group), max(e["x1"] for e in group)
            ruled = any(abs(h["top"] - y) <= TOLERANCE and h["width"] >= MIN_EDGE and h["x1"] > x0 and h["x0"] < x1
                        for h in horizontals)
            if not ruled:
                added.append({"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0,
                              "orientation": "h", "object_type": "line"})
    return edges + added


def find_cells(edges: list[dict]) -> list[list[tuple[float, float, float, float]]]:
    """Tables as lists of cell boxes, by pdfplumber's lattice algorithm with its default settings."""
    edges = close_open_ends(edges)
    edges = merge_edges(filter_edges(edges, min_length=1), TOLERANCE, TOLERANCE, TOLERANCE, TOLERANCE)
    edges = filter_edges(edges, min_length=MIN_EDGE)
    intersections = edges_to_intersections(edges, TOLERANCE, TOLERANCE)
    return cells_to_tables(intersections_to_cells(intersections))


def intersections_to_cells(intersections: dict) -> list[tuple[float, float, float, float]]:
    """pdfplumber.table.intersections_to_cells: the same cells in the same order, without its scans.

    pdfplumber looks for the points below and right of each point by scanning all the points after
    it, and rebuilds the edge sets at every test (quadratic; a fifth of the text pass). Here the points
    of each column and row are listed once, in the same sorted order, and each point's edges are
    a set computed once; the search over them is pdfplumber's, step for step.
    """
    points = sorted(intersections)
    v = {p: {obj_to_bbox(e) for e in intersections[p]["v"]} for p in points}
    h = {p: {obj_to_bbox(e) for e in intersections[p]["h"]} for p in points}

    def connects(p1, p2) -> bool:
        return (p1[0] == p2[0] and not v[p1].isdisjoint(v[p2])) or (p1[1] == p2[1] and not h[p1].isdisjoint(h[p2]))

    columns: dict[float, list] = {}
    rows: dict[float, list] = {}
    for p in points:  # in sorted order: a column by top, a row by x
        columns.setdefault(p[0], []).append(p)
        rows.setdefault(p[1], []).append(p)
    at_column = {p: i for col in columns.values() for i, p in enumerate(col)}
    at_row = {p: i for row in rows.values() for i, p in enumerate(row)}
    cells = []
    for pt in points:
        below = columns[pt[0]][at_column[pt] + 1:]
        right = rows[pt[1]][at_row[pt] + 1:]
        cell = None
        for below_pt in below:
            if not connects(pt, below_pt):
                continue
            for right_pt in right:
                if not connects(pt, right_pt):
                    continue
                bottom_right = (right_pt[0], below_pt[1])
                if bottom_right in intersections and connects(bottom_right, right_pt) and connects(bottom_right, below_pt):
                    cell = (pt[0], pt[1], bottom_right[0], bottom_right[1])
                    break
            if cell:
                break
        if cell:
            cells.append(cell)
    return cells


class CharIndex:
    """A page's characters sorted by the height of their centres, to find a cell's band by bisection."""

    def __init__(self, chars: list[tuple]):
        self.chars = sorted(chars, key=lambda c: (c[2] + c[4]) / 2)  # stable: equal heights keep page order
        self.centres = [(c[2] + c[4]) / 2 for c in self.chars]

    def band(self, top: float, bottom: float) -> list[tuple]:
        """The characters whose centres satisfy top <= y < bottom, in the order above."""
        return self.chars[bisect_left(self.centres, top):bisect_left(self.centres, bottom)]


def cell_text(box, chars) -> str:
    """The characters whose centres fall in a box, line by line (`chars` a list or a CharIndex)."""
    x0, top, x1, bottom = box
    if isinstance(chars, CharIndex):
        chars = chars.band(top, bottom)
    inside = [c for c in chars if x0 <= (c[1] + c[3]) / 2 < x1 and top <= (c[2] + c[4]) / 2 < bottom]
    lines: list[list[tuple]] = []
    for ch in sorted(inside, key=lambda c: ((c[2] + c[4]) / 2, c[1])):
        if lines and abs(((lines[-1][0][2] + lines[-1][0][4]) / 2) - ((ch[2] + ch[4]) / 2)) <= TOLERANCE:
            lines[-1].append(ch)
        else:
            lines.append([ch])
    return "\n".join("".join(c[0] for c in sorted(line, key=lambda c: c[1])) for line in lines)


def _bounds(values: list[float]) -> list[float]:
    """Sorted distinct coordinates, merging near-equal ones."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > 1.5:
            out.append(v)
    return out


def grid_from_cells(boxes: list[tuple], chars, number: int, index: int) -> Grid:
    """Cell boxes of one table → a Grid with spans, each cell holding its characters' text."""
    xs = _bounds([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _bounds([b[1] for b in boxes] + [b[3] for b in boxes])
    rows: list[list[GridCell | None]] = [[None] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    for box in boxes:
        cols = [i for i in range(len(xs) - 1) if xs[i] >= box[0] - 1.5 and xs[i + 1] <= box[2] + 1.5]
        rws = [i for i in range(len(ys) - 1) if ys[i] >= box[1] - 1.5 and ys[i + 1] <= box[3] + 1.5]
        if not cols or not rws:
            continue
        cell = GridCell(text=cell_text(box, chars), row=rws[0], col=cols[0], rowspan=len(rws),
                        colspan=len(cols), page=number, bbox=tuple(float(v) for v in box))
        for r in rws:
            for c in cols:
                if rows[r][c] is None:
                    rows[r][c] = cell
    return Grid(rows=rows, method="pdfium-lattice", page=number, index=index, pages=[number])


def fast_grids(doc: pdfium.PdfDocument, number: int, page=None, textpage=None) -> list[Grid]:
    """Ruled tables of one page (1-based) as Grids, from pdfium's objects.

    `page` and `textpage`, when given, are that page already open (the text pass's), used and left open."""
    own_page = page is None
    if own_page:
        page = doc[number - 1]
    try:
        height = page.get_height()
        edges = page_edges(page, height)
        if not edges:
            return []
        own_text = textpage is None
        if own_text:
            textpage = page.get_textpage()
        chars = CharIndex(page_chars(textpage, height))
        if own_text:
            textpage.close()
        return [grid_from_cells(boxes, chars, number, i) for i, boxes in enumerate(find_cells(edges), start=1)]
    finally:
        if own_page:
            page.close()
