"""DOCX input: the document's tables with merged cells resolved, its paragraphs as the narrative.

Merged cells are read from the WordprocessingML itself (python-docx's `Table.rows[i].cells`
repeats a merged cell but says nothing of where it starts): `w:gridSpan` is a column span,
`w:vMerge` ("restart", then empty/"continue") a row span, `w:gridBefore` skipped slots. Each
top-level table is numbered 1-based in document order (the provenance). `.doc`/`.wps` are
converted with LibreOffice when `soffice` is on the PATH, otherwise refused in one line.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass

from extractor.errors import ReportError
from extractor.grid import Grid, GridCell
from extractor.html_source import clean_text, is_report_table, table_score
from extractor.labels import fold
from extractor.title import parse_title

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LEGACY_EXTENSIONS = (".doc", ".wps", ".wpt", ".dot")


@dataclass
class DocxDocument:
    """What a DOCX yields: the report's grids, the narrative as one page of text, and the title."""

    grids: list[Grid]
    pages: list[str]
    title: str = ""
    all_tables: int = 0


def _paragraph_text(p) -> str:
    """Text of one w:p: runs' w:t, w:tab as a space, w:br/w:cr as a line break (deleted text skipped)."""
    parts = []
    for el in p.iter():
        tag = el.tag
        if tag == W + "t":
            parts.append(el.text or "")
        elif tag == W + "tab":
            parts.append(" ")
        elif tag in (W + "br", W + "cr"):
            parts.append("\n")
        elif tag == W + "delText":
            continue
    return "".join(parts)


def _tc_text(tc) -> str:
    """A cell's text: its own paragraphs (not those of a nested table), one per line."""
    lines = [_paragraph_text(p) for p in tc.iterchildren(W + "p")]
    for sdt in tc.iterchildren(W + "sdt"):  # content controls wrapping paragraphs
        lines += [_paragraph_text(p) for p in sdt.iter(W + "p")]
    return clean_text("\n".join(lines))


def _val(el, name: str):
    """The w:val of a child property element, None when absent, '' when present without w:val."""
    prop = el.find(name)
    if prop is None:
        return None
    return prop.get(W + "val", "")


def table_grid(tbl, index: int) -> Grid:
    """A w:tbl element → a Grid; gridSpan → colspan, vMerge → rowspan, gridBefore → empty slots."""
    rows: list[dict[int, GridCell]] = []
    n_cols = 0
    for r, tr in enumerate(tbl.iterchildren(W + "tr")):
        row: dict[int, GridCell] = {}
        trpr = tr.find(W + "trPr")
        c = int(_val(trpr, W + "gridBefore") or 0) if trpr is not None else 0
        tcs = [el for el in tr.iterchildren() if el.tag == W + "tc"]
        for sdt in tr.iterchildren(W + "sdt"):  # cells inside a row-level content control
            tcs += list(sdt.iter(W + "tc"))
        for tc in tcs:
            tcpr = tc.find(W + "tcPr")
            span = int(_val(tcpr, W + "gridSpan") or 1) if tcpr is not None else 1
            vmerge = _val(tcpr, W + "vMerge") if tcpr is not None else None
            above = rows[r - 1].get(c) if r > 0 else None
            if vmerge is not None and vmerge != "restart" and above is not None and above.col == c:
                above.rowspan = r - above.row + 1
                cell = above
            else:
                cell = GridCell(text=_tc_text(tc), row=r, col=c, colspan=max(span, 1))
            for dc in range(max(span, 1)):
                row[c + dc] = cell
            c += max(span, 1)
        n_cols = max(n_cols, c)
        rows.append(row)
    matrix = [[row.get(c) for c in range(n_cols)] for row in rows]
    return Grid(rows=matrix, method="docx", index=index)


def _body_items(body):
    """Top-level paragraphs and tables of the body in order (content controls opened)."""
    for el in body.iterchildren():
        if el.tag in (W + "p", W + "tbl"):
            yield el
        elif el.tag == W + "sdt":
            content = el.find(W + "sdtContent")
            if content is not None:
                yield from _body_items(content)


def read_docx(path: str) -> DocxDocument:
    """Read a .docx: report grids, narrative paragraphs, title."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(path)
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise ReportError(path, f"damaged DOCX ({type(exc).__name__})") from None
    except Exception as exc:  # lxml XMLSyntaxError and zip errors from a broken package
        raise ReportError(path, f"damaged DOCX ({type(exc).__name__})") from None
    grids, lines, index = [], [], 0
    for el in _body_items(document.element.body):
        if el.tag == W + "p":
            text = clean_text(_paragraph_text(el))
            lines += [line for line in text.split("\n") if line]
            continue
        index += 1
        grid = table_grid(el, index)
        if is_report_table(grid, table_score(grid)):
            grids.append(grid)
        else:  # a layout or unrelated table: its text belongs to the narrative
            lines += [line for line in clean_text(grid.text().replace(" ", "\n")).split("\n") if line]
    title = next((line for line in lines[:12] if parse_title(line)[1] is not None), "")
    if not title and document.core_properties.title and parse_title(document.core_properties.title)[1]:
        title = document.core_properties.title
        if fold(title) not in fold("".join(lines[:6])):
            lines = [title] + lines
    return DocxDocument(grids=grids, pages=["\n".join(lines)], title=title, all_tables=index)


def convert_legacy(path: str, workdir: str) -> str:
    """A .doc/.wps converted to .docx with LibreOffice (when on the PATH); else one ReportError line."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise ReportError(path, "legacy Word/WPS file: convert it to .docx first "
                                "(soffice --headless --convert-to docx FILE, or Save As .docx in Word/WPS)",
                          status="unsupported")
    profile = os.path.join(workdir, "profile")
    try:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "docx",
                        "--outdir", workdir, os.path.abspath(path)], check=True, capture_output=True, timeout=180)
    except (subprocess.SubprocessError, OSError) as exc:
        raise ReportError(path, f"LibreOffice could not convert this legacy Word/WPS file ({type(exc).__name__}); "
                                "convert it to .docx by hand", status="unsupported") from None
    out = os.path.join(workdir, os.path.splitext(os.path.basename(path))[0] + ".docx")
    if not os.path.exists(out):
        raise ReportError(path, "LibreOffice produced no .docx from this legacy Word/WPS file; convert it by hand",
                          status="unsupported")
    return out


def read_legacy(path: str) -> DocxDocument:
    """Read a .doc/.wps through a LibreOffice conversion to .docx in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="nianbao-") as tmp:
        return read_docx(convert_legacy(path, tmp))
