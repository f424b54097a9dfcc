"""Libraries and running shelves for the serve tests."""

from __future__ import annotations

import email
import email.policy
import shutil
import socket
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from storybinder.web.guard import AccessPolicy
from storybinder.web.serve_app import shelf_app


def make_library(folder: Path, sample_books: dict[str, Path]) -> Path:
    """A folder holding copies of the sample books (one in a subfolder)."""
    folder.mkdir(parents=True, exist_ok=True)
    for slug, path in sample_books.items():
        target = folder / ("shelf-two" if slug.startswith("lamplight-word") else "") / path.name
        target.parent.mkdir(exist_ok=True)
        shutil.copy2(path, target)
    return folder


def app_for(folder: Path, cache: Path, **kw):
    kw.setdefault("page_size", 4)
    kw.setdefault("rescan_interval", 0.0)
    return shelf_app(folder, AccessPolicy.for_bind("127.0.0.1", None), cache_dir=cache, **kw)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 OK"


@pytest.fixture
def smtp_server():
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
