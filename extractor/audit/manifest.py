"""manifest.json: the tool's version, the options, every input with its size, hash, status and reason.

Deterministic apart from the one field `timestamps` (started, finished, seconds), so that two
runs of the same audit compare equal once that field is dropped.
"""

from __future__ import annotations

import json

from extractor.audit import fsio
from extractor.audit.safe import clean


def manifest(results, options: dict, version: str, timestamps: dict) -> dict:
    files = []
    for r in results:
        files.append({
            "path": clean(r.path), "size": r.size, "sha256": r.sha256, "status": r.status, "reason": clean(r.reason),
            "duplicate_of": clean(r.duplicate_of) if r.duplicate_of else None,
            "issuer": clean(r.issuer) if r.issuer else None, "year": r.year,
            "errors": r.count("error"), "warnings": r.count("warning"), "info": r.count("info"),
        })
    counts: dict = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    return {
        "tool": "nianbao", "version": version, "options": options,
        "totals": {"files": len(results), "duplicates": sum(1 for r in results if r.duplicate_of),
                   **{k: counts[k] for k in sorted(counts)}},
        "files": files,
        "timestamps": timestamps,
    }


def write(out_dir: str, results, options: dict, version: str, timestamps: dict) -> dict:
    options = {k: ([clean(p) for p in v] if k == "paths" else clean(v) if isinstance(v, str) else v)
               for k, v in options.items()}
    doc = manifest(results, options, version, timestamps)
    fsio.write_bytes(out_dir, "manifest.json", (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return doc
