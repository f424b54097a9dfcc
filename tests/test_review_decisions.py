"""Review decisions beside the story: kept in NAME.review.toml, found again after edits, applied by build and clean."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storybinder.cleanup import CleanOptions, clean_text_in_context
from storybinder.cli import app
from storybinder.review.decisions import DecisionMatcher, Decisions, decision_for
from storybinder.review.store import decisions_toml, load_decisions, review_path, save_decisions
from tests.epub_inspect import open_epub
from tests.review_samples import DECIDED_TEXT, STORY, UNDECIDED_TEXT, write_story

TEXT = "Marren walked to the mill. It was coled outside.\n\nHe had a recieved letter and a beutiful day to read it in.\n"


def _clean(text: str, decisions: Decisions) -> tuple[str, list, DecisionMatcher]:
    matcher = DecisionMatcher(decisions)
    cleaned, edits, _ = clean_text_in_context(text, CleanOptions(decide=matcher, words=decisions.words))
    return cleaned, edits, matcher


def _decide(text: str, before: str, action: str, new: str = "", **kw) -> Decisions:
    """A decision about the change of `before` in `text`, made as the review page makes it."""
    _, edits, contexts = clean_text_in_context(text)
    for edit, (left, right) in zip(edits, contexts):
        if edit.before == before:
            return Decisions((decision_for(edit.rule, edit.before, edit.after, left, right, action, new, **kw),))
    raise AssertionError(f"the cleaner does not touch {before!r}: {[e.before for e in edits]}")


def test_each_action_settles_its_change():
    rejected, _, _ = _clean(TEXT, _decide(TEXT, "coled", "reject"))
    assert "It was coled outside" in rejected
    accepted, edits, _ = _clean(TEXT, _decide(TEXT, "recieved", "accept"))
    assert "a received letter" in accepted
    assert [e.decision for e in edits if e.before == "recieved"] == ["accept"]
    edited, _, _ = _clean(TEXT, _decide(TEXT, "beutiful", "edit", "bonny"))
    assert "a bonny day" in edited
    plain, edits, _ = _clean(TEXT, Decisions())
    assert "It was cold outside" in plain and "a recieved letter" in plain and "a beautiful day" in plain
    assert [e.before for e in edits if e.waiting] == ["recieved"]


def test_a_decision_survives_a_paragraph_inserted_above_and_words_edited_nearby():
    decisions = _decide(TEXT, "coled", "reject")
    moved = "A new first paragraph, written later.\n\n" + TEXT
    cleaned, _, matcher = _clean(moved, decisions)
    assert "It was coled outside" in cleaned and not matcher.stale()
    nearby = TEXT.replace("walked to the mill", "walked down to the old mill")
    cleaned, _, matcher = _clean(nearby, decisions)
    assert "It was coled outside" in cleaned and not matcher.stale()


def test_a_decision_whose_text_changed_is_stale_and_not_applied():
    decisions = _decide(TEXT, "coled", "reject")
    rewritten = TEXT.replace("It was coled outside", "Outside, the air was bitter")
    _, _, matcher = _clean(rewritten, decisions)
    assert [d.original for d in matcher.stale()] == ["coled"]
    # Elsewhere in the story the same word, in other words: not the decided place.
    elsewhere = "The cellar was coled and dark, they said, as always.\n"
    _, edits, matcher = _clean(elsewhere, decisions)
    assert [e.decision for e in edits if e.before == "coled"] == [""] and matcher.stale()


def test_an_everywhere_decision_holds_for_every_occurrence():
    text = "At dawn the the mill was dark.\n\nBy noon the orchard was still, and the the mill was quiet.\n"
    decisions = _decide(text, " the", "reject", everywhere=True)
    cleaned, edits, matcher = _clean(text, decisions)
    assert cleaned.count("the the mill") == 2 and not matcher.stale()
    assert [e.decision for e in edits if e.rule == "spelling.doubled"] == ["reject", "reject"]


def test_the_decisions_file_is_readable_toml_that_round_trips(tmp_path):
    story = tmp_path / "odd.txt"
    decisions = Decisions(
        (decision_for("spelling.common", 'say "hi"', "x", 'back\\slash\n\ttab “curly” ', " é\u0007", "edit", "new\nline"),
         decision_for("spelling.common", "coled", "cold", "", "", "reject", everywhere=True)),
        ("glimer", "Ünïcode"),
    )
    path = review_path(story)
    assert path.name == "odd.review.toml"
    save_decisions(path, decisions, story.name)
    assert load_decisions(path) == decisions
    text = path.read_text(encoding="utf-8")
    assert 'words = ["glimer", "Ünïcode"]' in text and "[[decision]]" in text and 'action = "reject"' in text
    assert text == decisions_toml(decisions, story.name)


@pytest.mark.parametrize("content, message", [
    ("[[decision]]\nrule = 'x'\noriginal = 'y'\naction = 'maybe'\n", "action must be one of"),
    ("[[decision]]\nrule = 'x'\naction = 'accept'\n", "has no `original`"),
    ("words = 'glimer'\n", "`words` must be a list"),
    ("[[decision]\n", "malformed TOML"),
])
def test_a_broken_decisions_file_is_one_line_naming_it(tmp_path, content, message):
    story = write_story(tmp_path)
    review_path(story).write_text(content, encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(story), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "glimer.review.toml" in result.output and message in result.output


def _story_decisions(story: Path) -> Decisions:
    """The four decisions the browser test makes, made here from the build's own edits."""
    from storybinder.pipeline import BuildOptions, prepare_book
    from storybinder.sources import Job

    prepared = prepare_book(Job("story", story), BuildOptions(report_dir=story.parent), lambda w: None)
    wanted = {"coled": ("reject", ""), "recieved": ("accept", ""), "beutiful": ("edit", "bonny")}
    decisions = Decisions(words=("glimer",))
    for edit, (left, right) in zip(prepared.edits, prepared.contexts):
        if edit.before in wanted:
            action, text = wanted.pop(edit.before)
            decisions = decisions.decide(decision_for(edit.rule, edit.before, edit.after, left, right, action, text))
    assert not wanted
    return decisions


