"""`nianbao audit PATH... [--out DIR] [--workers N] [--timeout S]`: audit a batch of reports.

Files, folders (recursively) and globs; one worker process per core by default; a per-file time
limit; every input accounted for with a status (ok, findings, unreadable, timeout, crashed);
duplicates (same SHA-256) audited once. Writes findings.csv, findings.json, audit.xlsx,
report.html and manifest.json into --out. Exit 0: no errors; 1: findings with errors;
2: a file could not be audited, or a usage error; 130: interrupted.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time

from rich.console import Console

DEFAULT_OUT = "nianbao-audit"


def add_parser(sub):
    parser = sub.add_parser("audit", help="audit many reports: progress, workers, xlsx/html/csv/json outputs")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="report files, folders (searched recursively) or globs")
    parser.add_argument("--out", default=DEFAULT_OUT, help=f"output folder (default ./{DEFAULT_OUT}/)")
    parser.add_argument("--workers", type=int, default=0, help="worker processes (default: one per core)")
    parser.add_argument("--timeout", type=float, default=60.0, help="time limit per file in seconds (default 60)")
    parser.add_argument("--password", help="user password for encrypted PDFs")
    return parser


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")


def exit_code(results) -> int:
    from extractor.audit.model import FAILED

    if any(r.status in FAILED or r.status == "interrupted" for r in results):
        return 2
    if any(f.severity == "error" for r in results if r.audited for f in r.findings):
        return 1
    return 0


def run(args) -> int:
    from extractor import __version__
    from extractor.audit import batch, fsio, inputs, manifest, terminal, writer_html, writer_xlsx, writers_csv_json
    from extractor.audit.model import FileResult

    err = Console(stderr=True)
    if args.workers < 0 or not args.timeout > 0:
        err.print("nianbao audit: --workers must be ≥ 0 and --timeout > 0")
        return 2
    try:
        out_dir = fsio.output_dir(args.out)
    except OSError as exc:
        err.print(f"nianbao audit: cannot use --out {args.out}: {exc}", markup=False)
        return 2
    started, t0 = _now(), time.monotonic()
    files = inputs.collect(args.paths, skip_dirs=(out_dir,))
    if not files:
        err.print("nianbao audit: no report files (.pdf, .html, .htm, .docx) under the given paths", markup=False)
        return 2

    results = [FileResult(path=f.path, size=f.size, sha256=f.sha256, duplicate_of=f.duplicate_of,
                          status="unreadable" if f.error else "interrupted",
                          reason=f.error or ("" if f.duplicate_of else "the audit was interrupted before this file was read"))
               for f in files]
    todo = [i for i, f in enumerate(files) if not f.error and not f.duplicate_of]
    interrupted = False
    with terminal.BatchProgress(len(files), err) as progress:
        for r in results:
            if r.status == "unreadable":
                progress.done(r)
        position = {files[i].path: i for i in todo}

        def done(result: FileResult) -> None:
            i = position[result.path]
            result.size, result.sha256 = files[i].size, files[i].sha256
            results[i] = result
            progress.done(result, advance=1 + sum(1 for f in files if f.duplicate_of == result.path))

        try:
            batch.run([files[i].path for i in todo], workers=args.workers, timeout=args.timeout,
                      password=args.password, on_start=progress.started, on_done=done)
        except KeyboardInterrupt:
            interrupted = True
    from extractor.audit.history import add_history_findings
    add_history_findings(results)  # across the batch: same body in consecutive years, or twice in one year
    by_path = {r.path: r for r in results}
    for r in results:
        if r.duplicate_of:
            first = by_path[r.duplicate_of]
            r.status, r.report, r.findings, r.images = first.status, first.report, first.findings, first.images
            if first.status not in ("ok", "findings"):
                r.reason = first.reason

    options = {"paths": list(args.paths), "out": args.out, "workers": args.workers or "auto",
               "timeout": args.timeout, "password": bool(args.password)}
    timestamps = {"started": started, "finished": _now(), "seconds": round(time.monotonic() - t0, 2)}
    failed = []
    for name, write in (("findings.csv/json", lambda: writers_csv_json.write(out_dir, results)),
                        ("audit.xlsx", lambda: writer_xlsx.write(out_dir, results)),
                        ("report.html", lambda: writer_html.write(out_dir, results,
                                                                  f"nianbao {__version__} · {started}")),
                        ("manifest.json", lambda: manifest.write(out_dir, results, options, __version__, timestamps))):
        try:
            write()
        except Exception as exc:  # one writer failing must not cost the others
            failed.append(name)
            err.print(f"nianbao audit: could not write {name}: {type(exc).__name__}: {exc}", markup=False)
    terminal.print_results(Console(), results, time.monotonic() - t0, out_dir)
    if interrupted:
        err.print("nianbao audit: interrupted; the outputs hold the files audited so far "
                  "(status 'interrupted' for the rest). Run the same command again to audit them.", markup=False)
        return 130
    return 2 if failed else exit_code(results)
