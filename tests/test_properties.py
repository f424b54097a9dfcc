"""Property-based tests (hypothesis): whatever the text or structure, a valid book or a clean error.

Each build test collects the books its examples produce and queues them for
the session's single EPUBCheck run (conftest.py), so examples cost no JVM
start. Examples are few (max_examples 40-60) to keep the suite fast, and
derandomised so every run checks the same examples (a failure is never a
fluke of the seed); the strategies lean on the characters and shapes that
break things (XML-forbidden characters, lone surrogates, bidi controls, ZWJ
emoji, combining marks, markup-looking text, long words, scene-break and
chapter-heading lines). Run with more examples by hand to hunt for bugs:
the known ones hunting found and that are not fixed yet are the xfail tests
at the end.
"""

from __future__ import annotations

import math
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storybinder.cleanup import clean_story, clean_text
from storybinder.cleanup.layout import split_layout
from storybinder.epub import write_epub
from storybinder.epub.xhtml import xml_text
from storybinder.errors import StorybinderError
from storybinder.model import Book, Chapter, Cover, Heading, Metadata, Paragraph, Person, SceneBreak, Span, Story, Style, Verse
from storybinder.pipeline import BuildOptions, build_job
from storybinder.readers.text_file import decode_text
from storybinder.readers.txt import parse_text
from storybinder.sources import Job

NASTY = [
    "\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\x9f", "\ud800", "\udfff", "\ufffe",
    "\uffff", "\ufdd0", "\U0001fffe", "\u200b", "\u200d", "\u2060", "\ufeff", "\u202e", "\u2066", "\u200f",
    "\u0301", "\u0327", "\u20dd", "👨‍👩‍👧‍👦", "🏳️‍🌈", "👍🏽", "1️⃣", "مرحبا", "שלום", "漢字", "ß", "İ", "ﬁ",
    "<script>alert(1)</script>", "&amp;", "&lt;", "]]>", "<![CDATA[x]]>", "<?xml?>", "<!--", "-->", '"', "'",
    "“", "”", "‘", "’", "...", "--", "—", "…", "*", "_", "~", "`", "[i]", "[/i]", "\t", " ", "\u00a0", "\u3000",
]
STRUCTURE_LINES = [
    "", "", "* * *", "***", "#", "~~~", "Chapter 1", "CHAPTER TWO", "Prologue", "By Someone", "by lower case",
    "Author's Notes:", "\t\tDescription", " \t\tA Chapter Title", "Title Line", "    indented line",
]

nasty_char = st.one_of(
    st.characters(codec="utf-8"),  # any code point UTF-8 can carry (no surrogates)
    st.characters(categories=["Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Zs"]),
    st.sampled_from(NASTY),
)
nasty_text = st.lists(nasty_char, max_size=80).map("".join)
words = st.lists(
    st.one_of(st.sampled_from(["the", "lamp", "was", "lit", "said", "Marren", "dusk.", "it's", "teh", "the the"]), nasty_text),
    min_size=1,
    max_size=30,
).map(" ".join)
line = st.one_of(words, st.sampled_from(STRUCTURE_LINES), nasty_text)
story_text = st.lists(line, min_size=0, max_size=40).map("\n".join)

FEW = settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
SOME = settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def test_txt_reader_never_crashes_on_random_text():
    @settings(max_examples=300, deadline=None, derandomize=True)
    @given(story_text)
    def read(text: str) -> None:
        story = parse_text(text)
        for chapter in story.chapters:
            for block in chapter.blocks:
                assert isinstance(block, (Paragraph, Heading, SceneBreak, Verse))
                if isinstance(block, (Paragraph, Verse)):
                    assert all(0 <= s.start < s.end <= len(block.text) for s in block.spans)

    read()


def test_decoding_random_bytes_gives_text_or_a_clean_error():
    @settings(max_examples=200, deadline=None, derandomize=True)
    @given(st.one_of(st.binary(max_size=2000), story_text.map(lambda t: t.encode("utf-8", "surrogatepass"))))
    def decode(data: bytes) -> None:
        try:
            text = decode_text(data, Path("random.txt"))
        except StorybinderError as exc:
            assert "random.txt" in str(exc)
            return
        assert isinstance(text, str) and "\r" not in text

    decode()