def _book_text(out: Path, check_epub) -> str:
    """The book's text; a copy of the book goes to EPUBCheck (the next build replaces it in `out`)."""
    books = sorted(out.glob("*.epub"))
    assert len(books) == 1
    kept = out.parent / f"checked-{len(list(out.parent.glob('checked-*.epub')))}.epub"
    shutil.copy(books[0], kept)
    check_epub(kept)
    return " ".join(open_epub(books[0]).body_text().split())


def test_build_applies_the_decisions_and_asks_only_what_is_new(tmp_path, check_epub):
    story = write_story(tmp_path / "stories")
    out = tmp_path / "books"
    runner = CliRunner()
    result = runner.invoke(app, ["build", str(story), "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    plain = _book_text(out, check_epub)
    assert all(t in plain for t in UNDECIDED_TEXT)
    assert json.loads(result.stdout)["results"][0]["suggestions"] == 2  # recieved, glimer

    save_decisions(review_path(story), _story_decisions(story), story.name)
    result = runner.invoke(app, ["build", str(story), "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    line = json.loads(result.stdout)["results"][0]
    assert line["status"] == "built"  # the decisions file is one of the book's inputs
    assert line["suggestions"] == 0 and not line["warnings"]
    decided = _book_text(out, check_epub)
    assert all(t in decided for t in DECIDED_TEXT), decided
    # Nothing else changed: the two books differ exactly in the decided words.
    assert decided.replace("coled", "cold").replace("received", "recieved").replace("bonny", "beautiful") == plain

    # A paragraph inserted above every decision: all still hold.
    story.write_text(STORY.replace("Chapter 1: The Mill\n", "Chapter 1: The Mill\n\nA paragraph added later.\n"))
    result = runner.invoke(app, ["build", str(story), "-o", str(out)])
    assert result.exit_code == 0 and "warning" not in result.output, result.output
    assert all(t in _book_text(out, check_epub) for t in DECIDED_TEXT)

    # The decided words rewritten: those decisions are stale, reported, and not applied.
    story.write_text(STORY.replace("It was coled outside", "The air outside was bitter"))
    result = runner.invoke(app, ["build", str(story), "-o", str(out)])
    assert result.exit_code == 0, result.output
    stale = [line for line in result.output.splitlines() if "no longer matches" in line]
    assert len(stale) == 1 and "glimer.review.toml" in stale[0] and "coled" in stale[0], result.output
    text = _book_text(out, check_epub)
    assert "The air outside was bitter" in text and "a received letter and a bonny day" in text  # the rest still hold


def test_clean_applies_the_decisions_and_shows_them_in_json(tmp_path):
    story = write_story(tmp_path)
    decisions = _story_decisions(story)
    save_decisions(review_path(story), decisions, story.name)
    result = CliRunner().invoke(app, ["clean", str(story), "--json", "-q"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["review"]["kept_words"] == ["glimer"] and data["review"]["stale"] == []
    decided = {(i["before"], i["after"], i["decision"]) for i in data["decided"]}
    assert decided == {("coled", "cold", "reject"), ("recieved", "received", "accept"), ("beutiful", "bonny", "edit")}
    assert data["summary"]["decided"] == 3 and not data["suggestions"]
    text = CliRunner().invoke(app, ["clean", str(story), "-q"]).stdout
    assert all(t in text for t in DECIDED_TEXT)


@pytest.mark.parametrize("name, text", [
    ("glimer.html", "<html><head><title>The Glimer Lantern</title></head><body><h1>Chapter 1</h1>"
                    "<p>Marren walked to the <em>mill</em>. It was coled outside, and the wind was up.</p>"
                    "<p>He had a recieved letter and a beutiful day to read it in.</p></body></html>"),
    ("glimer.md", "# Chapter 1\n\nMarren walked to the *mill*. It was coled outside, and the wind was up.\n\n"
                  "He had a recieved letter and a beutiful day to read it in.\n"),
])
def test_decisions_made_on_the_story_hold_for_clean_in_any_format(tmp_path, name, text):
    from storybinder.review.loading import load_review

    story = tmp_path / name
    story.write_text(text, encoding="utf-8")
    session = load_review(story, lambda w: None)
    listing = session.listing()
    ids = {item.original: item.id for item in listing.items.values()}
    session.decide(listing.generation, [ids["coled"]], "reject")
    session.decide(listing.generation, [ids["recieved"]], "accept")
    result = CliRunner().invoke(app, ["clean", str(story), "-q"])
    assert result.exit_code == 0, result.output
    assert "It was coled outside" in result.stdout and "a received letter and a beautiful day" in result.stdout
    assert ("<em>mill</em>" if name.endswith(".html") else "*mill*") in result.stdout  # the markup kept
    data = json.loads(CliRunner().invoke(app, ["clean", str(story), "--json", "-q"]).stdout)
    assert {(i["before"], i["decision"]) for i in data["decided"]} == {("coled", "reject"), ("recieved", "accept")}
    assert not data["review"]["stale"]


def test_every_curled_quote_rejected_holds_each_at_its_place():
    """Hundreds of decisions about one character ('"') in much the same words: each finds its own place."""
    text = "\n\n".join(f'"Then we wait," she said. "It is day {n}."' for n in range(300)) + "\n"
    _, edits, contexts = clean_text_in_context(text)
    # As the page makes them: one decision per place (a place said twice in the same words is one).
    decisions = Decisions().update(decision_for(e.rule, e.before, e.after, left, right, "reject")
                                   for e, (left, right) in zip(edits, contexts) if e.rule == "quotes.curl")
    assert len(decisions.items) > 600
    cleaned, edits, matcher = _clean(text, decisions)
    assert cleaned == text and not matcher.stale()
    assert {e.decision for e in edits if e.rule == "quotes.curl"} == {"reject"}
