"""Story files in UTF-16, Windows-1252, Latin-1 and UTF-8 keep their quotes, dashes and accents."""

from __future__ import annotations

import os

import pytest

from storybinder.errors import StorybinderError
from storybinder.readers import read_story
from storybinder.readers.text_file import decode_text

from .reader_helpers import read_text_story, texts

CURLY = "“Don’t go,” said Zoë — the café’s last naïve customer… ‘Fine.’"
LATIN = "Señor Müller’s café: crème brûlée, façade, «déjà vu»."  # Latin-1 has no curly quotes or dashes
LATIN = LATIN.replace("’", "'")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"])
def test_plain_text_in_any_common_encoding(tmp_path, encoding):
    story = read_text_story(tmp_path, "zoe.txt", f"{CURLY}\n\nShe left.\n", encoding)
    assert texts(story) == [CURLY, "She left."]


def test_latin_1_keeps_its_accents(tmp_path):
    story = read_text_story(tmp_path, "cafe.txt", f"{LATIN}\n\nAu revoir.\n", "latin-1")
    assert texts(story) == [LATIN, "Au revoir."]


@pytest.mark.parametrize(
    "name, text",
    [
        ("zoe.md", f"# Chapter 1\n\n{CURLY}\n"),
        ("zoe.bbcode", f"[b]Chapter 1[/b]\n{CURLY}\n"),
        ("zoe.html", f"<h1>Chapter 1</h1><p>{CURLY}</p>"),
    ],
)
@pytest.mark.parametrize("encoding", ["utf-16", "cp1252"])
def test_marked_up_formats_decode_the_same_way(tmp_path, name, text, encoding):
    story = read_text_story(tmp_path, name, text, encoding)
    assert story.chapters[0].title == "Chapter 1"
    assert texts(story) == [CURLY]


def test_utf16_story_builds_with_its_characters_intact(tmp_path, check_epub):
    from storybinder.pipeline import BuildOptions, build_job
    from storybinder.sources import Job

    from .epub_inspect import open_epub

    source = tmp_path / "zoe.txt"
    source.write_bytes(f"Zoë’s Café\nBy Anaïs Brûlé\n\n{CURLY}\n\nShe left.\n".encode("utf-16"))
    result = build_job(Job("story", source), BuildOptions(outdir=tmp_path / "out", clean=False))
    assert result.ok, result.error
    book = open_epub(check_epub(result.output))
    assert book.title == "Zoë’s Café"
    assert book.creators == ["Anaïs Brûlé"]
    assert CURLY in book.body_text()


@pytest.mark.parametrize("data", [bytes(range(256)) * 40, os.urandom(4096) + b"\x00" * 64, b"\x89PNG\r\n\x1a\n" + bytes(3000)])
def test_binary_files_are_a_clear_error(tmp_path, data):
    path = tmp_path / "story.txt"
    path.write_bytes(data)
    with pytest.raises(StorybinderError, match="not a text file"):
        read_story(path)


def test_error_names_the_file():
    with pytest.raises(StorybinderError) as caught:
        from pathlib import Path

        decode_text(b"\x00\x01\x02\x03" * 100, Path("photo.txt"))
    assert str(caught.value).startswith("photo.txt: ")


@pytest.mark.parametrize(
    "text, encoding",
    [
        ("Zażółć gęślą jaźń. Łódź, Kraków, Gdańsk i Wrocław są piękne.", "cp1250"),
        ("Привет, как дела? Это тест кодировки, и он должен работать.", "cp1251"),
        ("Ελληνικά: Καλημέρα, πώς είσαι σήμερα;", "cp1253"),
    ],
)
def test_preferring_windows_1252_does_not_garble_other_code_pages(tmp_path, text, encoding):
    assert texts(read_text_story(tmp_path, "other.txt", text + "\n", encoding)) == [text]