def test_random_text_files_build_valid_books_or_fail_cleanly(tmp_path, check_epub):
    books: list[Path] = []
    counter = iter(range(10**6))

    @FEW
    @given(story_text, st.sampled_from(["utf-8", "utf-16", "cp1252", "surrogatepass"]))
    def build(text: str, encoding: str) -> None:
        n = next(counter)
        source = tmp_path / f"src{n}" / "story.txt"
        source.parent.mkdir()
        if encoding == "surrogatepass":
            data = text.encode("utf-8", "surrogatepass")
        else:
            data = text.encode(encoding, "replace") if encoding == "cp1252" else text.encode(encoding, "surrogatepass")
        source.write_bytes(data)
        result = build_job(Job("story", source), BuildOptions(outdir=tmp_path / f"out{n}"))
        if result.ok:
            assert result.output is not None and result.output.is_file()
            books.append(result.output)
        else:
            assert "story.txt" in (result.error or ""), result.error
            assert not (tmp_path / f"out{n}").exists() or not list((tmp_path / f"out{n}").iterdir())

    build()
    assert books, "no example built a book at all"
    for book in books:
        check_epub(book)


@st.composite
def spans_for(draw, text: str) -> tuple[Span, ...]:
    n = len(text)
    count = draw(st.integers(0, 5))
    spans = []
    for _ in range(count):
        start = draw(st.integers(-3, n + 3))
        end = draw(st.integers(-3, n + 3))
        style = draw(st.sampled_from(list(Style)))
        href = draw(st.one_of(st.none(), st.sampled_from(["https://example.org/a?b=1&c=<2>", "javascript:x", "mailto:a@b.c", "../x"]), nasty_text))
        spans.append(Span(start, end, style, href if style is Style.LINK else None))
    return tuple(spans)


@st.composite
def paragraphs(draw) -> Paragraph:
    text = draw(st.one_of(words, nasty_text))
    return Paragraph(
        text,
        draw(spans_for(text)),
        align=draw(st.sampled_from([None, "center", "right"])),
        quoted=draw(st.booleans()),
    )


@st.composite
def headings(draw) -> Heading:
    text = draw(words)
    return Heading(text, draw(spans_for(text)), level=draw(st.integers(-2, 9)))


blocks = st.lists(
    st.one_of(paragraphs(), headings(), st.builds(SceneBreak, nasty_text)), min_size=0, max_size=8
)
chapters = st.lists(
    st.builds(Chapter, st.one_of(st.none(), nasty_text, words), blocks, st.sampled_from(["chapter", "chapter", "notes"])),
    min_size=0,
    max_size=4,
)
people = st.lists(
    st.builds(Person, nasty_text, st.one_of(st.none(), nasty_text), st.sampled_from(["aut", "edt", "ill", "trl", "xyz", ""])),
    max_size=3,
).map(tuple)
maybe_text = st.one_of(st.none(), nasty_text, words)
metadata = st.builds(
    Metadata,
    title=maybe_text,
    subtitle=maybe_text,
    authors=people,
    description=st.one_of(st.none(), story_text),
    language=st.one_of(st.none(), st.sampled_from(["en", "ar", "he", "fa", "ja", "zh-Hant", "pt-BR", "x-klingon", "en_US", "", "a b"]), nasty_text),
    tags=st.lists(nasty_text, max_size=3).map(tuple),
    series=maybe_text,
    series_index=st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 10**12).map(float)),
    date=st.one_of(st.none(), st.sampled_from(["2024-02-30", "2024", "yesterday", "1999-12-31T23:59:59Z", "0000-00-00"]), nasty_text),
    publisher=maybe_text,
    rights=maybe_text,
    source_url=st.one_of(st.none(), st.sampled_from(["https://example.org/s/1", "javascript:alert(1)", "ftp://x"]), nasty_text),
    isbn=st.one_of(st.none(), st.sampled_from(["978-3-16-148410-0", "9783161484100", "123", "ISBN x"]), nasty_text),
    identifier=st.one_of(st.none(), st.sampled_from(["urn:uuid:12345678-1234-5678-1234-567812345678", "id with spaces"]), nasty_text),
    rating=maybe_text,
    status=maybe_text,
    contributors=people,
)


@st.composite
def stories(draw) -> Story:
    return Story(draw(metadata), draw(chapters))


@st.composite
def books(draw) -> Book:
    stories_ = draw(st.lists(stories(), min_size=1, max_size=3))
    anthology = len(stories_) > 1 or draw(st.booleans())
    cover = draw(st.sampled_from([None, "drawn", "png"]))
    book = Book(draw(metadata), stories_, None, slug="book", anthology=anthology)
    if cover == "drawn":
        from storybinder.covers import draw_cover

        meta = book.metadata
        book.cover = draw_cover(meta.title or "", [p.name for p in meta.authors], meta.subtitle)
    elif cover == "png":
        import io

        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (60, 90), (10, 20, 30)).save(buffer, "PNG")
        book.cover = Cover(buffer.getvalue(), "image/png", 60, 90)
    return book


