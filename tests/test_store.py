"""The DuckDB store and the exports: idempotence, read-back equal to the samples' truth, codebook, formula safety."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from extractor.commands.export import export, neutralise
from extractor.store import cell_variables, codebook, load_dataset, open_store, variable_name
from schemas.report import report_from_tables
from schemas.vocabulary import REQUESTS_COLUMNS

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
PDFS = ["history-jiaotong-2023", "history-jiaotong-2024", "history-taoyuan-2022", "history-taoyuan-2023"]
# stored from their truth tables: blanks and dashes → nulls; a 2019-template report (active2019.* columns)
TRUTH_ONLY = ["markers-ziranziyuan-2022", "formats/t2019-ruled-fengle-2019"]


def truth(name: str) -> dict:
    return json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def reports():
    from extractor import extract

    out = [extract(SAMPLES / f"{n}.pdf") for n in PDFS]
    for i, name in enumerate(TRUTH_ONLY):
        t = truth(name)
        r = report_from_tables(t["tables"], template=t["template"], file=t["file"], issuer=t["issuer"],
                               year=t["year"])
        r.sha256 = str(i) * 64
        out.append(r)
    return out


@pytest.fixture(scope="module")
def db(reports, tmp_path_factory):
    from schemas.validate import validate

    path = tmp_path_factory.mktemp("store") / "nianbao.duckdb"
    with open_store(path) as store:
        history = store.history_findings(reports)
        for r in reports:
            store.add(r, validate(r, narrative=False) + history.get(r.sha256, []), status="ok")
    return path


@pytest.fixture(scope="module")
def frames(db):
    return load_dataset(db)


def expected_value(v):
    return None if v is None else float(v)


def wide_value(v):
    return None if v is None or pd.isna(v) else float(v)


def truth_names():
    return PDFS + TRUTH_ONLY


# ------------------------------------------------------------------ store
def test_same_file_twice_is_one_report(tmp_path, reports):
    r = reports[0]
    with open_store(tmp_path / "s.duckdb") as store:
        store.add(r, [], status="ok")
        n_cells = store.con.execute("SELECT count(*) FROM cells").fetchall()[0][0]
        store.add(r, [], status="ok")
        store.add(r, [], status="ok")
        assert store.count() == 1
        assert store.con.execute("SELECT count(*) FROM cells").fetchall()[0][0] == n_cells == len(r.cells)
        assert store.has(r.sha256)


def test_same_content_under_another_name(tmp_path):
    from extractor import extract

    copy = tmp_path / "renamed.pdf"
    shutil.copy(SAMPLES / f"{PDFS[0]}.pdf", copy)
    a, b = extract(SAMPLES / f"{PDFS[0]}.pdf"), extract(copy)
    with open_store(tmp_path / "s.duckdb") as store:
        store.add(a)
        store.add(b)
        assert store.count() == 1
        assert store.frame("reports")["file"].tolist() == ["renamed.pdf"]


def test_failure_and_reopen(tmp_path, reports):
    path = tmp_path / "s.duckdb"
    with open_store(path) as store:
        store.add_failure("/x/broken.pdf", "f" * 64, "unreadable", "truncated")
        store.add(reports[1])
    with open_store(path) as store:  # reopening keeps the data
        assert store.count() == 2
    frames = load_dataset(path)
    assert set(frames["reports"]["status"]) == {"ok", "unreadable"}
    assert len(frames["wide"]) == 1  # the wide table holds readable reports only


def test_metadata(frames):
    rep = frames["reports"].set_index("file")
    assert rep.loc["history-taoyuan-2023.pdf", "issuer"] == "临川县桃源镇政府"
    assert rep.loc["history-taoyuan-2023.pdf", "issuer_norm"] == rep.loc["history-taoyuan-2022.pdf", "issuer_norm"]
    assert rep.loc["history-taoyuan-2023.pdf", "level"] == "镇"
    assert rep.loc["history-jiaotong-2024.pdf", "level"] == "部门"
    assert rep.loc["history-jiaotong-2024.pdf", "year"] == 2024
    assert (rep["tool_version"] != "").all()
    assert rep.loc["t2019-ruled-fengle-2019.pdf", "template"] == "2019"


def test_history_findings_stored(frames):
    f = frames["findings"]
    h = f[f["rule"] == "history.carry_over"]
    assert sorted(h["column"]) == ["natural_person", "total"]
    assert set(h["file"]) == {"history-jiaotong-2024.pdf"} and h["page"].notna().all()


# ------------------------------------------------------------------ dataset equal to truth
def test_wide_equals_truth(frames):
    wide = frames["wide"].set_index("file")
    assert len(wide) == len(truth_names())
    for name in truth_names():
        t = truth(name)
        row = wide.loc[t["file"]]
        for table, rows in t["tables"].items():
            for r, cols in rows.items():
                for c, v in cols.items():
                    assert wide_value(row[variable_name(t["template"], table, r, c)]) == expected_value(v), \
                        (name, table, r, c)


def test_long_equals_truth(frames):
    long = frames["long"]
    for name in truth_names():
        t = truth(name)
        mine = long[long["file"] == t["file"]]
        got = {(a, b, c): wide_value(v) for a, b, c, v in zip(mine["table"], mine["row"], mine["column"], mine["value"])}
        want = {(a, b, c): expected_value(v) for a, rows in t["tables"].items() for b, cols in rows.items()
                for c, v in cols.items()}
        assert got == want, name


def test_wide_types_and_columns(frames):
    wide = frames["wide"]
    names = [v["variable"] for v in cell_variables()]
    assert len(names) == len(set(names))
    assert list(wide.columns[-len(names):]) == names
    assert str(wide["requests.new.total"].dtype) == "Int64"
    assert str(wide["active.fees.amount"].dtype) == "float64"
    assert "active2019.fees.items_last_year" in wide.columns and "active.fees.amount" in wide.columns
    assert "requests.other_combined.total" in wide.columns


def test_2019_active_prefixed(tmp_path):
    tables = {"active": {"fees": {"items_last_year": 5, "items_change": -2}}, "requests": {
        "carried_over": dict.fromkeys(REQUESTS_COLUMNS, 0)}}
    r = report_from_tables(tables, template="2019", file="old.pdf", issuer="某县人民政府", year=2019)
    r.sha256 = "a" * 64
    with open_store(tmp_path / "s.duckdb") as store:
        store.add(r)
        frames = load_dataset(store)
    row = frames["wide"].iloc[0]
    assert row["active2019.fees.items_last_year"] == 5 and row["active2019.fees.items_change"] == -2
    assert pd.isna(row["active.fees.amount"])
    assert frames["long"]["variable"].tolist()[0].startswith("active2019.")


def test_codebook():
    cb = codebook().set_index("variable")
    assert cb.loc["requests.new.total", "row_label"] == "一、本年新收政府信息公开申请数量"
    assert cb.loc["requests.new.total", "column_label"] == "总计"
    assert cb.loc["active.fees.amount", "unit"] == "万元"
    assert cb.loc["active2019.fees.items_last_year", "unit"].startswith("项")
    assert cb.loc["active2019.fees.items_last_year", "template"] == "2019"
    assert {"table", "row", "column", "type", "unit", "table_label"} <= set(cb.columns)


# ------------------------------------------------------------------ exports read back
@pytest.mark.parametrize("fmt", ["parquet", "csv", "xlsx"])
def test_export_read_back(frames, tmp_path, fmt):
    paths = export(frames, fmt, tmp_path / fmt)
    assert {Path(p).stem for p in paths} >= {"wide", "long", "codebook", "reports", "findings"}
    read = {"parquet": pd.read_parquet, "csv": lambda p: pd.read_csv(p, encoding="utf-8-sig"),
            "xlsx": pd.read_excel}[fmt]
    wide = read(tmp_path / fmt / f"wide.{fmt}").set_index("file")
    long = read(tmp_path / fmt / f"long.{fmt}")
    cb = read(tmp_path / fmt / f"codebook.{fmt}")
    assert set(cb["variable"]) >= set(c for c in wide.columns if "." in c)
    for name in truth_names():
        t = truth(name)
        for table, rows in t["tables"].items():
            for r, cols in rows.items():
                for c, v in cols.items():
                    got = wide.loc[t["file"], variable_name(t["template"], table, r, c)]
                    assert wide_value(got) == expected_value(v), (fmt, name, table, r, c)
    assert pd.api.types.is_numeric_dtype(long["value"])
    assert len(long) == len(frames["long"])


def test_parquet_types_via_pyarrow(frames, tmp_path):
    import pyarrow.parquet as pq

    export(frames, "parquet", tmp_path)
    schema = pq.read_schema(tmp_path / "wide.parquet")
    assert str(schema.field("requests.new.total").type) == "int64"
    assert str(schema.field("active.fees.amount").type) == "double"
    assert str(schema.field("year").type) == "int64"
    assert (tmp_path / "codebook.csv").exists()


def test_single_workbook(frames, tmp_path):
    out = tmp_path / "data.xlsx"
    assert export(frames, "xlsx", out) == [str(out)]
    sheets = pd.read_excel(out, sheet_name=None)
    assert set(sheets) == {"wide", "long", "reports", "findings", "codebook"}


def test_formula_neutralised(tmp_path):
    frame = pd.DataFrame({"text": ["=1+1", "+86", "-", "@SUM(A1)", "普通", None], "n": [-1, 2, 3, 4, 5, 6],
                          "x": [-0.5, 1.0, math.nan, 2.0, 3.0, 4.0]})
    safe = neutralise(frame)
    assert safe["text"].tolist()[:5] == ["'=1+1", "'+86", "'-", "'@SUM(A1)", "普通"]
    assert safe["n"].tolist() == [-1, 2, 3, 4, 5, 6]
    frames = {p: frame for p in ("wide", "long", "reports", "findings", "codebook")}
    export(frames, "csv", tmp_path / "c")
    back = pd.read_csv(tmp_path / "c" / "wide.csv", encoding="utf-8-sig")
    assert back["text"].tolist()[0] == "'=1+1" and back["n"].tolist()[0] == -1
    export(frames, "xlsx", tmp_path / "x")
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "x" / "wide.xlsx").active
    assert ws["A2"].value == "'=1+1" and ws["A2"].data_type == "s"
    assert ws["B2"].value == -1 and ws["B2"].data_type == "n"


def test_cli_export(db, tmp_path, capsys):
    from extractor.cli import main

    assert main(["export", "--db", str(db), "--format", "csv", "--out", str(tmp_path / "o")]) == 0
    assert (tmp_path / "o" / "wide.csv").exists() and (tmp_path / "o" / "codebook.csv").exists()
    assert main(["export", "--db", str(tmp_path / "none.duckdb"), "--format", "csv", "--out", str(tmp_path)]) == 2


def test_top_level_api(db):
    import extractor

    assert set(extractor.load_dataset(db)) == {"reports", "long", "wide", "findings", "codebook"}
