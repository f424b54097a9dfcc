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
in small blocks keyed by the CRC-32 of the word and looked up on demand, because
a story only ever asks for a few hundred of them.
"""

from __future__ import annotations

import marshal
import math
import mmap
import os
import sys
import zlib
from functools import cache
from pathlib import Path
from collections.abc import Callable, Iterable, Iterator, Mapping, Set
from typing import Any, Protocol

from storybinder.cache_dir import cache_root
from storybinder.cleanup.letters import build_table, letters_logp
from storybinder.lazy_pattern import lazy
from storybinder.record import Record

FORMAT = 14  # 9: blocks read from the mapped file on demand; 10: the curated words too; 11: the letter table;
# 12: the offsets and the letter table out of the header, viewed in the mapped file;
# 13: zipf, listed, skeleton and firsts rows in CRC-32 buckets instead of two-letter blocks; 14: the letter
# table's rows in such buckets too, looked up one key at a time
# Both only read the sources when the cache is built: compiled then, not on every import.
_ALPHA = lazy(r"^[a-z]+$")
_ELIDED = lazy(r"^[a-z]+'[a-z]+$")  # it's, they're: the real-word rule weighs them against its, their


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


class Words(Protocol):
    """A set of words: a frozenset, or CuratedWords read from the cache file."""

    def __contains__(self, word: object) -> bool: ...

    def intersection(self, words: Iterable[str]) -> Set[str]: ...


class Blocks(Protocol):
    """A block field: a dict of blocks, or StoredBlocks mapped from the cache file."""

    def get(self, key: Any, default: None = None) -> str | None: ...


class Lexicon(Record):
    """Curated words plus Zipf frequencies (log10 per billion words, 0 = unseen).

    Everything but the curated set is kept in blocks of "\nkey\tvalue" rows,
    a block for each CRC-32 bucket of the key (`_slot`), looked up on demand: a
    story asks for a few hundred words, and building sets of the 300k
    large-dictionary words would cost more than the cleaning.
    (A NamedTuple, not a frozen dataclass: made at import in a fifth of the time.)
    """

    # The block fields are dicts, or StoredBlocks read from the cache file: only `.get` is used.
    curated: Words  # a frozenset, or CuratedWords read from the cache file: only `in` and `.intersection`
    blocks: Blocks
    bigrams: Blocks
    listed: Blocks  # large-dictionary words outside `curated`, "\nword\n" rows
    skeletons: Blocks  # skeleton -> the curated words with it, space-separated
    firsts: Blocks  # log10 of all bigram counts starting with a word (the bigrams' marginal)
    letters: Mapping[str, int]  # the letter-trigram model of the curated words (cleanup.letters): a dict, or StoredTable

    def letters_logp(self, word: str) -> float:
        """log10 of how likely the lowercase word's letters are in an English word (cleanup.letters)."""
        return letters_logp(word, self.letters)

    def zipf(self, word: str) -> float:
        """Zipf frequency of a lowercase word, 0.0 when wordfreq has never seen it."""
        return _number(self.blocks, word, _zipf_slot)

    def bigram(self, first: str, second: str) -> float:
        """log10 of how often `first second` occurs in Google Books (0.0: not among the common pairs)."""
        return _number(self.bigrams, first + " " + second, _bucket)

    def pairs(self) -> Iterator[tuple[str, str, float]]:
        """Every listed pair as (first, second, log10 count): a pass over all 243,000, for tables made once."""
        for bucket in range(_PAIR_BUCKETS):
            for row in (self.bigrams.get(bucket) or "").split("\n"):
                pair, _, value = row.partition("\t")
                first, _, second = pair.partition(" ")
                if second:
                    yield first, second, int(value) / 100

    def bigram_first(self, first: str) -> float:
        """log10 of the summed counts of the listed pairs that start with `first` (0.0: none)."""
        return _number(self.firsts, first, _firsts_slot)

    def is_word(self, word: str) -> bool:
        """Is the lowercase word in the curated list or one of the large dictionaries?"""
        if word in self.curated:
            return True
        block = self.listed.get(_slot(word, _LISTED_BUCKETS))
        return block is not None and ("\n" + word + "\n") in block

    def same_skeleton(self, word: str) -> list[str]:
        """Curated words whose skeleton is the word's (vowels and doubled letters aside, the same)."""
        key = skeleton(word)
        block = self.skeletons.get(_slot(key, _SKELETON_BUCKETS))
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


