"""Rules `spelling.doubled`, `spelling.common` and `spelling.unknown`.

`spelling.doubled`: a word typed twice ("the the"). Doublings English uses on
purpose ("had had", "that that") are left alone; emphatic ones ("very very",
"no no") are only suggested.

`spelling.common`: a word missing from the curated dictionary, used once in
the story, with exactly one far more common correction one typing slip away
(a swapped, doubled, dropped, extra or neighbouring-key letter). The story's
own vocabulary is never touched: words that recur in the story, the project
word list and the story's `words`, names (capitalised inside a sentence),
words in hyphenated compounds or with elision marks (goin', 'em, to-day), and
rare real words wordfreq knows (period spellings such as "quitted"). Where
the paragraph reads as dialect (elisions, several unknown words) or the
correction is not clear-cut, the change is a suggestion.

`spelling.unknown` (off by default): unknown words with no correction in
reach, reported for the author to check.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import filterfalse

from storybinder.cleanup.dictionary import Lexicon, load_lexicon
from storybinder.cleanup.engine import Change, Context, Rule

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Doubled words that are good English ("he had had enough", "that that is").
_LEGIT_DOUBLES = frozenset({"had", "that"})
# Doubled for emphasis or sound often enough to need a human look.
_EMPHATIC_DOUBLES = frozenset(
    "is do very no so now there well ha yes dear come far long many bye knock tut oh ah go night hush boo la "
    "poor pooh ho hey hi hear bang chop quick round tick tock yeah yum never away down up".split()
)
# "I tell you you had better", "gave her her hat": grammatical, if rare.
_PRONOUN_DOUBLES = frozenset({"you", "her"})
# Only the repeat ignores case: a case-blind [A-Za-z] costs a third more time.
_DOUBLED = re.compile(r"\b([A-Za-z]++)(\s+)((?i:\1))\b", re.ASCII)
_JOINERS = frozenset("'\u2019-")
_WORD = re.compile(r"[a-z]+")
# Elision marks inside speech (goin’, an’, o’, ol’, ’em) make a paragraph dialect.
# A mark after other letters is more often the end of a nested quotation.
# (Written to start with the mark itself: a leading lookbehind makes the scan ten times slower.)
_ELISION = re.compile(
    r"[\u2019'](?:(?:(?<=in.)|(?<=an.)|(?<=ol.)|(?<=th.)|(?<=\Wo.))(?![a-zA-Z])|(?<![\w\u2019'].)(?=[a-zA-Z]))",
    re.IGNORECASE,
)
_SENTENCE_START = re.compile(r"(?:^|[.!?\u2026:]|[\u201c\u2018\"(\u2014])[\s\u201c\u2018\"(]*$")

_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours() -> dict[str, frozenset[str]]:
    # Each row sits half a key to the right of the one above it: the keys
    # touching row r, column i are i-1 and i+1 beside it, i and i+1 above,
    # i-1 and i below.
    grid = {(r, i): c for r, row in enumerate(_KEYBOARD_ROWS) for i, c in enumerate(row)}
    out: dict[str, frozenset[str]] = {}
    for (r, i), c in grid.items():
        spots = [(r, i - 1), (r, i + 1), (r - 1, i), (r - 1, i + 1), (r + 1, i - 1), (r + 1, i)]
        out[c] = frozenset(grid[s] for s in spots if s in grid)
    return out


_NEAR = _neighbours()

# How much likelier a kind of slip is than the others (added to Zipf scores).
_BONUS_DUPLICATE, _BONUS_SWAP, _BONUS_NEAR_KEY, _BONUS_DROPPED = 1.0, 1.0, 0.7, 0.3


@dataclass(frozen=True)
class SpellingParams:
    """The thresholds of spelling.common (tuned on the first eight DEV books, before cross-validation)."""

    fix_gap: float = 2.5  # the correction must be this much more common (Zipf) than the word
    fix_gap_alone: float = 1.5  # ...or this much, when it is the only candidate for a word nobody writes
    fix_margin: float = 1.5  # ...and this much ahead of the runner-up
    known_zipf: float = 3.0  # a word wordfreq sees this often is real, curated or not


DEFAULT_PARAMS = SpellingParams()


def _params(ctx: Context) -> SpellingParams:
    return ctx.tuning.get("spelling", DEFAULT_PARAMS)
# Longer than any dictionary word plus a slip: no correction is one edit away,
# and the edit set grows with the square of the length (a 200 000-letter
# keyboard smash would take hours).
MAX_SLIP_LENGTH = 40
FOREIGN_SHARE = 0.25  # more words than this outside the dictionary: the text is not English


def _known_edits(word: str, known: frozenset[str]) -> set[str]:
    """The strings of `known` one deletion, swap, replacement or insertion away (Norvig).

    Checked against `known` one split point at a time rather than building
    the whole edit set first: a fifth faster, and real stories ask this of
    dozens of words each.
    """
    found: set[str] = set()
    for i in range(len(word) + 1):
        a, b = word[:i], word[i:]
        found.update(known.intersection([a + c + b for c in _LETTERS]))  # insertions
        if b:
            rest = b[1:]
            found.update(known.intersection([a + c + rest for c in _LETTERS]))  # replacements
            if a + rest in known:  # deletion
                found.add(a + rest)
            if len(b) > 1 and a + b[1] + b[0] + b[2:] in known:  # swap
                found.add(a + b[1] + b[0] + b[2:])
    return found


def _slip_bonus(word: str, cand: str) -> float:
    """How typical the slip from `cand` (intended) to `word` (typed) is."""
    n, m = len(word), len(cand)
    i = 0
    while i < min(n, m) and word[i] == cand[i]:
        i += 1
    if n == m + 1:  # a letter too many: doubled, or stray
        return _BONUS_DUPLICATE if (i > 0 and word[i] == word[i - 1]) or (i + 1 < n and word[i] == word[i + 1]) else 0.0
    if n + 1 == m:  # a letter dropped
        return _BONUS_DROPPED
    if i + 1 < n and word[i] == cand[i + 1] and word[i + 1] == cand[i] and word[i + 2 :] == cand[i + 2 :]:
        return _BONUS_SWAP
    return _BONUS_NEAR_KEY if cand[i] in _NEAR.get(word[i], frozenset()) else 0.0


def corrections(word: str, lexicon: Lexicon) -> list[tuple[float, str]]:
    """Curated words one slip away from `word`, best first, scored Zipf + slip bonus."""
    if len(word) > MAX_SLIP_LENGTH:
        return []
    found = _known_edits(word, lexicon.curated)
    found.discard(word)
    scored = [(lexicon.zipf(c) + _slip_bonus(word, c), c) for c in found]
    scored.sort(reverse=True)
    return scored


_EASY_SUFFIXES = frozenset({"s", "d", "r", "y", "ed", "es", "er"})
_SUFFIXES = ("ings", "ing", "iest", "est", "ier", "er", "r", "ies", "es", "s", "ied", "ed", "d", "ily", "ly",
             "ness", "less", "ful", "y")


_PREFIXES = ("un", "re", "dis", "mis", "over", "out", "under", "non", "fore", "up", "in")


def is_derived(word: str, curated: frozenset[str], seen: bool = True) -> bool:
    """Is `word` a dictionary word plus an inflection, common suffix or prefix?

    The curated list holds few derived forms (knockings, raciest, snuffled);
    a slip rarely lands exactly on stem + suffix, so these count as real words.
    Endings of one or two common letters are easy to hit by accident ("coled"
    = cole + d), so they count only for words someone has written before
    (`seen`).
    """
    if len(word) > MAX_SLIP_LENGTH:
        return False
    for prefix in _PREFIXES:
        rest = word[len(prefix) :]
        if word.startswith(prefix) and len(rest) > 3 and (rest in curated or is_derived(rest, curated, seen)):
            return True
    for suffix in _SUFFIXES:
        if not word.endswith(suffix) or len(word) - len(suffix) < 3:
            continue
        if suffix in _EASY_SUFFIXES and not seen:
            continue
        stem = word[: -len(suffix)]
        if (
            stem in curated
            or stem + "e" in curated
            or (stem[-1] == "i" and stem[:-1] + "y" in curated)
            or (len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in curated)
        ):
            return True
    return False


def is_compound(word: str, curated: frozenset[str]) -> bool:
    """Is `word` two dictionary words written as one (toolhouse, beechwoods)?

    Parts of four letters or more: the curated list holds many short scraps
    ("les", "wr") that would excuse real slips.
    """
    return len(word) <= MAX_SLIP_LENGTH and any(
        word[:i] in curated and (word[i:] in curated or (word[-1] == "s" and word[i:-1] in curated))
        for i in range(4, len(word) - 3)
    )


@dataclass(frozen=True)
class Suspect:
    """A word not in the dictionary, used once: how common it is and what it may be."""

    word: str
    zipf: float
    ranked: tuple[tuple[float, str], ...]


# A-Z to a-z, every other byte but a-z to a space: the words of
# _WORD.findall(text.lower()), found in half the time. A non-ASCII character
# is several bytes in UTF-8, each over 127, so it separates words as in the
# regex; str.lower() (slow on non-ASCII text) is needed only for the two
# characters that lower-case to ASCII letters: İ and the Kelvin sign.
_ASCII_LOWER_LETTERS = bytes(b | 0x20 if 65 <= b <= 90 or 97 <= b <= 122 else 32 for b in range(256))


def _story_words(ctx: Context) -> list[str]:
    """The story's lower-case words ([a-z]+), in order."""
    story = "\n".join(ctx.units)
    if "\u0130" in story or "\u212a" in story:
        story = story.lower()
    # surrogatepass: a lone surrogate (it is no letter) must not stop the count.
    return story.encode("utf-8", "surrogatepass").translate(_ASCII_LOWER_LETTERS).decode("ascii").split()


