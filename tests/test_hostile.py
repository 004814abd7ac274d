"""Hostile input (issue 10): a batch that never crashes, hangs or runs out of memory, accounts for every
file with a status and a reason, resumes after kill -9, and never lets a crafted file inject into its outputs."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader, PdfWriter

import hostile_corpus
from conftest import ROOT, SAMPLES
from extractor.audit import inputs
from extractor.cli import main

GOOD = SAMPLES / "word-ruled-heping-2022.pdf"
WRONG = SAMPLES / "error-requests-row_total.pdf"
MAX_MEMORY = 2048  # MB (the default): the bomb inflates to 3 GiB


def _unique(data: bytes, tag: str) -> bytes:
    """The same PDF with a comment after %%EOF: still read, but another content hash."""
    return data + b"\n%" + tag.encode("utf-8", "surrogateescape") + b"\n"


def _encrypted(path: Path, user: str, owner: str) -> Path:
    writer = PdfWriter(clone_from=PdfReader(GOOD))
    writer.encrypt(user_password=user, owner_password=owner)
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def make_corpus(folder: Path) -> dict[str, tuple[str, str]]:
    """Write the hostile folder; {name relative to folder: (status, words of the reason)}."""
    folder.mkdir(parents=True)
    hostile_corpus.write(folder)
    expect = {
        "bomb.pdf": ("too_large", f"{MAX_MEMORY} MB"),
        "cyclic-pages.pdf": ("unreadable", "cyclic page tree"),
        "self-parent.pdf": ("unreadable", "cyclic page tree"),
        **{name: ("unreadable", "no statutory tables") for name in (
            "huge-image.pdf", "huge-page.pdf", "deep-nesting.pdf", "deep-content.pdf", "pages-3000.pdf",
            "broken-xref.pdf", "reference-loop.pdf")},
    }
    # a real report followed by 2,996 blank pages: read, and quickly (only the first 400 pages are looked at)
    (folder / "report-3000-pages.pdf").write_bytes(hostile_corpus.many_pages(3000, first=WRONG.read_bytes()))
    expect["report-3000-pages.pdf"] = ("findings", "")
    # encryption: owner password only → read as usual; a user password → unreadable: encrypted
    _encrypted(folder / "owner-only.pdf", "", "owner")
    expect["owner-only.pdf"] = ("ok", "")
    _encrypted(folder / "user-password.pdf", "secret", "owner")
    expect["user-password.pdf"] = ("unreadable", "encrypted")
    # names: spaces, quotes, a leading dash, bytes that are not UTF-8
    data = GOOD.read_bytes()
    for name in ("with space.pdf", "quote\"d 'name'.pdf", "-leading-dash.pdf"):
        (folder / name).write_bytes(_unique(data, name))
        expect[name] = ("ok", "")
    raw = os.fsencode(folder) + b"/bad\xff\xfename.pdf"
    with open(raw, "wb") as fh:
        fh.write(_unique(data, "bad bytes"))
    expect[os.fsdecode(b"bad\xff\xfename.pdf")] = ("ok", "")
    # links and things that are not files
    os.symlink("loop-b.pdf", folder / "loop-a.pdf")
    os.symlink("loop-a.pdf", folder / "loop-b.pdf")
    expect["loop-a.pdf"] = expect["loop-b.pdf"] = ("unreadable", "symbolic link loop")
    os.symlink("gone.pdf", folder / "dangling.pdf")
    expect["dangling.pdf"] = ("unreadable", "dangling symbolic link")
    (folder / "folder.pdf").mkdir()  # a directory named like a report: searched, not read
    (folder / "folder.pdf" / "inside.pdf").write_bytes(_unique(data, "inside"))
    expect["folder.pdf/inside.pdf"] = ("ok", "")
    os.mkfifo(folder / "pipe.pdf")  # would block a reader forever
    expect["pipe.pdf"] = ("unreadable", "not a regular file")
    (folder / "vanishing.pdf").write_bytes(_unique(data, "vanishing"))  # removed after hashing: see the test
    expect["vanishing.pdf"] = ("unreadable", "file not found")
    return expect


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    folder = root / "in"
    expect = make_corpus(folder)
    before = sorted(os.listdir(root))
    real = inputs.hash_and_dedupe

    def hash_then_vanish(files):  # the file disappears between the listing and its worker
        out = real(files)
        os.unlink(folder / "vanishing.pdf")
        return out

    inputs.hash_and_dedupe = hash_then_vanish
    t0 = time.monotonic()
    try:
        code = main(["audit", str(folder), "--out", str(root / "out"), "--workers", "2", "--timeout", "60",
                     "--max-memory", str(MAX_MEMORY)])
    finally:
        inputs.hash_and_dedupe = real
    seconds = time.monotonic() - t0
    manifest = json.loads((root / "out" / "manifest.json").read_text(encoding="utf-8"))
    return {"root": root, "folder": folder, "expect": expect, "code": code, "seconds": seconds,
            "manifest": manifest, "before": before}


def test_every_hostile_file_has_its_status_and_reason(hostile):
    folder = hostile["folder"]
    got = {os.path.relpath(f["path"], os.fsdecode(folder)): f for f in hostile["manifest"]["files"]}
    want = {k.replace("\udcff\udcfe", "\ufffd\ufffd"): v for k, v in hostile["expect"].items()}
    assert set(got) == set(want)
    for name, (status, words) in want.items():
        assert got[name]["status"] == status, (name, got[name])
        assert words in got[name]["reason"], (name, got[name])
    assert hostile["code"] == 2  # unreadable files present, no usage error
    assert hostile["seconds"] < 150


def test_nothing_written_outside_out(hostile):
    root = hostile["root"]
    assert sorted(os.listdir(root)) == hostile["before"] + ["out"]
    assert {p.name for p in (root / "out").iterdir()} == {"findings.csv", "findings.json", "audit.xlsx",
                                                           "report.html", "manifest.json", "nianbao.duckdb"}


def test_store_holds_each_file_once(hostile):
    from extractor.store import open_store

    with open_store(str(hostile["root"] / "out" / "nianbao.duckdb"), read_only=True) as store:
        reports = store.frame("reports")
    files = [f for f in hostile["manifest"]["files"] if f["sha256"] and not f["duplicate_of"]]
    assert len(reports) == reports["sha256"].nunique() == len({f["sha256"] for f in files})
    status = dict(zip(reports["sha256"], reports["status"]))
    for f in files:
        assert status[f["sha256"]] == ("ok" if f["status"] in ("ok", "findings") else f["status"]), f


def test_password_opens_the_encrypted_file(tmp_path):
    path = _encrypted(tmp_path / "user-password.pdf", "secret", "owner")
    assert main(["audit", str(path), "--out", str(tmp_path / "out"), "--password", "secret"]) == 0
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"][0]["status"] == "ok" and manifest["options"]["password"] is True
    assert "secret" not in (tmp_path / "out" / "manifest.json").read_text(encoding="utf-8")


def test_memory_limit_is_enforced_by_the_os(tmp_path):
    """A worker allocating past --max-memory gets a MemoryError from the OS: status too_large, worker replaced."""
    from extractor.audit import batch

    paths = [str(tmp_path / n) for n in ("a-eat.pdf", "b.pdf", "c-eat.pdf", "d.pdf")]
    memory: dict = {}
    results = batch.run(paths, workers=2, timeout=30, max_memory=600, task="test_hostile:greedy_task",
                        memory=memory)
    status = {os.path.basename(r.path): (r.status, r.reason) for r in results}
    assert status["a-eat.pdf"][0] == status["c-eat.pdf"][0] == "too_large"
    assert "600 MB" in status["a-eat.pdf"][1]
    assert status["b.pdf"][0] == status["d.pdf"][0] == "ok"
    assert all(v > 0 for v in memory.values())


def greedy_task(path: str, password=None):
    from extractor.audit.model import FileResult

    if "eat" in os.path.basename(path):
        hoard = []
        while True:
            hoard.append(bytearray(64 << 20))  # a MemoryError long before the machine runs out
    return FileResult(path=path, status="ok")


# ------------------------------------------------------------------ crafted text, read back from the outputs
class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.in_script = [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


EVIL_NAME = '=HYPERLINK("http:evil.example","x")<img src=x onerror=alert(1)>@cmd.html'


def test_crafted_file_names_and_text_are_inert(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    raw = (SAMPLES / "formats" / "web-error-requests-balance.html").read_bytes().decode("gbk")
    evil = '=HYPERLINK("http://evil.example/","点")&lt;script&gt;alert(1)&lt;/script&gt;'
    raw = raw.replace("现发布", "现发布" + evil).replace("本报告电子版", "+cmd|' /C calc'!A0" + evil)
    (folder / EVIL_NAME).write_bytes(raw.encode("gbk"))
    (folder / "-2+3.pdf").write_bytes(WRONG.read_bytes())
    out = tmp_path / "out"
    assert main(["audit", str(folder), "--out", str(out), "--workers", "1"]) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]
    # xlsx: no formula cell anywhere, no text cell a spreadsheet would evaluate
    wb = load_workbook(out / "audit.xlsx")
    seen = []
    for ws in wb.worksheets:
        assert len(ws.title) <= 31 and not set(ws.title) & set("[]:*?/\\")
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    assert not c.value.startswith(("=", "+", "-", "@")), c.value
                    seen.append(c.value)
    assert any("HYPERLINK" in v for v in seen) and any("-2+3" in v for v in seen)
    # csv: likewise
    for row in csv.reader((out / "findings.csv").read_text(encoding="utf-8-sig").splitlines()):
        for field in row:
            assert not field.startswith(("=", "+", "-", "@")), field
    # html: a CSP that forbids scripts and fetching, no live element, the crafted text shown as text
    html = (out / "report.html").read_text(encoding="utf-8")
    parser = Tags()
    parser.feed(html)
    tags = parser.tags
    assert not [t for t, _ in tags if t in ("script", "iframe", "object", "embed", "link", "base", "form")]
    assert not [a for _, attrs in tags for a in attrs if a.startswith("on")]
    assert all(a.get("src", "").startswith("data:") for t, a in tags if t == "img")
    csp = [a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0] and "script-src 'none'" in csp[0]
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


# ------------------------------------------------------------------ kill -9 and resume
RESUME_FILES = ["word-ruled-heping-2022.pdf", "word-ruled-taiping-2024.pdf", "error-requests-row_total.pdf",
                "error-requests-balance.pdf", "error-requests-new_total.pdf", "error-reviews-review_total.pdf",
                "history-jiaotong-2023.pdf", "history-jiaotong-2024.pdf", "kangxi-wenjiao-2024.pdf",
                "seed-baima-2023.pdf"]


def _cli(folder: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "extractor.cli", "audit", str(folder), "--out", str(out), "--workers", "1"]


def _comparable(out: Path) -> dict:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest.pop("timestamps")
    manifest["options"].pop("out")
    return {"manifest": manifest, "json": (out / "findings.json").read_text(encoding="utf-8"),
            "csv": (out / "findings.csv").read_text(encoding="utf-8-sig")}


def test_kill_9_midway_then_the_same_command_continues(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in RESUME_FILES:
        shutil.copy(SAMPLES / name, folder / name)
    (folder / "broken.pdf").write_bytes(WRONG.read_bytes()[:3000])
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # the reference: one uninterrupted run
    ref = tmp_path / "ref"
    subprocess.run(_cli(folder, ref), env=env, capture_output=True, timeout=300)
    # killed with SIGKILL once a few files are done
    out = tmp_path / "out"
    proc = subprocess.Popen(_cli(folder, out), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    journal = out / ".nianbao-journal"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if journal.is_dir() and len([p for p in journal.iterdir() if p.suffix == ".pickle"]) >= 4:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    done_before = len([p for p in journal.iterdir() if p.suffix == ".pickle"])
    assert 4 <= done_before < len(RESUME_FILES) + 1, done_before
    assert not (out / "manifest.json").exists()  # killed before the outputs: nothing half-written either
    # the same command again
    second = subprocess.run(_cli(folder, out), env=env, capture_output=True, text=True, timeout=300)
    assert f"{done_before} of {len(RESUME_FILES) + 1} files already audited" in second.stderr, second.stderr
    assert _comparable(out) == _comparable(ref)
    assert not journal.exists()  # a finished run leaves no journal behind
    rows = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert len(rows) == len({json.dumps(r, sort_keys=True) for r in rows})  # no row doubled
    from extractor.store import open_store

    with open_store(str(out / "nianbao.duckdb"), read_only=True) as store:
        assert store.count() == len(RESUME_FILES) + 1


def test_ctrl_c_exits_130_and_says_how_to_continue(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in RESUME_FILES:
        shutil.copy(SAMPLES / name, folder / name)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(_cli(folder, out), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    journal = out / ".nianbao-journal"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (journal.is_dir() and any(journal.iterdir())):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Run the same command again" in err
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    statuses = {f["status"] for f in manifest["files"]}
    assert "interrupted" in statuses and statuses & {"ok", "findings"}
    assert {p.name for p in out.iterdir() if p.name.endswith(".tmp")} == set()


# ------------------------------------------------------------------ fuzzing
def test_fuzzed_samples_never_raise(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    import fuzz

    made = fuzz.mutants(160, seed=10, folder=tmp_path)
    stats = fuzz.run([str(p) for p, _ in made], workers=2, timeout=30, max_memory=2048)
    assert stats["files"] == 160
    assert not stats["tracebacks"], fuzz.report(stats, {str(p): how for p, how in made})
    assert not stats["deaths"], fuzz.report(stats, {str(p): how for p, how in made})
    assert set(stats["statuses"]) <= {"ok", "findings", "unreadable", "timeout", "too_large"}
