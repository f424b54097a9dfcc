"""Rule `dialogue.tags`: the punctuation between a line of dialogue and its speech tag.

- `“Come here.” she said` -> `“Come here,” she said`: a sentence that goes on
  into its tag ends the quotation with a comma;
- `“Come here,” She said` -> `“Come here,” she said`, and after `?”` or `!”`
  too (`“Why?” He asked.` -> `he asked.`): the tag continues the sentence.

Only where the tag is unambiguous: a pronoun, or a name the story itself uses
in its well-formed tags, then a speech verb (said, asked, whispered...), or a
speech verb then its speaker (`said Holmes`, `said the doctor`). `“Come here.”
She turned away.` is two sentences and stays; so does `“Why?” She said
nothing.` (the verb has an object: narration, not a tag). Runs after the
quotes are curled and repaired.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from storybinder.cleanup.engine import Change, Context, Rule
from storybinder.cleanup.speech_turns import GOES_ON_VERBS, SPEECH_VERBS
from storybinder.lazy_pattern import LazyPattern, lazy

RD = "\u201d"
_VERB = f"(?:{SPEECH_VERBS})"
# Verbs of a sound or a thought, as often an action of their own as a tag: after a full stop, a
# question or a cry, `He laughed again.` and `She sighed, and` begin a sentence of narration.
_ACTIONS = frozenset(
    "laughed sobbed gasped groaned sighed grunted screamed breathed wailed whimpered moaned shrieked roared "
    "snarled hissed agreed persisted insisted wondered mused thought admitted conceded ventured".split()
)
# A tag that is unmistakably one after a new sentence's capital: the verbs of saying.
_SAYING = "(?:" + "|".join(v for v in SPEECH_VERBS.split("|") if v not in _ACTIONS) + ")"
_ADVERB = r"(?:[a-z]+ly )?"  # `she said` or `she quietly said`
# The speaker after an inverted tag: said he / said I / said the man / said our visitor / said Holmes.
_SUBJECT_AFTER = r"(?:he|she|they|we|I|it|you|(?:the|a|an|our|my|his|her|their|your|old|young|little) \w|[A-Z][a-z])"
# What follows the verb of a tag (as opposed to `she said nothing`, `She said it to the Knave`).
# (The marks in three classes: one class of ASCII and typographic marks compiles into a 64k-entry
# bitmap, 0.3 ms a pattern.)
_TAG_END = (
    r"(?=[,.;:!?]|[\u2013\u2014]|[\u2026" + RD + r"]|$| [a-z]+ly\b| (?:to|at|with|in|as|from|upon|again|and|into|"
    r"through|over|back|up|out|once|at last|then|now)\b)"
)
# `“Come here.” she said`, `“Come here.” said Holmes`.
_STOP = lazy(
    r"\.(?<=[^\W\d_]\.)(?=" + RD + r" (?:(?:he|she|they|we|it|you) " + _ADVERB + _VERB + r"\b|"
    + _VERB + " " + _SUBJECT_AFTER + "))"
)
# `“Come here.” Holmes said,`, `“Come here.” I said.` (a name is checked against the story's
# speakers), and `“Come here.” She said.` (both slips at once). Not `“Come here.” I continued,`:
# the narrator taking up a speech again after a full stop is right.
_STOP_NAME = lazy(
    r"\.(?<=[^\W\d_]\.)" + RD + r" ([A-Z][a-z]*) " + _ADVERB + r"(?!(?:" + GOES_ON_VERBS + r")\b)" + _SAYING + _TAG_END
)
_CAPITAL_PRONOUNS = frozenset({"He", "She", "They", "We"})
# `“Come here,” She said`, `“Come here,” Said Holmes`.
_CAPITAL_AFTER_COMMA = lazy(
    r"," + RD + r" (?:(He|She|They|We|It|You) (?=" + _ADVERB + _VERB + r"\b)|([A-Z][a-z]+)(?= (?:on )?"
    + _SUBJECT_AFTER + "))"
)
# `“Why?” He asked.`: after ? and ! only when the verb reads as a tag (not `“A danger?” He
# continued to smile.`: going on to do something, an action after the question).
_CAPITAL_AFTER_MARK = lazy(
    r"[?!]" + RD + r" (He|She|They|We|It|You) (?=" + _ADVERB + r"(?!(?:" + GOES_ON_VERBS + r") to\b)" + _SAYING
    + _TAG_END + ")"
)


# The four patterns above with any word where they want a speech verb: compiled in a tenth of
# the time (each verb alternation costs about a millisecond to compile, on every run), and
# matching wherever they do. A story that has no candidate for a pattern never compiles it.
_ANY_VERB = r"(?:[a-z]+(?: on)?)"  # every verb is one word, or `went on`, `goes on`


def _relaxed(pattern: str) -> LazyPattern:
    return lazy(pattern.replace(_VERB, _ANY_VERB).replace(_SAYING, _ANY_VERB))


_STOP_ANY = _relaxed(_STOP.pattern)
_STOP_NAME_ANY = _relaxed(_STOP_NAME.pattern)
_CAPITAL_AFTER_COMMA_ANY = _relaxed(_CAPITAL_AFTER_COMMA.pattern)
_CAPITAL_AFTER_MARK_ANY = _relaxed(_CAPITAL_AFTER_MARK.pattern)


_CLOSER = RD + " "


def _before_closers(text: str) -> list[int]:
    """Where a closing quote and a space follow (found by str.find): where a match of the four patterns may start."""
    found = []
    at = text.find(_CLOSER, 1)  # (a match starts with the mark before it)
    while at >= 0:
        found.append(at - 1)
        at = text.find(_CLOSER, at + 1)
    return found


def _exact_matches(
    exact: LazyPattern, relaxed: LazyPattern, text: str, starts: list[int], marks: str,
    settled: Callable[[re.Match[str]], bool] | None = None,
) -> list[re.Match[str]]:
    """`exact.finditer(text)`, the exact pattern tried only where its relaxed form matches.

    Exact because a match of either begins with its mark and a closing quote, and none holds
    one after its start: neither can step over a place where the other matches. So both are
    tried only at those of `starts` that hold one of its `marks` (scanning each paragraph with
    each of the four was a third of the rule's time). `settled` tells a relaxed
    match that is already the exact one (one whose verb slot was not tried).
    """
    found = []
    for at in starts:
        if text[at] not in marks:
            continue
        m = relaxed.match(text, at)
        if m is None:
            continue
        e = m if settled is not None and settled(m) else exact.match(text, at)
        if e is not None:
            found.append(e)
    return found


def _names_after_comma(m: re.Match[str]) -> bool:
    # `,” Mara Venn said`: the relaxed pattern fell to its second branch, which has no verb: so
    # would the exact one.
    return m.group(1) is None


# The verbs as words: `,” Said Holmes` asks whether a capitalised word is one (a set, not a
# pattern of the ~100 verbs compiled for it).
_VERB_WORDS = frozenset(SPEECH_VERBS.split("|"))
# A full stop after these ends an abbreviation, not the sentence.
_ABBREVIATIONS = frozenset("mr mrs ms dr st jr sr prof rev capt col gen lt sgt vs etc".split())
# Speakers named in the story's own well-formed tags: `,” said Mara`, `?” Mara asked`.
_SPEAKER = lazy(
    r"[,?!]" + RD + r" (?:" + _VERB + r" ([A-Z][a-z]+)\b|([A-Z][a-z]+) " + _ADVERB + _VERB + r"\b)"
)


def _speakers(ctx: Context) -> frozenset[str]:
    def collect() -> frozenset[str]:
        names: set[str] = set()
        for text in ctx.units:
            if RD in text:
                for m in _SPEAKER.finditer(text):
                    names.add(m.group(1) or m.group(2))
        return frozenset(names - {"He", "She", "They", "We", "It", "You", "I"})

    return ctx.memo("dialogue.speakers", collect)  # type: ignore[return-value]


def _abbreviation(text: str, stop: int) -> bool:
    start = stop
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    return text[start:stop].lower() in _ABBREVIATIONS


_SENTENCE_OR_COLON = lazy(r"[.!?:\u2026]")


def _introduces_speech(text: str, at: int) -> bool:
    """Does the sentence from `at` end on a colon (`I said to him:—`)? Then it opens the next speech, not a tag."""
    m = _SENTENCE_OR_COLON.search(text, at, at + 120)
    return m is not None and m.group() == ":"


_TAG_BEFORE = lazy(r"\b(?:" + SPEECH_VERBS + r")(?: [a-z]+ly)?[,:]?\s*\Z")


def _tagged_before(text: str, close: int) -> bool:
    """Was the quotation closing at `close` introduced by a tag of its own (`Defarge said, “Certainly.”`)?

    Then it takes no second one: a speaker and verb after it begin the next sentence
    (`Madame retorted, “I tell you`).
    """
    opener = text.rfind("\u201c", 0, close)
    return opener > 0 and _TAG_BEFORE.search(text, max(0, opener - 40), opener) is not None


# After the verb: `to her` then what was said (`He said to her the same thing`): the verb has an
# object, so the sentence is narration, not a tag.
_OBJECT_AFTER = lazy(
    r"\s*(?:[a-z]+ly )?(?:to (?:him|her|them|me|us|you|[A-Z][a-z]+|the [a-z]+) )"
    r"(?:the|a|an|this|that|these|those|what|something|nothing|it|so|all|some|much|little)\b"
)
_TAG_VERB = lazy(r"\s*(?:[a-z]+ly )?" + _VERB + r"\b")


_WORD_INITIAL = lazy(r"([^\W\d_])[^\W\d_]*")


def _title_case(text: str) -> bool:
    """A heading in Title Case (`“I Should Worry,” Says the Fat Man`): its capitals are its style."""
    initials = _WORD_INITIAL.findall(text)  # each word's first letter, counted without a Python loop
    return len(initials) >= 3 and sum(map(str.isupper, initials)) >= 0.7 * len(initials)


# The verb, then a comma and a new quotation: `He said, “that being so”`.
_SAYS_NEXT = lazy(r"\s*(?:[a-z]+ly )?" + _VERB + r"(?: [a-z]+ly)?,\s*[\u201c\"]")


# Words of the quotation before a tag beyond which it reads as a whole speech, not the first half
# of a sentence broken by its tag (`“Poirot,” I cried, “I congratulate you!”`).
_BROKEN_SENTENCE_WORDS = 12


def _opens_next_speech(text: str, close: int, subject_end: int) -> bool:
    """Does the sentence starting with this speaker introduce the next quotation (`He said, “that...`)?

    After a long quotation and a full stop, `He said, “` is a sentence of its
    own that tags what follows, as Gulliver reports each answer; after a short
    one (`“Poirot.” I cried, “I congratulate you!”`) it is the slip.
    """
    if _SAYS_NEXT.match(text, subject_end) is None:
        return False
    opener = text.rfind("\u201c", 0, close)
    return opener >= 0 and len(text[opener:close].split()) > _BROKEN_SENTENCE_WORDS


def _with_object(text: str, subject_end: int) -> bool:
    """Does the verb after the subject ending at `subject_end` take what was said as its object?"""
    verb = _TAG_VERB.match(text, subject_end)
    return verb is not None and _OBJECT_AFTER.match(text, verb.end()) is not None


def find(ctx: Context) -> Iterator[Change]:
    for u, text in enumerate(ctx.units):
        if RD + " " not in text:
            continue
        # Nearly every unit with a closing quote has no candidate: look for one before
        # counting the unit's capitals (the Title Case check cost 9 in 10 of this rule's time).
        starts = _before_closers(text)
        stops = _exact_matches(_STOP, _STOP_ANY, text, starts, ".")
        stop_names = _exact_matches(_STOP_NAME, _STOP_NAME_ANY, text, starts, ".")
        after_comma = _exact_matches(_CAPITAL_AFTER_COMMA, _CAPITAL_AFTER_COMMA_ANY, text, starts, ",", _names_after_comma)
        after_mark = _exact_matches(_CAPITAL_AFTER_MARK, _CAPITAL_AFTER_MARK_ANY, text, starts, "?!")
        if not (stops or stop_names or after_comma or after_mark) or _title_case(text):
            continue
        for m in stops:
            if not _abbreviation(text, m.start()) and not _introduces_speech(text, m.end() + 2):
                yield Change(u, m.start(), m.end(), ",", message="a comma before the speech tag, not a full stop")
        for m in stop_names:
            who = m.group(1)
            if (
                _abbreviation(text, m.start()) or _introduces_speech(text, m.start(1))
                or _tagged_before(text, m.start()) or _with_object(text, m.end(1))
            ):
                continue
            # `.” He said, “that...`: a tag gone astray, or a sentence that introduces the next
            # quotation (Gulliver's reported answers): only a suggestion.
            sure = not _opens_next_speech(text, m.start(), m.end(1))
            if who in _CAPITAL_PRONOUNS:
                at = m.start(1)
                yield Change(u, m.start(), at + 1, f",{RD} {who[0].lower()}", sure=sure,
                             confidence=1.0 if sure else 0.5,
                             message="a comma before the speech tag, which goes on in lower case")
            elif who == "I" or who in _speakers(ctx):
                yield Change(u, m.start(), m.start() + 1, ",", sure=sure, confidence=1.0 if sure else 0.5,
                             message="a comma before the speech tag, not a full stop")
        for m in after_comma:
            word = m.group(1) or m.group(2)
            if m.group(2) and word.lower() not in _VERB_WORDS:
                continue  # `,” Mara said`: a name keeps its capital
            at = m.start(1) if m.group(1) else m.start(2)
            yield Change(u, at, at + 1, word[0].lower(), message="the speech tag goes on in lower case")
        for m in after_mark:
            if _with_object(text, m.end(1)):
                continue
            at = m.start(1)
            sure = not _opens_next_speech(text, m.start(), m.end(1))
            yield Change(u, at, at + 1, text[at].lower(), message="the speech tag goes on in lower case", sure=sure,
                         confidence=1.0 if sure else 0.5)


RULE = Rule("dialogue.tags", "fix", find, "“Come here.” she said -> “Come here,” she said; “Hi,” She said -> she said")