def _words(ctx: Context) -> list[str]:
    return ctx.memo("spelling.words", lambda: _story_words(ctx))  # type: ignore[return-value]


def _suspects(ctx: Context) -> dict[str, Suspect]:
    """The story's suspect words (memoised per run, shared by the spelling rules)."""
    return ctx.memo("spelling.suspects", lambda: _find_suspects(ctx))  # type: ignore[return-value]


def _find_suspects(ctx: Context) -> dict[str, Suspect]:
    params = _params(ctx)
    words = _words(ctx)
    lexicon = load_lexicon()
    # Dictionary words are never suspects: only the others are counted (a
    # C-speed filter first; counting every word took two thirds of the rule).
    outside = Counter(filterfalse(lexicon.curated.__contains__, words))
    extra = {w.lower() for w in ctx.extra_words}
    hapax = [w for w, c in outside.items() if c == 1 and len(w) > 2 and w not in extra]
    if not hapax:
        return {}
    if sum(outside.values()) > FOREIGN_SHARE * len(words):
        return {}  # not English (or not prose): an English dictionary has nothing to say
    suspects: dict[str, Suspect] = {}
    for word in hapax:
        zipf = lexicon.zipf(word)
        if zipf >= params.known_zipf or is_compound(word, lexicon.curated):
            continue
        ranked = tuple(corrections(word, lexicon)[:8])
        if is_derived(word, lexicon.curated, zipf > 0) and not _plain_slip_of_common_word(
            word, ranked, zipf, lexicon, params
        ):
            continue
        suspects[word] = Suspect(word, zipf, ranked)
    return suspects


