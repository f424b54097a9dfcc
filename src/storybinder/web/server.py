"""Run an app on uvicorn: the address line, the home-network warning, a quiet log."""

from __future__ import annotations

import socket
from collections.abc import Callable

from ..errors import StorybinderError
from .guard import is_loopback


def address_lines(host: str, port: int, *, auth: bool) -> list[str]:
    """What the user is told when the server starts: where it is and who can reach it."""
    shown = f"[{host}]" if ":" in host else host
    lines = [f"Serving on http://{shown}:{port}/ (press Ctrl-C to stop)"]
    if not is_loopback(host):
        lines.append(
            "Shared on your network: other devices can reach it at this machine's address"
            + (" (user name and password required)." if auth else " with NO password (--no-auth).")
        )
    return lines


def run(app: object, host: str, port: int, *, echo: Callable[[str], None], auth: bool, access_log: bool = False) -> None:
    """Serve `app` until Ctrl-C (uvicorn handles the signal and finishes open responses)."""
    sock = bind(host, port)
    for line in address_lines(host, sock.getsockname()[1], auth=auth):
        echo(line)
    serve(app, sock, access_log=access_log)


def serve(app: object, sock: socket.socket, *, access_log: bool = False) -> None:
    """Serve `app` on a socket bound already (its address decided, e.g. a random port) until Ctrl-C."""
    import uvicorn

    host, port = sock.getsockname()[:2]
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", access_log=access_log,
        # Our responses decide their own headers; uvicorn's "server: uvicorn" says nothing useful.
        server_header=False, proxy_headers=False, lifespan="on",
    )
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or one clear error (port in use, no such address)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        hint = "choose another with --port" if exc.errno == 98 else "check --host"
        raise StorybinderError(f"cannot listen on {host}:{port}: {exc.strerror or exc}", hint=hint) from exc
    sock.set_inheritable(True)
    return sock
