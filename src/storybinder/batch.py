"""Many stories at once: the per-story task and the executors that run it.

`run_task` is what a worker does for one job: skip it when its book is up to
date, else `pipeline.build_job` into this build's pending folder, and hand back a
small `JobSummary` (never the book or its edits, so memory stays flat however
long the batch). The caller (build_command) names and moves the books, in job
order, so parallel and serial builds give the same files.

Executors (context managers with `map`) yield summaries as books finish:
`SerialExecutor` (this process), `ProcessExecutor` (a pool of worker
processes, the default) and `DaskExecutor` (a Dask cluster;
`pip install storybinder[dask]`).
"""

from __future__ import annotations

import gc
import os
import shutil
import signal
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any, Literal

from .build_cache import BookRecord, input_fingerprint, is_up_to_date, record_cover
from .errors import StorybinderError
from .interrupts import blocked_in_children, unblock
from .pipeline import BuildOptions, build_job
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
    run_id: int = field(default_factory=os.getpid)
    # The EPUBs in OUTDIR when the build started: only these can be a job's
    # earlier copy, never a book another job of this build has just written.
    existing: frozenset[str] = frozenset()

    @property
    def pending_root(self) -> Path:
        """This build's own folder for unfinished books (another build may share OUTDIR)."""
        return self.options.outdir / PENDING_DIR / str(self.run_id)


def remove_abandoned_pending(outdir: Path) -> None:
    """Delete what killed builds left in OUTDIR/.storybinder-pending (never a running build's)."""
    root = outdir / PENDING_DIR
    try:
        runs = list(root.iterdir())
    except OSError:
        return
    for run in runs:
        if not (run.name.isdigit() and _running(int(run.name))):
            shutil.rmtree(run, ignore_errors=True)
    with suppress(OSError):
        root.rmdir()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid != 0


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
    detail: str | None = None  # the low-level cause of `error`, shown with --verbose
    notes: list[str] = field(default_factory=list)  # what the readers chose (chapter files taken, left out)
    fixes: dict[str, int] = field(default_factory=dict)
    suggestions: int = 0
    cover: str | None = None
    cover_digest: str | None = None
    slug_cover: str | None = None
    report: Path | None = None  # the edit report waiting beside a built book
    seconds: float = 0.0
    new_chapters: list[str] = field(default_factory=list)  # against the book's earlier copy
    changed_chapters: list[str] = field(default_factory=list)


def run_task(context: BatchContext, task: Task) -> JobSummary:
    """Skip or build one job; never raises (a crash in one story is that story's failure)."""
    start = time.perf_counter()
    job = task.job
    try:
        summary = _run(context, task)
    except StorybinderError as exc:
        summary = JobSummary(
            task.index, job.path, "failed", error=str(exc) if exc.path else f"{job.path}: {exc}", detail=exc.detail()
        )
    except Exception as exc:  # a bug must cost one book, not the batch
        where = traceback.extract_tb(exc.__traceback__)[-1]
        summary = JobSummary(
            task.index,
            job.path,
            "failed",
            error=f"{job.path}: internal error {type(exc).__name__}: {exc} "
            f"(at {Path(where.filename).name}:{where.lineno}; please report it)",
            detail="".join(traceback.format_exception(exc)).rstrip(),
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
    # Named by task, not slug: two stories with one slug never meet here, and
    # the book (slug or slug-2) is named only once it is done. Hidden .tmp
    # names: what a kill interrupts is never mistaken for a book. The parent
    # made the folder, moves the files into place and syncs them at the end.
    pending = context.pending_root
    earlier = options.outdir / previous.output if previous is not None else None
    result = build_job(
        job, options, pending / f".{task.index}.epub.tmp", pending / f".{task.index}.html.tmp", earlier, context.existing
    )
    summary = JobSummary(
        task.index, job.path, "built" if result.ok else "failed", fingerprint, result.output, result.slug, result.title,
        result.warnings, result.error, result.detail, result.notes,
    )
    if result.ok:
        summary.fixes = dict(Counter(e.rule for e in result.edits if e.applied))
        summary.suggestions = sum(1 for e in result.edits if e.waiting)
        summary.cover, summary.cover_digest = record_cover(result.cover_source)
        summary.slug_cover = str(result.slug_cover) if result.slug_cover else None
        summary.report = result.report
        summary.new_chapters, summary.changed_chapters = result.new_chapters, result.changed_chapters
    return summary


def warm_up() -> None:
    """Load what every book needs once per process, not per book: PIL, ebooklib,
    lxml, the cleaner and its lexicon (all cached by their modules)."""
    from . import covers, epub  # noqa: F401
    from .cleanup.dictionary import load_lexicon

    load_lexicon()
    # What is loaded now lives as long as the process: out of the garbage
    # collector's sight, its full collections no longer walk it (about 1% of
    # a book's time), and forked workers do not copy its pages by touching it.
    gc.freeze()


class SerialExecutor:
    """Run every task here, one after another (one job, or --jobs 1)."""

    def __enter__(self) -> SerialExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def map(self, fn: Callable[[Task], JobSummary], tasks: Iterable[Task]) -> Iterator[JobSummary]:
        return map(fn, tasks)


class ProcessExecutor:
    """A pool of `jobs` worker processes; summaries arrive as books finish.

    Tasks go to the workers `chunk` at a time: each hand-over costs the
    parent a future, a pickled message and a few thread wake-ups, which for
    a small book was a tenth of what the whole book costs.

    A story that kills its worker (a crash, the out-of-memory killer) breaks
    the pool. The stories that were in flight are then retried one at a time
    in a fresh pool, so only the one that dies again is reported as failed,
    and the rest of the batch goes on.
    """

    def __init__(self, jobs: int, chunk: int = 1) -> None:
        self.jobs = jobs
        self.chunk = max(1, chunk)
        self.pool: Any = None

    def __enter__(self) -> ProcessExecutor:
        self.pool = self._start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def _start(self) -> Any:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, wait

        # fork starts workers in milliseconds with our modules already imported;
        # elsewhere (macOS, Windows) spawn is the safe choice.
        method = "fork" if sys.platform.startswith("linux") else "spawn"
        if method == "fork":
            warm_up()  # here, once: every forked worker starts with it loaded
        pool = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context(method), initializer=_worker_init)
        # Start the workers now, before a progress bar's thread exists: a fork
        # then copies no lock another thread holds. They are forked with Ctrl-C
        # blocked, so none is interrupted before it has chosen to ignore it.
        with blocked_in_children():
            wait([pool.submit(os.getpid) for _ in range(self.jobs)])
        return pool

    def map(self, fn: Callable[[Task], JobSummary], tasks: Iterable[Task]) -> Iterator[JobSummary]:
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        pending = iter(tasks)
        retry: list[Task] = []
        in_flight: dict[Any, tuple[list[Task], bool]] = {}
        while True:
            if retry:
                # Alone in the pool: if it breaks again, this story is the cause.
                if not in_flight:
                    task = retry.pop(0)
                    in_flight[self.pool.submit(_run_chunk, fn, [task])] = ([task], True)
            else:
                # A few chunks per worker queued: no core waits, no list of every job.
                while len(in_flight) < 4 * self.jobs:
                    chunk = list(islice(pending, self.chunk))
                    if not chunk:
                        break
                    in_flight[self.pool.submit(_run_chunk, fn, chunk)] = (chunk, False)
            if not in_flight:
                return
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                chunk, retried = in_flight.pop(future)
                try:
                    summaries = future.result()
                except BrokenProcessPool:
                    broken = True
                    if retried:
                        yield from map(_worker_died, chunk)
                    else:
                        retry += chunk
                    continue
                yield from summaries
            if broken:
                for chunk, retried in in_flight.values():
                    if retried:
                        yield from map(_worker_died, chunk)
                    else:
                        retry += chunk
                in_flight.clear()
                self.pool.shutdown(wait=True)
                self.pool = self._start()


