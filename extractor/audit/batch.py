"""Run `task.audit_file` over many files in worker processes that may die, hang or crash.

A small pool of our own rather than concurrent.futures: each worker is a process with a pipe;
the parent waits on the pipes and on the processes' sentinels with the nearest deadline as
timeout. A worker past its file's deadline is killed and replaced (status `timeout`); a worker
that dies (segfault, kill, out of memory) is replaced (status `crashed`); the batch goes on.
Workers are forked from a forkserver that has imported the extractor once, so a replacement
starts in milliseconds and never inherits the parent's threads (the progress display).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Callable, Optional

from extractor.audit.model import FileResult

TASK = "extractor.audit.task:audit_file"  # module:function(path, password=...) -> FileResult
PRELOAD = ["extractor.audit.task", "extractor.audit.crops", "extractor", "extractor.pdf_source",
           "extractor.report_builder", "schemas.validate"]


@dataclass
class Job:
    index: int
    path: str
    password: Optional[str] = None
    task: str = TASK


def _load(task: str):
    import importlib

    module, _, name = task.partition(":")
    return getattr(importlib.import_module(module), name)


def _worker_main(conn) -> None:
    """Worker loop: receive a Job, send back (index, FileResult); None ends the loop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C means
    _single_threaded()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            result = _load(job.task)(job.path, password=job.password)
        except Exception as exc:  # the task is meant never to raise; if it does, say so
            result = FileResult(path=job.path, status="crashed", reason=f"{type(exc).__name__}: {exc}"[:300])
        try:
            conn.send((job.index, result))
        except Exception as exc:  # an unpicklable result: report it rather than die silently
            conn.send((job.index, FileResult(path=job.path, status="crashed",
                                             reason=f"result could not be passed back: {type(exc).__name__}")))


class _Worker:
    def __init__(self, ctx):
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker_main, args=(child,), daemon=True)
        self.proc.start()
        child.close()
        self.job: Optional[Job] = None
        self.deadline = 0.0
        self.started = 0.0

    def give(self, job: Job, timeout: float) -> None:
        self.job, self.started = job, time.monotonic()
        self.deadline = self.started + timeout
        self.conn.send(job)

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(timeout=5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.proc.join(timeout=2)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(timeout=5)
        self.conn.close()


THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


def _single_threaded() -> None:
    """One thread per worker: the pool is the parallelism; library thread pools would only contend."""
    sys_modules = __import__("sys").modules
    if "cv2" in sys_modules:
        try:
            sys_modules["cv2"].setNumThreads(1)
        except Exception:
            pass


def _context():
    for name in THREAD_ENV:  # inherited by the forkserver, read by the libraries when they load
        os.environ.setdefault(name, "1")
    method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
    ctx = mp.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(PRELOAD)
    return ctx


def cpu_count() -> int:
    """The cores this process may run on (a container's CPU set, not the host's)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:
        return os.cpu_count() or 1


def _death_reason(proc) -> str:
    code = proc.exitcode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"worker process died ({name})"
    return f"worker process exited with code {code}"


def run(paths: list[str], workers: int = 0, timeout: float = 60.0, password: Optional[str] = None,
        task: str = TASK,
        on_start: Callable[[str], None] = lambda path: None,
        on_done: Callable[[FileResult], None] = lambda result: None) -> list[FileResult]:
    """Audit every path; results in the order of `paths`. Ctrl-C kills the workers and re-raises."""
    results: list[Optional[FileResult]] = [None] * len(paths)
    if not paths:
        return []
    workers = max(1, min(workers or cpu_count(), len(paths)))
    ctx = _context()
    pending = deque(Job(i, p, password, task) for i, p in enumerate(paths))
    pool = [_Worker(ctx) for _ in range(workers)]

    def finish(index: int, result: FileResult) -> None:
        result.path = paths[index]
        results[index] = result
        on_done(result)

    try:
        while pending or any(w.job for w in pool):
            for w in pool:
                if w.job is None and pending:
                    job = pending.popleft()
                    on_start(job.path)
                    w.give(job, timeout)
            busy = [w for w in pool if w.job]
            nearest = min(w.deadline for w in busy)
            ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy],
                             timeout=max(0.0, nearest - time.monotonic())))
            now = time.monotonic()
            for slot, w in enumerate(pool):
                if not w.job:
                    continue
                job, elapsed = w.job, now - w.started
                if w.conn in ready:
                    try:
                        index, result = w.conn.recv()
                    except Exception as exc:  # the worker died (EOF), or sent garbage
                        w.proc.join(timeout=2)
                        reason = (_death_reason(w.proc) if w.proc.exitcode is not None
                                  else f"worker sent an unreadable answer ({type(exc).__name__})")
                        w.kill()
                        pool[slot] = _Worker(ctx)
                        finish(job.index, FileResult(path=job.path, status="crashed", seconds=elapsed, reason=reason))
                        continue
                    w.job = None
                    finish(index, result)
                elif w.proc.sentinel in ready or not w.proc.is_alive():
                    w.proc.join(timeout=5)
                    reason = _death_reason(w.proc)
                    w.kill()
                    pool[slot] = _Worker(ctx)
                    finish(job.index, FileResult(path=job.path, status="crashed", reason=reason, seconds=elapsed))
                elif now >= w.deadline:
                    w.kill()
                    pool[slot] = _Worker(ctx)
                    finish(job.index, FileResult(path=job.path, status="timeout", seconds=elapsed,
                                                 reason=f"no result within the time limit of {timeout:g} s"))
    finally:
        for w in pool:
            if w.job:
                w.kill()
            else:
                w.stop()
    return [r for r in results if r is not None]
