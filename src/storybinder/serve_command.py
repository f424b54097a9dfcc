"""`storybinder serve [DIR]`: the OPDS catalogue and web shelf of a folder of EPUBs
(or, with --export, the same catalogue written as static files)."""

# No `from __future__ import annotations`: typer reads this signature at start (see cli.py).

import hashlib
from pathlib import Path
from typing import Annotated, Optional

import typer

from .errors import StorybinderError


def serve(
    folder: Annotated[Optional[Path], typer.Argument(metavar="DIR", help="The folder of EPUBs to serve. Default: books/ (or [serve] dir in storybinder.toml).", show_default=False)] = None,
    host: Annotated[Optional[str], typer.Option(help="Address to listen on. 127.0.0.1 (default) is this machine only; 0.0.0.0 shares the shelf on your home network.", show_default=False)] = None,
    port: Annotated[Optional[int], typer.Option(min=0, max=65535, help="Port to listen on. Default: 8080.", show_default=False)] = None,
    user: Annotated[Optional[str], typer.Option(help="User name for HTTP Basic auth (with --password).", show_default=False)] = None,
    password: Annotated[Optional[str], typer.Option(help="Password for HTTP Basic auth (or [serve] password in storybinder.toml, which keeps it out of your shell history).", show_default=False)] = None,
    no_auth: Annotated[bool, typer.Option("--no-auth", help="Allow a non-loopback --host without a password (anyone on the network can download).")] = False,
    export: Annotated[Optional[Path], typer.Option("--export", metavar="OUT", help="Write the catalogue (OPDS feeds, shelf pages, books, covers) as static files into OUT instead of serving.", file_okay=False)] = None,
    page_size: Annotated[Optional[int], typer.Option(min=1, max=500, help="Books per feed page. Default: 50.", show_default=False)] = None,
    title: Annotated[Optional[str], typer.Option(help="The catalogue's title. Default: storybinder.", show_default=False)] = None,
) -> None:
    """Serve a folder of EPUBs to e-readers: OPDS 1.2 at /opds, OPDS 2.0 at /opds/v2, a web shelf at /.

    Books added, changed or removed while it runs show up without a restart.
    Kobo browsers get .kepub.epub downloads (made on demand), Kindle browsers a send-to-Kindle form.
    """
    from .cli import user_errors
    from .settings import load_settings, with_overrides

    with user_errors():
        settings = load_settings()
        options = with_overrides(settings.serve, dir=folder, host=host, port=port, user=user, password=password,
                                 page_size=page_size, title=title)
        if no_auth:
            options = with_overrides(options, no_auth=True)
        cache_dir = options.cache_dir or (settings.cache_home / "serve" / _folder_digest(options.dir))
        if export is not None:
            from .web.export import export_catalog

            written = export_catalog(options.dir, export, cache_dir=cache_dir, page_size=options.page_size,
                                     title=options.title)
            typer.echo(f"exported {written.books} books ({written.files} files) to {export}; open {export / 'index.html'} or point a reader at {export / 'opds' / 'index.xml'}")
            return
        run_server(options, settings, cache_dir)


def _folder_digest(folder: Path) -> str:
    return hashlib.sha1(str(folder.resolve()).encode()).hexdigest()[:16]


def run_server(options, settings, cache_dir: Path) -> None:
    """Check the options, build the app and serve until Ctrl-C."""
    from .web.guard import AccessPolicy, Credentials, is_loopback
    from .web.serve_app import shelf_app
    from .web.server import run

    if (options.user is None) != (options.password is None):
        raise StorybinderError("give both --user and --password (or neither)")
    if options.user is not None and not options.password:
        raise StorybinderError("the password must not be empty")
    credentials = Credentials(options.user, options.password) if options.user is not None else None
    if not is_loopback(options.host) and credentials is None and not options.no_auth:
        raise StorybinderError(
            f"refusing to share the shelf on {options.host} without a password",
            hint="set --user and --password (or [serve] user/password in storybinder.toml), or pass --no-auth",
        )
    if not options.dir.is_dir():
        raise StorybinderError("the folder to serve does not exist", path=options.dir,
                               hint="build some books first (storybinder build) or name a folder of EPUBs")
    sender = kindle_sender(settings.send)
    app = shelf_app(options.dir, AccessPolicy.for_bind(options.host, credentials), cache_dir=cache_dir,
                    page_size=options.page_size, title=options.title, sender=sender, kindle_address=settings.send.to)
    run(app, options.host, options.port, echo=typer.echo, auth=credentials is not None)


def kindle_sender(send_settings):
    """A function mailing books to a Kindle address with the [send] settings; None when they are incomplete."""
    if not (send_settings.smtp and send_settings.sender):
        return None
    from .send_command import deliver

    def send(paths: list[Path], to: str) -> None:
        deliver(paths, to, send_settings)

    return send
