"""`storybinder build`: run the pipeline over every job and tell the user how it went.

Jobs run on an executor (this process, a process pool, or Dask) and finish in
any order; their books are named and moved into the output folder in job
order, so a parallel build gives the same files as a serial one and two
stories with one title never overwrite each other (the later gets `-2`).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import typer

from . import __version__
from .batch import BatchContext, JobSummary, Task, default_jobs, executor_for, remove_abandoned_pending, run_tasks
from .batch_progress import PlainReporter, RichReporter, reporter_for
from .build_cache import BookRecord, BuildState, job_key, options_digest
from .errors import StorybinderError
from .interrupts import deferred
from .model import Metadata
from .pipeline import BuildOptions, ensure_output_folder
from .readers import STORY_SUFFIXES
from .sources import Job, expand_sources


@dataclass
class BatchTotals:
    """Counts for the final summary, the failures' messages, and (for --json) every book's line."""

    built: int = 0
    skipped: int = 0
    failed: list[JobSummary] = field(default_factory=list)
    books: list[dict] | None = None


def run_build(
    sources: list[Path],
    outdir: Path,
    overrides: Metadata,
    *,
    clean: bool,
    verbose: bool,
    jobs: int | None = None,
    force: bool = False,
    json_output: bool = False,
    dask: str | None = None,
    report_dir: Path | None = None,
) -> int:
    """Build every story and anthology under `sources`; return how many failed.

    `report_dir`: write each book's cleanup edits as REPORT_DIR/<name>.html, named like its EPUB (slug, or slug-2).
    """
    job_list = list(expand_sources(sources, skip=outdir))
    if not job_list:
        names = ", ".join(str(s) for s in sources)
        kinds = ", ".join(sorted(STORY_SUFFIXES))
        raise StorybinderError(f"no stories found in {names}", hint=f"looked for {kinds} files and book.toml")
    ensure_output_folder(outdir)  # once, naming the folder the user gave, not once per book
    if report_dir is not None and clean:
        ensure_output_folder(report_dir)
    options = BuildOptions(outdir=outdir, overrides=overrides, clean=clean, report_dir=report_dir)
    existing = frozenset(p.name for p in outdir.glob("*.epub"))
    context = BatchContext(options, options_digest(options), force=force, existing=existing)
    state = BuildState.load(outdir)
    names = OutputNames(outdir, state)
    totals = BatchTotals(books=[] if json_output else None)
    executor = executor_for(jobs or default_jobs(), dask, len(job_list))
    started = time.perf_counter()
    remove_abandoned_pending(outdir)  # what killed builds left
    context.pending_root.mkdir(parents=True, exist_ok=True)
    tasks = (Task(i, job, state.records.get(job_key(job))) for i, job in enumerate(job_list))
    written: list[Path] = []
    try:
        with executor, reporter_for(len(job_list), quiet=json_output, verbose=verbose) as reporter:
            for summary in _in_job_order(run_tasks(context, tasks, executor)):
                with deferred():  # a book moved into place is a book recorded
                    _finish(summary, job_list[summary.index], state, names, context)
                    _report(summary, totals, reporter, verbose)
                if summary.status == "built" and summary.output is not None:
                    written.append(summary.output)
                reporter.advance(len(totals.failed))
    finally:
        # Held against a second Ctrl-C: the state must be saved whole.
        with deferred():
            # Books are written without a sync each (a third of a small book's
            # time); they are put on disk here, before the state that lists them
            # is saved. A power cut before it can only cost books the journal
            # lists, and those are rebuilt: a record checks the size.
            _sync(written)
            state.save()
            shutil.rmtree(context.pending_root, ignore_errors=True)
            remove_abandoned_pending(outdir)
    _summarise(totals, outdir, time.perf_counter() - started, json_output, verbose)
    return len(totals.failed)


# Up to this many books are synced one by one; more, and one sync of every
# disk is cheaper. A system-wide sync also waits for every other program's
# writes: on a busy machine it took 120 ms of a one-story build.
_SYNC_ONE_BY_ONE = 16


def _sync(books: list[Path]) -> None:
    """Put the books just written (and the folders naming them) on disk."""
    if not books:
        return
    if len(books) > _SYNC_ONE_BY_ONE and hasattr(os, "sync"):
        os.sync()
        return
    for path in [*books, *{p.parent for p in books}]:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue  # removed since (a later story took its name): nothing to keep
        try:
            os.fsync(fd)
        except OSError:
            pass  # a folder that cannot be synced (some network file systems)
        finally:
            os.close(fd)


def _in_job_order(summaries: Iterator[JobSummary]) -> Iterator[JobSummary]:
    """Re-order summaries that arrive as books finish into job order (only summaries wait)."""
    waiting: dict[int, JobSummary] = {}
    following = 0
    for summary in summaries:
        waiting[summary.index] = summary
        while following in waiting:
            yield waiting.pop(following)
            following += 1
    yield from (waiting[i] for i in sorted(waiting))


class OutputNames:
    """Which EPUB file name belongs to which job: SLUG.epub, or SLUG-2.epub when another story has it."""

    def __init__(self, outdir: Path, state: BuildState) -> None:
        self.outdir = outdir
        self.owners = {r.output: key for key, r in state.records.items() if (outdir / r.output).is_file()}

    def claim(self, key: str, slug: str) -> str:
        n, name = 1, f"{slug}.epub"
        while self.owners.get(name, key) != key:
            n += 1
            name = f"{slug}-{n}.epub"
        self.owners[name] = key
        return name

    def release(self, key: str, name: str) -> bool:
        """Give up `name` if `key` holds it; True when it did."""
        if self.owners.get(name) != key:
            return False
        del self.owners[name]
        return True


def _finish(summary: JobSummary, job: Job, state: BuildState, names: OutputNames, context: BatchContext) -> None:
    """Move a built book to its final name and record what it was built from."""
    if summary.status != "built" or summary.output is None or summary.slug is None:
        return
    key = job_key(job)
    name = names.claim(key, summary.slug)
    final = context.options.outdir / name
    try:
        os.replace(summary.output, final)
    except OSError as exc:
        summary.status, summary.error = "failed", f"{final}: cannot move the finished book into place: {exc.strerror or exc}"
        summary.output.unlink(missing_ok=True)
        return
    summary.output = final
    if summary.report is not None and context.options.report_dir is not None:
        # Named after the book it reports on: slug-2.epub gets slug-2.html.
        try:
            os.replace(summary.report, context.options.report_dir / f"{final.stem}.html")
        except OSError as exc:
            summary.warnings.append(f"{final}: cannot move its edit report into place: {exc.strerror or exc}")
    previous = state.records.get(key)
    if previous is not None and previous.output != name and names.release(key, previous.output):
        (context.options.outdir / previous.output).unlink(missing_ok=True)  # the story's old title
    state.record(key, BookRecord(
        source=str(job.real_path),
        kind=job.kind,
        fingerprint=summary.fingerprint,
        output=name,
        size=final.stat().st_size,
        slug=summary.slug,
        title=summary.title,
        cover=summary.cover,
        cover_digest=summary.cover_digest,
        slug_cover=summary.slug_cover,
    ))


def _report(summary: JobSummary, totals: BatchTotals, reporter: PlainReporter | RichReporter, verbose: bool) -> None:
    for warning in summary.warnings:
        reporter.problem(f"warning: {warning}")
    if summary.status == "built":
        totals.built += 1
        for note in summary.notes:
            reporter.info(note)
        reporter.info(f"built {summary.output}  ({summary.title}){_chapter_summary(summary)}{_edit_summary(summary)}")
    elif summary.status == "skipped":
        totals.skipped += 1
        if verbose:
            reporter.info(f"up to date {summary.output}  ({summary.title})")
    else:
        totals.failed.append(
            JobSummary(summary.index, summary.source, "failed", error=summary.error, detail=summary.detail)
        )
    if totals.books is not None:
        totals.books.append(_book_json(summary))


def _summarise(totals: BatchTotals, outdir: Path, seconds: float, json_output: bool, verbose: bool = False) -> None:
    if json_output:
        typer.echo(json.dumps(_summary_json(totals, outdir, seconds), indent=2, ensure_ascii=False))
    else:
        built = totals.built
        line = f"{built} book{'s' if built != 1 else ''} written to {outdir}"
        if totals.skipped:
            line += f", {totals.skipped} up to date (skipped; --force rebuilds them)"
        if totals.failed:
            line += f", {len(totals.failed)} failed"
        typer.echo(line)
    for failure in totals.failed:
        typer.echo(f"error: {failure.error}", err=True)
        if verbose and failure.detail:
            typer.echo("  detail: " + failure.detail.replace("\n", "\n  "), err=True)


def _summary_json(totals: BatchTotals, outdir: Path, seconds: float) -> dict:
    done = totals.built + totals.skipped + len(totals.failed)
    return {
        "storybinder": __version__,
        "output": str(outdir),
        "books": done,
        "built": totals.built,
        "skipped": totals.skipped,
        "failed": len(totals.failed),
        "seconds": round(seconds, 3),
        "books_per_second": round(done / seconds, 2) if seconds > 0 else None,
        "failures": [{"source": str(f.source), "error": f.error} for f in totals.failed],
        "results": totals.books or [],
    }


def _book_json(summary: JobSummary) -> dict:
    return {
        "source": str(summary.source),
        "status": summary.status,
        "output": str(summary.output) if summary.output and summary.status != "failed" else None,
        "title": summary.title,
        "warnings": summary.warnings,
        "notes": summary.notes,
        "fixes": summary.fixes,
        "suggestions": summary.suggestions,
        "error": summary.error,
        "new_chapters": summary.new_chapters,
        "changed_chapters": summary.changed_chapters,
        "seconds": round(summary.seconds, 4),
    }


def _chapter_summary(summary: JobSummary) -> str:
    """What changed since the book's earlier copy in the output folder, chapter by chapter."""
    parts = []
    for label, names in (("new", summary.new_chapters), ("changed", summary.changed_chapters)):
        if names:
            shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
            parts.append(f"{len(names)} {label} chapter{'s' if len(names) != 1 else ''}: {shown}")
    return "\n    " + "; ".join(parts) if parts else ""


def _edit_summary(summary: JobSummary) -> str:
    applied, suggested = summary.fixes, summary.suggestions
    if not applied and not suggested:
        return ""
    rules = ", ".join(f"{rule} {n}" for rule, n in sorted(applied.items()))
    parts = [f"{sum(applied.values())} fixes: {rules}" if applied else "no fixes"]
    if suggested:
        parts.append(f"{suggested} suggestions waiting")
    return "\n    " + "; ".join(parts)