_PAIR_BUCKETS = 16384


def _number(blocks: Blocks, key: str, slot: Callable[[str], int]) -> float:
    """The number in `key`'s row of its block (_lookup), the block found by `slot`; a mapped
    field (StoredBlocks.number) remembers it."""
    if isinstance(blocks, StoredBlocks):
        return blocks.number(key, slot)
    return _lookup(blocks.get(slot(key)), key)


def _bucket(word: str) -> int:
    # Spread the pairs over many small blocks: `find` in a block stays cheap.
    return zlib.crc32(word.encode()) & (_PAIR_BUCKETS - 1)


# The other block fields' buckets (powers of two), about ten rows each: a story's first look-up
# of a word decodes a block of a hundred bytes. (Blocks by first two letters were 27 kB on average
# for the words a story asks about: seed 000 decoded 1.35 MB of zipf rows, 1.5 ms of page faults and
# decoding, and `find` scanned that far on every look-up.)
_ZIPF_BUCKETS = 32768  # 307k words
_LISTED_BUCKETS = 16384  # 215k words
_SKELETON_BUCKETS = 8192  # 52k skeletons
_FIRSTS_BUCKETS = 2048  # 17k first words of pairs
_LETTER_BUCKETS = 1024  # 8,700 letter trigrams and pairs (cleanup.letters)


def _slot(key: str, buckets: int) -> int:
    """The block of a zipf, listed, skeleton or firsts row: the CRC-32 of its key's UTF-8."""
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) & (buckets - 1)


def _zipf_slot(word: str) -> int:
    return _slot(word, _ZIPF_BUCKETS)


def _firsts_slot(word: str) -> int:
    return _slot(word, _FIRSTS_BUCKETS)


def cache_path() -> Path:
    """Where the compact lexicon is kept ($STORYBINDER_CACHE or the user cache dir)."""
    tag = f"{FORMAT}-py{sys.version_info[0]}{sys.version_info[1]}-{_source_versions()}"
    return cache_root() / f"lexicon-en-{tag}.marshal"


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
    str, dict[int, str], dict[int, str], dict[int, str], dict[int, str], dict[int, str], dict[str, int]
]


def _rows_by_slot(rows: dict[str, str], buckets: int) -> dict[int, str]:
    """Every bucket's block of "\\nkey\\tvalue" rows ("\\nkey" without a value; "" for an empty bucket)."""
    grouped: list[list[str]] = [[] for _ in range(buckets)]
    for key, value in rows.items():
        grouped[_slot(key, buckets)].append(f"{key}\t{value}" if value else key)
    return {i: "\n" + "\n".join(lines) + "\n" if lines else "" for i, lines in enumerate(grouped)}


