"""Grids → canonical cells: rows and columns are found by what their labels say.

The template's order is used only where a header is garbled, and every cell records which
way it was mapped (`mapped_by`: label or order). Nothing is invented: a slot with no cell is
reported missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from extractor.grid import Grid, GridCell
from extractor.labels import best_match, contains, fold, similarity
from extractor.numbers import looks_like_value, read_number
from schemas.report import Cell
from schemas.vocabulary import (
    OTHER_COMBINED,
    REQUESTS_COLUMNS,
    REQUESTS_ROWS_2021,
    REVIEW_GROUPS,
    REVIEW_RESULTS,
    REVIEWS_COLUMNS,
    REVIEWS_ROW,
    active_column_labels,
    active_rows,
    is_signed,
)

ROW_THRESHOLD = 0.62
SOURCE_KINDS = {"pdfium-lattice", "pdfplumber", "pdfplumber-words", "camelot-lattice", "ocr"}


@dataclass
class Mapping:
    """What the mapper found: cells, and the template deviations it noticed."""

    cells: list[Cell] = field(default_factory=list)
    deviations: list[dict] = field(default_factory=list)

    def keys(self) -> set[tuple[str, str, str]]:
        """(table, row, column) of every mapped cell."""
        return {(c.table, c.row, c.column) for c in self.cells}


# ---------------------------------------------------------------- row helpers
def distinct_cells(grid: Grid, r: int) -> list[tuple[int, GridCell]]:
    """The cells of row r, each once, with the first column it occupies in this row."""
    seen, out = set(), []
    for c, cell in enumerate(grid.rows[r]):
        if cell is not None and id(cell) not in seen:
            seen.add(id(cell))
            out.append((c, cell))
    return out


def is_label_text(text: str) -> bool:
    """Text that reads as a label (has letters that are not a number or a marker)."""
    return bool(fold(text)) and not looks_like_value(text)


def make_cell(table: str, row: str, column: str, grid: Grid, gcell: GridCell, template: str,
              mapped_by: str = "label") -> Cell:
    """A canonical Cell from a grid cell: the number read, and the cell's provenance."""
    value, kind = read_number(gcell.text, signed=is_signed(template, table, row, column))
    return Cell(table=table, row=row, column=column, value=value, raw=gcell.text, kind=kind,
                page=gcell.page, bbox=gcell.bbox, method=grid.method, mapped_by=mapped_by,
                confidence=gcell.confidence, locator="" if grid.method in SOURCE_KINDS else grid.locator(gcell))


# ---------------------------------------------------------------- template detection
SIGNALS_2019 = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增减", "其他对外管理服务事项", "政府集中采购")
SIGNALS_2021 = ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "本年处理决定数量")


def detect_template(grids: list[Grid]) -> str:
    """'2019' or '2021', from the header words of table 二 (not from the year)."""
    text = fold(" ".join(g.text() for g in grids))
    score_2019 = sum(fold(w) in text for w in SIGNALS_2019)
    score_2021 = sum(fold(w) in text for w in SIGNALS_2021)
    return "2019" if score_2019 > score_2021 else "2021"


def template_scores(grids: list[Grid]) -> tuple[int, int]:
    """(2019 header words, 2021 header words) found in the grids: both > 0 means a mixed layout."""
    text = fold(" ".join(g.text() for g in grids))
    return sum(fold(w) in text for w in SIGNALS_2019), sum(fold(w) in text for w in SIGNALS_2021)


# The indicator list of 国办发〔2014〕32号 (reports up to 2018), and words only the 2019/2021 tables print.
SIGNALS_PRE_2019 = ("统计指标", "主动公开政府信息数", "当面申请数", "传真申请数", "网络申请数", "信函申请数",
                    "申请办结数", "按时办结数", "延期办结数", "同意公开答复数", "同意部分公开答复数",
                    "不同意公开答复数", "维持具体行政行为数", "被依法纠错数", "举报投诉数量",
                    "政府信息公开专门机构数", "从事政府信息公开工作人员数", "依申请公开信息收取的费用")
SIGNALS_CURRENT = ("申请人情况", "本年新收政府信息公开申请数量", "结转下年度继续办理", "未经复议直接起诉", "复议后起诉")


def is_pre_2019(texts: list[str]) -> bool:
    """Whether the texts (tables and pages) are a pre-2019 report: its indicator list, none of the new tables."""
    text = fold(" ".join(texts))
    old = sum(fold(w) in text for w in SIGNALS_PRE_2019)
    new = sum(fold(w) in text for w in SIGNALS_CURRENT)
    return old >= 3 and new < 2


