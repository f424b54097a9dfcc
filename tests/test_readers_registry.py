"""The reader registry: every format is claimed, and choosing a reader imports no heavy library."""

from __future__ import annotations

import subprocess
import sys

import pytest

from storybinder.errors import StorybinderError
from storybinder.readers import READER_MODULES, STORY_SUFFIXES, _reader, is_story_file, reader_for

from .conftest import REPO


def test_every_reader_suffix_is_a_story_suffix():
    claimed = set().union(*(_reader(name).SUFFIXES for name in READER_MODULES))
    assert claimed == set(STORY_SUFFIXES)


@pytest.mark.parametrize(
    "name, module",
    [("a.txt", "txt"), ("a.md", "markdown"), ("a.HTML", "html"), ("a.xhtml", "html"), ("a.docx", "docx"), ("a.bbcode", "bbcode")],
)
def test_suffix_picks_the_reader(tmp_path, name, module):
    path = tmp_path / name
    path.write_bytes(b"x")
    assert reader_for(path).__name__.endswith(f".{module}")
    assert is_story_file(path)


def test_unknown_files_and_sidecars_are_not_stories(tmp_path):
    for name in ("cover.jpg", "a.toml", "notes.pdf"):
        (tmp_path / name).write_bytes(b"x")
        assert not is_story_file(tmp_path / name)
    with pytest.raises(StorybinderError, match="supported: .*\\.bbcode.*\\.docx.*\\.md"):
        reader_for(tmp_path / "notes.pdf")


def test_choosing_readers_imports_no_parser_library():
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from storybinder.readers import READER_MODULES, _reader\n"
        "[_reader(n) for n in READER_MODULES]\n"
        "heavy = {'lxml', 'markdown_it', 'docx', 'nh3', 'yaml', 'charset_normalizer'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == "[]"