def _plain_slip_of_common_word(
    word: str, ranked: tuple[tuple[float, str], ...], zipf: float, lexicon: Lexicon, params: SpellingParams
) -> bool:
    # "untill" parses as un + till, but it is "until" with a doubled letter:
    # a doubled or swapped letter away from a far more common word is a slip,
    # whatever prefix or suffix it happens to show.
    if not ranked:
        return False
    best = ranked[0][1]
    return _slip_bonus(word, best) >= _BONUS_SWAP and lexicon.zipf(best) - zipf >= params.fix_gap


_CONTEXT_WEIGHT = 0.3  # per decade of pair frequency above the list's floor (10^6.8)
_CONTEXT_FLOOR = 6.8


def _decide(
    suspect: Suspect, before: str, after: str, dialect_story: bool, params: SpellingParams
) -> tuple[str, bool, float] | None:
    """The correction for one occurrence, whether it is sure, and its slip bonus.

    The neighbouring words (common pairs) help choose between candidates.
    """
    if not suspect.ranked:
        return None
    lexicon = load_lexicon()
    rescored = []
    for score, cand in suspect.ranked:
        for first, second in ((before, cand), (cand, after)):
            if first and second:
                pair = lexicon.bigram(first, second)
                if pair:
                    score += 1.0 + _CONTEXT_WEIGHT * (pair - _CONTEXT_FLOOR)
        rescored.append((score, cand))
    rescored.sort(reverse=True)
    best_score, best = rescored[0]
    runner_up = rescored[1][0] if len(rescored) > 1 else -10.0
    # Sure only for a far more common word with no close rival, reached by a
    # typing slip; an arbitrary letter change is how dialect respells words
    # (bleeve, consound), so it is trusted only for a word nobody writes, in
    # a story that does not write dialect.
    bonus = dict((c, s) for s, c in suspect.ranked)[best] - lexicon.zipf(best)
    slip = bonus > 0
    plausible = slip or (suspect.zipf == 0 and not dialect_story)
    # A word nobody writes with a single correction in reach needs less of a gap
    # (listlesly: the only word it can be is the rare "listlessly").
    gap = params.fix_gap if len(rescored) > 1 or suspect.zipf > 0 else params.fix_gap_alone
    # "ostlers" -> "ostler", "surpliced" -> "surplice": an inflection of a rare
    # word the dictionary lacks, not a slip.
    inflected = suspect.word.startswith(best) and suspect.word[len(best) :] in _SUFFIXES
    sure = (
        plausible
        and not inflected
        and lexicon.zipf(best) - suspect.zipf >= gap
        and best_score - runner_up >= params.fix_margin
    )
    return best, sure, bonus


