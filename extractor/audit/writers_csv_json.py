"""findings.csv and findings.json: one row per finding (and per file that could not be audited)."""

from __future__ import annotations

import csv
import io
import json

from extractor.audit import fsio
from extractor.audit.rows import COLUMNS, all_rows
from extractor.audit.safe import cell_text, clean


def csv_bytes(rows: list[dict]) -> bytes:
    """UTF-8 with a BOM (Excel and WPS then read the Chinese right); text neutralised against formulas."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        values = []
        for col in COLUMNS:
            v = row.get(col)
            if col == "box" and v:
                v = " ".join(f"{x:g}" for x in v)
            values.append("" if v is None else cell_text(v))
        writer.writerow(values)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def json_bytes(rows: list[dict]) -> bytes:
    """A JSON list of rows, keys in COLUMNS order; text without control characters."""
    out = [{col: (clean(row.get(col)) if isinstance(row.get(col), str) else row.get(col)) for col in COLUMNS}
           for row in rows]
    return (json.dumps(out, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def write(out_dir: str, results) -> list[dict]:
    rows = all_rows(results)
    fsio.write_bytes(out_dir, "findings.csv", csv_bytes(rows))
    fsio.write_bytes(out_dir, "findings.json", json_bytes(rows))
    return rows
