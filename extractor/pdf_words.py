"""Borderless tables: rebuild grids from word positions, anchored on the lines that carry numbers.

A table aligned by whitespace has no ruling lines to find. Its rows are the lines whose words
end in numbers; its columns are where those numbers stand; label lines that wrap above and
below a row of numbers belong to that row. Pipeline: words → lines → sections → columns →
rows → Grid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.grid import Grid, GridCell
from extractor.labels import fold
from extractor.numbers import read_number

LINE_TOLERANCE = 3.0  # points: words whose tops differ less are on one line
COLUMN_GAP = 12.0  # points between number centres that start a new column
FRAGMENT_REACH = 16.0  # points: a wrapped label line belongs to a row of numbers this close
_PAGE_NUMBER = re.compile(r"^[-—–]?\s*\d{1,3}\s*[-—–]?$")
_SECTION_STARTS = tuple(fold(w) for w in ("二、主动公开", "三、收到和处理", "四、政府信息公开行政复议", "第二十条第"))


@dataclass
class Line:
    """Words on one text line, split into the label part and the values that end it."""

    words: list[dict]
    labels: list[dict]
    values: list[dict]

    @property
    def top(self) -> float:
        return min(w["top"] for w in self.words)

    @property
    def centre(self) -> float:
        return sum((w["top"] + w["bottom"]) / 2 for w in self.words) / len(self.words)

    @property
    def text(self) -> str:
        return "".join(w["text"] for w in self.words)


def _is_value(word: dict) -> bool:
    """A word that reads as a number or a zero marker."""
    return read_number(word["text"], signed=True)[1] in {"number", "dash", "slash", "none"}


def split_line(words: list[dict]) -> Line:
    """A line's words as label words followed by the run of value words that ends it (if any)."""
    words = sorted(words, key=lambda w: w["x0"])
    cut = len(words)
    while cut > 0 and _is_value(words[cut - 1]):
        cut -= 1
    labels, values = words[:cut], words[cut:]
    is_row = bool(values) and (len(values) >= 2 or (labels and values[0]["x0"] - labels[-1]["x1"] >= 15))
    if not is_row or (not labels and _PAGE_NUMBER.match("".join(w["text"] for w in words))):
        return Line(words=words, labels=words, values=[])
    return Line(words=words, labels=labels, values=values)


