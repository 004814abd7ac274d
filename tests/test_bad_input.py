"""Bad input: one clear line naming the file and the reason, a non-zero exit, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from conftest import sample_files
from extractor import ReportError, extract

PDF = next(p for p in sample_files(".pdf") if p.name.startswith("word-ruled"))


def _encrypted(tmp: Path, user: str, owner: str) -> Path:
    writer = PdfWriter(clone_from=PdfReader(PDF))
    writer.encrypt(user_password=user, owner_password=owner)
    out = tmp / f"enc-{bool(user)}.pdf"
    with out.open("wb") as fh:
        writer.write(fh)
    return out


def _narrative_only(tmp: Path) -> Path:
    writer = PdfWriter()
    writer.add_page(PdfReader(PDF).pages[0])
    out = tmp / "letter.pdf"
    with out.open("wb") as fh:
        writer.write(fh)
    return out


def _cases(tmp: Path) -> dict[str, tuple[Path, str]]:
    (tmp / "notes.pdf").write_text("这不是PDF文件", encoding="utf-8")
    (tmp / "empty.pdf").write_bytes(b"")
    data = PDF.read_bytes()
    (tmp / "truncated.pdf").write_bytes(data[: len(data) // 3])
    (tmp / "folder.pdf").mkdir()
    return {
        "missing": (tmp / "nope.pdf", "file not found"),
        "not a pdf": (tmp / "notes.pdf", "not a PDF"),
        "empty": (tmp / "empty.pdf", "empty file"),
        "truncated": (tmp / "truncated.pdf", "damaged"),
        "directory": (tmp / "folder.pdf", "directory"),
        "encrypted": (_encrypted(tmp, "secret", "owner"), "encrypted"),
        "not a report": (_narrative_only(tmp), "no statutory tables"),
    }


@pytest.mark.parametrize("case", ["missing", "not a pdf", "empty", "truncated", "directory", "encrypted",
                                  "not a report"])
def test_bad_input_is_one_line(tmp_path, case):
    path, reason = _cases(tmp_path)[case]
    with pytest.raises(ReportError) as err:
        extract(path)
    assert reason in err.value.reason
    proc = subprocess.run([sys.executable, "-m", "extractor.cli", "extract", str(path)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and reason in lines[0]
    assert "Traceback" not in proc.stderr


def test_owner_password_only_is_read_as_usual(tmp_path):
    report = extract(_encrypted(tmp_path, "", "owner"))
    assert len(report.cells) >= 180


def test_user_password_can_be_supplied(tmp_path):
    report = extract(_encrypted(tmp_path, "secret", "owner"), password="secret")
    assert len(report.cells) >= 180
