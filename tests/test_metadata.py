"""Where metadata comes from: text, then sidecar, then book.toml, then the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from storybinder.errors import StorybinderError
from storybinder.book_spec import load_book_spec
from storybinder.manifest import load_sidecar
from storybinder.metadata_defaults import PLACEHOLDER_AUTHOR, slugify
from storybinder.model import Metadata, Person
from storybinder.pipeline import BuildOptions, prepare_book
from storybinder.sources import Job

STORY = "“Text Title”\nBy Text Author\nFirst line of the story.\nSecond line of the story.\n"


def prepare(path: Path, overrides: Metadata = Metadata()):
    warnings: list[str] = []
    job = Job("book" if path.suffix == ".toml" else "story", path)
    prepared = prepare_book(job, BuildOptions(overrides=overrides, clean=False), warnings.append)
    return prepared.book, warnings


def test_text_gives_title_and_author(tmp_path: Path):
    (tmp_path / "s.txt").write_text(STORY)
    book, warnings = prepare(tmp_path / "s.txt")
    assert book.metadata.title == "Text Title"
    assert [a.name for a in book.metadata.authors] == ["Text Author"]
    assert book.metadata.language == "en"
    assert book.slug == "text-title"
    assert warnings == []


def test_sidecar_overrides_text_and_cli_overrides_sidecar(tmp_path: Path):
    (tmp_path / "s.txt").write_text(STORY)
    (tmp_path / "s.toml").write_text(
        'title = "Sidecar Title"\nauthor = "Sidecar Author"\ndescription = "From the sidecar."\n'
        'tags = ["Drama", "Comedy"]\nseries = "Saga"\nseries_index = 2\ndate = 2024-01-05\n'
        'source_url = "https://example.org/s"\ncover_artist = "Painter Person"\nlanguage = "fr"\n'
    )
    book, _ = prepare(tmp_path / "s.txt")
    meta = book.metadata
    assert meta.title == "Sidecar Title"
    assert [a.name for a in meta.authors] == ["Sidecar Author"]
    assert (meta.description, meta.tags, meta.series, meta.series_index) == ("From the sidecar.", ("Drama", "Comedy"), "Saga", 2.0)
    assert (meta.date, meta.source_url, meta.language) == ("2024-01-05", "https://example.org/s", "fr")
    assert Person("Painter Person", "Person, Painter", "ill") in meta.contributors

    book, _ = prepare(tmp_path / "s.txt", Metadata(title="CLI Title", authors=(Person("CLI Author"),)))
    assert book.metadata.title == "CLI Title"
    assert [a.name for a in book.metadata.authors] == ["CLI Author"]
    assert book.metadata.description == "From the sidecar."


def test_book_toml_entry_overrides_sidecar(tmp_path: Path):
    (tmp_path / "a.txt").write_text(STORY)
    (tmp_path / "a.toml").write_text('title = "Sidecar Title"\n')
    (tmp_path / "b.txt").write_text("By Other Writer\nAnother story line.\nAnd one more.\n")
    (tmp_path / "book.toml").write_text(
        '[book]\ntitle = "The Collection"\neditor = "Ed Itor"\n\n'
        '[[story]]\nsource = "a.txt"\ntitle = "Entry Title"\n\n[[story]]\nsource = "b.txt"\n'
    )
    book, warnings = prepare(tmp_path / "book.toml")
    assert book.anthology
    assert book.metadata.title == "The Collection"
    assert [s.metadata.title for s in book.stories] == ["Entry Title", "b"]
    assert any("no title found" in w for w in warnings)
    # The anthology credits every story's author; the editor is a contributor.
    assert [a.name for a in book.metadata.authors] == ["Text Author", "Other Writer"]
    assert Person("Ed Itor", "Itor, Ed", "edt") in book.metadata.contributors


def test_missing_title_and_author_fall_back_with_warnings(tmp_path: Path):
    (tmp_path / "my_untitled_story.txt").write_text("Just a line of prose.\nAnd another line.\n")
    book, warnings = prepare(tmp_path / "my_untitled_story.txt")
    assert book.metadata.title == "my untitled story"
    assert [a.name for a in book.metadata.authors] == [PLACEHOLDER_AUTHOR]
    assert len(warnings) == 2 and all("my_untitled_story" in w for w in warnings)


def test_identifier_is_stable_and_content_derived(tmp_path: Path):
    (tmp_path / "s.txt").write_text(STORY)
    first, _ = prepare(tmp_path / "s.txt")
    second, _ = prepare(tmp_path / "s.txt")
    assert first.metadata.identifier == second.metadata.identifier
    assert first.metadata.identifier.startswith("urn:uuid:")
    (tmp_path / "s.txt").write_text(STORY + "A new closing line.\n")
    changed, _ = prepare(tmp_path / "s.txt")
    assert changed.metadata.identifier != first.metadata.identifier


def test_isbn_replaces_the_uuid(tmp_path: Path):
    (tmp_path / "s.txt").write_text(STORY)
    (tmp_path / "s.toml").write_text('isbn = "9780306406157"\n')
    book, _ = prepare(tmp_path / "s.txt")
    assert book.metadata.isbn == "9780306406157"
    assert book.metadata.identifier is None


def test_malformed_toml_names_file_and_line(tmp_path: Path):
    (tmp_path / "s.txt").write_text(STORY)
    (tmp_path / "s.toml").write_text('title = "ok"\nauthor = \n')
    with pytest.raises(StorybinderError) as err:
        load_sidecar(tmp_path / "s.txt")
    assert "s.toml" in str(err.value) and "line 2" in str(err.value)


def test_book_toml_with_missing_source_is_a_clear_error(tmp_path: Path):
    (tmp_path / "book.toml").write_text('[book]\ntitle = "X"\n[[story]]\nsource = "nowhere.txt"\n')
    with pytest.raises(StorybinderError, match="nowhere.txt"):
        load_book_spec(tmp_path / "book.toml")


def test_sidecar_naming_a_missing_cover_is_a_clear_error(tmp_path: Path):
    (tmp_path / "s.txt").write_text(STORY)
    (tmp_path / "s.toml").write_text('cover = "art/missing.png"\n')
    with pytest.raises(StorybinderError, match="missing.png"):
        load_sidecar(tmp_path / "s.txt")


def test_unknown_sidecar_keys_warn(tmp_path: Path):
    (tmp_path / "s.txt").write_text(STORY)
    (tmp_path / "s.toml").write_text('titel = "typo"\n')
    warnings: list[str] = []
    load_sidecar(tmp_path / "s.txt", warnings.append)
    assert warnings and "titel" in warnings[0]


@pytest.mark.parametrize(
    "title,slug",
    [
        ("My Greatest Failure", "my-greatest-failure"),
        ("Café — Crème!", "cafe-creme"),
        ("???", "book"),
        ("The Keeper's Cat", "the-keepers-cat"),
        ("The Keeper’s Cat", "the-keepers-cat"),
    ],
)
def test_slugify(title, slug):
    assert slugify(title) == slug
