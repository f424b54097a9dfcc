"""What a check reports: findings (severity, rule id, file, advice) grouped per book."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    """How bad a finding is: errors fail the check, warnings fail it only with --strict."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One problem in a book: `file` is the path inside the EPUB ("" for the book as a whole)."""

    severity: Severity
    rule: str
    file: str
    message: str
    line: int | None = None

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.file and self.line else self.file

    def to_dict(self) -> dict[str, str | int | None]:
        return {
            "severity": self.severity.value, "rule": self.rule, "file": self.file,
            "line": self.line, "message": self.message,
        }


def error(rule: str, file: str, message: str, line: int | None = None) -> Finding:
    return Finding(Severity.ERROR, rule, file, message, line)


def warning(rule: str, file: str, message: str, line: int | None = None) -> Finding:
    return Finding(Severity.WARNING, rule, file, message, line)


def info(rule: str, file: str, message: str, line: int | None = None) -> Finding:
    return Finding(Severity.INFO, rule, file, message, line)


@dataclass
class BookReport:
    """Everything the checks found in one book."""

    path: Path
    findings: list[Finding] = field(default_factory=list)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self.count(Severity.WARNING)

    def passed(self, *, strict: bool = False) -> bool:
        """No errors (and, when strict, no warnings either)."""
        return self.errors == 0 and (not strict or self.warnings == 0)

    def rules(self) -> set[str]:
        return {f.rule for f in self.findings}