def build_lexicon_data() -> LexiconData:
    """Read the sources: curated words joined by spaces, then the blocks of Lexicon's other fields."""
    from importlib.resources import files

    import wordfreq
    from english_words import get_english_words_set

    dictionary = files("symspellpy") / "frequency_dictionary_en_82_765.txt"
    curated = [line.split(" ", 1)[0] for line in dictionary.read_text(encoding="utf-8").splitlines() if line]
    freqs = wordfreq.get_frequency_dict("en", wordlist="large")
    zipfs = {
        word: str(round(100 * (math.log10(freq) + 9)))
        for word, freq in freqs.items()
        if freq > 0 and (_ALPHA.match(word) or _ELIDED.match(word))
    }
    blocks = _rows_by_slot(zipfs, _ZIPF_BUCKETS)
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
    firsts = _rows_by_slot({w: str(round(100 * math.log10(n))) for w, n in first_totals.items()}, _FIRSTS_BUCKETS)
    curated_set = set(curated)
    large = get_english_words_set(["web2", "gcide"], alpha=True, lower=True)
    listed = _rows_by_slot({w: "" for w in sorted(large - curated_set) if _ALPHA.match(w)}, _LISTED_BUCKETS)
    by_skeleton: dict[str, list[str]] = {}
    for word in curated:
        if _ALPHA.match(word):
            by_skeleton.setdefault(skeleton(word), []).append(word)
    skeletons = _rows_by_slot({k: " ".join(v) for k, v in by_skeleton.items()}, _SKELETON_BUCKETS)
    letters = build_table(w for w in curated if _ALPHA.match(w))
    return " ".join(curated), blocks, bigrams, listed, skeletons, firsts, letters


@cache
def load_lexicon() -> Lexicon:
    """The lexicon, from the cache file (built and written on first use)."""
    path = cache_path()
    try:
        return _read_cache(path)
    except (OSError, ValueError, EOFError, TypeError):
        data = build_lexicon_data()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(_encode_cache(data))
            tmp.replace(path)
        except OSError:
            pass  # a read-only home only costs the build time on every run
    curated_text, blocks, bigrams, listed, skeletons, firsts, letters = data
    return Lexicon(frozenset(curated_text.split(" ")), blocks, bigrams, listed, skeletons, firsts, letters)


# The cache file: MAGIC, the header's length (8 bytes), the header (marshal:
# for each block field its keys, and where in the file its offsets lie; the
# letter table's rows, the curated words' buckets and their joined text are
# three more such fields; where the blocks lie), then, from the next multiple
# of 8: each field's offsets (8-byte integers: where each block lies), and the
# blocks as UTF-8. The file is mapped, not read: a story
# looks at a few dozen of its 11 MB of blocks, so only those pages are read and
# decoded (reading and unmarshalling it all was 8 of the lexicon's 20 ms, and
# far more with the file out of the page cache). The offsets are viewed where
# they lie: in the header (316 kB, 200 of them the bigrams' and curated words'
# offsets) they were copied out and unmarshalled on every load, 0.8 ms.
_MAGIC = b"storybinder-lexicon\n"
_BLOCK_FIELDS = 5  # blocks, bigrams, listed, skeletons, firsts


class StoredBlocks:
    """One block field of the mapped cache file: `get(key)` decodes a block on first use."""

    __slots__ = ("_data", "_base", "_index", "_offsets", "_decoded", "_numbers")

    def __init__(self, data: mmap.mmap, base: int, index: dict | None, offsets: bytes | memoryview) -> None:
        self._data, self._base, self._index, self._decoded = data, base, index, {}
        self._offsets = memoryview(offsets).cast("Q")  # into the blocks, which start at `base`
        self._numbers: dict[str, float] = {}  # key -> the number in its row (number)

    def number(self, key: str, slot: Callable[[str], int]) -> float:
        """_lookup(self.get(slot(key)), key), remembered.

        A story asks about the same words again and again (the candidates of its typos, the
        words around them): of bench/clean_speed.py --mb 1's 40,000 zipf look-ups, 7,400 were
        of a word not asked about before; each look-up hashes the key, finds its row and parses it.
        """
        found = self._numbers.get(key)
        if found is None:
            found = self._numbers[key] = _lookup(self.get(slot(key)), key)
        return found

    def get(self, key: str | int, default: str | None = None) -> str | None:
        found = self._decoded.get(key)
        if found is not None:
            return found
        if self._index is None:  # keys 0, 1, 2...: a key is its own position
            i = key if isinstance(key, int) and 0 <= key < len(self._offsets) - 1 else None
        else:
            i = self._index.get(key)
        if i is None:
            return default
        found = self._data[self._base + self._offsets[i] : self._base + self._offsets[i + 1]].decode("utf-8")
        self._decoded[key] = found
        return found