def test_random_book_models_write_valid_epubs_or_fail_cleanly(tmp_path, check_epub):
    written: list[Path] = []
    counter = iter(range(10**6))

    @SOME
    @given(books())
    def write(book: Book) -> None:
        path = tmp_path / f"book-{next(counter)}.epub"
        try:
            write_epub(book, path)
        except StorybinderError as exc:
            assert str(exc)
            assert not path.exists()
            return
        written.append(path)

    write()
    assert written, "no random book was written at all"
    for book in written:
        check_epub(book)


# ---- the cleaner ---------------------------------------------------------------------

prose_line = st.one_of(
    words,
    st.lists(st.sampled_from(['"Hello,', "she", "said.", "'Twas", "--", "...", "“Yes”", "don't", "teh", "the", "the", "Mr.", "  ", "\t"]), max_size=15).map(" ".join),
)
prose = st.lists(st.one_of(prose_line, st.just(""), nasty_text), max_size=25).map("\n".join)


def _visible(text: str) -> bool:
    """Holds a character a reader sees (not a control, format mark or space)."""
    return any(not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Cn", "Zs") for c in text)


@SOME
@given(prose)
def test_cleaning_is_idempotent_and_keeps_paragraphs_and_lines(text: str) -> None:
    once, _ = clean_text(text)
    twice, second_edits = clean_text(once)
    assert twice == once, f"cleaning again changed {[(e.rule, e.before, e.after) for e in second_edits if e.applied]}"
    # Every line stays a line, blank lines stay blank, and a line a reader can
    # see stays visible; only a line of stray control characters may empty out.
    before, after = text.split("\n"), once.split("\n")
    assert len(after) == len(before)
    for old, new in zip(before, after):
        assert bool(new.strip()) == bool(old.strip()) or not _visible(old), (old, new)
    # Paragraph by paragraph (as the cleaner cut them): none gained or lost.
    layout = split_layout(text)
    separators = layout.pieces[0::2]
    position = 0
    for sep, para in zip(separators, [*layout.paragraphs, ""]):
        found = once.find(sep, position) if sep else position
        assert found >= 0, f"layout piece {sep!r} lost"
        position = found + len(sep)


@FEW
@given(stories())
def test_cleaning_a_story_keeps_every_block(story: Story) -> None:
    result = clean_story(story)
    assert [len(c.blocks) for c in result.story.chapters] == [len(c.blocks) for c in story.chapters]
    assert [[type(b) for b in c.blocks] for c in result.story.chapters] == [[type(b) for b in c.blocks] for c in story.chapters]
    again = clean_story(result.story)
    assert not [e for e in again.edits if e.applied], [(e.rule, e.before, e.after) for e in again.edits if e.applied]


def test_nan_series_index_is_not_written_as_nan(tmp_path, check_epub):
    """A float from a sidecar may be NaN or infinite; the OPF must not say so."""
    book = Book(
        Metadata(title="Odd Numbers", authors=(Person("Ona Bright"),), language="en", series="S", series_index=math.nan),
        [Story(Metadata(title="Odd Numbers"), [Chapter("One", [Paragraph("Text.")])])],
        slug="odd",
    )
    path = write_epub(book, tmp_path / "odd.epub")
    import zipfile

    with zipfile.ZipFile(path) as zf:
        opf = zf.read("EPUB/content.opf").decode("utf-8")
    assert ">nan<" not in opf.lower() and '"nan"' not in opf.lower()
    check_epub(path)


# ---- known, not yet fixed (found by running the properties above with thousands of examples) ----


@pytest.mark.xfail(
    strict=True,
    reason="cleanup/layout.py decides hard-wrapped vs line-per-paragraph from line lengths on every call; "
    "an edit that shortens a line near the threshold flips the decision, and the next cleaning sees other paragraphs",
)
def test_cleaning_twice_where_the_layout_decision_flips():
    text = (
        "the\nthe\n\nthe\nthe the the the the the the the the the the the the the the the the the the the the "
        "000000000 the the\nthe"
    )
    once, _ = clean_text(text)
    assert clean_text(once)[0] == once


@pytest.mark.xfail(
    strict=True,
    reason="cleanup: quotes.curl turns 'Â\"' into 'Â”', which the unicode rule's mojibake repair (ftfy) then "
    "rewrites on the next cleaning; the rules run once per call, so the repair never sees the curled quote",
)
def test_cleaning_twice_after_curling_makes_mojibake_lookalike():
    once, _ = clean_text('Â"')
    assert clean_text(once)[0] == once


# ---- a catalogue of hard text, in every input format -----------------------------------

HARD_PARAGRAPHS = [
    "Controls \x01\x02\x07\x08\x0b\x0c\x0e\x1b\x1f\x7f and a NUL \x00 in the middle of a sentence.",
    "Non-characters \ufffe \uffff \ufdd0 \U0001fffe and a lone surrogate \ud800 here.",
    "Arabic: مرحبا بالعالم، هذه قصة قصيرة. Hebrew: שלום עולם, זה סיפור. Persian: سلام دنیا.",
    "Bidi controls \u202eRLO\u202c \u2066isolate\u2069 \u200fRLM\u200e end.",
    "Emoji: family 👨‍👩‍👧‍👦, rainbow flag 🏳️‍🌈, thumbs 👍🏽, keycap 1️⃣, unicorn 🦄.",
    "Combining: Z̷̢͉̤a̴̡̜l̶̙͝g̸͇̀o̵̰͠, e\u0301 versus é, a stray \u0301 mark.",
    "Looks like markup: <script>alert(1)</script> &amp; &lt;b&gt; ]]> <![CDATA[x]]> <?xml version='1.0'?> <!-- c -->",
    "A long word: " + "Pneumonoultramicroscopicsilicovolcanoconiosis" * 400 + " and after it.",
    "Tabs\tand\u00a0no-break\u3000spaces\u2028line separator\u2029paragraph separator.",
]
SURVIVES = ["مرحبا بالعالم", "שלום עולם", "👨‍👩‍👧‍👦", "🏳️‍🌈", "1️⃣", "and after it"]
LONG_PARAGRAPH = " ".join(["alpha", "beta,", "gamma", "delta."] * 45_000)  # about 1 MB, no doubled words


def _hard_story_files(folder: Path) -> dict[str, str]:
    """The catalogue as a story in every format; returns {file name: format}."""
    import html as html_module

    import docx

    title, byline = "Hard Text", "By Tess Ward"
    folder.joinpath("hard.txt").write_bytes(
        "\n\n".join([title, byline, *HARD_PARAGRAPHS]).encode("utf-8", "surrogatepass")
    )
    folder.joinpath("long.txt").write_text(f"Long Text\n\nBy Tess Ward\n\n{LONG_PARAGRAPH}\n\nThe end.\n", encoding="utf-8")
    # Markdown and BBCode carry the text as typed: their own syntax is what they parse.
    folder.joinpath("hard.md").write_text(
        "\n\n".join([f"# {title}", byline, *HARD_PARAGRAPHS]).encode("utf-8", "replace").decode("utf-8"),
        encoding="utf-8",
        errors="replace",
    )
    folder.joinpath("hard.bbcode").write_text(
        "\n".join([f"[b]{title}[/b]", *HARD_PARAGRAPHS]), encoding="utf-8", errors="replace"
    )
    body = "".join(f"<p>{html_module.escape(p)}</p>" for p in HARD_PARAGRAPHS)
    folder.joinpath("hard.html").write_text(
        f"<!DOCTYPE html><html lang='en'><head><title>{title}</title><meta name='author' content='Tess Ward'></head>"
        f"<body><h1>{title}</h1>{body}</body></html>",
        encoding="utf-8",
        errors="replace",
    )
    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = "Tess Ward"
    for paragraph in HARD_PARAGRAPHS:
        # Word's XML cannot hold what XML forbids (controls, surrogates, U+FFFE) at all.
        document.add_paragraph(xml_text(paragraph))
    document.save(str(folder / "hard.docx"))
    return {"hard.txt": "txt", "long.txt": "txt", "hard.md": "md", "hard.bbcode": "bbcode", "hard.html": "html", "hard.docx": "docx"}


def test_hard_text_in_every_format_gives_valid_books(tmp_path, check_epub):
    import json
    import subprocess
    import sys
    import zipfile

    folder = tmp_path / "stories"
    folder.mkdir()
    files = _hard_story_files(folder)
    out = tmp_path / "books"
    proc = subprocess.run(
        [sys.executable, "-m", "storybinder.cli", "build", str(folder), "-o", str(out), "--json", "--jobs", "2"],
        capture_output=True, text=True, timeout=300,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    results = {Path(r["source"]).name: r for r in json.loads(proc.stdout)["results"]}
    assert set(results) == set(files)
    for name, result in results.items():
        assert result["status"] == "built", (name, result["error"])
        book = Path(result["output"])
        with zipfile.ZipFile(book) as zf:
            assert zf.testzip() is None
            text = "".join(zf.read(n).decode("utf-8") for n in zf.namelist() if "/ch_" in n or "/st_" in n)
        if name == "long.txt":
            assert len(text) > 1_000_000 and "The end." in text
        else:
            for words in SURVIVES:
                assert words in text, f"{name}: {words!r} lost"
        if name in ("hard.txt", "hard.html", "hard.bbcode", "hard.docx"):
            # Markup-looking text is text here, escaped, never markup.
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text, name
            assert "]]&gt;" in text, name
        check_epub(book)


# ---- every reader, and the metadata files, on random input ------------------------------

markup_piece = st.one_of(
    words,
    nasty_text,
    st.sampled_from([
        "<p>", "</p>", "<em>", "</em>", "<b>", "<i>", "</i>", "<a href='https://example.org/x'>", "</a>", "<hr>", "<br>",
        "<h1>", "</h1>", "<h3>", "<blockquote>", "<script>", "</script>", "<!--", "-->", "<![CDATA[", "]]>", "&amp;",
        "&nbsp;", "&#0;", "&#xD800;", "&#x110000;", "&bogus;", "<div style='font-style:italic'>", "<center>", "<pre>",
        "[b]", "[/b]", "[i]", "[url=javascript:x]", "[url=https://example.org]", "[/url]", "[quote]", "[/quote]",
        "[center]", "[/center]", "[hr]", "[size=2em]", "[/size]", "# ", "## ", "* * *", "---", "+++", "> ", "*", "_",
        "~~", "[x](javascript:y)", "![i](../../etc/passwd)", "\n", "\n\n", "<?xml version='1.0'?>", "<!DOCTYPE html [",
    ]),
)
markup = st.lists(markup_piece, max_size=40).map("".join)


def test_markdown_html_and_bbcode_readers_never_crash_on_random_markup():
    from storybinder.readers.bbcode import parse_bbcode
    from storybinder.readers.html import parse_html
    from storybinder.readers.markdown import parse_markdown

    @SOME
    @given(markup, st.sampled_from(["markdown", "html", "bbcode"]))
    def read(text: str, kind: str) -> None:
        parse = {"markdown": parse_markdown, "html": parse_html, "bbcode": parse_bbcode}[kind]
        try:
            story = parse(text, Path(f"random.{kind}"))
        except StorybinderError as exc:
            assert "random." in str(exc)
            return
        for chapter in story.chapters:
            for block in chapter.blocks:
                assert isinstance(block, (Paragraph, Heading, SceneBreak, Verse))
                if not isinstance(block, SceneBreak):
                    assert all(0 <= s.start < s.end <= len(block.text) for s in block.spans)

    read()


toml_value = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), nasty_text, words,
        st.sampled_from(["../../etc/passwd", "/dev/zero", "cover.png", "a, b, c"]),
    ),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["name", "sort", "role", "x"]), inner, max_size=3)),
    max_leaves=6,
)


