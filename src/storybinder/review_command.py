"""`storybinder review STORY|book.toml`: every change and suggestion of the cleaner in the browser,
decided one by one and kept beside the story (NAME.review.toml) for `build` and `clean`."""

# No `from __future__ import annotations`: typer reads this signature at start (see cli.py).

from pathlib import Path
from typing import Annotated, Optional

import typer


def review(
    source: Annotated[Path, typer.Argument(metavar="STORY|book.toml", help="The story (any format) or anthology to review.")],
    port: Annotated[Optional[int], typer.Option(min=1, max=65535, help="Port to listen on. Default: a free one.", show_default=False)] = None,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Do not open a browser; print the page's address (alone on a line).")] = False,
) -> None:
    """Review the cleaner's changes in your browser: accept, reject or edit each, or keep a word.

    The page (on 127.0.0.1 only, with a one-time token in its address) lists every
    word change and suggestion in its paragraph, grouped by rule, typography folded
    into counts, beside a preview of the chapter as the book will show it. Each
    decision is saved at once to NAME.review.toml beside the story; `build` and
    `clean` apply that file whenever it exists and warn about decisions whose text
    is gone. Keys: j/k move, a accept, r reject, e edit, u undo. Ctrl-C stops.
    """
    import secrets

    from .cli import user_errors
    from .review.loading import load_review
    from .web.guard import AccessPolicy
    from .web.review import review_app
    from .web.server import bind, serve

    with user_errors():
        session = load_review(source, warn=lambda line: typer.echo(f"warning: {line}", err=True))
        listing = session.listing()  # cleaned now, so the page opens at once
        counts = listing.counts()
        sock = bind("127.0.0.1", port or 0)
        actual = sock.getsockname()[1]
        token = secrets.token_urlsafe(24)
        app = review_app(session, AccessPolicy.for_review("127.0.0.1", actual, token))
        url = f"http://127.0.0.1:{actual}/?token={token}"
        files = ", ".join(sorted({str(s.file.path) for s in session.stories}))
        typer.echo(f"Reviewing {session.title}: {counts['fix']} changes to the words, {counts['suggestion']} "
                   f"suggestions, {counts['decided']} decided; decisions go to {files}", err=True)
        typer.echo(url)
        typer.echo("Open that address in your browser; press Ctrl-C to stop.", err=True)
        if not no_browser:
            _open_browser(url)
        serve(app, sock)


def _open_browser(url: str) -> None:
    import threading
    import webbrowser

    # A browser that runs in the terminal (lynx) would hold up the server: off the main thread.
    threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
