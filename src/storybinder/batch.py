"""Many stories at once: the per-story task and the executors that run it.

`run_task` is what a worker does for one job: skip it when its book is up to
date, else `pipeline.build_job` into a private pending folder, and hand back a
small `JobSummary` (never the book or its edits, so memory stays flat however
long the batch). The caller (build_command) names and moves the books, in job
order, so parallel and serial builds give the same files.

Executors yield summaries as they finish: `serial_map` (in this process),
`process_map` (a multiprocessing pool, the default) and `dask_map` (a Dask
cluster; `pip install storybinder[dask]`).
"""

from __future__ import annotations

import os
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Literal

from .build_cache import BookRecord, input_fingerprint, is_up_to_date, record_cover
from .errors import StorybinderError
from .pipeline import BuildOptions, build_job, cover_search_dirs, find_cover_file
from .sources import Job

PENDING_DIR = ".storybinder-pending"
Status = Literal["built", "skipped", "failed"]


@dataclass(frozen=True)
class Task:
    """One job of a batch, numbered in source order, with what it was built from last time."""

    index: int
    job: Job
    previous: BookRecord | None = None


@dataclass(frozen=True)
class BatchContext:
    """What every task needs besides its job (sent to each worker)."""

    options: BuildOptions
    options_key: str
    force: bool = False

    @property
    def pending_root(self) -> Path:
        return self.options.outdir / PENDING_DIR


@dataclass
class JobSummary:
    """What became of one task: a few strings and counts, cheap to send between processes."""

    index: int
    source: Path
    status: Status
    fingerprint: str = ""
    output: Path | None = None  # pending file (built) or final file (skipped)
    slug: str | None = None
    title: str | None = None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    fixes: dict[str, int] = field(default_factory=dict)
    suggestions: int = 0
    cover: str | None = None
    cover_digest: str | None = None
    slug_cover: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status != "failed"


def run_task(context: BatchContext, task: Task) -> JobSummary:
    """Skip or build one job; never raises (a crash in one story is that story's failure)."""
    start = time.perf_counter()
    job = task.job
    try:
        summary = _run(context, task)
    except StorybinderError as exc:
        summary = JobSummary(task.index, job.path, "failed", error=str(exc) if exc.path else f"{job.path}: {exc}")
    except Exception as exc:  # a bug must cost one book, not the batch
        where = traceback.extract_tb(exc.__traceback__)[-1]
        summary = JobSummary(
            task.index,
            job.path,
            "failed",
            error=f"{job.path}: internal error {type(exc).__name__}: {exc} "
            f"(at {Path(where.filename).name}:{where.lineno}; please report it)",
        )
    summary.seconds = time.perf_counter() - start
    return summary


def _run(context: BatchContext, task: Task) -> JobSummary:
    job, options = task.job, context.options
    fingerprint = input_fingerprint(job, options, context.options_key)
    previous = task.previous
    if previous is not None and not context.force and is_up_to_date(previous, fingerprint, job, options):
        return JobSummary(
            task.index,
            job.path,
            "skipped",
            fingerprint=fingerprint,
            output=options.outdir / previous.output,
            slug=previous.slug,
            title=previous.title,
            cover=previous.cover,
            cover_digest=previous.cover_digest,
            slug_cover=previous.slug_cover,
        )
    # A folder of its own per task: two stories with one slug never meet here.
    pending = context.pending_root / str(task.index)
    result = build_job(job, replace(options, outdir=pending))
    summary = JobSummary(
        task.index, job.path, "built" if result.ok else "failed", fingerprint, result.output, result.slug, result.title,
        result.warnings, result.error,
    )
    if result.ok:
        summary.fixes = dict(Counter(e.rule for e in result.edits if e.applied))
        summary.suggestions = sum(1 for e in result.edits if not e.applied)
        summary.cover, summary.cover_digest = record_cover(result.cover_source)
        found = find_cover_file(result.slug or "", cover_search_dirs(job.path, options))
        summary.slug_cover = str(found) if found else None
    return summary


def warm_up() -> None:
    """Import what every book needs (PIL, ebooklib, lxml, the cleaner) once per worker, not per book."""
    from . import cleanup, covers, epub  # noqa: F401


Executor = Callable[[Callable[[Task], JobSummary], Iterable[Task]], Iterator[JobSummary]]


def serial_map(fn: Callable[[Task], JobSummary], tasks: Iterable[Task]) -> Iterator[JobSummary]:
    """Run every task here, one after another (one job, or --jobs 1)."""
    for task in tasks:
        yield fn(task)


def process_map(fn: Callable[[Task], JobSummary], tasks: Iterable[Task], *, jobs: int) -> Iterator[JobSummary]:
    """Run tasks on a pool of `jobs` worker processes; summaries arrive as books finish."""
    import multiprocessing

    # fork starts workers in milliseconds with our modules already imported;
    # elsewhere (macOS, Windows) spawn is the safe choice.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() and os.name == "posix" else "spawn"
    ctx = multiprocessing.get_context(method)
    with ctx.Pool(jobs, initializer=warm_up) as pool:
        # Small chunks keep both cores busy to the end; a chunk is a few books.
        yield from pool.imap_unordered(fn, tasks, chunksize=4)


def dask_map(fn: Callable[[Task], JobSummary], tasks: Iterable[Task], *, address: str, jobs: int) -> Iterator[JobSummary]:
    """Run tasks on a Dask cluster (`address`, or "local" for a LocalCluster of `jobs` processes).

    Workers must see the same paths as this machine (a shared filesystem).
    At most a few tasks per worker thread are in flight, so a huge batch never
    floods the scheduler.
    """
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise StorybinderError(
            "--dask needs Dask's distributed scheduler", hint="pip install 'storybinder[dask]'"
        ) from None
    cluster = None
    try:
        if address == "local":
            cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
        else:
            client = Client(address, timeout=30)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise StorybinderError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        client.register_worker_callbacks(warm_up)
        threads = max(1, sum(client.nthreads().values()))
        pending = iter(tasks)
        window = [client.submit(fn, task, pure=False) for task in islice(pending, 4 * threads)]
        finished = as_completed(window)
        for future in finished:
            summary = future.result()
            future.release()
            following = next(pending, None)
            if following is not None:
                finished.add(client.submit(fn, following, pure=False))
            yield summary
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def executor_for(jobs: int, dask: str | None, task_count: int) -> Executor:
    """The executor the options ask for: Dask, a process pool, or this process for one job."""
    if dask:
        return partial(dask_map, address=dask, jobs=jobs)
    if jobs <= 1 or task_count <= 1:
        return serial_map
    return partial(process_map, jobs=min(jobs, task_count))


def run_tasks(context: BatchContext, tasks: Iterable[Task], executor: Executor) -> Iterator[JobSummary]:
    """Every task's summary, in the order they finish."""
    return executor(partial(run_task, context), tasks)


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
