"""Shared fixtures: where the samples and the real reports are."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
REAL = ROOT.parent / "shared" / "real"


def truth_of(path: Path) -> dict:
    """The ground-truth JSON beside a sample file."""
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def sample_files(*suffixes: str) -> list[Path]:
    """Committed samples with the given suffixes that have a truth file beside them."""
    return sorted(p for s in suffixes for p in SAMPLES.glob(f"*{s}") if p.with_suffix(".json").exists())


def cell_diffs(truth: dict, got: dict) -> list[tuple]:
    """(table, row, column, truth, got) for every cell that differs, including cells only one side has."""
    diffs = []
    for table in set(truth) | set(got):
        t_rows, g_rows = truth.get(table, {}), got.get(table, {})
        for row in set(t_rows) | set(g_rows):
            t_cols, g_cols = t_rows.get(row, {}), g_rows.get(row, {})
            for col in set(t_cols) | set(g_cols):
                t, g = t_cols.get(col, "ABSENT"), g_cols.get(col, "ABSENT")
                if t != g:
                    diffs.append((table, row, col, t, g))
    return sorted(diffs, key=str)


@pytest.fixture(scope="session")
def real_dir() -> Path:
    """The folder of real published reports; tests that need it skip when it is absent."""
    if not REAL.is_dir():
        pytest.skip("../shared/real is not here")
    return REAL
