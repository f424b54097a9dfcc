"""`storybinder clean`: layout kept, options, report, JSON, in-place with backup."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from storybinder.clean_command import clean
from storybinder.cleanup import clean_story
from storybinder.model import Chapter, Heading, Metadata, Paragraph, Story

app = typer.Typer()
app.command()(clean)
runner = CliRunner()

TEXT = ' \t"Hello..." she said -- and  left.\n"Bye," he said.\n\n\nThe end.\n'


def test_stdin_to_stdout_keeps_the_layout() -> None:
    result = runner.invoke(app, ["-q", "-"], input=TEXT)
    assert result.exit_code == 0, result.output
    assert result.stdout == ' \t\u201cHello\u2026\u201d she said \u2014 and left.\n\u201cBye,\u201d he said.\n\n\nThe end.\n'


def test_hard_wrapped_paragraphs_keep_their_line_breaks() -> None:
    text = "He said, \"I will\ncome to-morrow.\" Then he\nleft the room.\n\n" * 3
    result = runner.invoke(app, ["-q", "-"], input=text)
    assert result.stdout.count("\n") == text.count("\n")
    assert "\u201cI will\ncome to-morrow.\u201d" in result.stdout


def test_in_place_keeps_a_backup(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(TEXT, encoding="utf-8")
    result = runner.invoke(app, ["-q", "--in-place", str(story)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "story.txt.bak").read_text(encoding="utf-8") == TEXT
    assert "\u2014" in story.read_text(encoding="utf-8")


def test_json_report_and_skip(tmp_path: Path) -> None:
    report = tmp_path / "edits.html"
    result = runner.invoke(app, ["-q", "--json", "--skip", "dashes", "--report", str(report), "-"], input=TEXT)
    data = json.loads(result.stdout)
    edits = [e for fold in data["typography"] for e in fold["edits"]] + data["changes"] + data["suggestions"]
    assert {e["rule"] for e in edits} >= {"quotes.curl", "ellipsis", "whitespace"}
    assert all(e["rule"] != "dashes" for e in edits)
    html = report.read_text(encoding="utf-8")
    assert "<del>" in html and "quotes.curl" in html


def test_unknown_rule_is_a_clear_error() -> None:
    result = runner.invoke(app, ["--rules", "nonsense", "-"], input=TEXT)
    assert result.exit_code == 1
    assert "unknown cleanup rule" in result.output


def test_clean_story_covers_titles_and_headings() -> None:
    story = Story(Metadata(), [Chapter("The 'Big' Day...", [Heading('"Part" one'), Paragraph("It was the the end.")])])
    result = clean_story(story)
    chapter = result.story.chapters[0]
    assert chapter.title == "The \u2018Big\u2019 Day\u2026"
    assert chapter.blocks[0].text == "\u201cPart\u201d one"
    assert chapter.blocks[1].text == "It was the end."
    assert len(result.contexts) == len(result.edits)
    # Without the report's contexts the cleaning itself is the same.
    lean = clean_story(story, with_contexts=False)
    assert lean.story == result.story and lean.edits == result.edits and lean.contexts == []


def test_help_names_every_rule() -> None:
    from storybinder.cleanup import RULES

    assert clean.__doc__ is not None
    for rule in RULES:
        assert rule.id in clean.__doc__


def test_clean_honours_the_sidecar_words(tmp_path: Path) -> None:
    story = tmp_path / "tale.txt"
    story.write_text("Anje Brandt wrote in green ink.\nThe letter was short.\n")
    from storybinder.cli import app

    without = CliRunner().invoke(app, ["clean", "--json", str(story)])
    (tmp_path / "tale.toml").write_text('words = ["Anje"]\n')
    with_words = CliRunner().invoke(app, ["clean", "--json", str(story)])
    assert "Anje" in without.stdout
    assert "Anje" not in with_words.stdout
