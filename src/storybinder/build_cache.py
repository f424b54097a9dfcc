"""Incremental builds: what each book was built from, kept beside the books.

A book is up to date when everything it was built from is unchanged: the
story text (every file of a chapter folder), its sidecar, the project's
words.txt, a book.toml and the stories it names, the cover it used (and the
cover the slug lookup would find now), the build options and the storybinder
version. The record lives in OUTDIR/.storybinder-state.json (rewritten
atomically, temp file + rename, when a build ends) and a journal beside it
that gets a line per finished book, so an interrupted batch keeps everything
it had finished.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TextIO

from . import __version__
from .manifest import load_toml, sidecar_path
from .pipeline import BuildOptions, cover_search_dirs, find_cover_file
from .sources import Job

STATE_FILE = ".storybinder-state.json"
JOURNAL_FILE = ".storybinder-state.journal"
STATE_FORMAT = 1
_CHUNK = 1 << 20


@dataclass(frozen=True)
class BookRecord:
    """What one job produced last time, and from what (paths are strings: JSON and pickle friendly)."""

    source: str
    kind: str
    fingerprint: str
    output: str  # file name inside the output folder
    size: int  # of the EPUB, so a replaced or truncated file is rebuilt
    slug: str
    title: str | None = None
    cover: str | None = None  # the image file the book's cover came from
    cover_digest: str | None = None
    slug_cover: str | None = None  # what covers/<slug>.* lookup found


def job_key(job: Job) -> str:
    """The state key of a job: its kind and absolute path."""
    return f"{job.kind}:{job.real_path}"


def options_digest(options: BuildOptions) -> str:
    """A digest of everything in the options that changes a book (the cover's bytes too)."""
    digest = hashlib.sha256(f"storybinder {__version__}\0".encode())
    digest.update(repr(options.overrides).encode())
    digest.update(repr((options.clean, tuple(str(d) for d in options.cover_dirs), options.report_dir)).encode())
    if options.overrides.cover is not None:
        digest.update(file_digest(options.overrides.cover).encode())
    return digest.hexdigest()


def file_digest(path: Path) -> str:
    """Content digest of a file ("missing" when it cannot be read)."""
    digest = hashlib.blake2b(digest_size=20)
    if not path.is_file():
        return "missing"  # a device or pipe (/dev/zero) would be read forever
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    except OSError:
        return "missing"
    return digest.hexdigest()


def input_fingerprint(job: Job, options: BuildOptions, options_key: str) -> str:
    """A digest of every input file of `job` that can be named without building it."""
    digest = hashlib.sha256(f"{options_key}\0{job.kind}\0{job.real_path}\0".encode())
    if job.kind == "book":
        _add_file(digest, job.path)
        for source in _book_sources(job.path):
            _add_story(digest, source, options)
    else:
        _add_story(digest, job.path, options)
    return digest.hexdigest()


def _add_file(digest: "hashlib._Hash", path: Path | None) -> None:
    if path is None:
        digest.update(b"\0none\0")
        return
    digest.update(f"\0{path}\0{file_digest(path)}\0".encode())


def _add_story(digest: "hashlib._Hash", path: Path, options: BuildOptions) -> None:
    if path.is_dir():
        # A story folder is its direct files (as the folder reader reads it); a
        # source naming "/" must not walk the whole disk.
        for member in sorted(p for p in path.iterdir() if p.is_file()):
            _add_file(digest, member)
    else:
        _add_file(digest, path)
    _add_file(digest, sidecar_path(path))
    if options.clean:
        from .cleanup.words import find_project_words
        from .review.paths import find_review

        _add_file(digest, find_project_words(path))
        _add_file(digest, find_review(path))  # the author's review decisions change the text


def _book_sources(toml: Path) -> list[Path]:
    # A broken book.toml fingerprints as its bytes alone; the build reports it.
    try:
        entries = load_toml(toml).get("story", [])
    except Exception:
        return []
    if not isinstance(entries, list):
        return []
    return [(toml.parent / e["source"]).resolve() for e in entries if isinstance(e, dict) and isinstance(e.get("source"), str)]


def record_cover(cover: Path | None) -> tuple[str | None, str | None]:
    """(path, digest) of the cover image a book used."""
    return (str(cover), file_digest(cover)) if cover is not None else (None, None)


def is_up_to_date(record: BookRecord, fingerprint: str, job: Job, options: BuildOptions) -> bool:
    """True when `record` was built from exactly these inputs and its EPUB is still there."""
    if record.fingerprint != fingerprint:
        return False
    try:
        if (options.outdir / record.output).stat().st_size != record.size:
            return False
    except OSError:
        return False
    if record.cover is not None and file_digest(Path(record.cover)) != record.cover_digest:
        return False
    report = options.report_dir / f"{Path(record.output).stem}.html" if options.report_dir is not None else None
    if report is not None and options.clean and not report.is_file():
        return False  # the edit report asked for is missing
    found = find_cover_file(record.slug, cover_search_dirs(job.path, options))
    return (str(found) if found else None) == record.slug_cover


class BuildState:
    """Every job's BookRecord for one output folder.

    Kept as one JSON file, rewritten atomically by `save` at the end of a
    build, plus a journal of one JSON line per book finished since: a book is
    recorded the moment it is in place, for the cost of one small append, so a
    killed batch loses nothing it finished (a torn last line is ignored).
    """

    def __init__(self, outdir: Path, records: dict[str, BookRecord] | None = None) -> None:
        self.path = outdir / STATE_FILE
        self.journal_path = outdir / JOURNAL_FILE
        self.records: dict[str, BookRecord] = records or {}
        self._journal: TextIO | None = None

    def record(self, key: str, record: BookRecord) -> None:
        """Remember what `key` was built into, on disk at once (in the journal)."""
        self.records[key] = record
        if self._journal is None:
            self._journal = open(self.journal_path, "a", encoding="utf-8")
        self._journal.write(json.dumps({"key": key, **_as_json(record)}, ensure_ascii=False) + "\n")
        self._journal.flush()

    @classmethod
    def load(cls, outdir: Path) -> BuildState:
        """The saved state and journal; empty when unreadable (everything rebuilds)."""
        records: dict[str, BookRecord] = {}
        try:
            data = json.loads((outdir / STATE_FILE).read_text(encoding="utf-8"))
            if data.get("format") == STATE_FORMAT:
                records = {key: _record(value) for key, value in data["books"].items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            records = {}
        records.update(_replay(outdir / JOURNAL_FILE))
        # A story that no longer exists no longer holds its book's name.
        return cls(outdir, {k: r for k, r in records.items() if Path(r.source).exists()})

    def save(self) -> None:
        """Fold the journal into the state file, written atomically (temp file + rename)."""
        if self._journal is None:
            return
        self._journal.close()
        self._journal = None
        data = {
            "format": STATE_FORMAT,
            "storybinder": __version__,
            "books": {key: _as_json(record) for key, record in sorted(self.records.items())},
        }
        tmp = self.path.with_name(f"{self.path.name}.{os.urandom(4).hex()}.tmp")
        try:
            with open(tmp, "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=0, ensure_ascii=False)
            os.replace(tmp, self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        # Only now: a kill before this line replays the same records next time.
        self.journal_path.unlink(missing_ok=True)


_RECORD_FIELDS = tuple(f.name for f in fields(BookRecord))


def _as_json(record: BookRecord) -> dict:
    # Not dataclasses.asdict: its deep copy of every field was a fifth of the
    # batch parent's time a book, and the fields are plain strings and ints.
    return {name: getattr(record, name) for name in _RECORD_FIELDS}


def _record(value: dict) -> BookRecord:
    return BookRecord(**{k: v for k, v in value.items() if k in _RECORD_FIELDS})


def _replay(journal: Path) -> dict[str, BookRecord]:
    """The records a journal holds, later lines winning; a torn or foreign line is skipped."""
    records: dict[str, BookRecord] = {}
    try:
        lines = journal.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return records
    for line in lines:
        try:
            value = json.loads(line)
            records[value["key"]] = _record(value)
        except (ValueError, TypeError, KeyError, AttributeError):
            continue
    return records
