"""Rule `spelling.doubled`: a word typed twice ("the the").

English doubles words on purpose more often than one would think, so a
doubled word is fixed only where the grammar around it says the second copy
cannot be meant; elsewhere it is a suggestion or left alone:

- "had had" is a past perfect ("he had had enough"), a slip only before a
  participle ("who had had determined");
- "that that" is a conjunction and a demonstrative ("he said that that was
  all"), a slip only before a subject or a determiner ("the idea that that it"),
  and after "it was" perhaps a cleft ("it was that that she had kept");
- "to to" before a verb may be a stranded "to" and an infinitive's ("do what
  you need to to be happy", "be lied to to spare me"): a suggestion there;
- a particle and a preposition meet ("he came in in the evening", "they went
  on on foot"), and so do an object and a subject ("when I got to it it was
  gone", "I tell you you had better"): suggestions;
- a clause opening with what, whoever, all or "the only" and ending in a copula
  is the subject of its own copula ("what it is is a lantern", "all I was was
  tired", "what you are are two things"): a suggestion;
- names double (Bora Bora, Walla Walla) and speech repeats for emphasis
  ("really really", "no no", runs of three or more): left alone or suggested;
- numbers read out digit by digit double ("nine nine seven", "five naught
  naught"), and so do cries, calls and stammers ("ay ay", a dialect "dat
  dat"): a slip doubles a word typed all the time (the, to, and), so a number
  word, or a word rarer than those, doubled is only a suggestion.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from itertools import accumulate
from typing import Literal

from storybinder.cleanup.dictionary import load_lexicon
from storybinder.cleanup.engine import Change, Context, Rule
from storybinder.cleanup.joined import BLOCK
from storybinder.lazy_pattern import lazy

# Only the repeat ignores case: a case-blind [A-Za-z] costs a third more time.
_DOUBLED = lazy(r"\b([A-Za-z]++)(\s+)((?i:\1))\b", re.ASCII)
_JOINERS = frozenset("'\u2019-")
_NEXT_WORD = lazy(r"[\s\u201c\u201d\"]*([A-Za-z]+)", re.ASCII)  # (these three: only at a doubled word)
_PREV_WORD = lazy(r"(?:([A-Za-z]+)\s+)?([A-Za-z]+)[\s]*\Z", re.ASCII)

# Doubled for emphasis or sound often enough to need a human look.
_EMPHATIC = frozenset(
    "do very really so now there well ha yes no dear come far long many bye knock tut oh ah go night hush boo "
    "la poor pooh ho hey hi hear bang chop quick round tick tock yeah yum never away more much faster bad"
    .split()
)
# A clause ending in a copula, then the copula of the sentence it is the subject of
# ("what it is is a lantern", Gatsby's "The only crazy I was was when I married him"):
# the clause opens with what, all, or "the only/one thing" a few words before.
# (are and were too, in fan fiction's "what you are are two different things", "whoever the
# child's minder was was nowhere in sight": 19 AO3 works, 1.3M words)
_COPULAS = frozenset("is was are were".split())
_FREE_RELATIVE = lazy(
    r"\b(?:what|whatever|whoever|whichever|all|only|thing|one)\b[^.!?;:,\u201c\u201d\"]{0,40}\Z", re.IGNORECASE
)
# A particle ending a phrasal verb, then the same word as a preposition
# ("came in in the evening", "put it on on Monday"). Not "to": "to to" is not once in
# seven PG novels (750k words) nor in the 1.2M words of DEV's gold text.
_PARTICLES = frozenset("in on up out off down over by about around along through back".split())
# But today's English strands a "to" at the end of a clause whose object has moved ahead, before
# an infinitive's "to" ("do what you need to to be happy", "the lengths that were gone to to
# erase her", "I don't want to be lied to to spare my feelings": five times in 19 AO3 works of
# 1.3M words, beside two slips). So "to to" before a verb is only a suggestion after a
# wh-word in its clause (not after "that", as often a conjunction: "that they've come to to
# stay"), or after a passive; before a determiner, a pronoun, a name or punctuation ("went to to
# the shop", "leave to to Mary", "they need to to.") it is a slip wherever it stands.
_GAPPED = lazy(
    r"\b(?:what|whatever|whoever|whichever|whom)\b[^.!?;:,\u201c\u201d\"]{0,50}\Z", re.IGNORECASE
)
_TO_OBJECTS = frozenset("the a an his her its my your our their this these those some any no every it you him them us "
                        "me".split())
_BE = frozenset("is was are were".split())
_BE_PASSIVE = _BE | {"be", "been", "being", "get", "got"}
# Object then subject ("got to it it was", "tell you you had", "gave her her hat").
_PRONOUNS = frozenset("it you her him them us me".split())
_SUBJECTS = frozenset("i you he she it we they there this".split())
_DETERMINERS = frozenset("the a an his her its my your our their this these those some any no every".split())
# After these, a pronoun starts the clause: "did you you bring", "if you you had", "so it it was".
_CLAUSE_OPENERS = frozenset(
    "did do does are were was is have has had can could will would should shall may might must if when as and "
    "but that because unless than so though while where".split()
)
# Participles that do not end in -ed or -en ("had had laid" is a slip).
_IRREGULAR_PARTICIPLES = frozenset(
    "been done gone made seen said laid paid heard held kept left lost meant met read sent spent stood taught "
    "thought told understood won brought bought caught felt found fought got heard hung led lent lit run slept "
    "sold struck sung swum sat shot shut spoken spun sprung stolen stuck swept swung torn thrown woken worn".split()
)

_RELATIVES = frozenset("that which whom what".split())
_PREPOSITIONS = frozenset("after before in for of with by from at on about like than to upon since till until".split())
# Cardinal numbers: a phone number, a sum or a score read out repeats them.
_NUMBERS = frozenset(
    "zero naught nought nil one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred "
    "thousand million".split()
)
# Zipf frequency (wordfreq) below which a doubled word is not taken for a slip.
# Slips double the words typed most: every doubled word injected in DEV and the
# seeds' "the the" are Zipf 5.5+ (the lowest: been, could); the doubled words
# meant in proofread novels are calls, sounds and dialect (ay 3.6, dat 3.6, tick 3.8).
_SLIP_ZIPF = 5.0

# Prose written without punctuation (Molly Bloom's soliloquy: 3,000 words to a paragraph and not
# one mark) repeats a word where a comma would pause ("and why why because", "easy easy O how"):
# there a doubled word is only a suggestion (and so are spelling.common's and spelling.realword's
# fixes: "a bit sooner then I wouldnt be here"). DEV's and AO3's paragraphs of 100 words or more
# have at most 15 and 22 words to a mark.
_UNPUNCTUATED_WORDS = 100
_WORDS_PER_MARK = 50
_MARK = lazy(r"[.!?;:,\u2014\u2026]")

Verdict = Literal["fix", "suggest"]


def unpunctuated(text: str) -> bool:
    """Is the paragraph long and all but without punctuation, as a stream of consciousness is written?"""
    words = text.count(" ") + 1
    return words >= _UNPUNCTUATED_WORDS and len(_MARK.findall(text)) * _WORDS_PER_MARK < words


def _is_participle(word: str) -> bool:
    return word in _IRREGULAR_PARTICIPLES or (len(word) > 4 and (word.endswith("ed") or word.endswith("en")))


def judge_double(word: str, before: str, after: str, earlier: str = "") -> Verdict | None:
    """Is "word word" between these neighbours a slip (fix), perhaps meant (suggest) or meant (None)?

    All are lower case; `before`/`after` are "" when no word is there, `earlier` is the word before `before`.
    """
    if word == "had":
        if not _is_participle(after):
            return None
        # "the gown that she had had made": a causative whose object a relative moved ahead.
        return "suggest" if earlier in _RELATIVES else "fix"
    if word == "that":
        if before in _PREPOSITIONS:
            return None  # "after that that he", "only in that that he": a pronoun, then the conjunction
        if before in _BE:
            # "it was that that she had been using": a cleft, the pronoun then the relative
            return "suggest" if after in _SUBJECTS or after in _DETERMINERS else None
        return "fix" if after in _SUBJECTS or after in _DETERMINERS else None
    if word in _EMPHATIC:
        return "suggest"
    if word in _PRONOUNS:
        return "fix" if before in _CLAUSE_OPENERS else "suggest"
    if word in _PARTICLES or word in _NUMBERS:
        return "suggest"
    return "fix"


def _stranded_to(text: str, start: int, after: str, previous: tuple[str, str]) -> bool:
    """Does the first "to" of "to to" end a clause whose object moved ahead, the second open an infinitive?

    `after` is the next word as written ("": none), `previous` the two words before, lower case.
    """
    if not after or after[0].isupper() or after.lower() in _TO_OBJECTS:
        return False
    earlier, before = previous
    passive = earlier in _BE_PASSIVE and (before in _IRREGULAR_PARTICIPLES or before.endswith("ed"))
    return passive or _GAPPED.search(text, max(0, start - 60), start) is not None


def _typed_often(word: str) -> bool:
    """Is the lowercase word common enough for a doubled copy to be a slip rather than a call or a stammer?"""
    return load_lexicon().zipf(word) >= _SLIP_ZIPF


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


# The story's UTF-8 bytes as the scan that finds the units to look at reads them (_units_with_pairs):
# each letter lowered, ASCII white space (what \s is to _DOUBLED) a space, anything else a dot (a
# non-ASCII character is several bytes over 127: dots). A pair _DOUBLED matches is then a word
# after a space or a dot (or at the start), spaces, and the same word before a space, a dot or the
# end. (Decoded to ASCII for the scan: str patterns' programs are kept by pattern_cache, a bytes
# pattern is compiled anew in every process.)
_FOLDED = bytes(b + 32 if 65 <= b <= 90 else b if 97 <= b <= 122 else 32 if b in b" \t\n\v\f\r" else 46
                for b in range(256))
# A literal first: the matcher finds it by a fast search, where _DOUBLED's \b is tried at every
# character (bench/clean_speed.py: 0.34 -> 0.21 s on 19 MB). The second copy is looked ahead
# for, so a word ends one match and may begin the next ("the the the").
_PAIR_AFTER_SPACE = lazy(r" ([a-z]++)(?=( ++)\1(?![a-z]))")
_PAIR_AFTER_MARK = lazy(r"\.([a-z]++)(?=( ++)\1(?![a-z]))")


def _units_with_pairs(units: list[str]) -> list[int]:
    """The units _DOUBLED matches in (and perhaps a few more), found BLOCK units at a time, not a unit at a time.

    A match that runs from one unit into the next (a line break is white space) may hide a
    match inside the second, so each unit a match touches is scanned again on its own. The scan
    is of the block folded (_FOLDED), where a doubled word looks as _DOUBLED sees it
    or for more (a pair with a digit or an underscore beside it): the extra units are only
    scanned again for nothing. (Blocks, not the whole story joined: a 19 MB story's is 37 MB
    of memory new to the cache.)
    """
    found: set[int] = set()
    for first in range(0, len(units), BLOCK):
        group = units[first : first + BLOCK]
        text = "\n".join(group)
        # (the space before the block: a word at its start stands after one)
        folded = (" " + text).encode("utf-8", "surrogatepass").translate(_FOLDED).decode("ascii")
        if len(folded) == len(text) + 1:  # all ASCII: a byte a character
            sizes = (len(t) + 1 for t in group[:-1])
        else:
            sizes = (len(t.encode("utf-8", "surrogatepass")) + 1 for t in group[:-1])
        starts = list(accumulate(sizes, initial=1))  # where each unit begins in `folded`
        for pairs in (_PAIR_AFTER_SPACE, _PAIR_AFTER_MARK):
            for m in pairs.finditer(folded):
                found.add(first + bisect_right(starts, m.start(1)) - 1)
                found.add(first + bisect_right(starts, m.end(2) + len(m.group(1)) - 1) - 1)
    return sorted(found)


def find_doubled(ctx: Context) -> Iterator[Change]:
    for u in _units_with_pairs(ctx.units):
        text = ctx.units[u]
        for m in _DOUBLED.finditer(text):
            first, second = m.group(1), m.group(3)
            s, e = m.start(), m.end()
            if (s and text[s - 1] in _JOINERS) or (e < len(text) and text[e] in _JOINERS):
                continue  # part of an elision or a compound: ’tis tis, well-well
            if (s and text[s - 1].isalpha()) or (e < len(text) and text[e].isalpha()):
                continue  # inside a word with a letter beyond ASCII: "an anæmic man"
            if "\n\n" in m.group(2) or _in_a_run(text, m):
                continue
            if first != second and not (first[0].isupper() and first[1:] == second[1:]):
                continue  # "Bora bora"-style case changes are not slips
            if second[0].isupper():
                continue  # Bora Bora, Walla Walla: a name, not a slip
            before = _PREV_WORD.search(text, max(0, s - 40), s)
            after = _NEXT_WORD.match(text, e)
            after_word = after.group(1).lower() if after and after.start(1) - e < 4 else ""
            previous = (before.group(1) or "").lower() if before else "", before.group(2).lower() if before else ""
            verdict = judge_double(first.lower(), previous[1], after_word, previous[0])
            if verdict is None:
                continue
            if verdict == "fix" and not _typed_often(first.lower()):
                verdict = "suggest"
            if verdict == "fix" and first.lower() in _COPULAS and _FREE_RELATIVE.search(text, max(0, s - 60), s):
                verdict = "suggest"
            next_word = after.group(1) if after and after.start(1) - e < 4 else ""
            if verdict == "fix" and first.lower() == "to" and _stranded_to(text, s, next_word, previous):
                verdict = "suggest"
            if verdict == "fix" and unpunctuated(text):
                verdict = "suggest"
            start, end = _doubled_span(text, m)
            if "\n" in m.group(2) and _empties_line(text, start, end):
                continue  # "the\nthe" with each copy a whole line: a blank line would split the paragraph
            if start < m.start(2) and first != second:
                continue  # "The\nthe": keeping the capital would need two edits
            sure = verdict == "fix"
            yield Change(u, start, end, "", sure=sure, confidence=0.95 if sure else 0.4,
                         message="word typed twice" if sure else "word repeated on purpose?")


RULE = Rule("spelling.doubled", "fix", find_doubled, "a word typed twice")