class CuratedWords:
    """The curated words as the cache file holds them, looked up there until a set of them pays.

    A one-story build asks about a few hundred words (a proofread story's few
    unknown words and their neighbours); building the set of all 82,765 was 20
    ms, the dearest part of loading the lexicon. So a word is first looked for
    in its bucket of the mapped file (about ten words: "\\nword\\n" rows, by the
    CRC-32 of its UTF-8 bytes), a microsecond each; once a run has asked about
    `_LOOKUPS_BEFORE_SET` words, what the set costs, the set is built and asked
    from then on. Either way the answers are the same.
    """

    __slots__ = ("_data", "_base", "_offsets", "_text", "_left", "_words")

    def __init__(self, data: mmap.mmap, base: int, offsets: bytes | memoryview, text: tuple[int, int]) -> None:
        self._data, self._base, self._text = data, base, text
        self._offsets = memoryview(offsets).cast("Q")  # bucket i is data[base + offsets[i] : base + offsets[i + 1]]
        self._left = _LOOKUPS_BEFORE_SET
        self._words: frozenset[str] | None = None

    def __contains__(self, word: object) -> bool:
        words = self._words
        if words is not None:
            return word in words
        self._left -= 1
        if self._left < 0 or not isinstance(word, str):
            return word in self.frozen()
        return self._find(word)

    def intersection(self, words: Iterable[str]) -> Set[str]:
        """The given words that are curated (as frozenset.intersection)."""
        if self._words is None:
            words = list(words)
            self._left -= len(words)
            if self._left >= 0:
                return {w for w in words if self._find(w)}
        return self.frozen().intersection(words)

    def frozen(self) -> frozenset[str]:
        """All the curated words as one set (built on the first call)."""
        if self._words is None:
            start, end = self._text
            self._words = frozenset(self._data[start:end].decode("utf-8").split(" "))
        return self._words

    def __iter__(self) -> Iterator[str]:
        return iter(self.frozen())

    def __len__(self) -> int:
        return len(self.frozen())

    def _find(self, word: str) -> bool:
        key = word.encode("utf-8", "surrogatepass")
        i = zlib.crc32(key) & (_CURATED_BUCKETS - 1)
        base, offsets = self._base, self._offsets
        # (A word holding a newline is none, even where it would span two rows.)
        return self._data.find(b"\n" + key + b"\n", base + offsets[i], base + offsets[i + 1]) >= 0 and b"\n" not in key


_CURATED_BUCKETS = 8192  # a power of two: ~10 words a bucket
# A looked-up word costs about a thousandth of what building the set costs (~1.3 us, ~20 ms):
# after this many the set is built, so a run never pays more than twice the cheaper way.
_LOOKUPS_BEFORE_SET = 15_000


def _curated_buckets(curated_text: str) -> dict[int, str]:
    grouped: dict[int, list[str]] = {i: [] for i in range(_CURATED_BUCKETS)}
    for word in curated_text.split(" "):
        grouped[zlib.crc32(word.encode("utf-8", "surrogatepass")) & (_CURATED_BUCKETS - 1)].append(word)
    return {i: "\n" + "\n".join(words) + "\n" if words else "" for i, words in grouped.items()}


