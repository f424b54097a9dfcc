"""The HTML edit report: every change (and suggestion) highlighted in context.

Built with ElementTree, never by string concatenation, so the author's text
is always escaped. One self-contained file: inline CSS, no scripts.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from storybinder.errors import StorybinderError
from storybinder.model import Edit

_CSS = """
body { font-family: Georgia, serif; max-width: 50em; margin: 2em auto; padding: 0 1em; line-height: 1.5; }
table { border-collapse: collapse; margin-bottom: 2em; }
th, td { border-bottom: 1px solid #ccc; padding: .2em .8em; text-align: left; }
td.n { text-align: right; }
li { margin-bottom: .8em; }
del { background: #fdd; text-decoration: line-through; }
ins { background: #dfd; text-decoration: none; }
.suggested ins { background: #ffe9a8; }
.where { color: #666; font-size: .85em; }
.space { border: 1px dotted #999; }
"""


def _visible(text: str) -> str:
    # A removed space or an added line break would be invisible in the report.
    return text.replace(" ", "\u2423") if text.strip() == "" and text else text


def build_report(title: str, edits: Sequence[Edit], contexts: Sequence[tuple[str, str]]) -> ET.Element:
    """The report as an <html> element."""
    html = ET.Element("html", lang="en")
    head = ET.SubElement(html, "head")
    ET.SubElement(head, "meta", charset="utf-8")
    ET.SubElement(head, "title").text = f"storybinder: edits to {title}"
    ET.SubElement(head, "style").text = _CSS
    body = ET.SubElement(html, "body")
    ET.SubElement(body, "h1").text = f"Edits to {title}"

    applied = Counter(e.rule for e in edits if e.applied)
    suggested = Counter(e.rule for e in edits if not e.applied)
    table = ET.SubElement(body, "table")
    row = ET.SubElement(table, "tr")
    for label in ("rule", "applied", "suggested"):
        ET.SubElement(row, "th").text = label
    for rule in sorted(set(applied) | set(suggested)):
        row = ET.SubElement(table, "tr")
        ET.SubElement(row, "td").text = rule
        ET.SubElement(row, "td", {"class": "n"}).text = str(applied[rule])
        ET.SubElement(row, "td", {"class": "n"}).text = str(suggested[rule])

    for heading, wanted in (("Suggestions (not applied)", False), ("Changes made", True)):
        chosen = [(e, c) for e, c in zip(edits, contexts) if e.applied is wanted]
        if not chosen:
            continue
        ET.SubElement(body, "h2").text = f"{heading}: {len(chosen)}"
        listing = ET.SubElement(body, "ol")
        for edit, (left, right) in chosen:
            item = ET.SubElement(listing, "li", {"class": "applied" if edit.applied else "suggested"})
            where = ET.SubElement(item, "div", {"class": "where"})
            if edit.chapter < 0:  # the book's metadata (title, description), not its text
                place, block = "", "metadata"
            else:
                place = f"chapter {edit.chapter + 1}, " if edit.chapter else ""
                block = "title" if edit.block < 0 else f"paragraph {edit.block + 1}"
            where.text = f"{edit.rule} \u00b7 {place}{block}" + (f" \u00b7 {edit.message}" if edit.message else "")
            text = ET.SubElement(item, "div")
            text.text = "\u2026" + left
            last: ET.Element | None = None
            if edit.before:
                last = ET.SubElement(text, "del")
                last.text = _visible(edit.before)
            if edit.after != edit.before:
                last = ET.SubElement(text, "ins")
                last.text = _visible(edit.after)
            if last is None:
                last = ET.SubElement(text, "mark")
                last.text = edit.before
            last.tail = right + "\u2026"
    if not edits:
        ET.SubElement(body, "p").text = "No changes."
    return html


def write_report(path: Path, title: str, edits: Sequence[Edit], contexts: Sequence[tuple[str, str]]) -> None:
    """Write the report to `path` (contexts[i] is the text around edits[i])."""
    tree = ET.ElementTree(build_report(title, edits, contexts))
    try:
        with path.open("wb") as fh:
            fh.write(b"<!DOCTYPE html>\n")
            tree.write(fh, encoding="utf-8", method="html")
    except OSError as exc:
        raise StorybinderError(f"cannot write the report: {exc.strerror or exc}", path=path) from None
