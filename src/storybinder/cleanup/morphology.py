"""Is an unknown word a dictionary word put together by English's own rules?

The dictionaries hold few derived forms of rare words (knockings, raciest,
snuffled); a word built from one by the spelling rules of English (an -e
dropped before -ing, a final consonant doubled after a short vowel, y turned
to i) is a real word, not a slip. A form the rules do not make (goo + d,
man + ly with two n's) is no derivation. And a common word's regular forms
are all in the curated list already: an unknown "form" of one (theys, sayed,
truely) is a slip, not a rare word.

Pure functions over a `known(word)` predicate and a frequency function.
"""

from __future__ import annotations

from collections.abc import Callable

from storybinder.lazy_pattern import lazy

from storybinder.cleanup.channel import MAX_SLIP_LENGTH

_VOWELS = frozenset("aeiou")
# Suffixes that start with a vowel: before them a final -e drops and a short
# vowel's consonant doubles (hope-hoping, stop-stopped, big-bigger).
_VOWEL_SUFFIXES = ("ings", "ing", "iest", "est", "ier", "er", "ies", "es", "ied", "ed", "y")
_CONSONANT_SUFFIXES = ("ness", "less", "ful", "ly", "ily", "s", "d", "r")
SUFFIXES = _VOWEL_SUFFIXES + _CONSONANT_SUFFIXES
# (Not -s: a rare noun's plural, weals or taxers, is as often unseen as its stem, and a plural
# is no slip of a word the story happens to use.)
_EASY_SUFFIXES = frozenset({"d", "r", "y", "ed", "es", "er"})
_PREFIXES = ("un", "re", "dis", "mis", "over", "out", "under", "non", "fore", "up", "in")
# An -s plural or third person: not after a sibilant (boxs, kisss), which takes -es.
_SIBILANT = ("s", "x", "z", "ch", "sh")


def _doubles(stem: str) -> bool:
    """Does a vowel suffix double the stem's last letter (one syllable ending consonant, vowel, consonant: bet-better)?"""
    if len(stem) < 3 or stem[-1] in _VOWELS or stem[-1] in "wxy" or stem[-2] not in _VOWELS or stem[-3] in _VOWELS:
        return False
    return sum(1 for i, c in enumerate(stem) if c in _VOWELS and (i == 0 or stem[i - 1] not in _VOWELS)) == 1


def suffix_stems(word: str, suffix: str) -> list[str]:
    """The stems English's spelling rules would join with `suffix` to make `word`."""
    stem = word[: -len(suffix)]
    if len(stem) < 3:
        return []
    if suffix in ("d", "r"):
        return [stem] if stem.endswith("e") else []  # hope-d, wide-r; never goo-d
    if suffix == "s":
        return [] if stem.endswith(_SIBILANT) or stem.endswith("y") and stem[-2:-1] not in _VOWELS else [stem]
    if suffix == "es":
        return [stem] if stem.endswith(_SIBILANT + ("o",)) else []
    if suffix in ("ies", "ied", "ier", "iest", "ily"):
        return [stem + "y"]  # carry-carries, happy-happily
    if suffix in ("ly", "ness", "less", "ful"):
        # Not after a doubled consonant the stem lacks (man-ly, never mann-ly), but after -ll (full-ly = fully is rare).
        return [stem, stem[:-1] + "y"] if stem.endswith("i") else [stem]
    # A vowel suffix: the stem as it is (knock-ing), with its -e (hope-ing), or undoubled (stop-ped).
    out = []
    if (not stem.endswith("e") or suffix == "y") and not _doubles(stem):
        out.append(stem)
    if not stem.endswith("e"):
        out.append(stem + "e")
    if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS and stem[-3] in _VOWELS:
        out.append(stem[:-1])
    return out


def derivation(
    word: str, known: Callable[[str], bool], zipf: Callable[[str], float], common_stem: float, seen: bool = True
) -> str | None:
    """The dictionary word `word` derives from by a prefix or a regular suffix, or None.

    A stem at least as frequent as `common_stem` (Zipf) does not count: its
    regular forms are in the curated list, so an unknown one is a slip.
    Endings of one or two common letters are easy to hit by accident (cole + d),
    so they count only for words someone has written before (`seen`).
    """
    if len(word) > MAX_SLIP_LENGTH:
        return None
    for prefix in _PREFIXES:
        rest = word[len(prefix) :]
        if word.startswith(prefix) and len(rest) > 3:
            if (known(rest) and zipf(rest) < common_stem) or derivation(rest, known, zipf, common_stem, seen):
                return rest
    for suffix in SUFFIXES:
        if word.endswith(suffix) and (seen or suffix not in _EASY_SUFFIXES):
            for stem in suffix_stems(word, suffix):
                if known(stem) and zipf(stem) < common_stem:
                    return stem
    return None


