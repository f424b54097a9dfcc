"""The Lamplight sample, written once per format, reads and builds into the same book.

Golden facts of the story (chapters, the scene break, the emphasis, the strong
word, the metadata) are checked on every built EPUB, and the books are
compared with each other. Titles differ on purpose ("(Markdown edition)"...)
so that `storybinder build` gives every sample its own file name.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storybinder.manifest import load_sidecar
from storybinder.model import Heading, Paragraph, SceneBreak, Story
from storybinder.readers import read_story

from .conftest import REPO
from .epub_inspect import NS, open_epub

SAMPLES = {
    "markdown": "lamplight-markdown-edition.md",
    "html": "lamplight-html-edition.html",
    "word": "lamplight-word-edition.docx",
    "bbcode": "lamplight-bbcode-edition.bbcode",
    "folder": "lamplight-folder-edition",
}
CHAPTERS = ["Chapter 1: The Last Lamp", "Chapter 2: Morning Oil"]
EMPHASIS = ["A hurried flame is a frightened flame,", "slowly"]
STRONG = ["tired"]
DESCRIPTION = "On the longest night of the year, a lamplighter’s apprentice finds the one lamp that will not stay lit."
EDITION = re.compile(r"\s*\((\w+) edition\)$", re.IGNORECASE)


def load(name: str) -> Story:
    """Read a sample as the pipeline does: the file, then its sidecar."""
    path = REPO / "stories" / name
    story = read_story(path)
    story.metadata = story.metadata.merged(load_sidecar(path))
    return story


def signature(story: Story) -> list:
    """Everything a reader would notice: chapters, their blocks, text and inline styles."""

    def block(b):
        if isinstance(b, Paragraph):
            return ("p", b.text, tuple((s.start, s.end, s.style, s.href) for s in b.spans), b.quoted)
        if isinstance(b, Heading):
            return ("h", b.text, b.level)
        assert isinstance(b, SceneBreak)
        return ("break",)

    return [(c.title, c.kind, [block(b) for b in c.blocks]) for c in story.chapters]


@pytest.mark.parametrize("fmt", SAMPLES)
def test_each_sample_reads_as_the_same_story(fmt):
    reference, story = load(SAMPLES["markdown"]), load(SAMPLES[fmt])
    assert signature(story) == signature(reference)
    meta = story.metadata
    assert EDITION.sub("", meta.title) == "Lamplight"
    assert EDITION.search(meta.title).group(1).lower() in (fmt, "word")
    assert [p.name for p in meta.authors] == ["Wren Calloway"]
    assert (meta.description, meta.tags, meta.language) == (DESCRIPTION, ("fantasy", "short story"), "en")


def test_the_story_has_what_the_samples_promise():
    story = load(SAMPLES["markdown"])
    assert [c.title for c in story.chapters] == CHAPTERS
    assert sum(isinstance(b, SceneBreak) for b in story.chapters[0].blocks) == 1
    spans = [(p.text[s.start : s.end], s.style.value) for c in story.chapters for p in c.blocks if isinstance(p, Paragraph) for s in p.spans]
    assert spans == [(EMPHASIS[0], "em"), (STRONG[0], "strong"), (EMPHASIS[1], "em")]


@pytest.fixture(scope="module")
def built(sample_books):
    """The Lamplight editions out of the session's no-argument `storybinder build` (conftest.py)."""
    stems = {Path(n).stem for n in SAMPLES.values()}
    return {slug: path for slug, path in sample_books.items() if slug in stems}


def test_every_sample_builds_its_own_book(built):
    assert sorted(built) == sorted(Path(n).stem for n in SAMPLES.values())


def chapter_docs(book):
    return [d for d in book.spine_docs() if any(t in "".join(d.itertext()) for t in ("Mira had lit", "Mira went back"))]


def inline(book, xpath: str) -> list[str]:
    return ["".join(e.itertext()) for d in chapter_docs(book) for e in d.xpath(xpath, namespaces=NS)]


@pytest.mark.parametrize("fmt", SAMPLES)
def test_built_book_golden_facts(built, fmt):
    book = open_epub(built[Path(SAMPLES[fmt]).stem])
    assert EDITION.sub("", book.title) == "Lamplight"
    assert book.creators == ["Wren Calloway"]
    assert book.description == DESCRIPTION
    assert book.meta("//dc:subject/text()") == ["fantasy", "short story"]
    assert book.meta("//dc:language/text()") == ["en"]
    assert [t for t in book.toc_titles() if t.startswith("Chapter")] == CHAPTERS
    assert len(chapter_docs(book)) == 2
    assert len(inline(book, "//*[@role='separator']")) == 1
    assert inline(book, "//x:em") == EMPHASIS
    assert inline(book, "//x:strong") == STRONG


def test_built_books_have_the_same_chapters_word_for_word(built):
    def body(path):
        return ["\n".join("".join(p.itertext()) for p in d.xpath("//x:p|//x:h1|//x:h2", namespaces=NS)) for d in chapter_docs(open_epub(path))]

    bodies = {fmt: body(built[Path(name).stem]) for fmt, name in SAMPLES.items()}
    for fmt, chapters in bodies.items():
        assert chapters == bodies["markdown"], fmt