# ---------------------------------------------------------------- table `active`
def map_active(grids: list[Grid], template: str) -> Mapping:
    """Rows of table 二 by their labels; columns by the block's header, else by the row's order."""
    out = Mapping()
    specs = {key: (label, cols) for key, label, _, cols in active_rows(template)}
    row_labels = {key: label for key, (label, _) in specs.items()}
    col_labels = active_column_labels(template)
    header: dict[int, str] = {}
    done: set[str] = set()
    for grid in grids:
        for r in range(grid.n_rows):
            cells = distinct_cells(grid, r)
            labels = [(c, cell) for c, cell in cells if is_label_text(cell.text)]
            if not labels:
                continue
            found = header_columns(labels, col_labels)
            if found:
                header = found
                continue
            first_col, first = labels[0]
            key, score = best_match(first.text, row_labels, threshold=0.75)
            if key is None or key in done or len(fold(first.text)) > 14:
                continue
            values = [(c, cell) for c, cell in cells if c > first_col and cell is not first]
            if not values or any(is_label_text(cell.text) and not _active_value_text(cell.text) for _, cell in values):
                continue
            done.add(key)
            out.cells.extend(assign_active_values(key, specs[key][1], values, header, grid, template))
    return out


def _active_value_text(text: str) -> bool:
    """Value text of table 二 that the plain reader rejects but is still a value (e.g. '减4')."""
    return read_number(text, signed=True)[1] == "number"


def header_columns(labels: list[tuple[int, GridCell]], col_labels: dict[str, str]) -> dict[int, str]:
    """Column index → column key for a header row of table 二 (empty when the row is no header)."""
    found: dict[int, str] = {}
    for c, cell in labels:
        key, _ = best_match(cell.text, col_labels, threshold=0.75)
        if key:
            for span in range(cell.colspan):
                found[c + span] = key
    return found


def assign_active_values(key: str, columns: tuple[str, ...], values: list[tuple[int, GridCell]],
                         header: dict[int, str], grid: Grid, template: str) -> list[Cell]:
    """Value cells of one row of table 二 → Cells, by the header where it names the columns."""
    by_header = {header.get(c): cell for c, cell in values if header.get(c) in columns}
    if len(by_header) == len(columns):
        return [make_cell("active", key, col, grid, by_header[col], template) for col in columns]
    return [make_cell("active", key, col, grid, cell, template, mapped_by="order")
            for col, (_, cell) in zip(columns, values)]


# ---------------------------------------------------------------- table `requests`
def requests_row_labels() -> dict[str, list[str]]:
    """Row key → the label texts it may be printed as (item alone, or group + item)."""
    labels: dict[str, list[str]] = {}
    for key, group, item in REQUESTS_ROWS_2021 + (OTHER_COMBINED,):
        labels[key] = [item] + ([group + item] if group.startswith("(") else [])
    return labels


_ROW_LABELS = requests_row_labels()


_EXACT_ROWS = {fold(label): key for key, labels in _ROW_LABELS.items() for label in labels}


def match_request_row(texts: list[str]) -> tuple[Optional[str], float]:
    """Best requests row for the label texts of one grid row (rightmost first, then all joined)."""
    candidates = [t for t in reversed(texts) if fold(t)][:1] + ["".join(texts)]
    exact = _EXACT_ROWS.get(fold(candidates[0]))
    if exact:
        return exact, 1.0
    best_key, best_score = None, 0.0
    for text in candidates:
        for key, labels in _ROW_LABELS.items():
            score = max(similarity(text, label) for label in labels)
            if score > best_score:
                best_key, best_score = key, score
    return (best_key, best_score) if best_score >= ROW_THRESHOLD else (None, best_score)


def requests_header(grid: Grid, upto: int) -> dict[int, str]:
    """Column index → applicant column key, from the header rows above row `upto`.

    A column's header is read bottom-up: its lowest cell, then with the cells above it joined on
    (stream parsing cuts 社会/公益/组织 into lines); cells spanning several columns are group headers.
    """
    found: dict[int, tuple[str, float]] = {}
    for c in range(grid.n_cols):
        stack: list[GridCell] = []
        for r in range(upto):
            cell = grid.rows[r][c] if c < len(grid.rows[r]) else None
            if cell is not None and cell.colspan == 1 and fold(cell.text) and (not stack or stack[-1] is not cell):
                stack.append(cell)
        best: tuple[Optional[str], float] = (None, 0.0)
        for k in range(1, min(3, len(stack)) + 1):
            key, score = best_match("".join(cell.text for cell in stack[-k:]), REQUESTS_COLUMNS, threshold=0.7)
            if key and score > best[1]:
                best = (key, score)
        if best[0]:
            found[c] = best
    by_key: dict[str, tuple[int, float]] = {}
    for c, (key, score) in found.items():
        if key not in by_key or score > by_key[key][1]:
            by_key[key] = (c, score)
    return {c: key for key, (c, _) in by_key.items()}


