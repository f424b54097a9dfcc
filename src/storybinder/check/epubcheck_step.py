"""EPUBCheck as one step of `storybinder check`: all books in one JVM, messages as findings."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..epubcheck import EpubCheckMessage, epubcheck_jar, java_command, validate_each
from ..errors import StorybinderError
from .findings import Finding, Severity

SEVERITIES = {"FATAL": Severity.ERROR, "ERROR": Severity.ERROR, "WARNING": Severity.WARNING, "INFO": Severity.INFO}


@dataclass
class EpubCheckOutcome:
    """Findings per book; `skipped` says why EPUBCheck did not run at all (and how to fix that)."""

    findings: dict[Path, list[Finding]] = field(default_factory=dict)
    skipped: str | None = None


def epubcheck_available() -> str | None:
    """None when EPUBCheck can run here, else what is missing and how to install it."""
    try:
        java_command()
        epubcheck_jar()
    except StorybinderError as exc:
        return str(exc)
    return None


def run_epubcheck(books: list[Path]) -> EpubCheckOutcome:
    """Validate every book in a single JVM; a book EPUBCheck could not report on gets an error finding."""
    missing = epubcheck_available()
    if missing is not None:
        return EpubCheckOutcome(skipped=missing)
    try:
        # A big book takes EPUBCheck tens of seconds; allow a minute per book, at least ten.
        results = validate_each(books, timeout=max(600, 60 * len(books)))
    except (StorybinderError, OSError) as exc:
        return EpubCheckOutcome(skipped=f"EPUBCheck could not run: {exc}")
    except subprocess.TimeoutExpired:
        return EpubCheckOutcome(skipped="EPUBCheck did not finish in time")
    outcome = EpubCheckOutcome()
    for book, result in results.items():
        if isinstance(result, StorybinderError):
            outcome.findings[book] = [Finding(Severity.ERROR, "epubcheck.crashed", "", result.message)]
        else:
            outcome.findings[book] = [f for f in map(_finding, result) if f is not None]
    return outcome


def _finding(message: EpubCheckMessage) -> Finding | None:
    severity = SEVERITIES.get(message.severity)
    if severity is None:  # USAGE: style advice, too noisy for a store check
        return None
    path, line = _location(message.location)
    return Finding(severity, f"epubcheck.{message.id}", path, message.message.strip(), line)


def _location(location: str) -> tuple[str, int | None]:
    """EPUBCheck locations are "path:line:col"; the book itself appears as a filesystem path."""
    parts = location.rsplit(":", 2)
    path = parts[0] if parts else ""
    line = int(parts[1]) if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) > 0 else None
    if path.startswith(("./", "/")) or path.lower().endswith(".epub"):
        path = ""
    return path, line
