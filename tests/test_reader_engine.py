"""End to end in a real reading engine: the project's sample stories, built with
`storybinder build`, open in epub.js inside headless Chromium; every spine document
loads and parses, every page turns, every TOC entry leads somewhere, nothing 404s.

Needs node, npm and Chromium (Debian: apt-get install chromium nodejs npm). The npm
packages are pinned in tests/reader_engine/package(-lock).json and installed with
`npm ci` into a cache directory on first use. Locally the test skips when node or
Chromium is absent; in CI (CI=true) that is a failure.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from storybinder.epub_open import open_epub

HERE = Path(__file__).resolve().parent
ENGINE = HERE / "reader_engine"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(f"reading-engine test cannot run in CI: {reason}")
    pytest.skip(reason)


def _chromium() -> str | None:
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


def _install_modules(node_dir: Path) -> Path:
    """`npm ci` of our pinned package.json + lock into a cache dir keyed by their hash."""
    digest = hashlib.sha256(b"".join((ENGINE / f).read_bytes() for f in ("package.json", "package-lock.json")))
    target = node_dir / f"reader-engine-{digest.hexdigest()[:12]}"
    if (target / "node_modules" / "epubjs").is_dir():
        return target
    staging = node_dir / f"{target.name}.{os.getpid()}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for f in ("package.json", "package-lock.json"):
        shutil.copy(ENGINE / f, staging / f)
    env = {**os.environ, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1", "PUPPETEER_SKIP_DOWNLOAD": "1"}
    proc = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--omit=dev", "--loglevel=error"],
        cwd=staging, env=env, capture_output=True, text=True, timeout=600,
    )
    if proc.returncode != 0:
        pytest.fail(f"npm ci of {ENGINE / 'package.json'} failed:\n{proc.stderr[-2000:]}")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target


@pytest.fixture(scope="session")
def read_books():
    """A function: EPUB paths -> one report per book from epub.js in headless Chromium."""
    chromium, node, npm = _chromium(), shutil.which("node"), shutil.which("npm")
    if not (node and npm):
        _unavailable("node/npm not found (Debian: apt-get install nodejs npm)")
    if not chromium:
        _unavailable("Chromium not found (Debian: apt-get install chromium, or set CHROMIUM=/path/to/chrome)")
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "storybinder"
    modules = _install_modules(cache)

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