def value_columns(grid: Grid, data_rows: list[int]) -> list[int]:
    """Columns whose cells in the data rows read as numbers or markers: the value columns."""
    cols = []
    for c in range(grid.n_cols):
        slots = [grid.rows[r][c] for r in data_rows if c < len(grid.rows[r])]
        own = [cell for r, cell in zip(data_rows, slots) if cell is not None and cell.col == c]
        numeric = [cell for cell in own if read_number(cell.text)[1] == "number"]
        if own and len(numeric) >= max(1, len(own) // 2) and all(looks_like_value(x.text) for x in own):
            cols.append(c)
    return cols


def columns_for(grid: Grid, header: dict[int, str], data_rows: list[int],
                inherited: Optional[tuple[Grid, dict[int, str]]]) -> tuple[dict[int, str], str]:
    """The column map of one requests grid and how it was found (label or order)."""
    keys = list(REQUESTS_COLUMNS)
    if len(set(header.values())) == len(keys):
        return header, "label"
    if not header and inherited:
        carried = carry_columns(inherited, grid, data_rows)
        if len(carried) == len(keys):
            return carried, "label"
    cols = value_columns(grid, data_rows)[-len(keys):]
    if len(cols) == len(keys):
        return dict(zip(cols, keys)), "order"
    return header, "label"


def column_centres(grid: Grid, rows: list[int]) -> dict[int, float]:
    """Column index → x centre of its single-column cells in the given rows (PDF grids only)."""
    centres: dict[int, float] = {}
    for r in rows:
        for c, cell in enumerate(grid.rows[r]):
            if cell is not None and cell.colspan == 1 and cell.bbox and c not in centres:
                centres[c] = (cell.bbox[0] + cell.bbox[2]) / 2
    return centres


def _column_width(grid: Grid, c: int) -> float:
    """Width in points of a column's narrowest single-column cell (0 without boxes)."""
    widths = [cell.bbox[2] - cell.bbox[0] for row in grid.rows for cell in row[c:c + 1]
              if cell is not None and cell.colspan == 1 and cell.bbox]
    return min(widths, default=0.0)


def carry_columns(inherited: tuple[Grid, dict[int, str]], grid: Grid, data_rows: list[int]) -> dict[int, str]:
    """The previous page's column map carried onto a continuation grid without a header.

    Columns are matched by x position where the grids have boxes, else aligned on the right edge.
    """
    before, colmap = inherited
    old = column_centres(before, range(before.n_rows))
    new = column_centres(grid, data_rows)
    if all(c in old for c in colmap) and new:
        out = {}
        for c, key in colmap.items():
            near = min(new, key=lambda n: abs(new[n] - old[c]))
            width = _column_width(before, c)
            if abs(new[near] - old[c]) < max(6.0, width / 2):
                out[near] = key
        return out
    shift = grid.n_cols - before.n_cols
    return {c + shift: key for c, key in colmap.items() if 0 <= c + shift < grid.n_cols}


def map_requests(grids: list[Grid]) -> Mapping:
    """Rows of table 三 by their labels, columns by the applicant header (inherited across pages)."""
    out = Mapping()
    inherited: Optional[tuple[Grid, dict[int, str]]] = None
    assigned: dict[str, tuple[float, list[Cell]]] = {}
    for grid in grids:
        matches = _request_rows(grid)
        matched = [r for r, key, _ in matches if key is not None]
        if len(matched) < 2 and not (matched and inherited):
            continue
        data_rows = [r for r, _, _ in matches]
        header = requests_header(grid, matched[0])
        colmap, how = columns_for(grid, header, data_rows, inherited)
        if not colmap:
            continue
        inherited = (grid, colmap)
        for r, key, score in _fill_by_order(matches, grid):
            mapped_by = "order" if score < 0 else how
            cells = [make_cell("requests", key, colmap[c], grid, grid.rows[r][c], "2021", mapped_by)
                     for c in sorted(colmap) if c < len(grid.rows[r]) and grid.rows[r][c] is not None
                     and grid.rows[r][c].row == r]
            if key in assigned and all(c.kind == "blank" for c in cells):
                continue  # the tail of a label cut by a page break, below its printed row
            if key in assigned and assigned[key][0] >= abs(score):
                out.deviations.append({"table": "requests", "row": key, "what": "row printed twice",
                                       "what_zh": "该行重复出现", "page": grid.page})
                continue
            assigned[key] = (abs(score), cells)
    for _, cells in assigned.values():
        out.cells.extend(cells)
    return out


def _request_rows(grid: Grid) -> list[tuple[int, Optional[str], float]]:
    """(row, key or None, score) for every grid row that has a label and value cells."""
    found = []
    for r in range(grid.n_rows):
        cells = distinct_cells(grid, r)
        texts = [cell.text for _, cell in cells if is_label_text(cell.text)]
        own_values = [cell for _, cell in cells if cell.row == r and not is_label_text(cell.text)]
        if not texts or len(own_values) < 3:
            continue
        key, score = match_request_row(texts)
        found.append((r, key, score))
    return found


def _fill_by_order(matches: list[tuple[int, Optional[str], float]], grid: Grid):
    """Matched rows as they are; an unmatched row between two matched rows one slot apart gets that slot."""
    order = [k for k, _, _ in REQUESTS_ROWS_2021]
    out = []
    for i, (r, key, score) in enumerate(matches):
        if key is not None:
            out.append((r, key, score))
            continue
        prev = next((m[1] for m in reversed(matches[:i]) if m[1] in order), None)
        nxt = next((m[1] for m in matches[i + 1:] if m[1] in order), None)
        if prev and nxt and order.index(nxt) - order.index(prev) == 2:
            out.append((r, order[order.index(prev) + 1], -ROW_THRESHOLD))
    return out


# ---------------------------------------------------------------- table `reviews`
def map_reviews(grids: list[Grid]) -> Mapping:
    """The one row of table 四: columns by group + result headers, else by the template's order."""
    out = Mapping()
    keys = list(REVIEWS_COLUMNS)
    for gi, grid in enumerate(grids):
        header_rows = [r for r in range(grid.n_rows)
                       if any(contains(cell.text, w) for _, cell in distinct_cells(grid, r)
                              for w in ("行政复议", "行政诉讼", "复议后起诉", "直接起诉", "结果维持", "尚未审结"))]
        if not header_rows:
            continue
        located = _review_data_row(grid, header_rows[-1] + 1, len(keys))
        if located is None and gi + 1 < len(grids):
            located = _review_data_row(grids[gi + 1], 0, len(keys), max_rows=2)
        if located is None:
            continue
        data_grid, r = located
        labelled = review_header(grid, header_rows)
        values = [(c, cell) for c, cell in distinct_cells(data_grid, r) if looks_like_value(cell.text)][-len(keys):]
        by_label = {labelled[c]: cell for c, cell in values if c in labelled}
        if len(by_label) == len(keys) and data_grid is grid:
            out.cells = [make_cell("reviews", REVIEWS_ROW, k, grid, by_label[k], "2021") for k in keys]
        elif len(values) == len(keys):
            out.cells = [make_cell("reviews", REVIEWS_ROW, k, data_grid, cell, "2021",
                                   "label" if labelled.get(c) == k else "order")
                         for k, (c, cell) in zip(keys, values)]
        else:
            out.cells = [make_cell("reviews", REVIEWS_ROW, labelled[c], data_grid, cell, "2021")
                         for c, cell in values if c in labelled]
        return out
    return out


def _review_data_row(grid: Grid, start: int, width: int, max_rows: int = 99) -> Optional[tuple[Grid, int]]:
    """The first row from `start` with most of its cells numbers: the reviews value row."""
    for r in range(start, min(grid.n_rows, start + max_rows)):
        cells = [cell for _, cell in distinct_cells(grid, r) if cell.row == r]
        values = [cell for cell in cells if looks_like_value(cell.text)]
        numbers = [cell for cell in values if read_number(cell.text)[1] == "number"]
        if len(values) >= width - 2 and numbers:
            return grid, r
    return None


def review_header(grid: Grid, header_rows: list[int]) -> dict[int, str]:
    """Column index → reviews column key from the stacked group and result headers."""
    found: dict[int, str] = {}
    for c in range(grid.n_cols):
        stack = []
        for r in header_rows:
            cell = grid.rows[r][c] if c < len(grid.rows[r]) else None
            if cell is not None and (not stack or stack[-1] is not cell):
                stack.append(cell)
        if not stack:
            continue
        joined = "".join(cell.text for cell in stack)
        group = ("suit_after_review" if contains(joined, "复议后起诉") else
                 "suit_direct" if contains(joined, "直接起诉") else
                 "review" if contains(joined, REVIEW_GROUPS["review"]) else None)
        result, _ = best_match(stack[-1].text, REVIEW_RESULTS, threshold=0.7)
        if group and result and f"{group}_{result}" not in found.values():
            found[c] = f"{group}_{result}"
    return found
