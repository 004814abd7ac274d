"""Run `task.audit_file` over many files in worker processes that may die, hang or crash.

A small pool of our own rather than concurrent.futures: each worker is a process with a pipe;
the parent waits on the pipes and on the processes' sentinels with the nearest deadline as
timeout. A worker past its file's deadline is killed and replaced (status `timeout`); a worker
that dies (segfault, kill) is replaced (status `crashed`); the batch goes on. Each worker runs under
an address-space limit set by the operating system (`setrlimit(RLIMIT_AS)`, `max_memory` MB): a
file that needs more gets a MemoryError or kills its worker (pdfium aborts when an allocation
fails), and either way it is status `too_large` and the worker is replaced. The parent samples each
busy worker's memory from /proc, to tell an out-of-memory death from another and to report peaks.
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
from extractor.errors import quiet_parsers

TASK = "extractor.audit.task:audit_file"  # module:function(path, password=...) -> FileResult
PRELOAD = ["extractor.audit.task", "extractor.audit.crops", "extractor", "extractor.pdf_source",
           "extractor.report_builder", "schemas.validate"]


DEFAULT_MAX_MEMORY = 2048  # MB of address space per worker
SAMPLE_EVERY = 0.05  # seconds between two looks at a busy worker's memory
OOM_SHARE = 0.5  # a worker that dies after using this share of its limit died of it
MEMORY_DEATHS = ("SIGABRT", "SIGSEGV", "SIGBUS", "SIGKILL", "SIGTRAP", "SIGILL")


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


def limit_memory(max_memory: int) -> None:
    """Cap this process's address space at `max_memory` MB (0: no cap); allocations beyond it fail."""
    if not max_memory:
        return
    import resource

    limit = int(max_memory) << 20
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):  # pragma: no cover - a platform without RLIMIT_AS
        pass


def memory_of(pid: int) -> tuple[int, int]:
    """(address space, resident set) of a process in bytes from /proc; (0, 0) when it is gone."""
    size = rss = 0
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmSize:"):
                    size = int(line.split()[1]) << 10
                elif line.startswith(b"VmRSS:"):
                    rss = int(line.split()[1]) << 10
    except (OSError, ValueError, IndexError):
        pass
    return size, rss


def _reset_peak() -> None:
    """Reset this process's peak resident set (VmHWM), so that each file's peak is its own."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


def _peak_rss() -> int:
    try:
        with open("/proc/self/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) << 10
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _worker_main(conn, max_memory: int = 0) -> None:
    """Worker loop: receive a Job, send back (index, FileResult, peak RSS); None ends the loop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C means
    _single_threaded()
    _quiet()
    limit_memory(max_memory)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        _reset_peak()
        try:
            result = _load(job.task)(job.path, password=job.password)
        except MemoryError:
            result = None
        except Exception as exc:  # the task is meant never to raise; if it does, say so
            result = FileResult(path=job.path, status="crashed", reason=f"{type(exc).__name__}: {exc}"[:300])
        if result is None or result.status == "too_large":
            result = FileResult(path=job.path, status="too_large", reason=too_large_reason(max_memory))
        try:
            conn.send((job.index, result, _peak_rss()))
        except MemoryError:
            conn.send((job.index, FileResult(path=job.path, status="too_large", reason=too_large_reason(max_memory)),
                       0))
        except Exception as exc:  # an unpicklable result: report it rather than die silently
            conn.send((job.index, FileResult(path=job.path, status="crashed",
                                             reason=f"result could not be passed back: {type(exc).__name__}"), 0))


def _quiet() -> None:
    """The parsers' warnings about a damaged file (pdfminer's "Could not get FontBBox…") are not for the
    terminal, where they would break the progress display: the file's status says what went wrong."""
    quiet_parsers()


def too_large_reason(max_memory: int) -> str:
    limit = f"the memory limit of {max_memory:g} MB (--max-memory)" if max_memory else "the memory available"
    return f"reading it needs more than {limit}"


class _Worker:
    def __init__(self, ctx, max_memory: int = 0):
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker_main, args=(child, max_memory), daemon=True)
        self.proc.start()
        child.close()
        self.job: Optional[Job] = None
        self.deadline = 0.0
        self.started = 0.0
        self.peak_size = self.peak_rss = 0  # the largest address space and resident set seen for this job

    def give(self, job: Job, timeout: float) -> None:
        self.job, self.started = job, time.monotonic()
        self.deadline = self.started + timeout
        self.peak_size = self.peak_rss = 0
        self.conn.send(job)

    def sample(self) -> None:
        size, rss = memory_of(self.proc.pid)
        self.peak_size, self.peak_rss = max(self.peak_size, size), max(self.peak_rss, rss)

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
    # pyarrow's default allocator (mimalloc) reserves 1 GB of address space up front, which would
    # count against the worker's RLIMIT_AS without ever being used; the system allocator does not
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
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
        return f"worker process died ({_signal_name(code)})"
    return f"worker process exited with code {code}"


