"""nianbao against the plain tools, on one corpus, in one run.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/bench.py [--n 200] [--json bench/results.json] [--profile bench/profile.txt]

Corpus: the text PDF samples (samples/*.pdf, samples/formats/*.pdf) repeated in whole passes to at
least --n documents. Measured:

  audit pool 1 / 2  the real audit (extractor.audit.batch.run with its task audit_file: extract,
                    validate, page images of the findings) with 1 and 2 workers, each run in a fresh
                    interpreter (imports and forkserver start-up count): reports/s from the call to
                    the last result; the workers' CPU time (cores used) and peak resident memory.
                    Runs alternate 1, 2, 1, 2 (--pool-repeats) and the best of each size is kept.
  per report        nianbao extract+validate (after a first pass over each file, reported apart),
                    a bare pypdfium2 text pass over all pages (the floor), pdfplumber
                    `page.extract_tables()` on all pages, camelot
                    `camelot.read_pdf(path, pages="all", flavor="lattice")`: interleaved document by
                    document so that a shared machine's load falls on all alike; wall and CPU seconds.
  scans             samples/scans/ through extract+validate, reported separately (skipped, with the
                    reason, when the extractor does not read them).

The baselines run on whole passes over the unique files (--plumber-passes, --camelot-passes), so a
subset has the same mix of files as the full corpus; the table says how many documents each row
measured. Ratios compare medians per report. The machine (CPU, cores, RAM, Python) and the load
average before and after are printed with the figures and written to the JSON.
"""

from __future__ import annotations

import argparse
import glob
import json
import math
import os
import platform
import statistics
import sys
import threading
import time
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

TARGETS = {"plumber_ratio": 1 / 3, "camelot_ratio": 1 / 10, "scaling": 1.8, "rss_mb": 400}


