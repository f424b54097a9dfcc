"""storybinder.toml: the one place settings are read, into typed options passed down.

Looked for in the current folder, then in the user's config folder
($XDG_CONFIG_HOME/storybinder/ or ~/.config/storybinder/); the first one found is
used. Command-line options win over it. Tables: [serve] and [send].

    [serve]
    dir = "books"            # the folder to serve
    host = "127.0.0.1"
    port = 8080
    user = "reader"          # HTTP Basic auth (both user and password)
    password = "secret"
    page_size = 50
    title = "Our shelf"

    [send]
    to = "you@kindle.com"
    from = "me@example.org"
    smtp = "smtp.example.org:587"
    tls = true               # STARTTLS; false only for a local test server
    user = "me@example.org"  # or STORYBINDER_SMTP_USER
    password = "app-password" # or STORYBINDER_SMTP_PASSWORD
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import StorybinderError

FILE_NAME = "storybinder.toml"


@dataclass(frozen=True)
class ServeSettings:
    dir: Path = Path("books")
    host: str = "127.0.0.1"
    port: int = 8080
    user: str | None = None
    password: str | None = None
    no_auth: bool = False
    page_size: int = 50
    title: str = "storybinder"
    cache_dir: Path | None = None

    def __repr__(self) -> str:
        return f"ServeSettings(dir={self.dir!r}, host={self.host!r}, port={self.port}, user={self.user!r}, password={'***' if self.password else None})"


@dataclass(frozen=True)
class SendSettings:
    to: str | None = None
    sender: str | None = None  # "from" in the file
    smtp: str | None = None
    tls: bool = True
    user: str | None = None
    password: str | None = None

    def __repr__(self) -> str:
        return f"SendSettings(to={self.to!r}, sender={self.sender!r}, smtp={self.smtp!r}, tls={self.tls}, user={self.user!r}, password={'***' if self.password else None})"


@dataclass(frozen=True)
class Settings:
    serve: ServeSettings = ServeSettings()
    send: SendSettings = SendSettings()
    source: Path | None = None  # the file they came from
    cache_home: Path | None = None  # the user's cache folder (for the shelf's thumbnails and kepubs)


def config_home(environ: dict[str, str]) -> Path:
    return Path(environ.get("XDG_CONFIG_HOME") or Path(environ.get("HOME", "~")).expanduser() / ".config")


def cache_home(environ: dict[str, str]) -> Path:
    return Path(environ.get("XDG_CACHE_HOME") or Path(environ.get("HOME", "~")).expanduser() / ".cache")


def find_settings_file(cwd: Path, environ: dict[str, str]) -> Path | None:
    for candidate in (cwd / FILE_NAME, config_home(environ) / "storybinder" / FILE_NAME):
        if candidate.is_file():
            return candidate
    return None


def load_settings(cwd: Path | None = None, environ: dict[str, str] | None = None, path: Path | None = None) -> Settings:
    """Read storybinder.toml (given, or found) into Settings; defaults when there is none."""
    environ = dict(os.environ) if environ is None else environ
    cwd = Path.cwd() if cwd is None else cwd
    path = path or find_settings_file(cwd, environ)
    caches = cache_home(environ) / "storybinder"
    if path is None:
        return Settings(cache_home=caches)
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise StorybinderError(f"cannot read the settings file ({exc})", path=path) from exc
    except tomllib.TOMLDecodeError as exc:
        raise StorybinderError(f"not valid TOML ({exc})", path=path) from exc
    unknown = set(data) - {"serve", "send"}
    if unknown:
        raise StorybinderError(f"unknown table(s) {', '.join(sorted(unknown))}", path=path, hint="use [serve] and [send]")
    serve_raw = dict(data.get("serve", {}))
    if "dir" in serve_raw:
        serve_raw["dir"] = (path.parent / str(serve_raw["dir"])).resolve()
    if "cache_dir" in serve_raw:
        serve_raw["cache_dir"] = (path.parent / str(serve_raw["cache_dir"])).resolve()
    send_raw = dict(data.get("send", {}))
    if "from" in send_raw:
        send_raw["sender"] = send_raw.pop("from")
    return Settings(
        serve=_typed(ServeSettings, serve_raw, path, "serve"),
        send=_typed(SendSettings, send_raw, path, "send"),
        source=path, cache_home=caches,
    )


def _typed(cls, raw: dict[str, Any], path: Path, table: str):
    known = {f.name: f for f in fields(cls)}
    out = {}
    for key, value in raw.items():
        if key not in known:
            raise StorybinderError(f"[{table}] has no setting {key!r}", path=path,
                                   hint="known: " + ", ".join(k if k != "sender" else "from" for k in known))
        default = getattr(cls(), key)
        expected = type(default) if default is not None else (Path if key.endswith("dir") else str)
        if expected is Path and isinstance(value, (str, Path)):
            value = Path(value)
        elif expected is bool and not isinstance(value, bool) or expected is int and (
                not isinstance(value, int) or isinstance(value, bool)) or expected is str and not isinstance(value, str):
            raise StorybinderError(f"[{table}] {key} must be {expected.__name__}, not {type(value).__name__}", path=path)
        out[key] = value
    return cls(**out)


def with_overrides(settings, **overrides):
    """Settings with each command-line option that was given (not None) in place of the file's."""
    return replace(settings, **{k: v for k, v in overrides.items() if v is not None})
