"""Metadata files: a story's sidecar `NAME.toml`, and what an anthology's `book.toml` shares with it.

Both use the same keys (see `STORY_KEYS`); `metadata_from_mapping` turns such a
table (or Markdown front matter) into a Metadata layer. Paths in them are
relative to the file that names them. The book.toml itself is read by book_spec.py.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Callable

from .errors import StorybinderError
from .model import Metadata, Person

Warn = Callable[[str], None]

STORY_KEYS = frozenset(
    {
        "title", "subtitle", "author", "authors", "description", "summary", "language", "tags",
        "subjects", "series", "series_index", "date", "publisher", "rights", "source_url", "url",
        "isbn", "identifier", "uuid", "rating", "status", "cover", "cover_artist", "editor", "editors",
        "translator", "contributors", "words",
    }
)
ENTRY_KEYS = STORY_KEYS | {"source"}
_ROLE_KEYS = {"cover_artist": "ill", "editor": "edt", "editors": "edt", "translator": "trl"}


def load_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; errors name the file and the line."""
    import tomllib  # here: a story without a sidecar never needs it (2 ms of a start)

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StorybinderError(f"cannot read the file: {exc.strerror or exc}", path=path) from None
    try:
        return tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise StorybinderError("not a UTF-8 TOML file", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise StorybinderError(f"malformed TOML: {exc}", path=path) from None


def metadata_from_mapping(data: dict[str, Any], base: Path, origin: Path, warn: Warn | None = None) -> Metadata:
    """Turn a sidecar/front-matter table into a Metadata layer.

    `base` is the folder relative paths (cover) start from; `origin` names the
    file in messages. Unknown keys are reported through `warn`, not fatal.
    """
    unknown = sorted(set(data) - ENTRY_KEYS)
    if unknown and warn:
        warn(f"{origin}: unknown key(s) ignored: {', '.join(unknown)} (known: {', '.join(sorted(STORY_KEYS))})")

    def text(key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if hasattr(value, "isoformat"):  # TOML dates arrive as date/datetime
            return value.isoformat()
        if not isinstance(value, str):
            raise StorybinderError(f"'{key}' must be a string, not {type(value).__name__}", path=origin)
        return value.strip() or None

    contributors: list[Person] = []
    for key, role in _ROLE_KEYS.items():
        contributors += [Person(p.name, p.sort_name, role) for p in _people(data.get(key), key, origin)]
    contributors += _contributors(data.get("contributors"), origin)

    cover = text("cover")
    cover_path = None
    if cover:
        cover_path = named_path(base, cover, "the cover", origin)
        if not cover_path.is_file():
            raise StorybinderError(f"the cover '{cover}' it names does not exist ({cover_path})", path=origin)

    series_index = data.get("series_index")
    if series_index is not None:
        try:
            series_index = float(series_index)
        except (TypeError, ValueError):
            series_index = math.nan
        if not math.isfinite(series_index):  # TOML allows nan and inf
            raise StorybinderError(f"'series_index' must be a number, not {data.get('series_index')!r}", path=origin)

    authors = _people(data.get("authors"), "authors", origin) or _people(data.get("author"), "author", origin)
    return Metadata(
        title=text("title"),
        subtitle=text("subtitle"),
        authors=tuple(authors),
        description=text("description") or text("summary"),
        language=text("language"),
        tags=tuple(_strings(data.get("tags") or data.get("subjects"), "tags", origin)),
        series=text("series"),
        series_index=series_index,
        date=text("date"),
        publisher=text("publisher"),
        rights=text("rights"),
        source_url=text("source_url") or text("url"),
        isbn=text("isbn"),
        identifier=text("identifier") or text("uuid"),
        rating=text("rating"),
        status=text("status"),
        contributors=tuple(contributors),
        cover=cover_path,
        words=tuple(_strings(data.get("words"), "words", origin)),
    )


def named_path(base: Path, name: str, what: str, origin: Path) -> Path:
    """The absolute path a metadata file names; a clear error when no file could have that name."""
    try:
        path = (base / name).resolve()
        path.exists()  # a NUL byte or an over-long name fails here, not later
    except (ValueError, OSError) as exc:
        raise StorybinderError(f"{what} {name!r} is not a usable file name ({exc})", path=origin) from None
    return path


def _strings(value: Any, key: str, origin: Path) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        # "tags = 'a, b'" is a common shorthand for a list.
        return [part.strip() for part in value.split(",") if part.strip()] if key == "tags" else value.split()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    raise StorybinderError(f"'{key}' must be a list of strings", path=origin)


def _people(value: Any, key: str, origin: Path) -> list[Person]:
    """Accept "Name", ["A", "B"] or [{name = "A", sort = "A, B"}]."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    people = []
    for item in items:
        if isinstance(item, str) and item.strip():
            people.append(Person(item.strip()))
        elif isinstance(item, dict) and isinstance(item.get("name"), str) and item["name"].strip():
            sort = item.get("sort") or item.get("file_as") or item.get("sort_name")
            if sort is not None and not isinstance(sort, str):
                raise StorybinderError(f"'{key}': the sort name of {item['name']!r} must be a string", path=origin)
            people.append(Person(item["name"].strip(), sort))
        else:
            raise StorybinderError(f"'{key}' must be a name, a list of names or tables with a 'name'", path=origin)
    return people


def _contributors(value: Any, origin: Path) -> list[Person]:
    if value is None:
        return []
    def well_formed(v: Any) -> bool:
        return (
            isinstance(v, dict)
            and isinstance(v.get("name"), str)
            and bool(v["name"].strip())
            and isinstance(v.get("sort", ""), str)
            and isinstance(v.get("role", "ctb"), str)
        )

    if not isinstance(value, list) or not all(map(well_formed, value)):
        raise StorybinderError("'contributors' must be a list of tables with a 'name' and 'role' (strings)", path=origin)
    return [Person(v["name"].strip(), v.get("sort"), v.get("role", "ctb")) for v in value]


def sidecar_path(story: Path) -> Path | None:
    """The sidecar of a story: NAME.toml beside NAME.ext, or story.toml inside a story folder."""
    if story.is_file():
        candidates = [story.with_suffix(".toml")]
    else:
        folder = story.resolve()  # `.` names no folder of its own
        candidates = [folder.parent / f"{folder.name}.toml", story / "story.toml"] if folder.name else [story / "story.toml"]
    return next((c for c in candidates if c.is_file() and c.name != "book.toml"), None)


def load_sidecar(story: Path, warn: Warn | None = None) -> Metadata:
    """The sidecar's metadata layer for a story (empty when it has none)."""
    path = sidecar_path(story)
    if path is None:
        return Metadata()
    return metadata_from_mapping(load_toml(path), path.parent, path, warn)
