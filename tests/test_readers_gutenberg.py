"""Project Gutenberg books: header and licence out, metadata in, contents, chapters, stories, verse.

The inputs are our own PG-shaped books (tests/gutenberg_samples.py).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storybinder.check import check_books
from storybinder.cli import app
from storybinder.model import Story, Verse
from storybinder.readers import read_story, reader_for
from tests import gutenberg_samples as samples

PG_WORDS = re.compile(r"project gutenberg|gutenberg\.org|start of th|end of th|small print|etext", re.IGNORECASE)


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _all_text(story: Story, kinds: tuple[str, ...] = ("chapter", "front")) -> str:
    return "\n".join(
        [c.title or "" for c in story.chapters if c.kind in kinds]
        + [getattr(b, "text", "") for c in story.chapters if c.kind in kinds for b in c.blocks]
    )


def _build(tmp_path: Path, source: Path, check_epub) -> Path:
    out = tmp_path / "books"
    result = CliRunner().invoke(app, ["build", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    [book] = out.glob("*.epub")
    check_epub(book)
    report = check_books([book], epubcheck=False).reports[0]
    assert not report.findings, [str(f) for f in report.findings]
    return book


def test_pg_text_is_read_by_the_gutenberg_reader_with_its_header_fields(tmp_path):
    path = _write(tmp_path, "90210-0.txt", samples.modern_text())
    assert reader_for(path).__name__.endswith("gutenberg")
    story = read_story(path)
    meta = story.metadata
    assert meta.title == "The Lamplighter's Almanac"
    assert meta.subtitle == "A Winter in Three Streets"
    assert [a.name for a in meta.authors] == ["Maren Holt"]
    assert [(p.name, p.role) for p in meta.contributors] == [("Ivo Brandt", "ill")]
    assert meta.language == "en"
    assert meta.date == "2009-03-03"
    assert meta.source_url == "https://www.gutenberg.org/ebooks/90210"


def test_header_licence_credits_contents_and_illustrations_stay_out_of_the_book(tmp_path):
    story = read_story(_write(tmp_path, "90210-0.txt", samples.modern_text()))
    text = _all_text(story, ("chapter", "front", "notes"))
    assert not PG_WORDS.search(text), PG_WORDS.search(text)
    assert "Produced by" not in text and "[Illustration" not in text and "LIST OF ILLUSTRATIONS" not in text
    assert "CONTENTS" not in text
    # The contents list names three chapters: three chapters, not three more one-line ones.
    assert [c.title for c in story.chapters if c.kind == "chapter"] == [
        "CHAPTER I. The Frost Fair",
        "CHAPTER II. A Ladder in Bell Street",
        "CHAPTER III. The Song of the Wick",
    ]
    # A headed preface is front matter; the transcriber's note is set apart at the end.
    assert [(c.kind, c.title) for c in story.chapters if c.kind != "chapter"] == [
        ("front", "PREFACE"),
        ("notes", "Transcriber's Note"),
    ]
    assert "spells Bell Street" in _all_text(story, ("notes",))


def test_wrapped_lines_keep_hyphenated_words_whole(tmp_path):
    story = read_story(_write(tmp_path, "90210-0.txt", samples.modern_text()))
    text = _all_text(story)
    assert "well-known fact" in text  # a compound split at the line end stays one
    assert "a beautiful muddle" in text  # a word split at the line end is joined
    assert "a third time to-day, to nobody" in text  # the book writes to-day
    assert not re.search(r"\w- \w", text)


def test_the_poem_keeps_its_lines_stanzas_and_indents(tmp_path):
    story = read_story(_write(tmp_path, "90210-0.txt", samples.modern_text()))
    stanzas = [b for c in story.chapters for b in c.blocks if isinstance(b, Verse)]
    assert len(stanzas) == 2
    assert stanzas[0].lines == [
        '"Light the lamp in Tanner\'s Row,',
        "Light the lamp in Bell,",
        "Light the one above the baker's",
        "Where the loaves are sold as well;",
    ]
    assert stanzas[0].indents == (0, 1, 0, 1)


def test_the_oldest_header_form(tmp_path):
    story = read_story(_write(tmp_path, "lamp10.txt", samples.old_style_text()))
    assert story.metadata.title == "The Lamplighter's Almanac"
    assert [a.name for a in story.metadata.authors] == ["Maren Holt"]
    assert len([c for c in story.chapters if c.kind == "chapter"]) == 3
    assert not PG_WORDS.search(_all_text(story, ("chapter", "front", "notes")))


def test_an_iso_8859_1_file(tmp_path):
    story = read_story(_write(tmp_path, "90211-8.txt", samples.latin1_text()))
    assert story.metadata.title == "Café Lumière"
    assert [a.name for a in story.metadata.authors] == ["Aurélie Brun"]
    assert story.metadata.language == "fr"
    assert [c.title for c in story.chapters] == ["CHAPITRE I.", "CHAPITRE II."]
    assert "Élise attendait" in _all_text(story)


def test_a_collection_nests_each_story_over_its_sections(tmp_path, check_epub):
    path = _write(tmp_path, "ferry.txt", samples.collection_text())
    story = read_story(path)
    assert [(c.level, c.title) for c in story.chapters if c.level == 1] == [(1, t) for t in samples.STORY_TITLES]
    assert sum(c.level == 2 for c in story.chapters) == 6
    book = _build(tmp_path, path, check_epub)
    with zipfile.ZipFile(book) as z:
        nav = z.read("EPUB/nav.xhtml").decode()
    toc = nav.split('epub:type="landmarks"')[0]
    # The contents: title page and the three stories at the top, each with its two sections.
    top = re.findall(r"<li>\s*<a href=\"[^\"]+\">([^<]+)</a>\s*(<ol>)?", toc)
    titles = [t.replace("\u2019", "'") for t, _ in top if t not in ("I.", "II.")]  # the cleaner curls apostrophes
    assert titles == ["Title Page", *samples.STORY_TITLES]
    assert toc.count("<ol>") == 1 + 3


def test_a_collection_s_contents_entries_head_its_stories_not_its_sections(tmp_path):
    story = read_story(_write(tmp_path, "ferry.txt", samples.numbered_collection_text()))
    assert [(c.level, c.title) for c in story.chapters] == [
        (level, title)
        for n, story_title in enumerate(samples.STORY_TITLES)
        for level, title in [(1, f"{['I.', 'II.', 'III.'][n]} {story_title}"), (2, "I."), (2, "II.")]
    ]


def test_chapters_numbered_in_digits_after_letters_are_all_found(tmp_path):
    # Frankenstein's shape: "Letter 1".."Letter 4", then "Chapter 1".."Chapter 24", listed in one block.
    story = read_story(_write(tmp_path, "ice.txt", samples.letters_and_numbered_chapters_text(letters=2, chapters=3)))
    assert [c.title for c in story.chapters if c.kind == "chapter"] == [
        "Letter 1", "Letter 2", "Chapter 1", "Chapter 2", "Chapter 3"
    ]
    assert story.metadata.title == "The Ice Letters"


def test_a_copy_with_its_header_cut_off_still_loses_the_licence_and_is_named_by_the_end_line(tmp_path):
    path = _write(tmp_path, "almanac.txt", samples.headless_text())
    assert reader_for(path).__name__.endswith("gutenberg")
    story = read_story(path)
    assert story.metadata.title == "The Lamplighter's Almanac, A Winter in Three Streets"
    assert [p.name for p in story.metadata.authors] == ["Maren Holt"]
    assert not PG_WORDS.search(_all_text(story, ("chapter", "front", "notes")))
    assert [c.title for c in story.chapters if c.kind == "chapter"][0].startswith("CHAPTER I.")


def test_a_contents_colon_and_a_title_spelt_otherwise_in_the_body(tmp_path):
    # Peter Pan's shape: "Contents:" with a colon; one chapter's title spelt otherwise in the body.
    heads = ["Chapter 1 THE FERRY", "Chapter 2 THE WEAVER'S BARGAIN", "Chapter 3 THE CLOCK"]
    body_heads = ["Chapter 1 THE FERRY", "Chapter 2 THE WEAVERS' BARGAIN", "Chapter 3 THE CLOCK"]
    text = (
        samples.HEADER + "\n\nTALES OF THE FERRY\n\nBy Maren Holt\n\n\n\nContents:\n\n" + "\n\n".join(heads) + "\n\n\n\n"
        + "".join(f"{h}\n\nThe ferryman counted the fares twice, as he always had done.\n\n\n\n" for h in body_heads)
        + samples.LICENCE
    )
    story = read_story(_write(tmp_path, "ferry.txt", text))
    assert [c.title for c in story.chapters if c.kind == "chapter"] == body_heads
    assert all(c.blocks for c in story.chapters if c.kind == "chapter")


def test_a_chapter_heading_set_in_an_illustration_caption_is_kept(tmp_path):
    text = samples.modern_text().replace("\nCHAPTER II.\n", "\n[Illustration: A ladder\n\nCHAPTER II.]\n")
    story = read_story(_write(tmp_path, "90210-0.txt", text))
    assert [c.title for c in story.chapters if c.kind == "chapter"][1] == "CHAPTER II. A Ladder in Bell Street"


def test_a_pg_book_builds_clean_with_its_real_title(tmp_path, check_epub):
    book = _build(tmp_path, _write(tmp_path, "90210-0.txt", samples.modern_text()), check_epub)
    with zipfile.ZipFile(book) as z:
        opf = z.read("EPUB/content.opf").decode()
        pages = {n: z.read(n).decode() for n in z.namelist() if n.startswith("EPUB/ch_")}
    assert re.search(r"<dc:title[^>]*>The Lamplighter\u2019s Almanac</dc:title>", opf)
    assert re.search(r"<dc:creator[^>]*>Maren Holt</dc:creator>", opf)
    assert "<dc:source>https://www.gutenberg.org/ebooks/90210</dc:source>" in opf
    body = " ".join(re.sub(r"<[^>]+>", " ", p) for p in pages.values())
    assert not PG_WORDS.search(body)
    assert any('class="poem"' in p for p in pages.values())


def test_the_html_edition(tmp_path, check_epub):
    path = _write(tmp_path, "pg90210-images.html", samples.html_edition())
    assert reader_for(path).__name__.endswith("gutenberg")
    story = read_story(path)
    assert story.metadata.title == "The Lamplighter's Almanac"  # not "The Project Gutenberg eBook of ..."
    assert [a.name for a in story.metadata.authors] == ["Maren Holt"]
    assert story.metadata.source_url == "https://www.gutenberg.org/ebooks/90210"
    assert [c.title for c in story.chapters if c.kind == "chapter"] == [
        "CHAPTER I. The Frost Fair",
        "CHAPTER II. A Ladder in Bell Street",
        "CHAPTER III. The Song of the Wick",
    ]
    text = _all_text(story)
    assert not PG_WORDS.search(text) and "[Pg 1]" not in text and "ladder." not in text.split("Frost Fair")[0]
    stanzas = [b for c in story.chapters for b in c.blocks if isinstance(b, Verse)]
    assert [len(s.lines) for s in stanzas] == [4, 4] and stanzas[1].indents == (0, 1, 0, 1)
    assert [b.text for b in story.chapters[-1].blocks] == ["Bell Street is spelled with a capital S throughout."]
    _build(tmp_path, path, check_epub)


@pytest.mark.parametrize("name", ["story.txt", "story.html"])
def test_other_files_are_not_taken_for_pg_books(tmp_path, name):
    path = _write(tmp_path, name, "My Story\n\nBy Someone\n\nI read a Project Gutenberg book once.\n")
    assert not reader_for(path).__name__.endswith("gutenberg")


def test_chapters_numbered_by_bare_digits_under_parts_take_the_title_line_below(tmp_path):
    # Treasure Island's shape: contents "1.  THE FERRY . . . 11" under "PART ONE"; in the body a bare
    # "1", then the title in mixed case (one of them in quotation marks, one long), under "PART ONE--The River".
    titles = ["The Ferry at Dawn", "“Fares Twice Over”", "Narrative Continued by the Ferryman: How the Clock Ran Backwards"]
    contents = "\n".join(
        ["     PART ONE", "     The River", ""]
        + [f"     {n}.  {t.upper()} . . . .  {10 + 6 * n}" for n, t in enumerate(titles, 1)]
    )
    body = "PART ONE--The River\n\n\n\n\n" + "".join(
        f"{n}\n\n{t}\n\nTHE ferryman counted the fares twice, as he always had done, and\nwrote {n * 3} in the book.\n\n\n\n"
        for n, t in enumerate(titles, 1)
    )
    text = samples.HEADER + "\n\nTALES OF THE FERRY\n\nby Maren Holt\n\n\n\n     CONTENTS\n\n" + contents + "\n\n\n\n" + body
    story = read_story(_write(tmp_path, "ferry.txt", text + samples.LICENCE))
    assert [(c.level, c.title) for c in story.chapters if c.kind == "chapter"] == [
        (1, "PART ONE--The River"), *[(2, t) for t in titles]
    ]
    # the number and the title line are the heading, not the chapter's first paragraphs
    assert all(c.blocks[0].text.startswith("THE ferryman") for c in story.chapters if c.level == 2)


def test_a_bare_number_with_no_title_under_it_is_no_heading(tmp_path):
    # A number alone on its line inside a chapter (a page or a verse number) does not start a chapter.
    text = samples.modern_text().replace("\nCHAPTER II.\n", "\n17\n\nthe page went on.\n\nCHAPTER II.\n", 1)
    before = [c.title for c in read_story(_write(tmp_path, "a.txt", samples.modern_text())).chapters]
    assert [c.title for c in read_story(_write(tmp_path, "b.txt", text)).chapters] == before


def test_a_dedication_and_an_epigraph_poem_before_the_contents_open_the_book(tmp_path):
    # Treasure Island's shape: a dedication paragraph and a poem between the title block and the contents.
    opening = (
        "THE LANTERN\n\nby Maren Holt\n\n\n\nTo my sister, who read every page of this by lamplight and\n"
        "said nothing unkind about any of them, this book is given back.\n\n\n\n"
        "          If ferries ran by clocks, and clocks by tides,\n             And tides ran by the moon,\n"
        "          Then every fare the ferryman decides\n             Would fall due late or soon.\n\n\n\n"
        "Copyright, 1911, by Maren Holt, according to Act of Congress\n\n\n\n"
    )
    text = samples.modern_text().replace("\n\n\n\nPREFACE\n", "\n\n\n\n" + opening + "PREFACE\n", 1)
    story = read_story(_write(tmp_path, "lantern.txt", text))
    assert [c.title for c in story.chapters[:2]] == [None, "PREFACE"]
    [front] = [c for c in story.chapters if c.kind == "front" and c.title is None]
    words = " ".join(getattr(b, "text", "") for b in front.blocks)
    assert "To my sister" in words and "If ferries ran by clocks" in words
    assert "Copyright" not in words and "Maren Holt" not in words  # the imprint and the byline are no text
    assert any(isinstance(b, Verse) for b in front.blocks)


def test_chapters_a_copy_left_unheaded_before_the_first_heading_are_kept(tmp_path):
    # A copy whose first chapters lost their headings: their text opens the book instead of vanishing.
    unheaded = "".join(
        f"The ferryman counted the fares twice on day {n}, as he always had done, and wrote them in\n"
        "the book with the green cover that his father had kept before him.\n\n" for n in range(120)
    )
    book = samples.modern_text()
    preface = book.index("\n\n\n\nPREFACE\n")
    text = book[:preface] + "\n\n\n\n" + unheaded + book[book.index("\n\n\n\nCHAPTER I.\n", preface) :]
    story = read_story(_write(tmp_path, "ferry.txt", text))
    first = story.chapters[0]
    assert first.kind == "chapter" and first.title is None and first.blocks[0].text.startswith("The ferryman counted")
    assert len(first.blocks) == 120


def _pg_book(opening: str, body: str) -> str:
    return samples.HEADER + "\n\nTALES OF THE FERRY\n\nby Maren Holt\n\n\n\n" + opening + "\n\n\n\n" + body + samples.LICENCE


PROSE = "The ferryman counted the fares twice, as he always had done, and wrote\nthem in the book with the green cover that his father had kept, and his\nfather's father before him.\n\n"


def test_a_contents_list_with_a_blank_line_between_entries_ends_where_the_first_entry_comes_again(tmp_path):
    # Jekyll and Hyde's shape: one entry per paragraph, the first heading two blank lines below the list.
    titles = ["THE FERRY AT DAWN", "FARES TWICE OVER", "THE GREEN BOOK"]
    contents = "Contents\n\n\n" + "\n\n".join(f" {t}" for t in titles)
    body = "\n\n\n".join(f"{t}\n\n{PROSE * 3}" for t in titles)
    story = read_story(_write(tmp_path, "ferry.txt", _pg_book(contents + "\n\n\n" + body, "")))
    assert [c.title for c in story.chapters] == titles


def test_a_dedication_and_an_epigraph_between_the_contents_and_the_first_chapter_open_the_book(tmp_path):
    # The Great Gatsby's shape: numerals for contents, then a centred dedication and a stanza with its
    # attribution, and only then the first numeral again: they are the author's, not more entries.
    contents = "                 Table of Contents\n\nI\nII\nIII"
    dedication = "                     For the night\n                          to\n                     the ferry"
    stanza = (
        "  Count the fares twice, if the river asks it;\n  Count them at dawn, and again at dark,\n"
        "  Till the green book says \u201cEnough, ferryman,\n  Enough!\u201d\n\n  Anselm Varro"
    )
    body = "\n\n\n".join(f"                     {n}\n\n{PROSE * 3}" for n in ("I", "II", "III"))
    text = _pg_book(f"{contents}\n\n\n{dedication}\n\n{stanza}\n\n\n{body}", "")
    story = read_story(_write(tmp_path, "ferry.txt", text))
    assert [c.title for c in story.chapters] == [None, "I", "II", "III"]
    opening = " ".join(getattr(b, "text", "") for b in story.chapters[0].blocks)
    assert "For the night" in opening and "Count the fares twice" in opening and "Anselm Varro" in opening
    assert "Table of Contents" not in _all_text(story)


def test_a_line_opening_with_i_apostrophe_is_not_the_numeral_i(tmp_path):
    # The Great Gatsby's shape: contents "I".."III"; a dialogue line "I've got..." is no chapter I.
    contents = "                           Table of Contents\n\nI\nII\nIII"
    body = "\n\n\n".join(
        f"                                  {n}\n\n“I’ve got a nice place here,” he said to the ferryman,\nand he went on.\n\n{PROSE * 2}"
        for n in ("I", "II", "III")
    )
    story = read_story(_write(tmp_path, "ferry.txt", _pg_book(contents + "\n\n\n" + body, "")))
    assert [c.title for c in story.chapters] == ["I", "II", "III"]
    assert all(c.blocks[0].text.startswith("“I’ve got") for c in story.chapters)


def test_contents_that_name_only_the_parts_still_give_the_chapters_inside_them(tmp_path):
    # Gulliver's Travels' shape: the contents list a letter and the parts; each part has CHAPTER I., II.
    contents = "Contents\n\n\n THE FERRYMAN TO THE READER.\n PART I. A VOYAGE UPRIVER.\n PART II. A VOYAGE DOWNRIVER."
    body = "THE FERRYMAN TO THE READER.\n\n" + PROSE + "\n\n\n" + "".join(
        f"PART {p}. A VOYAGE {way}.\n\n\nCHAPTER I.\n\n{PROSE}\n\nCHAPTER II.\n\n{PROSE}\n\n\n"
        for p, way in (("I", "UPRIVER"), ("II", "DOWNRIVER"))
    )
    story = read_story(_write(tmp_path, "ferry.txt", _pg_book(contents, body)))
    assert [(c.level, c.title) for c in story.chapters] == [
        (1, "THE FERRYMAN TO THE READER."),
        (1, "PART I. A VOYAGE UPRIVER."), (2, "CHAPTER I."), (2, "CHAPTER II."),
        (1, "PART II. A VOYAGE DOWNRIVER."), (2, "CHAPTER I."), (2, "CHAPTER II."),
    ]


def test_contents_whose_lone_entries_head_paragraphs_of_entries_nest_them(tmp_path):
    # Ulysses' shape: "— I —" alone over "[ 1 ] [ 2 ]", "— II —" over "[ 3 ] [ 4 ]"; the body repeats both.
    contents = "Contents\n\n — I —\n\n [ 1 ]\n [ 2 ]\n\n — II —\n\n [ 3 ]\n [ 4 ]"
    body = "".join(
        (f"— {part} —\n\n\n" if part else "") + f"[ {n} ]\n\n{PROSE * 2}\n\n"
        for n, part in ((1, "I"), (2, None), (3, "II"), (4, None))
    )
    story = read_story(_write(tmp_path, "ferry.txt", _pg_book(contents, body)))
    assert [(c.level, c.title) for c in story.chapters] == [
        (1, "I"), (2, "[ 1 ]"), (2, "[ 2 ]"), (1, "II"), (2, "[ 3 ]"), (2, "[ 4 ]")
    ]


def test_a_numeral_that_breaks_the_run_of_its_neighbours_is_text(tmp_path):
    # "I", "II", then an "I." on its own line inside part II, then "III": the "I." heads nothing.
    body = "".join(f"-- {n} --\n\n{PROSE * 2}\n\n\n" for n in ("I", "II"))
    body += "I.\n\n" + PROSE + "\n\n\n-- III --\n\n" + PROSE
    story = read_story(_write(tmp_path, "ferry.txt", _pg_book("", body)))
    assert [c.title for c in story.chapters] == ["I", "II", "III"]
