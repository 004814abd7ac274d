"""The `Grid`: a table as a matrix of cells with spans resolved, whatever source it came from.

Every source (a PDF page through pdfplumber or camelot, an HTML table, a DOCX table, an OCR'd
image) yields Grids; everything after (label mapping, numbers, the Report) is shared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

BBox = tuple[float, float, float, float]


@dataclass(eq=False)
class GridCell:
    """One printed cell: its text and where it is. A spanning cell is one object in several slots."""

    text: str
    row: int  # first grid row it occupies
    col: int  # first grid column it occupies
    rowspan: int = 1
    colspan: int = 1
    page: Optional[int] = None  # 1-based page (PDF)
    bbox: Optional[BBox] = None  # x0, top, x1, bottom in points (PDF)
    confidence: float = 1.0


@dataclass
class Grid:
    """A table: `rows[r][c]` is the GridCell covering slot (r, c), or None where nothing is printed."""

    rows: list[list[Optional[GridCell]]]
    method: str  # pdfplumber | pdfplumber-words | camelot-lattice | html | docx | ocr
    page: Optional[int] = None  # first page (PDF)
    index: int = 0  # the table's number on its page / in its document (1-based for HTML/DOCX)
    pages: list[int] = field(default_factory=list)  # every page a joined grid spans

    @property
    def n_rows(self) -> int:
        """Number of grid rows."""
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        """Number of grid columns."""
        return max((len(r) for r in self.rows), default=0)

    def text(self) -> str:
        """All cell texts, each spanning cell once, in reading order."""
        seen, parts = set(), []
        for row in self.rows:
            for cell in row:
                if cell is not None and id(cell) not in seen:
                    seen.add(id(cell))
                    parts.append(cell.text)
        return " ".join(parts)

    def locator(self, cell: GridCell) -> str:
        """Where a cell is, for sources without pages: table, row and column numbers (1-based)."""
        return f"table {self.index}, row {cell.row + 1}, column {cell.col + 1}"


def grid_from_matrix(matrix: list[list[Optional[str]]], method: str, index: int = 0) -> Grid:
    """Build a Grid from a plain text matrix where None marks a slot covered by the cell to its left/above.

    Spans are inferred: a None extends the nearest cell to its left in the row, else the one above.
    """
    n_cols = max((len(r) for r in matrix), default=0)
    rows: list[list[Optional[GridCell]]] = []
    for r, line in enumerate(matrix):
        out: list[Optional[GridCell]] = []
        for c in range(n_cols):
            text = line[c] if c < len(line) else None
            if text is not None:
                out.append(GridCell(text=text, row=r, col=c))
            elif c > 0 and out[c - 1] is not None and out[c - 1].row == r:
                out[c - 1].colspan += 1
                out.append(out[c - 1])
            elif r > 0 and rows[r - 1][c] is not None:
                above = rows[r - 1][c]
                if above.row + above.rowspan - 1 == r - 1 and above.col == c:
                    above.rowspan += 1
                out.append(above)
            else:
                out.append(None)
        rows.append(out)
    return Grid(rows=rows, method=method, index=index)
