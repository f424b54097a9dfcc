"""The English lexicon the spelling rules check against, loaded fast.

Two well-kept sources, combined once into a compact cache file:

- symspellpy's bundled frequency dictionary (82,765 words: SCOWL intersected
  with Google Books n-grams) is the *curated* word list: a word in it is
  spelled right, and only words in it are offered as corrections;
- its bigram list (243k common word pairs) lets the words around a slip
  choose between corrections ("turned dwn one": down, not own);
- wordfreq's English frequencies (Zipf scale, ~300k words from many corpora)
  say how common a word is, so a rare real word (a period spelling such as
  "quitted", slang) is told apart from a slip of the keyboard.

Building the combined form takes about a second; it is cached per user (see
`cache_path`) and loads in a few milliseconds afterwards. Frequencies are kept
in blocks keyed by the first two letters and looked up on demand, because a
story only ever asks for a few hundred of them.
"""

from __future__ import annotations

import marshal
import math
import os
import re
import sys
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FORMAT = 5
_ALPHA = re.compile(r"^[a-z]+$")


@dataclass(frozen=True)
class Lexicon:
    """Curated words plus Zipf frequencies (log10 per billion words, 0 = unseen)."""

    curated: frozenset[str]
    blocks: dict[str, str]
    bigrams: dict[int, str]

    def zipf(self, word: str) -> float:
        """Zipf frequency of a lowercase word, 0.0 when wordfreq has never seen it."""
        return _lookup(self.blocks.get(word[:2]), word)

    def bigram(self, first: str, second: str) -> float:
        """log10 of how often `first second` occurs in Google Books (0.0: not among the common pairs)."""
        pair = first + " " + second
        return _lookup(self.bigrams.get(_bucket(pair)), pair)


def _lookup(block: str | None, key: str) -> float:
    """The number after `key` in a block of "\\nkey\\tnumber" rows, divided by 100 (0.0 if absent)."""
    if block is None:
        return 0.0
    at = block.find("\n" + key + "\t")
    if at < 0:
        return 0.0
    start = at + len(key) + 2
    return int(block[start : block.find("\n", start)]) / 100


def _bucket(word: str) -> int:
    # Spread the pairs over many small blocks: `find` in a block stays cheap.
    return zlib.crc32(word.encode()) & 16383


def cache_path() -> Path:
    """Where the compact lexicon is kept ($STORYBINDER_CACHE or the user cache dir)."""
    base = os.environ.get("STORYBINDER_CACHE")
    if base:
        root = Path(base)
    else:
        root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "storybinder"
    tag = f"{FORMAT}-py{sys.version_info[0]}{sys.version_info[1]}-{_source_versions()}"
    return root / f"lexicon-en-{tag}.marshal"


def _source_versions() -> str:
    # Keyed by where and when the two packages were installed: cheaper than
    # importlib.metadata (40 ms), and an upgrade still gets a fresh cache.
    from importlib.util import find_spec

    parts = []
    for name in ("wordfreq", "symspellpy"):
        spec = find_spec(name)
        origin = spec.origin if spec and spec.origin else name
        try:
            stamp = int(os.stat(origin).st_mtime)
        except OSError:
            stamp = 0
        parts.append(f"{zlib.crc32(origin.encode()):08x}{stamp:x}")
    return "-".join(parts)


def build_lexicon_data() -> tuple[str, dict[str, str], dict[int, str]]:
    """Read the sources: (curated words joined by spaces, frequency blocks, bigram blocks)."""
    from importlib.resources import files

    import wordfreq

    dictionary = files("symspellpy") / "frequency_dictionary_en_82_765.txt"
    curated = [line.split(" ", 1)[0] for line in dictionary.read_text(encoding="utf-8").splitlines() if line]
    freqs = wordfreq.get_frequency_dict("en", wordlist="large")
    grouped: dict[str, list[str]] = {}
    for word, freq in freqs.items():
        if freq <= 0 or not _ALPHA.match(word):
            continue
        zipf = round(100 * (math.log10(freq) + 9))
        grouped.setdefault(word[:2], []).append(f"{word}\t{zipf}")
    blocks = {prefix: "\n" + "\n".join(rows) + "\n" for prefix, rows in grouped.items()}
    pairs: dict[int, list[str]] = {}
    bigram_file = files("symspellpy") / "frequency_bigramdictionary_en_243_342.txt"
    for line in bigram_file.read_text(encoding="utf-8").splitlines():
        parts = line.split(" ")
        if len(parts) == 3:
            pairs.setdefault(_bucket(f"{parts[0]} {parts[1]}"), []).append(
                f"{parts[0]} {parts[1]}\t{round(100 * math.log10(int(parts[2])))}"
            )
    bigrams = {first: "\n" + "\n".join(rows) + "\n" for first, rows in pairs.items()}
    return " ".join(curated), blocks, bigrams


@cache
def load_lexicon() -> Lexicon:
    """The lexicon, from the cache file (built and written on first use)."""
    path = cache_path()
    try:
        curated_text, blocks, bigrams = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        curated_text, blocks, bigrams = build_lexicon_data()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps((curated_text, blocks, bigrams)))
            tmp.replace(path)
        except OSError:
            pass  # a read-only home only costs the build time on every run
    return Lexicon(frozenset(curated_text.split(" ")), blocks, bigrams)
