"""`storybinder build`: run the pipeline over every job and tell the user how it went."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import typer

from .errors import StorybinderError
from .model import Metadata
from .pipeline import BuildOptions, BuildResult, build_job
from .sources import expand_sources


def run_build(sources: list[Path], outdir: Path, overrides: Metadata, *, clean: bool, verbose: bool) -> int:
    """Build every story and anthology under `sources`; return how many failed."""
    jobs = list(expand_sources(sources))
    if not jobs:
        names = ", ".join(str(s) for s in sources)
        raise StorybinderError(f"no stories found in {names} (looked for .txt files and book.toml)")
    options = BuildOptions(outdir=outdir, overrides=overrides, clean=clean)
    results = [build_job(job, options) for job in jobs]
    for result in results:
        _print_result(result, verbose)
    failed = [r for r in results if not r.ok]
    built = len(results) - len(failed)
    typer.echo(f"{built} book{'s' if built != 1 else ''} written to {outdir}" + (f", {len(failed)} failed" if failed else ""))
    for result in failed:
        typer.echo(f"error: {result.error}", err=True)
    return len(failed)


def _print_result(result: BuildResult, verbose: bool) -> None:
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if not result.ok:
        return
    typer.echo(f"built {result.output}  ({result.title}){_edit_summary(result)}")


def _edit_summary(result: BuildResult) -> str:
    applied = Counter(e.rule for e in result.edits if e.applied)
    suggested = sum(1 for e in result.edits if not e.applied)
    if not applied and not suggested:
        return ""
    rules = ", ".join(f"{rule} {n}" for rule, n in sorted(applied.items()))
    parts = [f"{sum(applied.values())} fixes: {rules}" if applied else "no fixes"]
    if suggested:
        parts.append(f"{suggested} suggestions waiting")
    return "\n    " + "; ".join(parts)
