"""Same inputs, same bytes; and a failed or interrupted write leaves nothing behind."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from storybinder.epub import write_epub
from storybinder.epub import writer as epub_writer
from storybinder.errors import StorybinderError

from .epub_books import anthology, single_book
from .epub_inspect import open_epub


def test_building_twice_gives_identical_bytes(tmp_path, check_epub, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = check_epub(write_epub(anthology(), tmp_path / "one.epub"))
    second = write_epub(anthology(), tmp_path / "two.epub")
    assert first.read_bytes() == second.read_bytes()
    # Same content, same identifier (derived from the words, not random).
    assert open_epub(first).meta("//dc:identifier/text()") == open_epub(second).meta("//dc:identifier/text()")


def test_identifier_changes_with_the_content(tmp_path):
    book = single_book(cover=False)
    a = open_epub(write_epub(book, tmp_path / "a.epub")).meta("//dc:identifier/text()")
    book.stories[0].chapters[0].blocks[0].text = "A different first line."
    b = open_epub(write_epub(book, tmp_path / "b.epub")).meta("//dc:identifier/text()")
    assert a != b


def test_source_date_epoch_sets_modified_and_zip_times(tmp_path, check_epub, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    path = check_epub(write_epub(single_book(), tmp_path / "b.epub"))
    assert open_epub(path).property("dcterms:modified") == ["2023-11-14T22:13:20Z"]
    with zipfile.ZipFile(path) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_without_source_date_epoch_the_book_date_is_used_not_the_clock(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    dated = open_epub(write_epub(single_book(date="2024-05-17"), tmp_path / "a.epub"))
    assert dated.property("dcterms:modified") == ["2024-05-17T00:00:00Z"]
    undated = write_epub(single_book(date=None), tmp_path / "b.epub")
    assert open_epub(undated).property("dcterms:modified") == ["2000-01-01T00:00:00Z"]
    with zipfile.ZipFile(undated) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2000, 1, 1, 0, 0, 0)}


def test_malformed_source_date_epoch_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(StorybinderError, match="SOURCE_DATE_EPOCH"):
        write_epub(single_book(cover=False), tmp_path / "b.epub")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("failure", [OSError("disk full"), KeyboardInterrupt()])
def test_failed_write_keeps_the_old_book_and_leaves_no_temp_file(tmp_path, monkeypatch, failure):
    target = tmp_path / "book.epub"
    target.write_bytes(b"the previous, complete book")

    def explode(self):
        raise failure

    monkeypatch.setattr(epub_writer._Writer, "_write_items", explode)
    expected = StorybinderError if isinstance(failure, OSError) else KeyboardInterrupt
    with pytest.raises(expected) as caught:
        write_epub(single_book(cover=False), target)
    if expected is StorybinderError:
        assert "book.epub" in str(caught.value) and "disk full" in str(caught.value)
    assert target.read_bytes() == b"the previous, complete book"
    assert [p.name for p in tmp_path.iterdir()] == ["book.epub"]


def test_unwritable_destination_is_a_storybinder_error(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(StorybinderError, match="not-a-folder"):
        write_epub(single_book(cover=False), blocker / "book.epub")


def test_separate_processes_with_different_hash_seeds_build_the_same_bytes(tmp_path):
    import os
    import subprocess
    import sys

    script = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[2]);"
        "from tests.epub_books import anthology; from storybinder.epub import write_epub;"
        "write_epub(anthology(), Path(sys.argv[1]))"
    )
    root = str(Path(__file__).resolve().parent.parent)
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"{seed}.epub"
        env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"} | {"PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(out), root], check=True, env=env)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("epoch, zip_time", [("0", (1980, 1, 1, 0, 0, 0)), ("5000000000", (2107, 12, 31, 23, 59, 58))])
def test_dates_outside_what_zip_can_hold_are_clamped_in_the_zip_only(tmp_path, monkeypatch, epoch, zip_time):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    path = write_epub(single_book(cover=False), tmp_path / "b.epub")
    with zipfile.ZipFile(path) as zf:
        assert {i.date_time for i in zf.infolist()} == {zip_time}
    assert open_epub(path).property("dcterms:modified")[0][:4] in ("1970", "2128")
