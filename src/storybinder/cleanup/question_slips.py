"""A slip in the verb that opens a question: "Or ar you seriously going to claim…?" (are).

A short slip is often a string wordfreq has seen (ar, cn, dd: abbreviations, codes, other
people's slips), so spelling.common takes it for a word and leaves it. Its place decides it:
in a question, the word that opens the clause before a subject pronoun is an auxiliary verb
three times in four, and a word no curated list holds almost never stands there. Measured on
1,011 such questions in the DEV set's gold texts and 18 proofread Project Gutenberg books:
754 open with one of the 21 auxiliaries below (74.6%), which make 5.2% of English words
(wordfreq); 5 with a word outside the curated list (names: Beale, Martello, Apollonia),
against that list's 2.7% share of their words.

Pure: text in, proposed replacements out; spelling.realword reports them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator

from storybinder.cleanup.channel import ErrorModel, one_slip_away, posterior, slip_logp
from storybinder.cleanup.dictionary import Lexicon
from storybinder.lazy_pattern import lazy
from storybinder.record import Record

# log10 of how much likelier each kind of word is in the slot than in text at large
# (from the counts above): an auxiliary log10(0.746 / 0.052), any other curated word
# log10(0.254 / 0.948), a word outside the curated list log10(0.005 / 0.027).
AUXILIARY_LIFT = 1.16
OTHER_LIFT = -0.57
UNLISTED_LIFT = -0.7

_MODALS = ("can", "could", "will", "would", "shall", "should", "may", "might", "must")
# Which auxiliaries agree with each subject pronoun ("ar he" is no slip of "are").
_AGREEING: dict[str, frozenset[str]] = {
    "i": frozenset(("am", "was", "do", "did", "have", "had", *_MODALS)),
    "you": frozenset(("are", "were", "do", "did", "have", "had", *_MODALS)),
    "he": frozenset(("is", "was", "does", "did", "has", "had", *_MODALS)),
}
_AGREEING["we"] = _AGREEING["they"] = _AGREEING["you"]
_AGREEING["she"] = _AGREEING["it"] = _AGREEING["he"]
AUXILIARIES = frozenset().union(*_AGREEING.values())

# A word and the subject pronoun after it: "ar you", "Ar you".
_WORD_THEN_PRONOUN = lazy(r"\b([A-Za-z][a-z]+) (I|you|he|she|it|we|they)\b")
_CONJUNCTIONS = frozenset(("or", "and", "but", "so"))
_OPENING_MARKS = " \t\u201c\u2018\"'(*_"
_CLAUSE_ENDS = ".!?\u2026\u2014:;"
_SENTENCE_END = lazy(r"[.!?]")


class QuestionSlip(Record):
    """One word read as a slip of a question's auxiliary, and the model's belief in it."""

    start: int
    end: int
    meant: str
    probability: float


def _clause_start(text: str, start: int) -> str:
    """How a clause begins at `start`: "plain" (the paragraph's start, after a full stop or a
    dash, inside an opening quote), "joined" (right after an or/and/but/so that begins one), or ""."""
    i = start
    while i and text[i - 1] in _OPENING_MARKS:
        i -= 1
    if not i or text[i - 1] in _CLAUSE_ENDS:
        return "plain"
    j = i
    while j and text[j - 1].isalpha():
        j -= 1
    if i == start or text[j:i].lower() not in _CONJUNCTIONS:
        return ""
    while j and text[j - 1] in _OPENING_MARKS:
        j -= 1
    return "joined" if not j or text[j - 1] in _CLAUSE_ENDS else ""


def _asks(text: str, end: int) -> bool:
    """Does the sentence that goes on at `end` end with a question mark?"""
    m = _SENTENCE_END.search(text, end)
    return m is not None and m.group() == "?"


def question_slips(
    text: str, odd: Collection[str], lexicon: Lexicon, slips: ErrorModel, penalty: float = 0.0,
) -> Iterator[QuestionSlip]:
    """Words of `odd` (lower case: once-used words outside the curated list) that open a
    question before a subject pronoun, each as a slip of the auxiliary the model believes.

    `penalty` (log10) lowers every correction's chance (dialect: "ar you" may be meant).
    """
    for m in _WORD_THEN_PRONOUN.finditer(text):
        word = m.group(1).lower()
        if word not in odd:
            continue
        opens = _clause_start(text, m.start())
        # (A capital after "Or " is a name's.)
        if not opens or (opens == "joined" and m.group(1)[0].isupper()) or not _asks(text, m.end()):
            continue
        agreeing = _AGREEING[m.group(2).lower()]
        nearby = one_slip_away(word, lexicon.curated)
        if not nearby & agreeing:
            continue
        scores = [
            (lexicon.zipf(c) + slip_logp(word, c, slips) - penalty + (AUXILIARY_LIFT if c in agreeing else OTHER_LIFT), c)
            for c in sorted(nearby)
        ]
        zipf = lexicon.zipf(word)
        # As in spelling.judge: wordfreq's count of a word outside the curated list is partly
        # slips, believed a decade less (SpellingParams.wordfreq_discount).
        as_typed = (zipf - 1.0 if zipf > 0 else -0.5) + UNLISTED_LIFT
        probability, meant = posterior(scores, as_typed)[0]
        if meant in agreeing:
            yield QuestionSlip(m.start(1), m.end(1), meant, probability)