def _signal_name(code: int) -> str:
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


def _death(w: "_Worker", max_memory: int, elapsed: float) -> FileResult:
    """The result of a file whose worker died: too_large when it died of its memory limit, else crashed."""
    job = w.job
    code = w.proc.exitcode
    died_by = _signal_name(code) if code is not None and code < 0 else ""
    limit = max_memory << 20
    if max_memory and (w.peak_size >= OOM_SHARE * limit and died_by in MEMORY_DEATHS or died_by == "SIGABRT"):
        reason = f"{too_large_reason(max_memory)}: the worker died ({died_by}) after using " \
                 f"{w.peak_size / (1 << 20):,.0f} MB of address space"
        return FileResult(path=job.path, status="too_large", reason=reason, seconds=elapsed)
    return FileResult(path=job.path, status="crashed", reason=_death_reason(w.proc), seconds=elapsed)


def run(paths: list[str], workers: int = 0, timeout: float = 60.0, password: Optional[str] = None,
        task: str = TASK, max_memory: int = DEFAULT_MAX_MEMORY,
        on_start: Callable[[str], None] = lambda path: None,
        on_done: Callable[[FileResult], None] = lambda result: None,
        memory: Optional[dict] = None) -> list[FileResult]:
    """Audit every path; results in the order of `paths`. Ctrl-C kills the workers and re-raises.

    `max_memory`: MB of address space per worker (0: no limit). `memory`, when given, receives
    {path: peak resident set in bytes} of each file's worker (the larger of what the worker saw and
    what the parent sampled).
    """
    results: list[Optional[FileResult]] = [None] * len(paths)
    if not paths:
        return []
    workers = max(1, min(workers or cpu_count(), len(paths)))
    ctx = _context()
    pending = deque(Job(i, p, password, task) for i, p in enumerate(paths))
    pool = [_Worker(ctx, max_memory) for _ in range(workers)]

    def finish(index: int, result: FileResult, peak: int = 0) -> None:
        result.path = paths[index]
        results[index] = result
        if memory is not None:
            memory[paths[index]] = peak
        on_done(result)

    def replace(slot: int) -> None:
        pool[slot].kill()
        pool[slot] = _Worker(ctx, max_memory)

    try:
        while pending or any(w.job for w in pool):
            for w in pool:
                if w.job is None and pending:
                    job = pending.popleft()
                    on_start(job.path)
                    w.give(job, timeout)
            busy = [w for w in pool if w.job]
            for w in busy:
                w.sample()
            nearest = min(min(w.deadline for w in busy), time.monotonic() + SAMPLE_EVERY)
            ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy],
                             timeout=max(0.0, nearest - time.monotonic())))
            now = time.monotonic()
            for slot, w in enumerate(pool):
                if not w.job:
                    continue
                job, elapsed = w.job, now - w.started
                if w.conn in ready:
                    try:
                        index, result, peak = w.conn.recv()
                    except Exception as exc:  # the worker died (EOF), or sent garbage
                        w.proc.join(timeout=2)
                        if w.proc.exitcode is not None:
                            result = _death(w, max_memory, elapsed)
                        else:
                            result = FileResult(path=job.path, status="crashed", seconds=elapsed,
                                                reason=f"worker sent an unreadable answer ({type(exc).__name__})")
                        peak = w.peak_rss
                        replace(slot)
                        finish(job.index, result, peak)
                        continue
                    w.job = None
                    peak = max(peak, w.peak_rss)
                    if result.status == "too_large":  # a MemoryError leaves a process in doubt: start afresh
                        result.seconds = result.seconds or elapsed
                        replace(slot)
                    finish(index, result, peak)
                elif w.proc.sentinel in ready or not w.proc.is_alive():
                    w.proc.join(timeout=5)
                    result, peak = _death(w, max_memory, elapsed), w.peak_rss
                    replace(slot)
                    finish(job.index, result, peak)
                elif now >= w.deadline:
                    peak = w.peak_rss
                    replace(slot)
                    finish(job.index, FileResult(path=job.path, status="timeout", seconds=elapsed,
                                                 reason=f"no result within the time limit of {timeout:g} s"), peak)
    finally:
        for w in pool:
            if w.job:
                w.kill()
            else:
                w.stop()
    return [r for r in results if r is not None]
