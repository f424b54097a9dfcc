"""Shared test fixtures.

EPUBCheck starts a JVM (seconds), so every test that builds a book hands it to
the session-wide `epubcheck_books` queue; the whole queue is validated in one
JVM when the session ends, and any error or warning fails the run, naming the
book and the test that built it.
"""

from __future__ import annotations

import email
import email.policy
import os
import shutil
import socket
from pathlib import Path

import pytest

from storybinder.epubcheck import problems, validate

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"


class EpubCheckQueue:
    """Books waiting for the session's single EPUBCheck run."""

    def __init__(self) -> None:
        self.books: dict[Path, str] = {}

    def add(self, path: Path, request: pytest.FixtureRequest | None = None) -> Path:
        assert Path(path).is_file(), f"no EPUB at {path}"
        self.books[Path(path)] = request.node.nodeid if request else "?"
        return Path(path)

    def add_all(self, paths, request: pytest.FixtureRequest | None = None) -> list[Path]:
        return [self.add(p, request) for p in paths]


@pytest.fixture(scope="session")
def epubcheck_books():
    queue = EpubCheckQueue()
    yield queue
    results = validate(list(queue.books))
    failures = []
    for book, messages in results.items():
        bad = problems(messages)
        if bad:
            failures.append(f"{book} (built by {queue.books[book]}):\n  " + "\n  ".join(map(str, bad)))
    assert not failures, "EPUBCheck found problems:\n" + "\n".join(failures)


@pytest.fixture
def check_epub(epubcheck_books, request):
    """Queue a built EPUB for the session's EPUBCheck run; returns the path."""
    return lambda path: epubcheck_books.add(path, request)


@pytest.fixture(scope="session")
def sample_books(tmp_path_factory, epubcheck_books) -> dict[str, Path]:
    """`storybinder build` with no arguments, run once per session in a copy of the
    project's stories/ and covers/; slug -> EPUB path, all queued for EPUBCheck."""
    from typer.testing import CliRunner

    from storybinder.cli import app

    work = tmp_path_factory.mktemp("samples")
    shutil.copytree(REPO / "stories", work / "stories")
    shutil.copytree(REPO / "covers", work / "covers")
    old = Path.cwd()
    os.chdir(work)
    try:
        result = CliRunner().invoke(app, ["build"])
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    books = {p.stem: p for p in sorted((work / "books").glob("*.epub"))}
    assert books, "storybinder build wrote no EPUB from stories/"
    epubcheck_books.add_all(books.values())
    return books


class Inbox:
    """What the test SMTP server received: (envelope sender, recipients, parsed message)."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 OK"


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on 127.0.0.1: (inbox, "host:port")."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    with socket.socket() as probe:  # a free port (aiosmtpd's start-up check cannot use port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, f"127.0.0.1:{port}"
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium, driven by Playwright (executable_path: never `playwright install`)."""
    from .npm_cache import chromium, unavailable

    sync_api = pytest.importorskip("playwright.sync_api")
    executable = chromium()
    if executable is None:
        unavailable("Chromium not found (Debian: apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def screens(tmp_path_factory) -> Path:
    """Where browser tests put their screenshots: STORYBINDER_SCREENSHOTS, or a temporary folder."""
    folder = Path(os.environ.get("STORYBINDER_SCREENSHOTS") or tmp_path_factory.mktemp("screens"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
