"""Keep a folder of EPUBs and its catalogue in step: stat every file on each refresh,
read only the books that are new or changed, drop the ones that are gone.

The OPF metadata and the "first seen" times are kept in a small JSON file in the
cache folder, so a restart does not reopen every book, and the newest-first
order survives rebuilds (a rebuilt book keeps its identifier, so it keeps its
place: KOReader's OPDS sync stops at the first book it already has).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import StorybinderError
from .book_info import Author, BookInfo, read_book_info
from .catalog import Catalog

log = logging.getLogger(__name__)

STATE_FILE = "library.json"
STATE_VERSION = 1


class Library:
    """The books under `folder`, refreshed at most every `interval` seconds when asked for."""

    def __init__(self, folder: Path, *, cache_dir: Path | None = None, interval: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.folder = folder
        self.root = folder.resolve()
        self.cache_dir = cache_dir
        self.interval = interval
        self.clock = clock
        self.problems: dict[str, str] = {}  # key -> why the book could not be read
        self._lock = threading.Lock()
        self._catalog: Catalog | None = None
        self._checked = float("-inf")
        self._infos: dict[str, BookInfo] = {}
        self._added: dict[str, int] = {}
        self._load_state()

    def catalog(self) -> Catalog:
        """The current catalogue, rescanned first when the last scan is older than `interval`.

        While another thread is scanning, the previous snapshot is returned at once.
        """
        if self._catalog is not None and self.clock() - self._checked < self.interval:
            return self._catalog
        blocking = self._catalog is None
        if not self._lock.acquire(blocking=blocking):
            return self._catalog  # type: ignore[return-value]
        try:
            if self._catalog is None or self.clock() - self._checked >= self.interval:
                self._scan()
            return self._catalog  # type: ignore[return-value]
        finally:
            self._lock.release()

    def fresh(self) -> Catalog | None:
        """The current catalogue if no rescan is due (no locking, no I/O), else None."""
        if self._catalog is not None and self.clock() - self._checked < self.interval:
            return self._catalog
        return None

    def refresh(self) -> Catalog:
        """Rescan now, whatever the interval."""
        with self._lock:
            self._scan()
            return self._catalog  # type: ignore[return-value]

    def _scan(self) -> None:
        if not self.root.is_dir():
            raise StorybinderError("the library folder does not exist", path=self.folder)
        found = dict(self._files())
        changed = False
        infos: dict[str, BookInfo] = {}
        problems: dict[str, str] = {}
        kepubs = {k.removesuffix(".kepub"): (k, p) for k, (p, _) in found.items() if k.endswith(".kepub")}
        for key, (path, st) in sorted(found.items()):
            if key.endswith((".kepub", ".kindle")) and key.rsplit(".", 1)[0] in found:
                continue  # a device copy (build --target) of a book that is here as an EPUB: not another book
            old = self._infos.get(key)
            if old is not None and old.stamp == (st.st_size, st.st_mtime_ns, st.st_ino):
                info = old
            else:
                try:
                    info = read_book_info(path, key, st)
                except StorybinderError as exc:
                    problems[key] = exc.message
                    continue
                except Exception as exc:  # a hostile file must not stop the shelf
                    log.warning("%s: unreadable book skipped (%s)", path, exc)
                    problems[key] = f"unreadable ({type(exc).__name__})"
                    continue
                changed = True
            added = self._added.setdefault(info.identifier, min(st.st_mtime_ns, time.time_ns()))
            kepub = kepubs.get(key)
            info = dataclasses.replace(info, added_ns=added, kepub_name=Path(kepub[0]).name + ".epub" if kepub else None)
            infos[key] = info
        changed = changed or infos.keys() != self._infos.keys() or any(
            infos[k] != self._infos.get(k) for k in infos)
        self._infos = infos
        self.problems = problems
        if changed or self._catalog is None:
            version = (self._catalog.version + 1) if self._catalog is not None else 1
            self._catalog = Catalog(tuple(infos[k] for k in sorted(infos)), version, time.time_ns())
            if changed:
                self._save_state()
        self._checked = self.clock()

    def _files(self) -> Iterator[tuple[str, tuple[Path, os.stat_result]]]:
        """(key, (path, stat)) for every EPUB under the folder; hidden names, temporary
        files and symlinks leading outside the folder are skipped."""
        stack = [self.root]
        while stack:
            here = stack.pop()
            try:
                entries = list(os.scandir(here))
            except OSError:
                continue
            for entry in entries:
                if entry.name.startswith("."):
                    continue  # .storybinder-pending, editors' swap files, our own caches
                try:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(Path(entry.path))
                        continue
                    if not entry.name.lower().endswith(".epub"):
                        continue
                    path = Path(entry.path)
                    if entry.is_symlink() and not path.resolve().is_relative_to(self.root):
                        continue  # never serve a file outside the folder
                    st = path.stat()
                except OSError:
                    continue
                key = path.relative_to(self.root).as_posix()[: -len(".epub")]
                yield key, (path, st)

    # -- the cache file -----------------------------------------------------

    def _state_path(self) -> Path | None:
        return self.cache_dir / STATE_FILE if self.cache_dir is not None else None

    def _load_state(self) -> None:
        path = self._state_path()
        if path is None or not path.is_file():
            return
        try:
            data = json.loads(path.read_text("utf-8"))
            if data.get("version") != STATE_VERSION or data.get("root") != str(self.root):
                return
            self._added = {str(k): int(v) for k, v in data.get("added", {}).items()}
            for raw in data.get("books", []):
                raw["authors"] = tuple(Author(**a) for a in raw["authors"])
                raw["tags"] = tuple(raw["tags"])
                raw["path"] = self.root / raw["path"]
                info = BookInfo(**raw)
                self._infos[info.key] = info
        except (OSError, ValueError, TypeError, KeyError) as exc:
            log.warning("library cache %s ignored (%s)", path, exc)
            self._infos, self._added = {}, {}

    def _save_state(self) -> None:
        path = self._state_path()
        if path is None:
            return
        books = []
        for info in self._infos.values():
            raw = dataclasses.asdict(info)
            raw["path"] = info.path.relative_to(self.root).as_posix() if info.path.is_relative_to(self.root) else str(info.path)
            books.append(raw)
        data = {"version": STATE_VERSION, "root": str(self.root), "added": self._added, "books": books}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            tmp.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            log.warning("library cache %s not written (%s)", path, exc)