def group_lines(words: list[dict]) -> list[Line]:
    """Words → lines, top to bottom."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) <= LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [split_line(line) for line in lines]


def sections(lines: list[Line]) -> list[list[Line]]:
    """Lines cut into table sections at headings (二、三、四 and each 第二十条 block)."""
    out: list[list[Line]] = [[]]
    for line in lines:
        if not line.values and fold(line.text).startswith(_SECTION_STARTS) and out[-1]:
            out.append([])
        out[-1].append(line)
    return [s for s in out if any(line.values for line in s)]


def column_centres(rows: list[Line]) -> list[float]:
    """Centres of the value columns: number positions clustered across the rows."""
    centres = sorted((w["x0"] + w["x1"]) / 2 for line in rows for w in line.values)
    clusters: list[list[float]] = []
    for x in centres:
        if clusters and x - clusters[-1][-1] <= COLUMN_GAP:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    return [sum(c) / len(c) for c in clusters]


def _nearest(x: float, centres: list[float]) -> int:
    """Index of the centre nearest to x."""
    return min(range(len(centres)), key=lambda i: abs(centres[i] - x))


def _box(words: list[dict]) -> tuple[float, float, float, float]:
    """The box around some words."""
    return (min(w["x0"] for w in words), min(w["top"] for w in words),
            max(w["x1"] for w in words), max(w["bottom"] for w in words))


def section_grid(lines: list[Line], number: int, index: int) -> Grid:
    """One section's lines → a Grid: header rows above, then one row per line of numbers."""
    rows_of_values = [line for line in lines if line.values]
    centres = column_centres(rows_of_values)
    first_value_x = min(w["x0"] for line in rows_of_values for w in line.values)
    first, last = lines.index(rows_of_values[0]), lines.index(rows_of_values[-1])
    grid_rows: list[list[GridCell | None]] = []

    for line in lines[:first]:  # header lines: words placed over the columns they cover
        r = len(grid_rows)
        row: list[GridCell | None] = [None] * (len(centres) + 1)
        label_words = [w for w in line.words if w["x1"] <= first_value_x - 2]
        if label_words:
            row[0] = GridCell(" ".join(w["text"] for w in label_words), r, 0, page=number, bbox=_box(label_words))
        for w in line.words:
            if w in label_words:
                continue
            covered = [i for i, c in enumerate(centres) if w["x0"] - 4 <= c <= w["x1"] + 4] or [_nearest((w["x0"] + w["x1"]) / 2, centres)]
            cell = GridCell(w["text"], r, covered[0] + 1, colspan=len(covered), page=number, bbox=_box([w]))
            for i in covered:
                row[i + 1] = cell
        grid_rows.append(row)

    fragments: dict[int, list[dict]] = {id(line): list(line.labels) for line in rows_of_values}
    for line in lines[first:last + 2]:
        if line.values or line not in lines:
            continue
        target = min(rows_of_values, key=lambda v: abs(v.centre - line.centre))
        if abs(target.centre - line.centre) > FRAGMENT_REACH or _PAGE_NUMBER.match(line.text):
            continue
        fragments[id(target)].extend(w for w in line.words if w["x1"] <= first_value_x - 2)

    starts = label_columns([w for line in rows_of_values for w in fragments[id(line)]])
    width = len(starts)
    for line in rows_of_values:
        r = len(grid_rows)
        row: list[GridCell | None] = [None] * (len(centres) + width)
        by_column: dict[int, list[dict]] = {}
        for w in fragments[id(line)]:
            by_column.setdefault(_nearest(w["x0"], starts), []).append(w)
        for c, words in sorted(by_column.items()):
            words.sort(key=lambda w: (round(w["top"] / LINE_TOLERANCE), w["x0"]))
            row[c] = GridCell("".join(w["text"] for w in words), r, c, page=number, bbox=_box(words))
        for w in line.values:
            i = _nearest((w["x0"] + w["x1"]) / 2, centres)
            row[i + width] = GridCell(w["text"], r, i + width, page=number, bbox=_box([w]))
        top, bottom = min(w["top"] for w in line.values), max(w["bottom"] for w in line.values)
        for i in range(len(centres)):  # a blank value slot is an empty cell, not a hole
            if row[i + width] is None:
                half = COLUMN_GAP / 2
                row[i + width] = GridCell("", r, i + width, page=number,
                                          bbox=(centres[i] - half, top, centres[i] + half, bottom))
        grid_rows.append(row)
    if width > 1:  # header rows were laid out with one label column: widen them to match
        for row in grid_rows[:first]:
            row[1:1] = [row[0]] * (width - 1) if row[0] is not None else [None] * (width - 1)
            for cell in row:
                if cell is not None and cell.col > 0 and cell is not row[0]:
                    cell.col += width - 1 if cell.col >= 1 else 0
            if row[0] is not None:
                row[0].colspan = width
    return Grid(rows=grid_rows, method="pdfplumber-words", page=number, index=index, pages=[number])


def label_columns(words: list[dict], gap: float = 15.0) -> list[float]:
    """Left edges of the label columns (group labels, item labels), from where label words start."""
    starts = sorted(w["x0"] for w in words)
    out: list[float] = []
    for x in starts:
        if not out or x - out[-1] > gap:
            out.append(x)
    return out or [0.0]


def word_grids(page, number: int) -> list[Grid]:
    """Borderless tables of one pdfplumber page as Grids."""
    words = page.extract_words(x_tolerance=1.5, y_tolerance=2, keep_blank_chars=False)
    return [section_grid(s, number, i) for i, s in enumerate(sections(group_lines(words)), start=1)]
