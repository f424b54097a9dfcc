"""Turn the SOURCES a user names into build jobs: single stories and anthologies."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator, Literal

from .errors import StorybinderError
from .readers import is_story_file

BOOK_FILE = "book.toml"


@dataclass(frozen=True)
class Job:
    """One book to build: a story (file or chapter folder) or an anthology's book.toml."""

    kind: Literal["story", "book"]
    path: Path
    # `path` with symlinks resolved, found once by expand_sources: a batch keys
    # its state and fingerprints by it, and resolving costs a syscall a folder.
    real: Path | None = field(default=None, compare=False)

    @property
    def real_path(self) -> Path:
        """The job's absolute path, symlinks resolved."""
        return self.real if self.real is not None else self.path.resolve()


def is_story_folder(path: Path) -> bool:
    """A folder of chapter files is one story when it says so: story.toml inside or NAME.toml beside."""
    if not path.is_dir():
        return False
    # `.` and `..` have no name of their own: the sidecar is named for the real folder.
    name = path.resolve().name
    return (path / "story.toml").is_file() or bool(name and (path.resolve().parent / f"{name}.toml").is_file())


def expand_sources(sources: list[Path], skip: Path | None = None) -> Iterator[Job]:
    """Yield a job per story file, story folder and book.toml under the given paths.

    A folder walk never enters `skip` (the output folder: the EPUBs built there
    are not stories to build again, though they are EPUBs).
    """
    seen: set[Path] = set()
    skipped = skip.resolve() if skip is not None and skip.is_dir() else None
    for source in sources:
        if not source.exists():
            raise StorybinderError("no such file or folder", path=source)
        if not (source.is_file() or source.is_dir()):
            raise StorybinderError("not a regular file or folder (a device or pipe?)", path=source)
        if skipped is not None and source.is_dir() and source.resolve() == skipped:
            continue
        for job in _expand(source, skipped):
            real = job.path.resolve()
            if real not in seen:
                seen.add(real)
                yield replace(job, real=real)


def _expand(source: Path, skip: Path | None = None) -> Iterator[Job]:
    if source.is_file():
        if source.name == BOOK_FILE or (source.suffix == ".toml" and _is_book_toml(source)):
            yield Job("book", source)
        else:
            yield Job("story", source)
        return
    if is_story_folder(source):
        yield Job("story", source)
        return
    yield from _walk(source, skip)


def _walk(folder: Path, skip: Path | None = None) -> Iterator[Job]:
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        raise StorybinderError(f"cannot list the folder: {exc.strerror or exc}", path=folder) from None
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            if skip is not None and entry.resolve() == skip:
                continue
            if is_story_folder(entry):
                yield Job("story", entry)
            else:
                yield from _walk(entry, skip)
        elif entry.name == BOOK_FILE:
            yield Job("book", entry)
        elif is_story_file(entry):
            yield Job("story", entry)


def _is_book_toml(path: Path) -> bool:
    # Any TOML named on the command line with [[story]] entries is a book.
    try:
        head = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return "[[story]]" in head
