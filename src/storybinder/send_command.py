"""`storybinder send BOOK... --to you@kindle.com`: mail EPUBs to a Kindle through SMTP."""

# No `from __future__ import annotations`: typer reads this signature at start (see cli.py).

import os
import tempfile
from pathlib import Path
from typing import Annotated, Optional

import typer

from .errors import StorybinderError

USER_VARIABLE = "STORYBINDER_SMTP_USER"
PASSWORD_VARIABLE = "STORYBINDER_SMTP_PASSWORD"


def send(
    books: Annotated[list[Path], typer.Argument(metavar="BOOK.epub...", help="EPUB files to send (a folder means every .epub in it).", show_default=False)],
    to: Annotated[Optional[str], typer.Option("--to", help="Your Send-to-Kindle address (or [send] to in storybinder.toml).", show_default=False)] = None,
    smtp: Annotated[Optional[str], typer.Option("--smtp", metavar="HOST:PORT", help="SMTP server to send through (or [send] smtp).", show_default=False)] = None,
    sender: Annotated[Optional[str], typer.Option("--from", help="The sender address: one on your Amazon approved list (or [send] from).", show_default=False)] = None,
    no_tls: Annotated[bool, typer.Option("--no-tls", help="Send without STARTTLS: only for a local test server.")] = False,
) -> None:
    """Mail books to a Kindle (Send-to-Kindle): at most 25 books and 50 MB a message, images scaled to fit.

    Credentials come from STORYBINDER_SMTP_USER / STORYBINDER_SMTP_PASSWORD or the [send] table of
    storybinder.toml, never from the command line.
    """
    from .check_command import expand_books
    from .cli import user_errors
    from .settings import load_settings, with_overrides

    with user_errors():
        settings = with_overrides(load_settings().send, to=to, smtp=smtp, sender=sender)
        if no_tls:
            settings = with_overrides(settings, tls=False)
        if not settings.to:
            raise StorybinderError("no address to send to", hint="give --to you@kindle.com or [send] to in storybinder.toml")
        paths = expand_books(books)
        sent = deliver(paths, settings.to, settings, echo=typer.echo)
        typer.echo(f"sent {len(paths)} book{'s' if len(paths) != 1 else ''} to {settings.to} in {sent} message{'s' if sent != 1 else ''}")


def deliver(paths: list[Path], to: str, settings, echo=lambda line: None) -> int:
    """Make each book Kindle-ready, batch them and send; returns the number of messages sent."""
    from .mail import Attachment, batches, build_message, send_messages
    from .targets.kindle import make_kindle_ready

    if not settings.smtp:
        raise StorybinderError("no SMTP server", hint="give --smtp host:port or [send] smtp in storybinder.toml")
    if not settings.sender:
        raise StorybinderError("no sender address", hint="give --from or [send] from (an address Amazon has approved)")
    # Credentials are read here, where they are used, and only from the environment or the file.
    user = os.environ.get(USER_VARIABLE) or settings.user
    password = os.environ.get(PASSWORD_VARIABLE) or settings.password
    for path in paths:
        if not path.is_file():
            raise StorybinderError("no such file", path=path)
        if path.suffix.lower() != ".epub" or path.name.lower().endswith(".kepub.epub"):
            raise StorybinderError("only EPUB files can be sent to a Kindle", path=path)
    with tempfile.TemporaryDirectory(prefix="storybinder-send-") as scratch:
        attachments = []
        for n, path in enumerate(paths):
            ready = make_kindle_ready(path, Path(scratch) / f"{n}.epub")
            attachments.append(Attachment(ready, path.name))
        groups = batches(attachments)
        messages = [build_message(group, to, settings.sender, part=i + 1, parts=len(groups))
                    for i, group in enumerate(groups)]
        echo(f"sending {len(paths)} book(s) in {len(messages)} message(s) through {settings.smtp}...")
        send_messages(messages, settings.smtp, tls=settings.tls, user=user, password=password)
    return len(messages)