def _encode_cache(data: LexiconData) -> bytes:
    import array  # (only the cache's builder needs it: 0.25 ms of every cleaning run's imports)

    curated_text, *fields, letters = data
    # After the block fields: the letter table's rows (StoredTable), the curated words by bucket
    # (CuratedWords), then all of them joined.
    letter_rows = _rows_by_slot({key: str(value) for key, value in letters.items()}, _LETTER_BUCKETS)
    fields += [letter_rows, _curated_buckets(curated_text), {0: curated_text}]
    payload = bytearray()
    tables = []
    region = bytearray()  # the offsets: laid out before the blocks
    for field in fields:
        keys = sorted(field) if all(isinstance(k, int) for k in field) else list(field)
        offsets = array.array("Q")
        for key in keys:
            offsets.append(len(payload))
            payload += field[key].encode("utf-8")
        offsets.append(len(payload))
        # The bigrams' 16,384 buckets are numbered: no index to unmarshal (1 ms).
        index = None if keys == list(range(len(keys))) else {key: i for i, key in enumerate(keys)}
        tables.append((index, (len(region), len(region) + len(offsets) * 8)))
        region += offsets.tobytes()  # (a multiple of 8: the next array stays aligned)
    header = marshal.dumps((len(region), tuple(tables)))
    start = len(_MAGIC) + 8 + len(header)
    padding = bytes(-start % 8)
    return _MAGIC + len(header).to_bytes(8, "little") + header + padding + bytes(region) + bytes(payload)


def _read_cache(path: Path) -> Lexicon:
    with open(path, "rb") as handle:
        data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)  # stays valid once the file is closed
    if data[: len(_MAGIC)] != _MAGIC:
        raise ValueError("an old lexicon cache")
    start = len(_MAGIC) + 8
    size = int.from_bytes(data[len(_MAGIC) : start], "little")
    blocks_at, tables = marshal.loads(data[start : start + size])
    if len(tables) != _BLOCK_FIELDS + 3:
        raise ValueError("an old lexicon cache")
    region = start + size + (-(start + size) % 8)  # (the offsets are 8-byte aligned: viewed in place)
    view = memoryview(data)
    offsets = [view[region + a : region + b] for _, (a, b) in tables]
    base = region + blocks_at
    fields = [StoredBlocks(data, base, index, at) for (index, _), at in zip(tables[: _BLOCK_FIELDS + 1], offsets)]
    text_at = offsets[-1].cast("Q")
    curated = CuratedWords(data, base, offsets[-2], (base + text_at[0], base + text_at[1]))
    return Lexicon(curated, *fields[:_BLOCK_FIELDS], StoredTable(fields[_BLOCK_FIELDS]))


class StoredTable(Mapping[str, int]):
    """The letter-trigram table as the cache file holds it: "\\nkey\\tvalue" rows by CRC-32 bucket, read key by key.

    Only a story with a word in no dictionary asks for a word's letters, a few
    hundred trigrams: unmarshalling the 8,700-entry table was 0.9 ms of its
    first use, a look-up in a bucket's block is a microsecond (kept after).
    """

    __slots__ = ("_rows", "_seen")

    def __init__(self, rows: StoredBlocks) -> None:
        self._rows = rows
        self._seen: dict[str, int | None] = {}

    def get(self, key: str, default: Any = None) -> Any:
        value = self._seen.get(key, _UNSEEN)
        if value is _UNSEEN:
            value = self._seen[key] = self._find(key)
        return default if value is None else value

    def _find(self, key: str) -> int | None:
        if not isinstance(key, str) or "\n" in key or "\t" in key:
            return None
        block = self._rows.get(_slot(key, _LETTER_BUCKETS)) or ""
        at = block.find("\n" + key + "\t")
        if at < 0:
            return None
        start = at + len(key) + 2
        return int(block[start : block.find("\n", start)])

    def __getitem__(self, key: str) -> int:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[str]:
        # Every key, from every bucket's rows (the cleaner only ever asks for single keys).
        for i in range(_LETTER_BUCKETS):
            for row in (self._rows.get(i) or "").split("\n"):
                if row:
                    yield row.split("\t", 1)[0]

    def __len__(self) -> int:
        return sum(1 for _ in self)


_UNSEEN = object()  # (StoredTable: a key not yet looked up; None is a key the table lacks)
