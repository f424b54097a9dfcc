"""Build one story with the real command line and hold the book to what a user expects."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from storybinder.check.findings import Severity
from storybinder.check.runner import own_findings
from storybinder.cli import app


def build_and_check(source: Path, out: Path, check_epub, *, expect_warnings: tuple[str, ...] = ()) -> tuple[Path, str]:
    """`storybinder build SOURCE -o OUT`: exit 0, no traceback, one book that storybinder's
    own checks pass with no warning (EPUBCheck runs on it at the session's end).
    Returns the book and the command's output; warnings other than `expect_warnings` fail."""
    result = CliRunner().invoke(app, ["build", str(source), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output, result.output
    warnings = [line for line in result.output.splitlines() if "warning" in line.lower()]
    unexpected = [w for w in warnings if not any(e in w for e in expect_warnings)]
    assert not unexpected, unexpected
    books = sorted(out.glob("*.epub"))
    assert len(books) == 1, [b.name for b in books]
    findings = [f for f in own_findings(books[0]) if f.severity in (Severity.ERROR, Severity.WARNING)]
    assert not findings, findings
    check_epub(books[0])
    return books[0], result.output
