"""`storybinder check`: EPUBCheck plus the rules stores and devices enforce, for any EPUB."""

from .findings import BookReport, Finding, Severity
from .runner import CheckRun, check_books

__all__ = ["BookReport", "CheckRun", "Finding", "Severity", "check_books"]
