"""Check many books: EPUBCheck once for all of them (in a background thread, one JVM)
while storybinder's own rules run book by book."""

from __future__ import annotations

import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .content_rules import check_content
from .epub_archive import ENTRY_ERRORS, open_epub
from .epubcheck_step import EpubCheckOutcome, run_epubcheck
from .findings import BookReport, Finding, Severity, error
from .kindle_rules import check_kindle
from .package_rules import check_package
from .references import BookReferences
from .store_rules import check_accessibility, check_metadata

SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass
class CheckRun:
    """Reports for every book, and why EPUBCheck was skipped (None when it ran or was not asked for)."""

    reports: list[BookReport]
    epubcheck_ran: bool
    epubcheck_skipped: str | None

    def passed(self, *, strict: bool = False) -> bool:
        return all(r.passed(strict=strict) for r in self.reports)


def check_books(books: list[Path], *, epubcheck: bool = True) -> CheckRun:
    """Run every check on every book; never raises for a bad book, only reports it."""
    zips = [b for b in books if _is_zip(b)]
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(run_epubcheck, zips) if epubcheck and zips else None
        reports = [BookReport(book, own_findings(book)) for book in books]
        outcome = pending.result() if pending is not None else EpubCheckOutcome()
    for report in reports:
        report.findings += outcome.findings.get(report.path, [])
        report.findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.file, f.line or 0, f.rule))
    if epubcheck and not zips:
        return CheckRun(reports, False, "no book was a readable zip")
    return CheckRun(reports, epubcheck and outcome.skipped is None, outcome.skipped if epubcheck else None)


def own_findings(book: Path) -> list[Finding]:
    """storybinder's rules (everything but EPUBCheck) for one book."""
    try:
        package, findings = open_epub(book)
        if package is None:
            return findings
        with package:
            refs = BookReferences(package)
            findings += check_package(package)
            findings += check_metadata(package)
            findings += check_accessibility(package)
            findings += check_content(package, refs)
            findings += check_kindle(package, refs)
        return findings
    except (zipfile.LargeZipFile, *ENTRY_ERRORS) as exc:
        # Damage found deep in the zip (bad CRC, unsupported compression) while reading entries.
        return [error("epub.corrupt", "", f"the zip is damaged ({exc}); re-export or re-download the book")]
    except Exception as exc:  # noqa: BLE001 - one odd book must not stop the others being checked
        return [error("check.internal-error", "", f"storybinder could not finish checking this book ({type(exc).__name__}: {exc}); this is a storybinder bug, please report it")]


def _is_zip(path: Path) -> bool:
    try:
        return path.is_file() and zipfile.is_zipfile(path)
    except OSError:
        return False