def _match_case(original: str, correction: str) -> str:
    if original[0].isupper():
        return correction[0].upper() + correction[1:]
    return correction


_NEIGHBOUR_BEFORE = re.compile(r"([A-Za-z]+) $")
_NEIGHBOUR_AFTER = re.compile(r" ([A-Za-z]+)")


def _neighbours_of(text: str, m: re.Match[str]) -> tuple[str, str]:
    """The words right before and after a match, when only a space separates them."""
    b = _NEIGHBOUR_BEFORE.search(text, max(0, m.start() - 30), m.start())
    a = _NEIGHBOUR_AFTER.match(text, m.end())
    return (b.group(1).lower() if b else "", a.group(1).lower() if a else "")


def _occurrences(ctx: Context, verdicts: dict[str, Suspect]) -> Iterator[tuple[int, re.Match[str], Suspect, bool]]:
    """Each suspect in the text, with whether its paragraph reads as dialect."""
    if not verdicts:
        return
    for u, text in enumerate(ctx.units):
        lowered = text.lower()
        # prefilter: a suspect word must at least be a substring of the
        # paragraph; splitting it into words costs ten times more.
        if not any(word in lowered for word in verdicts):
            continue
        # A set intersection per paragraph is far cheaper than one big
        # alternation regex; the regex only runs where a suspect is present.
        present = verdicts.keys() & set(_WORD.findall(lowered))
        if not present:
            continue
        found = [
            m
            for m in _ANY_WORD.finditer(text)
            if m.group().lower() in present and _stands_alone(text, m) and _is_plain_word(text, m)
        ]
        if not found:
            continue
        dialect = bool(_ELISION.search(text))
        for m in found:
            yield u, m, verdicts[m.group().lower()], dialect


_ANY_WORD = re.compile(r"[A-Za-z]+")
_JOINED = frozenset("'\u2019-") | frozenset("0123456789_")


def _stands_alone(text: str, m: re.Match[str]) -> bool:
    """Not part of an elision, a compound or a longer token (goin', to-day, x2)."""
    s, e = m.span()
    return not ((s and (text[s - 1] in _JOINED or not text[s - 1].isascii())) or
                (e < len(text) and (text[e] in _JOINED or not text[e].isascii() and text[e].isalpha())))


def _is_plain_word(text: str, m: re.Match[str]) -> bool:
    token = m.group()
    if any(ch.isupper() for ch in token[1:]):
        return False  # ALL CAPS or CamelCase: shouting, acronyms, names
    if token[0].isupper() and not _SENTENCE_START.search(text, 0, m.start()):
        return False  # capitalised inside a sentence: a name
    return not ((m.end() < len(text) and text[m.end()].isdigit()) or (m.start() and text[m.start() - 1].isdigit()))


def _spells_british(ctx: Context) -> bool:
    """Does the story use British -our spellings (colour, honour)?"""
    curated = load_lexicon().curated
    return any(w.endswith("our") and len(w) > 5 and w[:-3] + "or" in curated for w in set(_words(ctx)))


