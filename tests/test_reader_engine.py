"""End to end in a real reading engine: the project's sample stories, built with
`storybinder build`, open in epub.js inside headless Chromium; every spine document
loads and parses, every page turns, every TOC entry leads somewhere, nothing 404s.

Needs node, npm and Chromium (Debian: apt-get install chromium nodejs npm). The npm
packages are pinned in tests/reader_engine/package(-lock).json and installed with
`npm ci` into a cache directory on first use. Locally the test skips when node or
Chromium is absent; in CI (CI=true) that is a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from storybinder.epub_open import open_epub

from .npm_cache import chromium as find_chromium
from .npm_cache import install_modules, unavailable

HERE = Path(__file__).resolve().parent
ENGINE = HERE / "reader_engine"


@pytest.fixture(scope="session")
def read_books():
    """A function: EPUB paths -> one report per book from epub.js in headless Chromium."""
    chromium, node = find_chromium(), shutil.which("node")
    modules = install_modules(ENGINE, "epubjs")
    if not chromium:
        unavailable("Chromium not found (Debian: apt-get install chromium, or set CHROMIUM=/path/to/chrome)")

    def read(books: list[Path]) -> dict[str, dict]:
        env = {**os.environ, "READER_ENGINE_MODULES": str(modules), "CHROMIUM": chromium}
        proc = subprocess.run(
            [node, str(ENGINE / "read_book.mjs"), *map(str, books)],
            env=env, capture_output=True, text=True, timeout=300,
        )
        assert proc.returncode in (0, 1), f"the reader harness failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
        reports = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
        return {Path(r["book"]).name: r for r in reports}

    return read


def _break(book: Path, dest: Path, how: str) -> Path:
    """A copy of `book` with one defect a reader trips over."""
    package, _ = open_epub(book)
    assert package is not None
    with package:
        chapters = [package.item_by_id(i).path for i in package.spine]
        nav = next(i.path for i in package.manifest if "nav" in i.properties)
    chapter = chapters[-1]

    def edit(name: str, data: bytes) -> bytes | None:
        if how == "malformed" and name == chapter:
            return data.replace(b"</p>", b"<em>unclosed</p>", 1)
        if how == "missing-image" and name == chapter:
            return data.replace(b"</p>", b'</p><p><img src="no-such-picture.png" alt="gone"/></p>', 1)
        if how == "missing-chapter" and name == chapter:
            return None
        if how == "toc-fragment" and name == nav:
            return re.sub(rb'(<a href="[^"#]+)(#[^"]*)?"', rb'\1#no-such-anchor"', data, count=1)
        return data

    with zipfile.ZipFile(book) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            data = edit(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info, data)
    return dest


def test_sample_books_read_cleanly_in_epubjs(read_books, sample_books, tmp_path):
    sample_books = list(sample_books.values())  # built once per session (conftest.py)
    broken = [_break(sample_books[0], tmp_path / f"broken-{how}.epub", how)
              for how in ("malformed", "missing-image", "missing-chapter", "toc-fragment")]
    reports = read_books(sample_books + broken)

    for book in sample_books:
        report = reports[book.name]
        assert report["ok"], f"{book.name} failed in epub.js: {report['failures']}"
        assert report["pages"] >= len(report["spine"]), "every spine document gets at least one page"
        assert all(s["pages"] > 0 for s in report["spine"] if s["linear"]), report["spine"]
        assert sum(s["chars"] for s in report["spine"]) > 500, "the story text reaches the reader"

    # The same harness fails books a reader cannot show properly, so a pass above means something.
    expected = {
        "broken-malformed.epub": "XML parse error",
        "broken-missing-image.epub": "no-such-picture.png",
        "broken-missing-chapter.epub": "HTTP 404",
        "broken-toc-fragment.epub": "no such fragment",
    }
    for name, symptom in expected.items():
        report = reports[name]
        assert not report["ok"], f"{name} should fail in epub.js"
        assert any(symptom in f for f in report["failures"]), f"{name}: {report['failures']}"
