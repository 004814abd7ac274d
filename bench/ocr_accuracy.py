"""Cell accuracy, unflagged wrong cells and seconds per scanned page of samples/scans/, by OCR mode.

    NIANBAO_OCR_THREADS=1 .venv/bin/python bench/ocr_accuracy.py cells page

mode "cells": cell crops of the known grid (used); "page": whole-page detection + recognition.
Writes bench/ocr_accuracy.json (per file: cells, wrong, unflagged, confidences, s/page).
"""
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import cell_diffs  # noqa: E402
from extractor import extract, ocr_source  # noqa: E402
from schemas.validate import OCR_MIN_CONFIDENCE, validate  # noqa: E402


def main(modes: list[str]) -> None:
    ocr_source.engine()
    out = []
    for mode in modes or ["cells"]:
        ocr_source.MODE = mode
        for pdf in sorted((ROOT / "samples" / "scans").glob("*.pdf")):
            truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
            wall, cpu = time.perf_counter(), time.process_time()
            report = extract(pdf)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            diffs = cell_diffs(truth["tables"], report.tables_dict())
            findings = validate(report)
            flagged = {(c["table"], c["row"], c["column"]) for f in findings for c in f.cells}
            n = sum(len(cols) for rows in truth["tables"].values() for cols in rows.values())
            pages = len(truth["scanned_pages"])
            row = dict(mode=mode, file=pdf.name, cells=n, wrong=len(diffs),
                       unflagged=[d for d in diffs if d[:3] not in flagged],
                       wrong_read=[(d, getattr(report.cell(*d[:3]), "confidence", None)) for d in diffs],
                       low_confidence=sum(c.confidence < OCR_MIN_CONFIDENCE for c in report.cells),
                       scanned_pages=pages, wall_per_page=round(wall / pages, 2), cpu_per_page=round(cpu / pages, 2),
                       confidences=sorted(round(c.confidence, 3) for c in report.cells))
            out.append(row)
            print(f"{mode:5s} {pdf.name:36s} {n - len(diffs)}/{n} right, {len(row['unflagged'])} unflagged, "
                  f"{row['low_confidence']} below {OCR_MIN_CONFIDENCE}, {row['cpu_per_page']} s CPU/page", flush=True)
    (ROOT / "bench" / "ocr_accuracy.json").write_text(json.dumps(out, ensure_ascii=False, default=str, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
