"""The English lexicon the spelling rules check against, loaded fast.

Two well-kept sources, combined once into a compact cache file:

- symspellpy's bundled frequency dictionary (82,765 words: SCOWL intersected
  with Google Books n-grams) is the *curated* word list: a word in it is
  spelled right, and only words in it are offered as corrections;
- its bigram list (243k common word pairs) lets the words around a slip
  choose between corrections ("turned dwn one": down, not own);
- wordfreq's English frequencies (Zipf scale, ~300k words from many corpora)
  say how common a word is, so a rare real word (a period spelling such as
  "quitted", slang) is told apart from a slip of the keyboard;
- english-words' two large dictionaries, Webster's Second (web2, 235k
  headwords) and GCIDE (114k), hold the rare, archaic and period words the
  curated list lacks (pitiably, hallooed, incumbrances): a word listed there
  is a real word, never corrected as a typo;
- each curated word's *skeleton* (first letter, then the consonants with
  doubled letters collapsed: beginning -> bgnng) finds the words a phonetic
  misspelling two or three edits away may mean (bigining -> beginning).

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

from storybinder.cleanup.letters import build_table, letters_logp

FORMAT = 8
_ALPHA = re.compile(r"^[a-z]+$")
_ELIDED = re.compile(r"^[a-z]+'[a-z]+$")  # it's, they're: the real-word rule weighs them against its, their


_VOWELS = frozenset("aeiouy")


def skeleton(word: str) -> str:
    """The first letter, then the other consonants, doubled letters collapsed (beginning -> bgnng)."""
    out = [word[:1]]
    last = word[:1]
    for ch in word[1:]:
        if ch != last and ch not in _VOWELS:
            out.append(ch)
        last = ch
    # A collapsed double after a vowel ("tt" in "letter") is still one letter.
    return "".join(c for i, c in enumerate(out) if i == 0 or c != out[i - 1])


@dataclass(frozen=True)
class Lexicon:
    """Curated words plus Zipf frequencies (log10 per billion words, 0 = unseen).

    Everything but the curated set is kept in blocks of "\nkey\tvalue" rows
    looked up on demand: a story asks for a few hundred words, and building
    sets of the 300k large-dictionary words would cost more than the cleaning.
    """

    curated: frozenset[str]
    blocks: dict[str, str]
    bigrams: dict[int, str]
    listed: dict[str, str]  # large-dictionary words outside `curated`, "\nword\n" rows by first two letters
    skeletons: dict[str, str]  # skeleton -> the curated words with it, space-separated
    firsts: dict[str, str]  # log10 of all bigram counts starting with a word (the bigrams' marginal)
    letters: dict[str, int]  # the letter-trigram model of the curated words (cleanup.letters)

    def letters_logp(self, word: str) -> float:
        """log10 of how likely the lowercase word's letters are in an English word (cleanup.letters)."""
        return letters_logp(word, self.letters)

    def zipf(self, word: str) -> float:
        """Zipf frequency of a lowercase word, 0.0 when wordfreq has never seen it."""
        return _lookup(self.blocks.get(word[:2]), word)

    def bigram(self, first: str, second: str) -> float:
        """log10 of how often `first second` occurs in Google Books (0.0: not among the common pairs)."""
        pair = first + " " + second
        return _lookup(self.bigrams.get(_bucket(pair)), pair)

    def bigram_first(self, first: str) -> float:
        """log10 of the summed counts of the listed pairs that start with `first` (0.0: none)."""
        return _lookup(self.firsts.get(first[:2]), first)

    def is_word(self, word: str) -> bool:
        """Is the lowercase word in the curated list or one of the large dictionaries?"""
        if word in self.curated:
            return True
        block = self.listed.get(word[:2])
        return block is not None and ("\n" + word + "\n") in block

    def same_skeleton(self, word: str) -> list[str]:
        """Curated words whose skeleton is the word's (vowels and doubled letters aside, the same)."""
        key = skeleton(word)
        block = self.skeletons.get(key[:2])
        if block is None:
            return []
        at = block.find("\n" + key + "\t")
        if at < 0:
            return []
        start = at + len(key) + 2
        return block[start : block.find("\n", start)].split(" ")


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
    for name in ("wordfreq", "symspellpy", "english_words"):
        spec = find_spec(name)
        origin = spec.origin if spec and spec.origin else name
        try:
            stamp = int(os.stat(origin).st_mtime)
        except OSError:
            stamp = 0
        parts.append(f"{zlib.crc32(origin.encode()):08x}{stamp:x}")
    return "-".join(parts)


