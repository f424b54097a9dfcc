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


STRAY = (
    "The Tin Kettle\nBy Ann Lee\n\n"
    "It rained\x00 all night, and the kettle \x1b[1msang\x1b[0m on the stove.\n"
    "Nobody\x07 came to take it off.\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "utf-16"])
def test_stray_control_characters_are_removed_not_a_reason_to_refuse(tmp_path, encoding):
    path = tmp_path / "kettle.txt"
    path.write_bytes(STRAY.replace("Ann Lee", "Ann Lée").encode(encoding))
    story = read_story(path)
    text = " ".join(p.text for c in story.chapters for p in c.blocks)
    assert "It rained all night, and the kettle sang on the stove." in text
    assert "[1m" not in text and "[0m" not in text and not any(ch < " " for ch in text)
    assert [a.name for a in story.metadata.authors] == ["Ann Lée"]
    assert story.warnings == [f"{path}: removed 4 stray control characters (NUL, escape codes...) from the text"]


def test_a_build_with_stray_controls_warns_once_naming_the_file_and_count(tmp_path, check_epub):
    from .build_helpers import build_and_check

    source = tmp_path / "kettle.txt"
    source.write_bytes(STRAY.encode("utf-8"))
    _, output = build_and_check(source, tmp_path / "books", check_epub, expect_warnings=("stray control",))
    assert output.count("stray control") == 1
    assert f"{source}: removed 4 stray control characters" in output


def test_stray_controls_in_html_and_markdown_too(tmp_path):
    html = tmp_path / "page.html"
    html.write_bytes(b"<html><head><title>Tin</title></head><body><p>It rained\x00 all night.</p></body></html>")
    md = tmp_path / "page.md"
    md.write_bytes(b"# Tin\n\nIt rained\x1b[31m all night.\n")
    for path in (html, md):
        story = read_story(path)
        assert [p.text for c in story.chapters for p in c.blocks] == ["It rained all night."]
        assert len(story.warnings) == 1


def test_a_file_cut_short_and_padded_with_nuls_reads_without_a_warning(tmp_path):
    path = tmp_path / "padded.txt"
    path.write_bytes(b"It rained all night.\n" + bytes(4096))
    story = read_story(path)
    assert [p.text for c in story.chapters for p in c.blocks] == ["It rained all night."]
    assert story.warnings == []


def test_iso_2022_jp_mail_is_read_as_japanese(tmp_path):
    path = tmp_path / "ame.txt"
    path.write_bytes("雨が一晩中降った。\n".encode("iso2022_jp"))
    story = read_story(path)
    assert [p.text for c in story.chapters for p in c.blocks] == ["雨が一晩中降った。"]
    assert story.warnings == []
