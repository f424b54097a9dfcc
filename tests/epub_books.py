"""Small hand-made books for the EPUB writer tests (model objects, no readers)."""

from __future__ import annotations

from storybinder.covers import draw_cover
from storybinder.model import Book, Chapter, Heading, Metadata, Paragraph, Person, SceneBreak, Span, Story, Style

# Text a reader could meet: accents, right-to-left, CJK, emoji with joiners,
# combining marks, markup-looking text; plus what XML forbids (C0 controls, a
# lone surrogate, U+FFFE), which must vanish rather than break the file.
TORTURE = (
    "Ça va? «Ünïcödé» — עברית and العربية, 日本語の文章, 👩‍👩‍👧 e\u0301 "
    "<script>alert('x')</script> & &amp; \"quotes\" ]]> "
    "bad:\x00\x01\x0b\x1f\ud800\ufffe:end"
)
FORBIDDEN = ("\x00", "\x01", "\x0b", "\x1f", "\ud800", "\ufffe")


def paragraph(text: str, *spans: tuple[int, int, Style] | tuple[int, int, Style, str], **kw) -> Paragraph:
    return Paragraph(text, tuple(Span(*s) for s in spans), **kw)


def story(title: str = "The Lighthouse", author: str = "Jane Doe", chapters: list[Chapter] | None = None, **meta) -> Story:
    if chapters is None:
        chapters = [
            Chapter(
                "Arrival",
                [
                    paragraph("The keeper climbed the stairs.", (4, 10, Style.EMPHASIS)),
                    paragraph("Every night the lamp turned.", (0, 5, Style.STRONG)),
                    SceneBreak("* * *"),
                    paragraph("Morning came grey.", (13, 17, Style.SMALL_CAPS)),
                ],
            ),
            Chapter(
                "The Storm",
                [
                    Heading("Night One", level=3),
                    paragraph("Wind tore at the glass.", (5, 9, Style.STRIKE), (13, 16, Style.UNDERLINE)),
                    paragraph("Dear keeper, come home.", quoted=True),
                    paragraph("THE END", align="center"),
                ],
            ),
            Chapter("Author's Notes", [paragraph("Thanks for reading!")], kind="notes"),
        ]
    return Story(Metadata(title=title, authors=(Person(author),), **meta), chapters)


def single_book(*, cover: bool = True, **meta) -> Book:
    base = dict(
        title="The Lighthouse",
        authors=(Person("Jane Doe", sort_name="Doe, Jane"),),
        description="A keeper and a storm.\n\nShort and quiet.",
        tags=("Drama", "Slice of Life"),
        series="Coast Tales",
        series_index=2.0,
        date="2024-05-17",
        publisher="Harbour Press",
        rights="CC BY 4.0",
        source_url="https://example.com/story/1",
        contributors=(Person("Sam Painter", role="ill"), Person("Ed Itor", role="edt")),
    )
    base.update(meta)
    metadata = Metadata(**base)
    art = draw_cover(metadata.title or "", [p.name for p in metadata.authors]) if cover else None
    return Book(metadata, [story(metadata.title or "Untitled")], cover=art, slug="the-lighthouse")


def anthology(*, cover: bool = True, **meta) -> Book:
    stories = [
        story("First Light", "Ann Author", description="Dawn on the coast."),
        story(
            "A Short One",
            "Bo Writer",
            chapters=[Chapter(None, [paragraph("Only one untitled chapter here.")])],
            description="Very short.",
        ),
        story("Last Light", "Ann Author", description="Dusk."),
    ]
    metadata = Metadata(title="Coastal Stories", description="Three stories by the sea.", **meta)
    art = draw_cover("Coastal Stories", ["Ann Author", "Bo Writer"]) if cover else None
    return Book(metadata, stories, cover=art, slug="coastal-stories", anthology=True)