LexiconData = tuple[
    str, dict[str, str], dict[int, str], dict[str, str], dict[str, str], dict[str, str], dict[str, int]
]


def _rows_by_prefix(rows: dict[str, str]) -> dict[str, str]:
    grouped: dict[str, list[str]] = {}
    for key, value in rows.items():
        grouped.setdefault(key[:2], []).append(f"{key}\t{value}" if value else key)
    return {prefix: "\n" + "\n".join(lines) + "\n" for prefix, lines in grouped.items()}


def build_lexicon_data() -> LexiconData:
    """Read the sources: curated words joined by spaces, then the blocks of Lexicon's other fields."""
    from importlib.resources import files

    import wordfreq
    from english_words import get_english_words_set

    dictionary = files("symspellpy") / "frequency_dictionary_en_82_765.txt"
    curated = [line.split(" ", 1)[0] for line in dictionary.read_text(encoding="utf-8").splitlines() if line]
    freqs = wordfreq.get_frequency_dict("en", wordlist="large")
    grouped: dict[str, list[str]] = {}
    for word, freq in freqs.items():
        if freq <= 0 or not (_ALPHA.match(word) or _ELIDED.match(word)):
            continue
        zipf = round(100 * (math.log10(freq) + 9))
        grouped.setdefault(word[:2], []).append(f"{word}\t{zipf}")
    blocks = {prefix: "\n" + "\n".join(rows) + "\n" for prefix, rows in grouped.items()}
    pairs: dict[int, list[str]] = {}
    first_totals: dict[str, int] = {}
    bigram_file = files("symspellpy") / "frequency_bigramdictionary_en_243_342.txt"
    for line in bigram_file.read_text(encoding="utf-8").splitlines():
        parts = line.split(" ")
        if len(parts) == 3:
            pairs.setdefault(_bucket(f"{parts[0]} {parts[1]}"), []).append(
                f"{parts[0]} {parts[1]}\t{round(100 * math.log10(int(parts[2])))}"
            )
            first_totals[parts[0]] = first_totals.get(parts[0], 0) + int(parts[2])
    bigrams = {first: "\n" + "\n".join(rows) + "\n" for first, rows in pairs.items()}
    firsts = _rows_by_prefix({w: str(round(100 * math.log10(n))) for w, n in first_totals.items()})
    curated_set = set(curated)
    large = get_english_words_set(["web2", "gcide"], alpha=True, lower=True)
    listed = _rows_by_prefix({w: "" for w in sorted(large - curated_set) if _ALPHA.match(w)})
    by_skeleton: dict[str, list[str]] = {}
    for word in curated:
        if _ALPHA.match(word):
            by_skeleton.setdefault(skeleton(word), []).append(word)
    skeletons = _rows_by_prefix({k: " ".join(v) for k, v in by_skeleton.items()})
    letters = build_table(w for w in curated if _ALPHA.match(w))
    return " ".join(curated), blocks, bigrams, listed, skeletons, firsts, letters


@cache
def load_lexicon() -> Lexicon:
    """The lexicon, from the cache file (built and written on first use)."""
    path = cache_path()
    try:
        data = marshal.loads(path.read_bytes())
        if not isinstance(data, tuple) or len(data) != 7:
            raise ValueError("an old lexicon cache")
    except (OSError, ValueError, EOFError, TypeError):
        data = build_lexicon_data()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps(data))
            tmp.replace(path)
        except OSError:
            pass  # a read-only home only costs the build time on every run
    curated_text, blocks, bigrams, listed, skeletons, firsts, letters = data
    return Lexicon(frozenset(curated_text.split(" ")), blocks, bigrams, listed, skeletons, firsts, letters)
