"""`nianbao audit --engine dask [--scheduler ADDRESS]`: the same batch on dask.distributed.

The work unit sent to the cluster is a small chunk of files, and each chunk is audited on its dask
worker by the local engine itself (`extractor.audit.batch.run` with one process): the same task,
the same per-file time limit (a hung file's process is killed at `timeout` and the file gets
status `timeout`), the same memory limit and crash replacement. The forkserver that batch.run
starts stays alive in each dask worker, so after the first chunk a chunk costs a fork, not a
Python start-up. Results come back to this process, which calls `on_done` per file in the order
chunks finish and returns them in the order of `paths`: the outputs are the local engine's.

What does not hold as locally: a file's limit starts when its chunk's worker process takes it, not
when it is submitted (a queue on a busy cluster is not counted); a dask worker that dies takes its
chunk with it, dask re-runs that chunk elsewhere (its `allowed-failures`), and the chunk's files
are `crashed` if that fails too. Files are sent as absolute paths: every worker must see them at
the same path (a shared filesystem). Without a scheduler address a LocalCluster of `workers`
processes (one thread each) is started here and closed at the end.
"""

from __future__ import annotations

import logging
import math
import os
import uuid
from typing import Callable, Optional

from extractor.audit.model import FileResult

INSTALL_HINT = ("the dask engine needs dask.distributed, which is not installed: "
                "pip install 'nianbao[dask]'  (or: pip install 'dask[distributed]')")
MAX_CHUNK = 16  # files per dask task at most
CHUNKS_PER_WORKER = 4  # at least this many tasks per worker slot, for balance near the end
CONNECT_TIMEOUT = "30s"  # how long to keep trying a --scheduler address


class EngineUnavailable(RuntimeError):
    """dask.distributed is not installed, or the scheduler cannot be reached."""


def available() -> bool:
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


def _allow_children() -> None:
    """Let this dask worker start processes. Workers are daemonic by default (distributed.worker.daemon),
    and multiprocessing refuses children of a daemonic process; that flag only asks multiprocessing to
    end the children at exit, which batch.run does itself (its workers are killed or stopped in a
    `finally`, and they exit on EOF if this process dies)."""
    import multiprocessing

    proc = multiprocessing.current_process()
    if proc._config.get("daemon"):  # noqa: SLF001 - no public way to clear it
        proc._config["daemon"] = False  # noqa: SLF001


def audit_chunk(paths: list[str], timeout: float, password: Optional[str], task: Optional[str],
                options: dict) -> tuple[list[FileResult], dict]:
    """Runs on a dask worker: the local engine over a few files with one process; (results, memory)."""
    _allow_children()
    from extractor.audit import batch

    memory: dict = {}
    kwargs = dict(options)
    if task:
        kwargs["task"] = task
    results = batch.run(paths, workers=1, timeout=timeout, password=password, memory=memory, **kwargs)
    return results, memory


def chunk_size(n_files: int, slots: int) -> int:
    return max(1, min(MAX_CHUNK, math.ceil(n_files / (max(1, slots) * CHUNKS_PER_WORKER))))


def connect(scheduler: Optional[str], workers: int, n_files: int):
    """(client, cluster or None): a client of the given scheduler, or of a new LocalCluster."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise EngineUnavailable(INSTALL_HINT) from None
    if scheduler:
        try:
            return Client(scheduler, timeout=CONNECT_TIMEOUT), None
        except Exception as exc:  # OSError, TimeoutError: the address does not answer
            raise EngineUnavailable(f"cannot reach the dask scheduler at {scheduler}: {type(exc).__name__}: {exc}") from None
    from extractor.audit.batch import cpu_count

    n = max(1, min(workers or cpu_count(), n_files))
    with dask.config.set({"distributed.worker.daemon": False, "distributed.admin.system-monitor.gil.enabled": False}):
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR, scheduler_port=0)
    return Client(cluster), cluster


def run(paths: list[str], workers: int = 0, timeout: float = 60.0, password: Optional[str] = None,
        task: Optional[str] = None, scheduler: Optional[str] = None,
        on_start: Callable[[str], None] = lambda path: None,
        on_done: Callable[[FileResult], None] = lambda result: None,
        memory: Optional[dict] = None, **options) -> list[FileResult]:
    """Audit every path on a dask cluster; results in the order of `paths` (as batch.run).

    `options` (e.g. max_memory) are passed on to batch.run on the workers. Ctrl-C cancels the
    remaining chunks, closes the cluster (when started here) and re-raises.
    """
    if not paths:
        return []
    client, cluster = connect(scheduler, workers, len(paths))
    results: list[Optional[FileResult]] = [None] * len(paths)
    futures: dict = {}
    try:
        from distributed import as_completed

        slots = sum(client.nthreads().values()) or 1
        size = chunk_size(len(paths), slots)
        run_id = uuid.uuid4().hex[:8]
        for start in range(0, len(paths), size):
            index = list(range(start, min(start + size, len(paths))))
            future = client.submit(audit_chunk, [os.path.abspath(paths[i]) for i in index], timeout, password, task,
                                   options, pure=False, key=f"nianbao-audit-{run_id}-{start}")
            futures[future] = index
        for future in as_completed(list(futures)):
            index = futures[future]
            try:
                chunk_results, chunk_memory = future.result()
            except Exception as exc:  # the chunk's dask worker died (KilledWorker) or the task failed
                reason = f"dask task failed: {type(exc).__name__}: {exc}"[:300]
                chunk_results, chunk_memory = [FileResult(path=paths[i], status="crashed", reason=reason)
                                               for i in index], {}
            for i, result in zip(index, chunk_results):
                sent = os.path.abspath(paths[i])
                result.path = paths[i]
                results[i] = result
                if memory is not None:
                    memory[paths[i]] = chunk_memory.get(sent, 0)
                on_start(paths[i])
                on_done(result)
    except KeyboardInterrupt:
        for future in futures:
            future.cancel()
        raise
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return [r for r in results if r is not None]