def test_metadata_tables_of_any_shape_give_metadata_or_a_clean_error(tmp_path):
    from storybinder.manifest import STORY_KEYS, metadata_from_mapping
    from storybinder.model import Metadata as MetadataType

    origin = tmp_path / "story.toml"

    @SOME
    @given(st.dictionaries(st.sampled_from(sorted(STORY_KEYS) + ["unknown"]), toml_value, max_size=6))
    def load(table: dict) -> None:
        try:
            meta = metadata_from_mapping({k: v for k, v in table.items() if v is not None}, tmp_path, origin, lambda _: None)
        except StorybinderError as exc:
            assert "story.toml" in str(exc)
            return
        assert isinstance(meta, MetadataType)
        assert meta.series_index is None or math.isfinite(meta.series_index)
        # What the rest of the pipeline takes for granted about a Metadata layer.
        for person in meta.authors + meta.contributors:
            assert isinstance(person.name, str) and person.name.strip()
            assert person.sort_name is None or isinstance(person.sort_name, str)
            assert isinstance(person.role, str)
        assert all(isinstance(x, str) for x in meta.tags + meta.words)
        for name in ("title", "subtitle", "description", "language", "date", "publisher", "rights", "isbn", "identifier"):
            assert getattr(meta, name) is None or isinstance(getattr(meta, name), str)

    load()
