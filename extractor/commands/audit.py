"""`nianbao audit PATH... [--out DIR] [--db PATH] [--workers N] [--timeout S] [--max-memory MB]`: audit a batch.

Files, folders (recursively) and globs; one worker process per core by default; a per-file time
and memory limit; every input accounted for with a status (ok, findings, unreadable, timeout,
too_large, crashed); duplicates (same SHA-256) audited once. The history rules compare the batch
with itself and with the DuckDB store (--db, default <out>/nianbao.duckdb), which then receives
every audited report. Writes findings.csv, findings.json, audit.xlsx, report.html and
manifest.json into --out. A run killed midway is continued by the same command: files already
done are taken from the journal in --out (extractor.audit.journal). Exit 0: no errors;
1: findings with errors; 2: a file could not be audited, or a usage error; 130: interrupted.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import time

from rich.console import Console

DEFAULT_OUT = "nianbao-audit"


def add_parser(sub):
    parser = sub.add_parser("audit", help="audit many reports: progress, workers, xlsx/html/csv/json outputs")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="report files, folders (searched recursively) or globs")
    parser.add_argument("--out", default=DEFAULT_OUT, help=f"output folder (default ./{DEFAULT_OUT}/)")
    parser.add_argument("--workers", type=int, default=0, help="worker processes (default: one per core)")
    parser.add_argument("--timeout", type=float, default=60.0, help="time limit per file in seconds (default 60)")
    parser.add_argument("--max-memory", type=int, default=2048, metavar="MB",
                        help="memory limit per worker in MB, enforced by the OS (default 2048; 0: none)")
    parser.add_argument("--db", metavar="PATH", help="the DuckDB store (default: nianbao.duckdb in --out)")
    parser.add_argument("--password", help="user password for encrypted PDFs")
    parser.add_argument("--engine", choices=("local", "dask"), default="local",
                        help="local: worker processes on this machine (default); dask: on dask.distributed "
                             "(extractor.audit.dask_engine; needs pip install 'nianbao[dask]')")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="with --engine dask: the scheduler to use (e.g. tcp://host:8786); default: a LocalCluster "
                             "of --workers processes")
    return parser


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")


def exit_code(results) -> int:
    from extractor.audit.model import FAILED
    from schemas.validate import has_errors

    if any(r.status in FAILED or r.status == "interrupted" for r in results):
        return 2
    if has_errors([f for r in results if r.audited for f in r.findings]):
        return 1
    return 0


def engine(args):
    """batch.run, or the dask engine's run bound to --scheduler (same arguments, same results)."""
    from extractor.audit import batch, dask_engine

    if getattr(args, "engine", "local") != "dask":
        return batch.run
    return functools.partial(dask_engine.run, scheduler=getattr(args, "scheduler", None))


def run(args) -> int:
    from extractor import __version__
    from extractor.audit import (fsio, inputs, manifest, storage, terminal, writer_html, writer_xlsx,
                                 writers_csv_json)
    from extractor.audit.journal import Journal, options_key
    from extractor.audit.model import FileResult

    err = Console(stderr=True)
    if args.workers < 0 or not args.timeout > 0 or args.max_memory < 0:
        err.print("nianbao audit: --workers and --max-memory must be ≥ 0 and --timeout > 0")
        return 2
    from extractor.audit import dask_engine

    if getattr(args, "scheduler", None) and getattr(args, "engine", "local") != "dask":
        err.print("nianbao audit: --scheduler goes with --engine dask")
        return 2
    if getattr(args, "engine", "local") == "dask" and not dask_engine.available():
        err.print(f"nianbao audit: {dask_engine.INSTALL_HINT}", markup=False)
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
    journal = Journal(out_dir, options_key(__version__, args.password, f"{args.timeout:g}/{args.max_memory}"))
    journal_broken: list[str] = []
    interrupted = False
    with terminal.BatchProgress(len(files), err) as progress:
        for r in results:
            if r.status == "unreadable":
                progress.done(r)
        copies = {}
        for f in files:
            if f.duplicate_of:
                copies[f.duplicate_of] = copies.get(f.duplicate_of, 0) + 1

        def take(i: int, result: FileResult) -> None:
            result.path, result.size, result.sha256 = files[i].path, files[i].size, files[i].sha256
            results[i] = result
            progress.done(result, advance=1 + copies.get(files[i].path, 0))

        resumed = []
        for i in todo:  # a run killed midway: what it finished is in the journal
            old = journal.load(files[i].sha256)
            if old is not None:
                take(i, old)
                resumed.append(i)
        if resumed:
            err.print(f"nianbao audit: continuing an earlier run: {len(resumed)} of {len(todo)} files already "
                      f"audited (journal in {os.path.join(out_dir, '.nianbao-journal')})", markup=False)
        todo = [i for i in todo if i not in set(resumed)]
        position = {files[i].path: i for i in todo}

        def done(result: FileResult) -> None:
            i = position[result.path]
            take(i, result)
            try:
                journal.record(result)
            except OSError as exc:
                if not journal_broken:
                    journal_broken.append(str(exc))
                    err.print(f"nianbao audit: cannot write the journal ({exc}); a killed run would start over",
                              markup=False)

        try:
            engine(args)([files[i].path for i in todo], workers=args.workers, timeout=args.timeout,
                         password=args.password, max_memory=args.max_memory, on_start=progress.started, on_done=done)
        except KeyboardInterrupt:
            interrupted = True
        except dask_engine.EngineUnavailable as exc:  # the scheduler did not answer
            err.print(f"nianbao audit: {exc}", markup=False)
            return 2
    db_path = args.db or storage.default_db(out_dir)
    store = storage.open_for_audit(db_path, warn=lambda m: err.print(f"nianbao audit: {m}", markup=False))
    try:
        # across the batch and the store: same body in consecutive years, or twice in one year
        storage.add_history_findings(results, store)
        storage.save(results, store, warn=lambda m: err.print(f"nianbao audit: {m}", markup=False))
    except Exception as exc:  # the store failing must not cost the outputs
        err.print(f"nianbao audit: the store {db_path} could not be used: {type(exc).__name__}: {exc}", markup=False)
    finally:
        storage.close(store)
    by_path = {r.path: r for r in results}
    for r in results:
        if r.duplicate_of:
            first = by_path[r.duplicate_of]
            r.status, r.report, r.findings, r.images = first.status, first.report, first.findings, first.images
            if first.status not in ("ok", "findings"):
                r.reason = first.reason

    options = {"paths": list(args.paths), "out": args.out, "workers": args.workers or "auto",
               "timeout": args.timeout, "max_memory": args.max_memory, "db": args.db,
               "password": bool(args.password)}
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
                  "(status 'interrupted' for the rest). Run the same command again to audit them: "
                  "the files already audited are not read again.", markup=False)
        return 130
    if not failed:
        journal.remove()  # every output written: the next run starts afresh
    return 2 if failed else exit_code(results)