def _run_chunk(fn: Callable[[Task], JobSummary], tasks: list[Task]) -> list[JobSummary]:
    return [fn(task) for task in tasks]


def _worker_died(task: Task) -> JobSummary:
    return JobSummary(
        task.index,
        task.job.path,
        "failed",
        error=f"{task.job.path}: the worker process died while building this story (a crash, or out of memory)",
    )


def _worker_init() -> None:
    # Ctrl-C is the parent's to handle (it saves the state and stops the pool);
    # workers that also caught it would each print a traceback. SIGTERM ends a
    # worker at once (the parent's handler, copied by fork, would raise in it).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    unblock()
    warm_up()


class DaskExecutor:
    """A Dask cluster: a scheduler `address`, or "local" for a LocalCluster of `jobs` processes.

    Workers must see the same paths as this machine (a shared filesystem).
    At most a few tasks per worker thread are in flight, so a huge batch never
    floods the scheduler.
    """

    def __init__(self, address: str, jobs: int) -> None:
        self.address, self.jobs = address, jobs
        self.cluster: Any = None
        self.client: Any = None

    def __enter__(self) -> DaskExecutor:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise StorybinderError("--dask needs Dask's distributed scheduler", hint="pip install 'storybinder[dask]'") from None
        try:
            if self.address == "local":
                self.cluster = LocalCluster(n_workers=self.jobs, threads_per_worker=1, processes=True, dashboard_address=None)
                self.client = Client(self.cluster)
            else:
                self.client = Client(self.address, timeout=30)
        except (OSError, TimeoutError) as exc:
            self.__exit__()
            raise StorybinderError(f"cannot reach the Dask scheduler at {self.address}: {exc}") from None
        self.client.register_worker_callbacks(warm_up)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def map(self, fn: Callable[[Task], JobSummary], tasks: Iterable[Task]) -> Iterator[JobSummary]:
        from dask.distributed import as_completed

        threads = max(1, sum(self.client.nthreads().values()))
        pending = iter(tasks)
        in_flight = {self.client.submit(fn, task, pure=False): task for task in islice(pending, 4 * threads)}
        finished = as_completed(list(in_flight))
        for future in finished:
            task = in_flight.pop(future)
            try:
                summary = future.result()
            except Exception as exc:  # KilledWorker and friends: the story kept killing workers
                summary = JobSummary(
                    task.index, task.job.path, "failed", error=f"{task.job.path}: the Dask task failed: {type(exc).__name__}: {exc}"
                )
            future.release()
            following = next(pending, None)
            if following is not None:
                new = self.client.submit(fn, following, pure=False)
                in_flight[new] = following
                finished.add(new)
            yield summary


Executor = SerialExecutor | ProcessExecutor | DaskExecutor


def executor_for(jobs: int, dask: str | None, task_count: int) -> Executor:
    """The executor the options ask for: Dask, a process pool, or this process for one job."""
    if dask:
        return DaskExecutor(dask, jobs)
    if jobs <= 1 or task_count <= 1:
        return SerialExecutor()
    # Chunks of up to 4 once every worker has 16 tasks or more: small batches
    # keep one task at a time, so their books spread evenly over the workers.
    return ProcessExecutor(min(jobs, task_count), chunk=min(4, max(1, task_count // (16 * jobs))))


def run_tasks(context: BatchContext, tasks: Iterable[Task], executor: Executor) -> Iterator[JobSummary]:
    """Every task's summary, in the order they finish (inside `with executor:`)."""
    return executor.map(partial(run_task, context), tasks)


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
