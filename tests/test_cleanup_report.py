"""The report a person reads: word changes and suggestions first, typography folded, every change anchored."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
from typer.testing import CliRunner

from storybinder.cleanup import clean_text_in_context
from storybinder.cleanup.report import edit_id, group_edits, summary_lines
from storybinder.cli import app
from storybinder.report_html import build_report, write_report

# Our own text: one misspelling, one line that lost its closer before the reply,
# one unsure opener, and plenty of straight quotes, dashes and dots.
TEXT = (
    '"Is the lamp lit?" asked Tobin -- and waited... "I can\'t see."\n\n'
    '"It is lit," said Mara. "Look again."\n\n'
    '"Where?\n\n'
    '"On the shelf, where it always is, by the door of the barn."\n\n'
    "He walked to the barn and back becuase he had nothing else to do.\n\n"
    'Pretty well. It passes the time."\n'
)


def _cleaned() -> tuple[list, list]:
    _, edits, contexts = clean_text_in_context(TEXT)
    return edits, contexts


def test_groups_put_word_changes_and_suggestions_before_typography() -> None:
    edits, contexts = _cleaned()
    groups = group_edits(edits, contexts)
    assert {i.edit.rule for i in groups.changes} >= {"quotes.unbalanced", "spelling.common"}
    assert all(i.edit.applied for i in groups.changes)
    assert groups.suggestions and not any(i.edit.applied for i in groups.suggestions)
    folded = {f.rule: len(f.items) for f in groups.typography}
    assert folded["quotes.curl"] == sum(1 for e in edits if e.rule == "quotes.curl")
    assert {"dashes", "ellipsis"} <= set(folded)
    assert "quotes.curl" not in {i.edit.rule for i in groups.changes}
    assert groups.total == len(edits)


def test_anchors_are_unique_and_stable() -> None:
    edits, contexts = _cleaned()
    ids = [i.id for i in group_edits(edits, contexts).changes + group_edits(edits, contexts).suggestions]
    ids += [i.id for f in group_edits(edits, contexts).typography for i in f.items]
    assert len(ids) == len(set(ids)) == len(edits)
    again, _ = _cleaned()
    assert [edit_id(e) for e in again] == [edit_id(e) for e in edits]
    fix = next(e for e in edits if e.rule == "spelling.common")
    assert edit_id(fix) == f"spelling-common-c1-p5-{fix.offset}"


def test_the_terminal_summary_leads_with_words_and_gives_typography_one_line_a_rule() -> None:
    edits, _ = _cleaned()
    lines = summary_lines(edits)
    assert lines[0].startswith("words changed: ")
    typo = next(i for i, line in enumerate(lines) if line.startswith("typography: "))
    assert any("spelling.common" in line for line in lines[:typo])
    assert any("quotes.unbalanced" in line for line in lines[:typo])
    folded = [line.split()[0] for line in lines[typo + 1 :]]
    assert set(folded) == {"quotes.curl", "dashes", "ellipsis"}  # one line a rule, nothing else
    assert summary_lines([]) == ["no changes"]


def test_the_html_report_leads_with_changes_and_folds_typography(tmp_path: Path) -> None:
    edits, contexts = _cleaned()
    path = tmp_path / "report.html"
    write_report(path, "The Lamp", edits, contexts)
    page = lxml.html.fromstring(path.read_bytes())
    sections = [s.get("id") for s in page.iter("section")]
    assert sections == ["changes", "suggestions", "typography"]
    changes = page.get_element_by_id("changes")
    assert "becuase" in changes.text_content() and "because" in changes.text_content()
    # Typography: one <details> per rule, closed, its count in the summary line.
    folds = page.get_element_by_id("typography").findall("details")
    curl = page.get_element_by_id("rule-quotes-curl")
    assert curl in folds and curl.get("open") is None
    count = sum(1 for e in edits if e.rule == "quotes.curl")
    assert curl.find("summary").text.startswith(f"quotes.curl: {count} ")
    assert len(curl.findall(".//li")) == count
    # Every change is an anchored entry that links to itself.
    for li in page.iter("li"):
        assert li.get("id") and li.find(".//a").get("href") == f"#{li.get('id')}"
    assert len(list(page.iter("li"))) == len(edits)


def test_an_empty_report_says_so() -> None:
    page = build_report("Nothing", [], [])
    assert any(p.text == "No changes." for p in page.iter("p"))


def test_json_has_the_same_groups_and_ids_as_the_report(tmp_path: Path) -> None:
    story = tmp_path / "lamp.txt"
    story.write_text(TEXT, encoding="utf-8")
    report = tmp_path / "lamp.html"
    result = CliRunner().invoke(app, ["clean", "-q", "--json", "--report", str(report), str(story)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["summary"]["words_changed"] == len(data["changes"])
    assert data["summary"]["suggestions"] == len(data["suggestions"])
    assert data["summary"]["typography"] == {f["rule"]: f["count"] for f in data["typography"]}
    page = lxml.html.fromstring(report.read_bytes())
    for key in ("changes", "suggestions"):
        section = page.get_element_by_id(key)
        assert [li.get("id") for li in section.iter("li")] == [e["id"] for e in data[key]]
    first = data["changes"][0]
    assert set(first) >= {"id", "rule", "before", "after", "applied", "message", "context"}