# ------------------------------------------------------------------ machine and corpus
def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    ram_gb = None
    try:
        with open("/proc/meminfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    ram_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
                    break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {"cpu": cpu, "cores": os.cpu_count(), "cores_usable": usable, "ram_gb": ram_gb,
            "python": platform.python_version(), "platform": platform.platform(terse=True)}


def load() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def text_samples() -> list[str]:
    files = sorted(glob.glob(os.path.join(ROOT, "samples", "*.pdf")) +
                   glob.glob(os.path.join(ROOT, "samples", "formats", "*.pdf")))
    return [os.path.relpath(f, ROOT) for f in files]


def stats(times: list[float]) -> dict:
    s = sorted(times)
    p95 = s[min(len(s) - 1, math.ceil(0.95 * len(s)) - 1)]
    return {"n": len(s), "median": statistics.median(s), "p95": p95, "mean": statistics.fmean(s), "total": sum(s)}


def timed(fn, files: list[str]) -> list[float]:
    out = []
    for f in files:
        t = time.perf_counter()
        fn(f)
        out.append(time.perf_counter() - t)
    return out


# ------------------------------------------------------------------ the runners
def nianbao_one(path: str) -> None:
    from extractor import extract
    from extractor.audit.task import validate_report

    validate_report(extract(path))


def floor_one(path: str) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(path)
    try:
        for page in doc:
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
    finally:
        doc.close()


def plumber_one(path: str) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.flush_cache()


def camelot_one(path: str) -> None:
    import camelot

    camelot.read_pdf(path, pages="all", flavor="lattice")


class PoolWatch:
    """The pool's workers (children of the forkserver, or of this process without one), sampled while
    a batch runs: resident set (VmRSS) and CPU time per worker process."""

    def __init__(self, interval: float = 0.1):
        self.interval, self.rss, self.cpu, self._stop = interval, {}, {}, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            try:
                children = me.children(recursive=True)
                servers = {c.pid for c in children if c.ppid() == me.pid and _is_helper(c)}
                for c in children:
                    if c.pid in servers or _is_helper(c) and c.ppid() == me.pid:
                        continue
                    t = c.cpu_times()
                    self.cpu[c.pid] = t.user + t.system
                    self.rss[c.pid] = max(self.rss.get(c.pid, 0), c.memory_info().rss)
            except psutil.Error:
                pass
            self._stop.wait(self.interval)


def _is_helper(proc) -> bool:
    try:
        line = " ".join(proc.cmdline())
    except Exception:
        return False
    return "forkserver" in line or "resource_tracker" in line


def pool_run(files: list[str], workers: int) -> dict:
    """The real audit pool over the corpus, in this process (run it in a fresh one: start-up counts)."""
    from extractor.audit import batch

    memory: dict = {}
    with PoolWatch() as watch:
        t = time.perf_counter()
        try:
            results = batch.run(files, workers=workers, timeout=120, memory=memory)
        except TypeError:  # a batch.run without the memory report
            results = batch.run(files, workers=workers, timeout=120)
        wall = time.perf_counter() - t
    statuses: dict = {}
    for r in results:
        statuses[r.status] = statuses.get(r.status, 0) + 1
    peaks = [v / 2**20 for v in memory.values()] + [v / 2**20 for v in watch.rss.values()]
    worker_cpu = sum(watch.cpu.values())
    return {"workers": workers, "documents": len(files), "seconds": wall, "reports_per_s": len(files) / wall,
            "statuses": statuses, "peak_rss_mb": round(max(peaks), 1) if peaks else None,
            "worker_processes": len(watch.cpu), "worker_cpu_seconds": worker_cpu,
            "cores_used": worker_cpu / wall, "sum_file_seconds": sum(r.seconds for r in results)}


def pool_in_subprocess(files: list[str], workers: int) -> dict:
    """pool_run in a fresh interpreter, as `nianbao audit` would be: imports and forkserver start-up included."""
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(files, fh)
        listing = fh.name
    try:
        out = subprocess.run([sys.executable, os.path.abspath(__file__), "--pool-only", str(workers), "--files", listing],
                             cwd=ROOT, capture_output=True, text=True, check=True)
    finally:
        os.unlink(listing)
    return json.loads(out.stdout.strip().splitlines()[-1])


def scans(budget: float) -> dict:
    folder = os.path.join(ROOT, "samples", "scans")
    files = sorted(glob.glob(os.path.join(folder, "*.pdf")))
    if not files:
        return {"skipped": "no samples/scans/"}
    import pypdfium2 as pdfium

    from extractor import extract
    from extractor.audit.task import validate_report
    from extractor.errors import ReportError

    done, pages, seconds, failures = 0, 0, 0.0, {}
    started = time.perf_counter()
    for f in files:
        if time.perf_counter() - started > budget:
            break
        n = len(pdfium.PdfDocument(f))
        t = time.perf_counter()
        try:
            validate_report(extract(f))
        except ReportError as exc:
            failures[os.path.basename(f)] = exc.reason
            continue
        except Exception as exc:  # an OCR path in progress may raise; the bench goes on
            failures[os.path.basename(f)] = f"{type(exc).__name__}: {exc}"[:200]
            continue
        seconds += time.perf_counter() - t
        pages += n
        done += 1
    if not done:
        reason = next(iter(failures.values()), "no file read")
        return {"skipped": f"the extractor does not read scans yet ({reason})", "files": len(files)}
    return {"files": done, "pages": pages, "seconds": seconds, "seconds_per_page": seconds / pages,
            "seconds_per_report": seconds / done, "not_read": failures}


def profile(files: list[str], out: str) -> None:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.001)
    profiler.start()
    for f in files:
        nianbao_one(f)
    profiler.stop()
    text = profiler.output_text(unicode=True, color=False, show_all=False)
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(text)


# ------------------------------------------------------------------ main
LABELS = {"nianbao": "nianbao extract+validate", "nianbao_cold": "nianbao, first sight of each file",
          "floor": "pypdfium2 text pass, all pages (floor)", "pdfplumber": "pdfplumber extract_tables, all pages",
          "camelot": "camelot lattice, all pages"}


