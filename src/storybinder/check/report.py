"""Present a check run: readable lines per book for people, JSON for scripts."""

from __future__ import annotations

import json

from .findings import BookReport, Severity
from .runner import CheckRun

LABELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def text_report(run: CheckRun, *, strict: bool = False) -> str:
    lines: list[str] = []
    for report in run.reports:
        lines.append(_headline(report, strict))
        for f in report.findings:
            where = f" {f.where}:" if f.where else ":"
            lines.append(f"  {LABELS[f.severity]:<7} {f.rule}{where} {f.message}")
    failed = sum(1 for r in run.reports if not r.passed(strict=strict))
    lines.append("")
    lines.append(f"{len(run.reports)} book(s) checked: {len(run.reports) - failed} passed, {failed} failed"
                 + (" (--strict: warnings count as failures)" if strict else ""))
    lines.append(_epubcheck_line(run))
    return "\n".join(lines)


def _headline(report: BookReport, strict: bool) -> str:
    status = "ok" if report.passed(strict=strict) else "FAILED"
    notes = report.count(Severity.INFO)
    return f"{report.path}: {status} ({report.errors} error(s), {report.warnings} warning(s), {notes} note(s))"


def _epubcheck_line(run: CheckRun) -> str:
    if run.epubcheck_ran:
        return "EPUBCheck ran on every readable book (rules epubcheck.*); all other rules are storybinder's own."
    if run.epubcheck_skipped:
        return f"EPUBCheck was NOT run: {run.epubcheck_skipped}. Only storybinder's own rules were checked."
    return "EPUBCheck was not run (--no-epubcheck); only storybinder's own rules were checked."


def json_report(run: CheckRun, *, strict: bool = False) -> str:
    data = {
        "passed": run.passed(strict=strict),
        "strict": strict,
        "epubcheck": {"ran": run.epubcheck_ran, "skipped": run.epubcheck_skipped},
        "books": [
            {
                "path": str(r.path),
                "passed": r.passed(strict=strict),
                "errors": r.errors,
                "warnings": r.warnings,
                "notes": r.count(Severity.INFO),
                "findings": [f.to_dict() for f in r.findings],
            }
            for r in run.reports
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False)
