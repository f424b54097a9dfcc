"""Verse: stanzas keep their lines from TXT and HTML, render as a poem, and are one unit for quote repair."""

from __future__ import annotations

import zipfile

from storybinder.cleanup import CleanOptions, clean_story
from storybinder.epub import write_epub
from storybinder.epub.writer import stylesheet
from storybinder.epub.xhtml import element, render_blocks, serialize
from storybinder.model import Book, Chapter, Metadata, Paragraph, Person, Span, Story, Style, Verse
from storybinder.readers.html_blocks import items_from_html
from storybinder.readers.txt import parse_text

STANZA = Verse("“Light the lamp in Tanner’s Row,\nLight the lamp in Bell,", (Span(7, 10, Style.EMPHASIS),), (0, 1))


def test_plain_text_verse_is_read_as_stanzas():
    text = (
        "She sang it twice, and he wrote it down as well as he could remember it\n"
        "between the fourth lamp and the fifth one on the row.\n\n"
        "    Light the lamp in Tanner's Row,\n"
        "      Light the lamp in Bell,\n"
        "    Light the one above the baker's\n"
        "      Where the loaves are sold as well.\n\n"
        "He thought it was not a very good song, and said so, and the girl in the\n"
        "red scarf told him that he was in it and should be grateful.\n"
    )
    blocks = parse_text(text).chapters[0].blocks
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "Verse", "Paragraph"]
    assert blocks[1].lines[1] == "Light the lamp in Bell," and blocks[1].indents == (0, 1, 0, 1)


def test_a_song_of_long_lines_each_set_in_is_read_as_stanzas():
    # Long lines, near the wrap width, each after the first set in by a space: a couplet, not prose.
    text = (
        "The miller's boy stood up on the bench and sang it for them, slowly and\n"
        "sadly, while the others beat the time on the table with their mugs:\n\n"
        " Will you come along the river road, the night is growing cold,\n"
        " And the lanterns on the water are as yellow as the gold.\n\n"
        " Will you walk, or will you run, or will you wait until it's day,\n"
        " When the boats have all gone down the stream and carried us away?\n\n"
        "Nobody answered him, and after a while he sat down again and drank his\n"
        "beer, and the rain went on against the shutters all night long.\n"
    )
    blocks = parse_text(text).chapters[0].blocks
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "Verse", "Verse", "Paragraph"]


def test_an_indented_letter_in_prose_stays_a_paragraph():
    text = (
        "The note said this, in a hand he knew well from the ledgers at the office:\n\n"
        "    There will be a gentleman at the ferry at a quarter to eight who\n"
        "    desires to consult you upon a matter of the very deepest moment,\n"
        "    and who asks that you come alone and say nothing of it to anyone.\n\n"
        "He read it twice and put it in his pocket, and went out to the ferry.\n"
    )
    assert not any(isinstance(b, Verse) for b in parse_text(text).chapters[0].blocks)


def test_html_poem_markup_and_line_breaks_become_stanzas():
    items = items_from_html(
        '<p class="poem">One line<br>\n    and a line set in<br>\n<br>\nA second stanza<br>\nends here</p>'
        '<div class="poem"><div class="stanza"><div class="i0">Flush</div><div class="i4">set in twice</div></div></div>'
        "<p>Prose<br>with a break</p>"
    )
    verses = [i for i in items if isinstance(i, Verse)]
    assert [v.lines for v in verses] == [["One line", "and a line set in"], ["A second stanza", "ends here"], ["Flush", "set in twice"]]
    assert verses[0].indents == (0, 1) and verses[2].indents == (0, 2)
    assert [i.text for i in items if isinstance(i, Paragraph)] == ["Prose", "with a break"]


