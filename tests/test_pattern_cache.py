"""Compiled patterns kept on disk: the next process gets the same patterns without compiling them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storybinder import pattern_cache
from storybinder.lazy_pattern import lazy

# Named groups, a back-reference, lookarounds, flags, a class beyond Latin-1, possessive repeats.
PATTERNS = [
    (r"(?P<word>[A-Za-z]+)\s+(?P=word)\b", 0),
    (r"\b([A-Za-z]++)(\s+)((?i:\1))\b", re.ASCII),
    (r"\.(?<=[^\W\d_]\.)(?=\u201d (?:he|she) said\b)", 0),
    (r"[\w'\u2019-]+", re.IGNORECASE),
    (r"^chapter\s+\d+$", re.MULTILINE | re.IGNORECASE),
]
TEXT = "The the cat sat. \u201cGo.\u201d she said\nChapter 12\nit\u2019s O\u2019Brien's well-made hat hat"


@pytest.fixture
def fresh_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A cache folder of its own; each call of the returned function is like a new process."""
    monkeypatch.setenv("STORYBINDER_CACHE", str(tmp_path))

    def new_process() -> None:
        pattern_cache._store.cache_clear()

    new_process()
    yield new_process
    new_process()


def test_a_stored_pattern_is_the_pattern_re_compiles(fresh_store, monkeypatch: pytest.MonkeyPatch) -> None:
    first = [pattern_cache.compile_pattern(p, f) for p, f in PATTERNS]
    fresh_store()
    monkeypatch.setattr(pattern_cache, "_program", None)  # nothing can be compiled now: all comes from the file
    stored = [pattern_cache.compile_pattern(p, f) for p, f in PATTERNS]
    for (pattern, flags), one, other in zip(PATTERNS, first, stored):
        expected = re.compile(pattern, flags)
        assert one == other == expected
        assert (other.flags, other.groups, other.groupindex) == (expected.flags, expected.groups, expected.groupindex)
        assert [m.groups() for m in other.finditer(TEXT)] == [m.groups() for m in expected.finditer(TEXT)]


def test_a_damaged_cache_file_only_means_compiling_again(fresh_store, tmp_path: Path) -> None:
    pattern_cache.compile_pattern(*PATTERNS[0])
    [path] = tmp_path.glob("patterns-*.marshal")
    path.write_bytes(b"not marshal at all")
    fresh_store()
    assert pattern_cache.compile_pattern(*PATTERNS[0]) == re.compile(*PATTERNS[0])


def test_a_program_this_python_refuses_is_compiled_again(fresh_store) -> None:
    pattern, flags = PATTERNS[1]
    pattern_cache.compile_pattern(pattern, flags)
    store = pattern_cache._store()
    store.programs[(pattern, flags)] = pattern_cache.marshal.dumps((int(flags), [1, 2, 3], 3, {}, (None,) * 4))
    assert pattern_cache.compile_pattern(pattern, flags) == re.compile(pattern, flags)


def test_a_wrong_pattern_is_the_error_re_gives(fresh_store) -> None:
    with pytest.raises(re.error):
        pattern_cache.compile_pattern("(unclosed")
    with pytest.raises(re.error):
        lazy("[z-a]").search("text")


def test_a_lazy_pattern_comes_from_the_file_in_the_next_process(fresh_store, monkeypatch: pytest.MonkeyPatch) -> None:
    assert lazy(r"(\w+) (\w+)").match("two words").groups() == ("two", "words")
    fresh_store()
    monkeypatch.setattr(pattern_cache, "_program", None)
    assert lazy(r"(\w+) (\w+)").sub(r"\2 \1", "two words") == "words two"


def test_without_a_home_folder_patterns_are_compiled_all_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every lazy pattern comes through here, a --no-clean build's readers' too.
    import storybinder.cache_dir

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(storybinder.cache_dir, "cache_root", no_home)
    pattern_cache._store.cache_clear()
    try:
        assert pattern_cache.compile_pattern(*PATTERNS[2]) == re.compile(*PATTERNS[2])
        assert lazy(r"(\w+)!").sub(r"\1.", "Stop!") == "Stop."
    finally:
        pattern_cache._store.cache_clear()