def archaic_verb_form(word: str, known: Callable[[str], bool]) -> str | None:
    """The verb an archaic second- or third-person form is made from (takest, taketh, knowest, runneth), or None.

    Any verb, common or rare, makes them, and no dictionary lists them all, so
    the caller asks only of a story written in that register (thou, thee, hath).
    """
    if len(word) < 5 or not word.endswith(("st", "th")) or known(word):
        return None
    stems: list[str] = []
    if word.endswith(("est", "eth")):
        stem = word[:-3]
        if word.endswith("est") and (known(stem + stem[-1:] + "est") or known(stem[:-1] + "iest")):
            return None  # bigest, happyest: a superlative misspelt, not a verb
        stems += [stem, stem + "e"]  # know-est, speak-eth
        if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
            stems.append(stem[:-1])  # run-n-eth
    if word[-3] == "e":
        stems.append(word[:-2])  # take-st, give-th
    return next((stem for stem in stems if len(stem) >= 2 and known(stem)), None)


def inflection_stem(word: str, curated: frozenset[str]) -> str | None:
    """The curated word of five letters or more that `word` is plus -s, -es, -d, -ed, -er or -est by the rules, or None.

    carouse + d, bitter + er, ague + s would be; restore + ed (restored) and
    looked + d would not.
    """
    for suffix, fits in _INFLECTIONS:
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            if len(stem) >= 5 and stem in curated and fits(stem):
                return stem
    return None


_INFLECTIONS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("d", lambda stem: stem.endswith("e")),
    ("ed", lambda stem: not stem.endswith("e")),
    ("er", lambda stem: not stem.endswith("e")),
    ("est", lambda stem: not stem.endswith("e")),
    ("es", lambda stem: stem.endswith(("s", "x", "z", "ch", "sh", "o"))),
    ("s", lambda stem: not stem.endswith(("s", "x", "z", "ch", "sh"))),
)


_ISE = lazy(r"(?<=[a-z]{3})is(?=e[sdr]?$|ing$|ers?$|ations?$)")


def is_british_ise(word: str, curated: frozenset[str]) -> bool:
    """Is `word` the British -ise spelling of a dictionary word spelt -ize (philosophise, tyrannised)?

    The curated list has the common ones (realise, organise) and leaves out the rarer.
    """
    m = _ISE.search(word)
    # (the form itself, or its verb: tyrannised, tyrannize)
    return m is not None and (word[: m.start()] + "iz" + word[m.end() :] in curated or word[: m.start()] + "ize" in curated)


def is_compound(word: str, curated: frozenset[str]) -> bool:
    """Is `word` two dictionary words written as one (toolhouse, beechwoods)?

    Parts of four letters or more: the curated list holds many short scraps
    ("les", "wr") that would excuse real slips.
    """
    return len(word) <= MAX_SLIP_LENGTH and any(
        word[:i] in curated and (word[i:] in curated or (word[-1] == "s" and word[i:-1] in curated))
        for i in range(4, len(word) - 3)
    )


# The function words speech runs into the word before as "a": couple of -> coupla, ought to -> oughta.
_REDUCED = ("of", "to", "have")
# How often the pairs must have the stem before one of them (log10 share of the stem's followers):
# "couple of" is 78% of "couple …", "heard of" 18%, "should have" 6%; a noun like "part" 3%.
_REDUCED_SHARE = -1.3


def is_reduced_function_word(word: str, curated: frozenset[str], pair: Callable[[str, str], float],
                             followers: Callable[[str], float]) -> bool:
    """Is `word` a word and the "of", "to" or "have" after it said as one (coupla, hearda, oughta, shoulda)?

    `pair(a, b)` and `followers(a)`: log10 counts of "a b" and of all listed pairs starting with a (0.0: none).
    """
    if len(word) < 4 or word[-1] != "a":
        return False
    # (the stem as it stands, with an e the sound drops after a consonant, or a doubled last letter: outta)
    stems = [word[:-1]]
    if word[-2] not in "aeiou":
        stems.append(word[:-1] + "e")
        if word[-2] == word[-3]:
            stems.append(word[:-2])
    for stem in stems:
        if stem in curated and len(stem) > 2:
            total = followers(stem)
            if total and any(pair(stem, f) and pair(stem, f) - total >= _REDUCED_SHARE for f in _REDUCED):
                return True
    return False


# A letter three or more times in a row: one key struck once too often on a double letter
# (goood, willl, currrent), or a word drawn out on purpose, as speech is (sooo, nooo, funnn,
# pleeease). The slip leaves a word when one letter goes; the drawn-out word needs the run
# cut to a single letter, or is longer than a slip makes.
_RUN = lazy(r"(.)\1\1+")


def drawn_out(word: str, known: Callable[[str], bool]) -> tuple[str, ...] | None:
    """The word meant if `word` has a letter typed once too often on a double one (goood: good);
    () if it is a word drawn out on purpose (sooo, heyyy, wheeeee); None if neither can be told."""
    runs = list(_RUN.finditer(word))
    if not runs:
        return None
    if len(runs) > 1 or len(runs[0].group()) > 3:
        return ()
    k = runs[0].start()
    if known(word[:k] + word[k + 1 :]):
        return (word[:k] + word[k + 1 :],)
    if known(word[:k] + word[k + 2 :]):
        return ()
    return None
