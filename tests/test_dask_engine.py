"""`nianbao audit --engine dask`: a small batch on a dask LocalCluster gives the local engine's outputs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import SAMPLES
from extractor.cli import main

pytest.importorskip("distributed")

FILES = ["seed-baima-2023.pdf", "error-requests-balance.pdf", "markers-ziranziyuan-2022.pdf",
         "formats/docx-template-linhai-2022.docx"]


def _manifest(out: Path) -> dict:
    doc = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    doc.pop("timestamps")
    doc["options"].pop("out")
    return doc


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    root = tmp_path_factory.mktemp("dask")
    folder = root / "in"
    folder.mkdir()
    for name in FILES:
        shutil.copy(SAMPLES / name, folder / Path(name).name)
    codes = {}
    for engine in ("local", "dask"):
        codes[engine] = main(["audit", str(folder), "--out", str(root / engine), "--workers", "2", "--timeout", "120",
                              "--engine", engine])
    return root, codes


def test_same_exit_code(outputs):
    _, codes = outputs
    assert codes["local"] == codes["dask"] == 1  # the error sample has errors


def test_same_findings(outputs):
    root, _ = outputs
    local, dask = (json.loads((root / e / "findings.json").read_text(encoding="utf-8")) for e in ("local", "dask"))
    assert local and local == dask
    assert (root / "local" / "findings.csv").read_bytes() == (root / "dask" / "findings.csv").read_bytes()


def test_same_manifest_apart_from_timestamps(outputs):
    root, _ = outputs
    local, dask = _manifest(root / "local"), _manifest(root / "dask")
    assert local == dask
    assert {f["status"] for f in dask["files"]} == {"ok", "findings"}


def test_per_file_timeout_holds_on_dask():
    """The time limit is the local engine's, run inside the dask worker: a hung file is `timeout`."""
    from extractor.audit import dask_engine

    paths = [str(SAMPLES / "seed-baima-2023.pdf"), str(SAMPLES / "word-ruled-heping-2022.pdf")]
    results = dask_engine.run(paths, workers=1, timeout=2.0, task="test_dask_engine:hang_on_seed")
    assert [r.status for r in results] == ["timeout", "ok"]
    assert [r.path for r in results] == paths


def hang_on_seed(path: str, password=None):
    import time

    from extractor.audit.task import audit_file

    if "seed-baima" in path:
        time.sleep(60)
    return audit_file(path, password=password)


def test_missing_scheduler_is_one_line(capsys, monkeypatch, tmp_path):
    from extractor.audit import dask_engine

    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT", "1s")
    code = main(["audit", str(SAMPLES / "seed-baima-2023.pdf"), "--out", str(tmp_path / "out"),
                 "--engine", "dask", "--scheduler", "tcp://127.0.0.1:1"])
    assert code == 2
    assert "cannot reach the dask scheduler" in capsys.readouterr().err


def test_without_dask_says_how_to_install(capsys, monkeypatch, tmp_path):
    from extractor.audit import dask_engine

    monkeypatch.setattr(dask_engine, "available", lambda: False)
    code = main(["audit", str(SAMPLES / "seed-baima-2023.pdf"), "--out", str(tmp_path / "out"), "--engine", "dask"])
    assert code == 2
    assert "pip install 'nianbao[dask]'" in capsys.readouterr().err
