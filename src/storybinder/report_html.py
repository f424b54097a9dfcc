"""The HTML edit report: what changed the words first, every suggestion, then folded typography.

A person checks the handful of changes to the words (spelling, quote repairs,
dialogue tags, look-alike letters) and decides the suggestions; hundreds of
curled quotes would bury them. So those two lead, each change highlighted in
its context, and the pure typography comes last, one line per rule with its
count, its changes behind a <details> expander (no script needed). Every
change has a stable anchor (`#spelling-common-c1-p12-40`), the same id as in
`clean --json`.

Built with ElementTree, never by string concatenation, so the author's text
is always escaped. One self-contained file: inline CSS, no scripts.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from storybinder.cleanup.report import ReportItem, group_edits
from storybinder.errors import StorybinderError
from storybinder.model import Edit

_CSS = """
body { font-family: Georgia, serif; max-width: 50em; margin: 2em auto; padding: 0 1em; line-height: 1.5; }
li { margin-bottom: .8em; }
li:target { background: #eef4ff; }
del { background: #fdd; text-decoration: line-through; }
ins { background: #dfd; text-decoration: none; }
.suggested ins { background: #ffe9a8; }
.where { color: #666; font-size: .85em; }
.where a { color: inherit; text-decoration: none; }
details { margin: .3em 0; }
summary { cursor: pointer; }
"""

_NAMES = {
    "quotes.curl": "curly quotes and apostrophes",
    "dashes": "dashes",
    "ellipsis": "ellipses",
    "whitespace": "spacing",
    "unicode": "invisible characters and Unicode forms",
}


def _visible(text: str) -> str:
    # A removed space or an added line break would be invisible in the report.
    return text.replace(" ", "\u2423") if text.strip() == "" and text else text


def _place(edit: Edit) -> str:
    if edit.chapter < 0:  # the book's metadata (title, description), not its text
        return "metadata"
    place = f"chapter {edit.chapter + 1}, " if edit.chapter else ""
    return place + ("title" if edit.block < 0 else f"paragraph {edit.block + 1}")


def _listing(parent: ET.Element, items: Sequence[ReportItem]) -> None:
    listing = ET.SubElement(parent, "ol")
    for item in items:
        edit = item.edit
        entry = ET.SubElement(listing, "li", {"id": item.id, "class": "applied" if edit.applied else "suggested"})
        where = ET.SubElement(entry, "div", {"class": "where"})
        link = ET.SubElement(where, "a", {"href": f"#{item.id}"})
        link.text = f"{edit.rule} \u00b7 {_place(edit)}" + (f" \u00b7 {edit.decision}ed" if edit.decision else "")
        if edit.message:
            link.tail = f" \u00b7 {edit.message}"
        text = ET.SubElement(entry, "div")
        text.text = "\u2026" + item.left
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
        last.tail = item.right + "\u2026"


def build_report(title: str, edits: Sequence[Edit], contexts: Sequence[tuple[str, str]]) -> ET.Element:
    """The report as an <html> element."""
    html = ET.Element("html", lang="en")
    head = ET.SubElement(html, "head")
    ET.SubElement(head, "meta", charset="utf-8")
    ET.SubElement(head, "title").text = f"storybinder: edits to {title}"
    ET.SubElement(head, "style").text = _CSS
    body = ET.SubElement(html, "body")
    ET.SubElement(body, "h1").text = f"Edits to {title}"
    if not edits:
        ET.SubElement(body, "p").text = "No changes."
        return html

    groups = group_edits(edits, contexts)
    typo_count = sum(len(f.items) for f in groups.typography)
    ET.SubElement(body, "p", {"class": "overview"}).text = (
        f"{len(groups.changes)} changes to the words, {len(groups.suggestions)} suggestions waiting, "
        f"{typo_count} typographic changes."
    )
    sections = (
        ("changes", "Changes to the words", groups.changes, "None: no word was changed."),
        ("suggestions", "Suggestions waiting (not applied)", groups.suggestions, "None."),
    )
    if groups.decided:
        sections += (("decided", "Decided in review (storybinder review)", groups.decided, ""),)
    for anchor, heading, items, empty in sections:
        section = ET.SubElement(body, "section", {"id": anchor})
        ET.SubElement(section, "h2").text = f"{heading}: {len(items)}"
        if items:
            _listing(section, items)
        else:
            ET.SubElement(section, "p").text = empty
    if groups.typography:
        section = ET.SubElement(body, "section", {"id": "typography"})
        ET.SubElement(section, "h2").text = f"Typography: {typo_count}"
        for fold in groups.typography:
            details = ET.SubElement(section, "details", {"id": f"rule-{fold.rule.replace('.', '-')}"})
            ET.SubElement(details, "summary").text = (
                f"{fold.rule}: {len(fold.items)} ({_NAMES.get(fold.rule, 'typography')})"
            )
            _listing(details, fold.items)
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
