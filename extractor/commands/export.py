"""`nianbao export [--db PATH] --format parquet|csv|xlsx --out PATH`: the dataset for researchers.

Writes into the directory PATH: wide.<ext>, long.<ext>, reports.<ext>, findings.<ext> and
codebook.<ext> (for parquet also codebook.csv, for people). With --format xlsx and a PATH
ending in .xlsx, one workbook with sheets wide, long, reports, findings, codebook instead.
CSV is UTF-8 with a byte-order mark (Excel opens it with the Chinese intact). In CSV and
xlsx, text cells beginning with = + - @ (or tab / carriage return) get a leading apostrophe
so a spreadsheet never runs them as formulas; numbers stay numbers. Column names and types:
docs/dataset.md.
"""

from __future__ import annotations

import os
import sys

import pandas as pd

FORMATS = ("parquet", "csv", "xlsx")
PARTS = ("wide", "long", "reports", "findings", "codebook")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def add_parser(sub):
    """Register the subcommand."""
    from extractor.store import DEFAULT_DB

    parser = sub.add_parser("export", help="write the stored dataset (wide, long, codebook) as parquet, csv or xlsx")
    parser.add_argument("--db", default=DEFAULT_DB, help=f"the DuckDB store (default {DEFAULT_DB})")
    parser.add_argument("--format", choices=FORMATS, required=True, help="file format")
    parser.add_argument("--out", required=True, help="output directory (or a .xlsx file with --format xlsx)")
    return parser


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells starting with = + - @ (tab, CR) are prefixed with ' ; numbers untouched."""
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series) \
                or pd.api.types.is_datetime64_any_dtype(series):
            continue
        out[col] = series.map(lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v)
    return out


def _for_excel(frame: pd.DataFrame) -> pd.DataFrame:
    out = neutralise(frame)
    for col in out.columns:  # openpyxl cannot write timezone-aware datetimes; ours are naive, keep as is
        if isinstance(out[col].dtype, pd.StringDtype) or out[col].dtype == object:
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out


def export(frames: dict[str, pd.DataFrame], fmt: str, out: str) -> list[str]:
    """Write the frames; return the paths written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    out = os.fspath(out)
    if fmt == "xlsx" and out.lower().endswith(".xlsx"):
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        with pd.ExcelWriter(out, engine="openpyxl") as xw:
            for part in PARTS:
                _for_excel(frames[part]).to_excel(xw, sheet_name=part, index=False)
        return [out]
    os.makedirs(out, exist_ok=True)
    written = []
    for part in PARTS:
        path = os.path.join(out, f"{part}.{fmt}")
        frame = frames[part]
        if fmt == "parquet":
            frame.to_parquet(path, index=False, engine="pyarrow")
        elif fmt == "csv":
            neutralise(frame).to_csv(path, index=False, encoding="utf-8-sig")
        else:
            with pd.ExcelWriter(path, engine="openpyxl") as xw:
                _for_excel(frame).to_excel(xw, sheet_name=part, index=False)
        written.append(path)
    if fmt == "parquet":
        path = os.path.join(out, "codebook.csv")
        neutralise(frames["codebook"]).to_csv(path, index=False, encoding="utf-8-sig")
        written.append(path)
    return written


def run(args) -> int:
    """Load the store and write the files; exit 2 when the store does not exist."""
    from extractor.store import load_dataset

    if not os.path.exists(args.db):
        print(f"nianbao: {args.db}: no such database (run `nianbao audit` first, or pass --db)", file=sys.stderr)
        return 2
    frames = load_dataset(args.db)
    paths = export(frames, args.format, args.out)
    print(f"{len(frames['wide'])} reports, {len(frames['long'])} cells, {len(frames['findings'])} findings → "
          + ", ".join(paths))
    return 0
