"""notebooks/explore.ipynb runs top to bottom (nbclient), so the committed notebook cannot rot."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"


def test_notebook_runs(tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    pytest.importorskip("matplotlib")

    monkeypatch.setenv("NIANBAO_ROOT", str(ROOT))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    committed = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs for c in committed[1:]), "the notebook is committed with its outputs"
    # run in a scratch directory: the figures it saves go there, not into the repository
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    assert {p.name for p in (tmp_path / "figures").glob("*.png")} == {"applicants.png", "outcomes.png", "rules.png"}
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "reports stored" in text
    last = nb.cells[-1].outputs[0]["data"]["text/plain"]
    assert "history-jiaotong-2024.pdf" in last
