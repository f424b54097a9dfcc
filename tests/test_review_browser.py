"""`storybinder review` in a real browser: Debian's headless Chromium, driven by Playwright
(executable_path, as the shelf tests do), against the real review process on 127.0.0.1.

An author accepts one suggestion, rejects one fix, edits one and keeps a word, with the
keyboard and the buttons; the decisions file holds exactly those, the next build makes
exactly those changes and asks about nothing decided. Screenshots go to
STORYBINDER_SCREENSHOTS (or the test's temporary folder). The long-novel test prints how
fast the page opens and reacts (bench/review_speed.py measures; nothing is asserted).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storybinder.cli import app
from storybinder.review.store import load_decisions, review_path

from .epub_inspect import open_epub
from .review_helpers import review_process
from .review_samples import DECIDED_TEXT, UNDECIDED_TEXT, write_story


def _build(story: Path, out: Path, check_epub) -> tuple[str, dict]:
    result = CliRunner().invoke(app, ["build", str(story), "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    line = json.loads(result.stdout)["results"][0]
    book = check_epub(Path(line["output"]))
    return " ".join(open_epub(book).body_text().split()), line


def _item(page, original: str):
    return page.locator(f'li.item[data-original="{original}"]')


def _saved(page, count: int) -> None:
    """Wait until `count` decisions have come back saved."""
    page.wait_for_function("count => window.__saved >= count", arg=count)


def test_an_author_reviews_a_story_and_the_next_build_has_exactly_those_decisions(
        browser, screens, tmp_path, check_epub):
    story = write_story(tmp_path / "stories")
    before_text, before = _build(story, tmp_path / "before", check_epub)
    assert all(t in before_text for t in UNDECIDED_TEXT) and before["suggestions"] == 2

    with review_process(story) as (url, _):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(url)
        page.wait_for_selector('#review[data-ready="1"]')
        page.evaluate("window.__saved = 0; document.addEventListener('review:saved', () => window.__saved++)")
        page.screenshot(path=str(screens / "review-opened.png"), full_page=True)
        assert page.locator("li.item").count() == 5  # coled, glimer, recieved, beutiful, Their
        assert page.locator("details.fold").count() == 3  # quotes.curl, dashes, ellipsis: folded

        # j walks the list in order; k goes back.
        page.keyboard.press("j")
        assert page.locator("li.item.current").get_attribute("data-original") == "coled"
        page.keyboard.press("j")
        page.keyboard.press("k")
        assert page.locator("li.item.current").get_attribute("data-original") == "coled"

        # Reject a fix (r), accept a suggestion (a), edit a fix (e, type, Enter), keep a word (button).
        page.keyboard.press("r")
        _saved(page, 1)
        _item(page, "recieved").click()
        page.keyboard.press("a")
        _saved(page, 2)
        _item(page, "beutiful").click()
        page.keyboard.press("e")
        field = page.locator("#toolbar .edit-form input")
        assert field.input_value() == "beautiful"
        field.fill("bonny")
        field.press("Enter")
        _saved(page, 3)
        _item(page, "glimer").click()
        page.locator("#toolbar button.keep").click()
        _saved(page, 4)

        for original, state in (("coled", "rejected"), ("recieved", "accepted"), ("beutiful", "edited"),
                                ("glimer", "kept"), ("Their", "fix")):
            assert state in (_item(page, original).get_attribute("class") or "").split(), original
        # The preview shows the chapter as the book will: the edit is in it.
        preview = page.frame_locator("#preview")
        preview.locator("text=a bonny day").wait_for()
        assert "It was coled outside" in preview.locator("body").inner_text()
        page.screenshot(path=str(screens / "review-decided.png"), full_page=True)

        # A typography fold opens to its items.
        page.locator('details.fold[data-rule="quotes.curl"] summary').click()
        page.locator('details.fold[data-rule="quotes.curl"] li.item').first.wait_for()
        assert page.locator('details.fold[data-rule="quotes.curl"] li.item').count() == 2

        # Reloaded, the page asks about nothing decided: no suggestion waits, the word shows as kept.
        page.reload()
        page.wait_for_selector('#review[data-ready="1"]')
        assert page.locator("li.item.suggestion").count() == 0
        assert "kept" in (_item(page, "glimer").get_attribute("class") or "").split()
        page.screenshot(path=str(screens / "review-reloaded.png"), full_page=True)
        assert not errors, errors
        page.close()

    decisions = load_decisions(review_path(story))
    assert decisions.words == ("glimer",)
    assert sorted((d.rule, d.original, d.action, d.text) for d in decisions.items) == [
        ("spelling.common", "beutiful", "edit", "bonny"),
        ("spelling.common", "coled", "reject", ""),
        ("spelling.common", "recieved", "accept", ""),
    ]

    # The next review asks about nothing decided: the kept word is not even listed.
    with review_process(story) as (url, _):
        page = browser.new_page()
        page.goto(url)
        page.wait_for_selector('#review[data-ready="1"]')
        assert page.locator("li.item.suggestion").count() == 0 and _item(page, "glimer").count() == 0
        assert page.locator("li.item.fix").count() == 1  # Their -> There, never decided
        page.close()

    after_text, after = _build(story, tmp_path / "after", check_epub)
    assert all(t in after_text for t in DECIDED_TEXT), after_text
    assert after["suggestions"] == 0 and not after["warnings"]
    # Exactly those changes: undo the three decided words and the books' texts are the same.
    undone = after_text.replace("coled", "cold").replace("received letter", "recieved letter").replace("bonny", "beautiful")
    assert undone == before_text


def test_a_long_novel_opens_and_reacts(browser, screens, tmp_path, capsys):
    """About 150,000 words and 2,000 listed changes: the figures are printed (and kept beside the screenshots)."""
    from bench.review_speed import measure, report, typo_novel

    novel = typo_novel(tmp_path)
    with review_process(novel) as (url, _):
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        figures = measure(page, url, rounds=3)
        items = page.locator("li.item").count()
        page.screenshot(path=str(screens / "review-novel.png"))
        page.close()
    assert items > 1000  # the page lists them all (typography folded)
    lines = report(figures, items)
    (screens / "review-speed.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with capsys.disabled():
        print("\n" + "\n".join(lines))


def test_an_anthology_is_reviewed_story_by_story_with_rule_and_word_decisions(browser, screens, tmp_path, check_epub):
    import shutil

    from .conftest import REPO

    shutil.copytree(REPO / "stories", tmp_path / "stories")
    folder = tmp_path / "stories"
    book = folder / "book.toml"
    with review_process(book) as (url, _):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        page.wait_for_selector('#review[data-ready="1"]')
        page.evaluate("window.__saved = 0; document.addEventListener('review:saved', () => window.__saved++)")
        assert page.locator("section.story h2").all_inner_texts() == [
            "The Lighthouse Keeper's Cat", "Letters from the Orchard", "The Clockmaker's Apprentice"]

        # All of one rule in one story: the second story's curled quotes, rejected from their fold.
        fold = page.locator('#story-1 details.fold[data-rule="quotes.curl"]')
        fold.locator("summary").click()
        fold.locator("li.item").first.wait_for()
        fold.locator('.rule-actions button[data-act="reject"]').click()
        _saved(page, 1)
        assert fold.locator("li.item.rejected").count() == fold.locator("li.item").count() == 21
        fold.locator("li.item").first.click()
        # The preview shows that story's chapter, its quotes straight.
        page.wait_for_function("""() => { const doc = document.querySelector('#preview').contentDocument;
            return doc && doc.readyState === 'complete' && doc.location.pathname.startsWith('/preview/1/')
                && doc.body.innerText.includes('"') && !doc.body.innerText.includes('\\u201c'); }""")

        # All of one word, from now on: the first story's "untill".
        page.locator('#story-0 li.item[data-original="untill"]').click()
        page.locator('#toolbar .word-actions button[data-act="accept"]').click()
        _saved(page, 2)
        assert "accepted" in page.locator('#story-0 li.item[data-original="untill"]').get_attribute("class").split()
        page.screenshot(path=str(screens / "review-anthology.png"), full_page=True)
        page.close()

    letters = load_decisions(review_path(folder / "letters-from-the-orchard.txt"))
    assert len(letters.items) == 21 and {(d.rule, d.action) for d in letters.items} == {("quotes.curl", "reject")}
    cat = load_decisions(review_path(folder / "the-lighthouse-keepers-cat.txt"))
    assert [(d.original, d.action, d.everywhere) for d in cat.items] == [("untill", "accept", True)]
    assert not review_path(folder / "the-clockmakers-apprentice.txt").exists()

    result = CliRunner().invoke(app, ["build", str(book), "-o", str(tmp_path / "books"), "--json"])
    assert result.exit_code == 0, result.output
    line = json.loads(result.stdout)["results"][0]
    assert not line["warnings"]
    docs = open_epub(check_epub(Path(line["output"]))).spine_docs()
    text = " ".join(" ".join("".join(doc.itertext()).split()) for doc in docs)
    # The second story's quotes as typed, the others' curled; the word decided everywhere fixed.
    assert '"Your branches," the letter said, "are in my gutters again."' in text
    assert "\u201c" in text and "untill" not in text