def measure(corpus: list[str], unique: list[str], plumber_docs: int, camelot_docs: int, skip: set) -> dict:
    """Per-report wall and CPU seconds, the tools interleaved document by document so that the load of
    a shared machine falls on all of them alike."""
    import resource

    def cpu() -> float:
        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

    runners = {"nianbao": nianbao_one, "floor": floor_one, "pdfplumber": plumber_one, "camelot": camelot_one}
    wall: dict = {k: [] for k in runners}
    cpus: dict = {k: [] for k in runners}
    wall["nianbao_cold"], cpus["nianbao_cold"] = [], []

    def one(name: str, key: str, path: str) -> None:
        t, c = time.perf_counter(), cpu()
        runners[name](path)
        wall[key].append(time.perf_counter() - t)
        cpus[key].append(cpu() - c)

    nianbao_one(unique[0]), floor_one(unique[0]), plumber_one(unique[0])  # imports
    for path in unique:  # first sight of each file: label caches cold (module imports already done)
        one("nianbao", "nianbao_cold", path)
    for k, path in enumerate(corpus):
        one("nianbao", "nianbao", path)
        one("floor", "floor", path)
        if k < plumber_docs and "plumber" not in skip:
            one("pdfplumber", "pdfplumber", path)
        if k < camelot_docs and "camelot" not in skip:
            one("camelot", "camelot", path)
    return {k: {**stats(wall[k]), "cpu_median": statistics.median(cpus[k]), "cpu_p95": stats(cpus[k])["p95"]}
            for k in wall if wall[k]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=200, help="documents in the corpus (whole passes over the samples)")
    ap.add_argument("--json", default=os.path.join("bench", "results.json"), help="where to write the figures")
    ap.add_argument("--plumber-passes", type=int, default=2, help="passes over the samples for pdfplumber")
    ap.add_argument("--camelot-passes", type=int, default=1, help="passes over the samples for camelot")
    ap.add_argument("--workers", default="1,2", help="pool sizes to measure")
    ap.add_argument("--pool-repeats", type=int, default=2, help="runs of each pool size (alternated; the best is kept)")
    ap.add_argument("--skip", default="", help="comma list of parts to skip: pool,plumber,camelot,scans")
    ap.add_argument("--profile", help="also profile one pass of nianbao with pyinstrument into this file")
    ap.add_argument("--pool-only", type=int, help=argparse.SUPPRESS)  # internal: one pool run, JSON on stdout
    ap.add_argument("--files", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    os.chdir(ROOT)
    warnings.filterwarnings("ignore")
    import logging

    logging.disable(logging.WARNING)  # camelot and pdfminer chatter
    if args.pool_only:
        with open(args.files, encoding="utf-8") as fh:
            print(json.dumps(pool_run(json.load(fh), args.pool_only)))
        return 0
    skip = set(filter(None, args.skip.split(",")))

    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(Console().width, 150))
    unique = text_samples()
    passes = max(1, math.ceil(args.n / len(unique)))
    corpus = unique * passes
    info = {"machine": machine(), "load_before": load(), "corpus": {
        "unique_files": len(unique), "passes": passes, "documents": len(corpus),
        "pages": sum(_pages(f) for f in unique) * passes}}
    console.print(f"[bold]nianbao bench[/] · {len(corpus)} documents ({len(unique)} text samples × {passes}, "
                  f"{info['corpus']['pages']} pages) · load {info['load_before']}", highlight=False)
    t_all = time.perf_counter()

    pools, pool_runs = [], []
    if "pool" not in skip:
        sizes = [int(x) for x in args.workers.split(",") if x]
        for _ in range(max(1, args.pool_repeats)):  # alternated, best of each kept: others' load comes and goes
            for w in sizes:
                pool_runs.append(pool_in_subprocess(corpus, w))
                p = pool_runs[-1]
                console.print(f"  audit pool, {w} worker(s): {p['reports_per_s']:.2f} reports/s, {p['cores_used']:.2f} "
                              f"cores used, peak RSS {p['peak_rss_mb']} MB (load {load()[:1]})", highlight=False)
        for w in sizes:
            runs = [p for p in pool_runs if p["workers"] == w]
            best = dict(max(runs, key=lambda p: p["reports_per_s"]))
            best["peak_rss_mb"] = max((p["peak_rss_mb"] or 0) for p in runs) or None
            best["runs_reports_per_s"] = [p["reports_per_s"] for p in runs]
            pools.append(best)
    rows = measure(corpus, unique, len(unique) * args.plumber_passes, len(unique) * args.camelot_passes, skip)
    console.print(f"  per report measured (load {load()})", highlight=False)
    if args.profile:
        profile(unique, args.profile)
        console.print(f"  profile of one pass → {args.profile}")
    scan = scans(budget=120) if "scans" not in skip else {"skipped": "--skip scans"}
    info["load_after"] = load()
    info["bench_seconds"] = round(time.perf_counter() - t_all, 1)

    # ---- the figures
    med, cpu_med = rows["nianbao"]["median"], rows["nianbao"]["cpu_median"]
    ratios = {name: med / r["median"] for name, r in rows.items() if not name.startswith("nianbao")}
    cpu_ratios = {name: cpu_med / r["cpu_median"] for name, r in rows.items() if not name.startswith("nianbao")}
    targets = {}
    if "pdfplumber" in ratios:
        targets["median ≤ 1/3 of pdfplumber (wall)"] = ratios["pdfplumber"] <= TARGETS["plumber_ratio"]
        targets["median ≤ 1/3 of pdfplumber (CPU)"] = cpu_ratios["pdfplumber"] <= TARGETS["plumber_ratio"]
    if "camelot" in ratios:
        targets["median ≤ 1/10 of camelot (wall)"] = ratios["camelot"] <= TARGETS["camelot_ratio"]
        targets["median ≤ 1/10 of camelot (CPU)"] = cpu_ratios["camelot"] <= TARGETS["camelot_ratio"]
    by_w = {p["workers"]: p for p in pools}
    scaling = by_w[2]["reports_per_s"] / by_w[1]["reports_per_s"] if 1 in by_w and 2 in by_w else None
    if scaling is not None:
        targets["2 workers ≥ 1.8× the throughput of 1"] = scaling >= TARGETS["scaling"]
    rss = [p["peak_rss_mb"] for p in pools if p["peak_rss_mb"] is not None]
    if rss:
        targets["peak RSS per worker < 400 MB"] = max(rss) < TARGETS["rss_mb"]

    m = info["machine"]
    table = Table(title=f"{m['cpu']} · {m['cores_usable']} cores · {m['ram_gb']} GB RAM · Python {m['python']} · "
                        f"load average {info['load_before'][:1]} → {info['load_after'][:1]}")
    for col in ("what", "documents", "median s", "p95 s", "CPU median s", "nianbao median ÷ this (wall / CPU)"):
        table.add_column(col, justify="left" if col == "what" else "right")
    for name in sorted(rows, key=lambda k: list(LABELS).index(k)):
        r = rows[name]
        subset = " (subset)" if r["n"] < len(corpus) and name != "nianbao_cold" else ""
        ratio = "" if name.startswith("nianbao") else f"{_ratio(ratios[name])} / {_ratio(cpu_ratios[name])}"
        table.add_row(LABELS[name], f"{r['n']}{subset}", f"{r['median']:.3f}", f"{r['p95']:.3f}",
                      f"{r['cpu_median']:.3f}", ratio)
    console.print(table)
    pool_table = Table(title="the audit pool (extractor.audit.batch.run, task audit_file: extract, validate, "
                             "page images of the findings), each run in a fresh process; best of "
                             f"{max(1, args.pool_repeats)} alternated runs")
    for col in ("workers", "documents", "seconds", "reports/s", "÷ 1 worker", "cores used by the workers",
                "reports per worker CPU-second", "peak RSS per worker MB"):
        pool_table.add_column(col, justify="right")
    for p in pools:
        pool_table.add_row(str(p["workers"]), str(p["documents"]), f"{p['seconds']:.1f}", f"{p['reports_per_s']:.2f}",
                           f"{p['reports_per_s'] / by_w[1]['reports_per_s']:.2f}×" if 1 in by_w else "",
                           f"{p['cores_used']:.2f}",
                           f"{p['documents'] / p['worker_cpu_seconds']:.2f}" if p["worker_cpu_seconds"] else "",
                           str(p["peak_rss_mb"]))
    if pools:
        console.print(pool_table)
    if "skipped" in scan:
        console.print(f"  scanned PDFs: skipped ({scan['skipped']})", highlight=False)
    else:
        console.print(f"  scanned PDFs (samples/scans, separate): {scan['files']} files, {scan['pages']} pages, "
                      f"{scan['seconds_per_report']:.2f} s per report, {scan['seconds_per_page']:.2f} s per page"
                      + (f"; not read: {len(scan['not_read'])}" if scan.get("not_read") else ""), highlight=False)
    for what, ok in targets.items():
        console.print(f"  {'[green]met[/]   ' if ok else '[red]missed[/]'} {what}")
    console.print(f"  bench took {info['bench_seconds']} s", highlight=False)

    doc = {**info, "results": rows, "ratios_nianbao_median_to": ratios, "cpu_ratios_nianbao_median_to": cpu_ratios,
           "pools": pools, "pool_runs": pool_runs, "scaling_2_over_1": scaling, "scans": scan, "targets": targets}
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(_round(doc), fh, ensure_ascii=False, indent=1)
            fh.write("\n")
    return 0


def _ratio(r: float) -> str:
    return f"1/{1 / r:.1f}" if r < 1 else f"{r:.1f}×"


def _round(value):
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_round(v) for v in value]
    return value


def _pages(path: str) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(path)
    try:
        return len(doc)
    finally:
        doc.close()


if __name__ == "__main__":
    sys.exit(main())
