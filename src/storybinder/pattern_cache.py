"""Compiled regular expressions kept on disk, so a fresh process does not parse and compile them again.

`re.compile` parses a pattern and writes its program in Python: 0.05-1 ms a
pattern, some 30 of them (4-5 ms) in a one-story build's cleaning, on every
run. The program is a list of integers that `_sre.compile` turns into the
Pattern object itself; kept in a file (marshal, keyed by pattern and flags),
a later process makes the same Pattern from it in microseconds. The file
belongs to one Python build (version and `_sre`'s magic number in its name);
a pattern missing from it is compiled as re does and added. Anything
unexpected falls back to `re.compile`. Only patterns written in the code go
through here (lazy_pattern): a story's own words never grow the file.
"""

from __future__ import annotations

import marshal
import os
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

try:  # CPython's own compiler, the one re.compile runs (Python 3.11 and later)
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another implementation: plain re.compile
    _sre = None

# An entry: what _sre.compile takes after the pattern (flags, program, groups, group names both ways).
Program = tuple[int, list[int], int, dict[str, int], tuple[Any, ...]]

_MOST = 4000  # entries before the file starts afresh (patterns the code no longer has pile up)


def compile_pattern(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, from the stored program when there is one."""
    flags = int(flags)
    if _sre is None or not isinstance(pattern, str) or flags & re.DEBUG:
        return re.compile(pattern, flags)
    store = _store()
    stored = store.programs.get((pattern, flags))
    if stored is not None:
        try:
            return _sre.compile(pattern, *marshal.loads(stored))
        except (TypeError, ValueError, RuntimeError, OverflowError, EOFError):
            pass  # not a program this _sre takes: made again below
    try:
        program = _program(pattern, flags)
        compiled = _sre.compile(pattern, *program)
    except re.error:
        raise
    except Exception:  # an internal that moved: re.compile knows its own way
        return re.compile(pattern, flags)
    store.add((pattern, flags), program)
    return compiled


def _program(pattern: str, flags: int) -> Program:
    # What re._compiler.compile hands to _sre.compile.
    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]  # (some are named int constants)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup)


class _Store:
    """The stored programs of this Python, read once a process; a new one is written at once.

    Each program stays marshal bytes until its pattern is asked for: the file holds every
    pattern any run has compiled (~100, 190 kB), decoding all of them took 0.6 ms, the
    bytes 0.1.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path  # None: no cache folder, every pattern compiled
        self.programs: dict[tuple[str, int], bytes] = {}
        if path is None:
            return
        try:
            loaded = marshal.loads(path.read_bytes())
            if isinstance(loaded, dict):
                self.programs = loaded
        except (OSError, ValueError, EOFError, TypeError):
            pass

    def add(self, key: tuple[str, int], program: Program) -> None:
        if len(self.programs) >= _MOST:
            self.programs = {}
        self.programs[key] = marshal.dumps(program)
        if self.path is None:
            return
        # Written beside and renamed: a reader never sees half a file, and two processes
        # adding at once lose at most an entry, compiled again by the next run.
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps(self.programs))
            tmp.replace(self.path)
        except OSError:
            pass  # a read-only cache folder only costs the compiling


@cache
def _store() -> _Store:
    from storybinder.cache_dir import cache_root

    version = f"{sys.implementation.cache_tag}-{_sre.MAGIC}-{_sre.CODESIZE}-{sys.hexversion:x}"
    try:
        root = cache_root()
    except RuntimeError:  # no home folder to be found (a user id without a passwd entry, no $HOME)
        return _Store(None)
    return _Store(root / f"patterns-{version}.marshal")