def _writes_dialect(ctx: Context) -> bool:
    """Does the story spell speech as it sounds (goin’, ’em) in many paragraphs?"""
    paragraphs = [t for t, k in zip(ctx.units, ctx.kinds) if k == "para"]
    marked = sum(1 for t in paragraphs if _ELISION.search(t))
    return marked > max(2, len(paragraphs) // 20)


_FOREIGN_NEIGHBOUR = re.compile(r"[^\x00-\x7f\s\u2018-\u201d\u2014\u2013\u2026]")


def find_misspellings(ctx: Context) -> Iterator[Change]:
    suspects = _suspects(ctx)
    british = bool(suspects) and _spells_british(ctx)
    lexicon = load_lexicon() if suspects else None
    for u, m, suspect, dialect in _occurrences(ctx, suspects):
        # Judged only once a suspect turns up: most stories have none.
        dialect_story = ctx.memo("spelling.dialect", lambda: _writes_dialect(ctx))
        decision = _decide(suspect, *_neighbours_of(ctx.units[u], m), bool(dialect_story), _params(ctx))
        if decision is None:
            continue
        correction, sure, bonus = decision
        text = ctx.units[u]
        if british and lexicon is not None and correction.endswith("or") and correction[:-2] + "our" in lexicon.curated:
            sure = False  # an American spelling is no fix in a British text (collor: colour)
        # In dialect only a doubled or swapped letter is surely a slip: sound
        # spellings drop and change letters (wisht, drownded, bleeve).
        # Names others have used (wordfreq knows them) may start a sentence;
        # a word beside an accented one is likely foreign (partie carrée).
        sure = (
            sure
            and (not dialect or bonus >= _BONUS_SWAP)
            and not (m.group()[0].isupper() and suspect.zipf > 0)
            and not _FOREIGN_NEIGHBOUR.search(text, max(0, m.start() - 20), min(len(text), m.end() + 20))
        )
        yield Change(
            u,
            m.start(),
            m.end(),
            _match_case(m.group(), correction),
            sure=sure,
            confidence=0.9 if sure else 0.5,
            message=f"misspelling of “{correction}”?" if not sure else "misspelling",
        )


def find_unknown(ctx: Context) -> Iterator[Change]:
    for u, m, suspect, _ in _occurrences(ctx, _suspects(ctx)):
        if not suspect.ranked:
            yield Change(u, m.start(), m.end(), m.group(), sure=False, confidence=0.2,
                         message="word not in the dictionary")


def _doubled_span(text: str, m: re.Match[str]) -> tuple[int, int]:
    """What to delete for a doubled word; across a line break (hard-wrapped
    text) the line break stays where it was."""
    if "\n" not in m.group(2):
        return m.start(2), m.end(3)
    k = m.start(1)
    while k and text[k - 1] == " ":
        k -= 1
    if k < m.start(1):
        return k, m.end(1)  # "opened the\nthe door" -> "opened\nthe door"
    e = m.end(3)
    while e < len(text) and text[e] == " ":
        e += 1
    return m.start(3), e  # a copy starting its line: drop the second one


def _in_a_run(text: str, m: re.Match[str]) -> bool:
    """Is this pair part of three or more copies ("no no no", "very very very")?

    A run is meant, not a slip; and dropping one copy of three would leave a
    pair for the next cleaning to find (the cleaner must be idempotent).
    """
    word = re.escape(m.group(1))
    flags = re.IGNORECASE | re.ASCII
    if re.compile(rf"\s+{word}\b", flags).match(text, m.end()):
        return True
    # Only a short window before the pair is searched: paragraphs can be huge.
    window = max(0, m.start() - len(m.group(1)) - 64)
    return re.compile(rf"\b{word}\s+\Z", flags).search(text, window, m.start()) is not None


def _empties_line(text: str, start: int, end: int) -> bool:
    """Would deleting text[start:end] leave its line blank?"""
    left = text[text.rfind("\n", 0, start) + 1 : start]
    stop = text.find("\n", end)
    right = text[end : stop if stop >= 0 else len(text)]
    return not (left + right).strip()


def find_doubled(ctx: Context) -> Iterator[Change]:
    for u, text in enumerate(ctx.units):
        for m in _DOUBLED.finditer(text):
            word = m.group(1)
            lower = word.lower()
            s, e = m.start(), m.end()
            if (s and text[s - 1] in _JOINERS) or (e < len(text) and text[e] in _JOINERS):
                continue  # part of an elision or a compound: ’tis tis, well-well
            if lower in _LEGIT_DOUBLES or "\n\n" in m.group(2) or _in_a_run(text, m):
                continue
            if word != m.group(3) and not (word[0].isupper() and word[1:] == m.group(3)[1:]):
                continue  # "Bora bora"-style case changes are not slips
            sure = lower not in _EMPHATIC_DOUBLES and lower not in _PRONOUN_DOUBLES
            start, end = _doubled_span(text, m)
            if "\n" in m.group(2) and _empties_line(text, start, end):
                continue  # "the\nthe" with each copy a whole line: a blank line would split the paragraph
            if start < m.start(2) and word != m.group(3):
                continue  # "The\nthe": keeping the capital would need two edits
            yield Change(u, start, end, "", sure=sure, confidence=0.95 if sure else 0.4,
                         message="word typed twice" if sure else "word repeated on purpose?")


DOUBLED_RULE = Rule("spelling.doubled", "fix", find_doubled, "a word typed twice")
COMMON_RULE = Rule("spelling.common", "fix", find_misspellings, "misspellings one slip from a common word")
UNKNOWN_RULE = Rule("spelling.unknown", "off", find_unknown, "words not in the dictionary")