def test_a_stanza_renders_as_a_poem_of_lines():
    html, body = element(None, "html"), None
    body = element(html, "body")
    render_blocks(body, [Paragraph("Before."), STANZA, Verse("Carry fire up the ladder,\nCarry it down the street.”", (), (0, 1))])
    out = serialize(html).decode()
    assert out.count('<div class="poem">') == 1 and out.count('<div class="stanza">') == 2
    assert '<p class="line">“Light <em>the</em> lamp in Tanner’s Row,</p>' in out
    assert '<p class="line i1">Light the lamp in Bell,</p>' in out
    css = stylesheet().decode()
    for rule in ("div.poem", "div.stanza", "p.line", "p.i1", "div.poem + p"):
        assert rule in css
    assert "px" not in css.split("div.poem {")[1].split("/* A visible separator")[0]


def test_a_poem_book_passes_epubcheck(tmp_path, check_epub):
    story = Story(Metadata(title="Songs", authors=(Person("Maren Holt"),), language="en"), [Chapter("The Song", [Paragraph("She sang:"), STANZA])])
    path = check_epub(write_epub(Book(metadata=story.metadata, stories=[story], slug="songs"), tmp_path / "songs.epub"))
    with zipfile.ZipFile(path) as z:
        assert 'class="line i1"' in z.read("EPUB/ch_the-song.xhtml").decode()


def _clean(blocks) -> list:
    story = Story(Metadata(title="T"), [Chapter("C", blocks)])
    return clean_story(story, CleanOptions(rules={"quotes"})).edits


def test_quote_repair_lets_a_quotation_run_across_lines_and_stanzas():
    opened = Verse("“Light the lamp in Tanner’s Row,\nLight the lamp in Bell,", (), (0, 1))
    middle = Verse("Carry fire up the ladder,\nCarry it down the street,", (), (0, 1))
    closed = Verse("And never mind the cracked rung\nOr the snow upon your feet.”", (), (0, 1))
    assert _clean([Paragraph("She sang:"), opened, middle, closed, Paragraph("He listened.")]) == []
    # The same words as prose paragraphs: the open one gets its closer.
    prose = [Paragraph("She sang:"), Paragraph(opened.text.replace("\n", " ")), Paragraph("He listened to all of it.")]
    assert any(e.rule == "quotes.unbalanced" and e.after == "”" for e in _clean(prose))


def test_verse_keeps_its_lines_and_indents_through_edits():
    verse = Verse("one\ntwo\nthree", (), (0, 2, 1))
    assert verse.replace(4, 7, "2").indents == (0, 2, 1)
    assert verse.replace(3, 4, " ").text == "one two\nthree" and verse.replace(3, 4, " ").indents == (0, 1)
    assert Verse("a\nb").indents == (0, 0)


PROSE = (
    "The ferryman counted the fares twice that evening, as he always had done, and\n"
    "wrote them in the green book his father had kept before him on the same shelf.\n\n"
)


def test_flush_verse_whose_lines_vary_is_read_as_stanzas():
    # Pope's Iliad's shape: couplets set flush with the prose, capitalised, one line a little long.
    stanza = (
        "The ferry waits beneath the willow shade,\n"
        "Where once the miller's daughter sang and played;\n"
        "And every fare the patient boatman takes, as tides and moons allow,\n"
        "He counts again, and marks the reckoning now.\n\n"
    )
    blocks = parse_text(PROSE + stanza + PROSE).chapters[0].blocks
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "Verse", "Paragraph"]


def test_a_couplet_alone_is_verse_in_a_poem_and_prose_in_a_story():
    couplet = "He spoke: and silent on the river side\nThe boatman stood, and thus the maid replied:\n\n"
    stanza = (
        "The ferry waits beneath the willow shade,\nWhere once the miller's daughter sang and played;\n"
        "And every fare the patient boatman takes,\nHe counts again, and marks the reckoning makes.\n\n"
    )
    poem = parse_text(PROSE + stanza * 3 + couplet + stanza).chapters[0].blocks
    assert isinstance(poem[4], Verse) and poem[4].lines[1].startswith("The boatman stood")
    # In a story of prose, two short lines are a paragraph a writer broke (dialogue, a line cut short).
    story = parse_text(PROSE * 4 + couplet + PROSE).chapters[0].blocks
    assert not any(isinstance(b, Verse) for b in story)
