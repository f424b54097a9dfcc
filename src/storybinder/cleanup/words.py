"""Project word lists: `words.txt`, one word per line, `#` starts a comment.

Words listed there (names, invented words, dialect) are always correct for
the spelling rules.
"""

from __future__ import annotations

from pathlib import Path

from storybinder.errors import StorybinderError

WORDS_FILE = "words.txt"


def load_word_list(path: Path) -> frozenset[str]:
    """Read a word list; blank lines and `#` comments are ignored."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise StorybinderError(f"cannot read the word list: {exc}", path=path) from None
    words = set()
    for line in lines:
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(word)
    return frozenset(words)


def find_project_words(start: Path) -> Path | None:
    """The nearest words.txt in `start` (a file's folder or a folder) or above it."""
    folder = (start if start.is_dir() else start.parent).resolve()  # once: a syscall a path part
    for candidate in (folder, *folder.parents):
        path = candidate / WORDS_FILE
        if path.is_file():
            return path
    return None
