"""Who is speaking: tell a reply from a speech that runs on into the next paragraph.

A paragraph of dialogue left open before a paragraph that opens a quotation is
either multi-paragraph speech (the same speaker goes on; by convention only the
last paragraph closes) or a line whose closing mark was forgotten before the
other speaker's reply, the commonest quote fault in fan fiction. This module
weighs the evidence for one of these open paragraphs (`turn_evidence`) and
scores it (`reply_score`): the higher, the likelier a reply.

Pure functions over paragraph texts (curly quotes already): quotes_repair
decides what to do with the score.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from storybinder.lazy_pattern import lazy
from storybinder.record import Record

if TYPE_CHECKING:
    from storybinder.cleanup.findings import TurnEvidence

LD, RD, LS, RS = "\u201c\u201d\u2018\u2019"

# Verbs of a speech tag. Those that say the same speaker goes on are kept apart.
GOES_ON_VERBS = r"continued|went on|goes on|added|adds|resumed|pursued|proceeded"
SPEECH_VERBS = (
    r"said|says|asked|asks|cried|replied|replies|answered|exclaimed|shouted|whispered|returned|called|"
    r"remarked|observed|echoed|murmured|sobbed|pleaded|laughed|retorted|interrupted|repeated|demanded|inquired|"
    r"enquired|muttered|growled|snapped|protested|suggested|declared|explained|responded|urged|gasped|groaned|"
    r"sighed|snarled|grunted|yelled|screamed|mocked|countered|agreed|persisted|insisted|stammered|faltered|"
    r"breathed|shrieked|roared|wailed|hissed|grumbled|sneered|whimpered|moaned|bellowed|announced|assented|admitted|"
    r"conceded|ventured|wondered|mused|thought|" + GOES_ON_VERBS
)  # a regex alternation (dialogue_tags uses it too)
# Verbs that only name a turn (`“Fine,” she nodded`): a speaker, not a saying.
_TURN_VERBS = SPEECH_VERBS + r"|began|chuckled|giggled|grinned|smiled|nodded|spoke"
_WHO = (
    r"(?:the |a |my |his |her |old |young |little )?[A-Z][\w\u2019.-]*(?: [A-Z][\w\u2019-]*){0,2}"
    r"|(?:the|a|my|his|her|their|our) [a-z][\w\u2019-]*|he|she|I|they|we|it"
)
# A tag right after a closing mark: `” said Alice`, `,” the Queen shouted`, `” he said`.
_TAG = lazy(
    "[" + RD + RS + r"][,;]?\s+(?:(?P<verb1>" + _TURN_VERBS + r")\s+(?P<who1>" + _WHO + r")|(?P<who2>" + _WHO
    + r")\s+(?:\w+ly\s+)?(?P<verb2>" + _TURN_VERBS + r"))\b"
)
_GOES_ON_RE = lazy(r"\b(?:" + GOES_ON_VERBS + r")\b")
_PRONOUNS = frozenset({"he", "she", "i", "they", "we", "it"})




class TurnParams(Record):
    """The thresholds of the reply test (family `quotes` in cleanup.TUNABLES).

    (A NamedTuple, not a frozen dataclass: Python 3.11 compiles a dataclass's methods at import, ~0.5 ms.)
    """

    # Each chosen by leave-one-book-out cross-validation on DEV (bench/cleanup_cv.py, utility
    # cost 32), with the held-out reply_quote_fix it gave:
    # words: a plain line this short that starts a speech is a speech of its own. Grid 0-80:
    # 30 and 40 both give 0.910 held out (40 is 0.933 on the whole set, a gain no held-out
    # book confirms); 50 closes a legitimate continuation, so 30 keeps the margin.
    short_line: int = 30
    # words: a line up to this long, alone before the next speech, is a turn. Grid 0-200:
    # 40-100 tie at 0.910 held out; 200 closes four legitimate continuations.
    untagged_line: int = 40
    # closed lines before another speech that make a story "of exchanges". Grid 0-8: no
    # difference on DEV (every document has more); 1 leaves a lone two-paragraph speech open.
    min_exchanges: int = 1


DEFAULT_PARAMS = TurnParams()
# The next paragraph opens with an answer: a reply to what was just said.
# Words that also open a plain sentence (`No one came`, `Of course he'd the best of it`) answer
# only when a stop or "not" follows them.
_ANSWER = lazy(
    LD + r"(?:(?:Yes|Nay|Aye|Yeah|Yep|Nope|Thank you|Thanks|So are|So do|So is|So did|Nor)\b|"
    r"(?:No|Certainly|Of course|Indeed|Quite so|Exactly|Right|Very well|All right)(?=[,.;:!?\u2014\u2013-]| not\b))"
)
_LABEL = lazy(r"\W*[A-Z][\w ().,\u2019-]{0,40}:\s")  # “Witness: ... (a transcript)
_SPEECH_LEAD = frozenset(".,:;!?\u2014\u2013-\u2026()*_" + RS + RD)  # *sigh* “Yes...
_SENTENCE_END = lazy("[.!?\u2026][)*_]*$")
# Not `Dear Diana:—` nor `My dear Lucy,—`, which open a letter (nor their typewritten `,--`).
_DASH_END = lazy("(?<![:;,\u2014\u2013-])(?:\u2014|\u2013|-+)[)*_]*$")


# The parts of a letter or a diary quoted paragraph by paragraph, each opening a
# quotation and none closing it until the last: a dateline (`_9 May._`,
# `4th. Hudson came.`, `Hunsford, Kent, 15th October.`), a salutation (`My
# dearest Lucy,—`, `Dear Sir,`), a closing (`Your loving`, `Yours ever,`), a
# signature in capitals (`ART.`). None of them is a line of dialogue.
_MONTHS = (
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
)
_OPENING = LD + LS + "\"'_*( "
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = r"(?:" + _DAY + r" (?:" + _MONTHS + r")|(?:" + _MONTHS + r")\.? " + _DAY + r")(?![A-Za-z0-9])"
# An entry opening on its date: `4th. Hudson came.`, `25 September._—Come to-day`, `June 21, 1792.`
_DATE_FIRST = lazy(r"(?:" + _DATE + r"|" + _DAY + r"\b)[.,_\u2014\u2013-]|P\.\s?S\.")  # (or a postscript)
_DATED = lazy(_DATE)
_SALUTATION = lazy(r"(?:My|Dear|Dearest|Sir|Sirs|Madam|Gentlemen|Friend|To)\b[^?!]*[,:](?:\s*(?:\u2014|\u2013|-+))?\s*",
                         re.IGNORECASE)
_CLOSING = lazy(r"[^?!]*\b(?:yours?|faithfully|sincerely|affectionately)\b[^?!]*", re.IGNORECASE)
_SIGNATURE = lazy(r"[A-Z][A-Z .,'\u2019-]*[A-Z]\.?[" + RD + RS + r"]?")


def letter_part(text: str) -> bool:
    """Is this paragraph a dateline, salutation or closing of a quoted letter or diary, not a line of speech?"""
    body = text.strip().lstrip(_OPENING).rstrip(RD + RS)
    if body.endswith(("?", "!")):
        return False  # they neither ask nor exclaim
    if _DATE_FIRST.match(body):
        return True
    words = len(body.split())
    if words <= 8 and _DATED.search(body):
        return True  # `Hunsford, near Westerham, Kent, 15th October.`
    if words <= 8 and _SALUTATION.fullmatch(body):
        return True
    return words <= 6 and bool(_CLOSING.fullmatch(body))


def signature(text: str) -> bool:
    """Is this paragraph a quoted letter's signature in capitals (`“ART.”`, `“VAN HELSING.”`)?"""
    body = text.strip().lstrip(LD)
    return len(body.split()) <= 4 and sum(c.isalpha() for c in body) >= 2 and bool(_SIGNATURE.fullmatch(body))


_LOWER_ASCII = lazy("[a-z]")


def shouted_heading(text: str) -> bool:
    """A paragraph in capitals that neither asks nor exclaims: a headline or a placard, not speech."""
    if _LOWER_ASCII.search(text):
        return False  # a lower-case letter, found in the first few characters of nearly every paragraph
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 12 and all(c.isupper() for c in letters) and not text.rstrip(RD + RS + " ").endswith(("?", "!"))


# A speech tag inside the open quotation (`“Avast! gritted Ahab, and moved away.`): the lost
# closer belongs before the tag, not at the end of the paragraph.
_INNER_TAG = lazy(
    r"(?:[!?,] (?:" + SPEECH_VERBS + r")|[!?] [a-z]+ed) (?:he|she|I|they|we|the [a-z]+|[A-Z][a-z]+)\b"
)
# A quotation set off with its source (`” —SCORESBY.`): an extract or an epigraph, not dialogue.
_CITATION = lazy("[" + RD + r"][\s]*(?:\u2014|\u2013|-{2,})\s*[\"\u201c]?[A-Z][A-Z]")


def speaker(text: str) -> tuple[str | None, bool, bool]:
    """(speaker named by the first tag, a tag was found, its verb says `went on`) for one paragraph."""
    m = _TAG.search(text)
    if m is None:
        return None, False, False
    who = (m.group("who1") or m.group("who2") or "").lower()
    for article in ("the ", "a ", "my ", "his ", "her ", "their ", "our "):
        if who.startswith(article):
            who = who[len(article) :]
    verb = m.group("verb1") or m.group("verb2") or ""
    return who, True, bool(_GOES_ON_RE.fullmatch(verb))


# A single closing mark after these is no apostrophe (goin’, the boys’): a closer.
_MISTYPED_AFTER = frozenset(".,!?\u2014\u2013\u2026")


def mistyped_closer(text: str) -> bool:
    """Does `text` end in a single closing mark typed for the double one its speech needs
    (`“…apples for pie.’`, in a paragraph that opens no single quotation)?"""
    return len(text) > 1 and text[-1] == "\u2019" and text[-2] in _MISTYPED_AFTER and "\u2018" not in text


def turn_evidence(
    units: list[str], u: int, next_runs_on: bool, after: int | None = None, beat: str = ""
) -> TurnEvidence:
    """The evidence about units[u], open before units[after] (default u + 1), which opens a quotation.

    `beat`: the emphasised words units[u] opens with before its speech (Context.beats), if any.
    """
    text = units[u].strip()
    if mistyped_closer(text):
        text = text[:-1]  # read as the closer it stands for
    nxt = units[u + 1 if after is None else after].lstrip()
    own, _, _ = speaker(text)
    who, tagged, goes_on = speaker(nxt[:400])
    nested = (LD + LS, LD + " " + LS)
    sentence = bool(_SENTENCE_END.search(text))
    cut_off = bool(_DASH_END.search(text))
    # The quotation left open must open a speech: at the start, or after
    # punctuation (`he said, “`), not in mid-sentence (a stray mark).
    at = text.rfind(LD)
    before = text[:at].rstrip()
    plain = (
        at >= 0
        and (not before or before[-1] in _SPEECH_LEAD or before == beat)
        and not text.startswith(nested)
        and (sentence or cut_off)
        and not _LABEL.match(text[at:])
        and not shouted_heading(text)
        and not _INNER_TAG.search(text, at)
    )
    from storybinder.cleanup.findings import TurnEvidence  # (only a story with a paragraph left open needs it)

    return TurnEvidence(
        words=len(text.split()),  # (the \S+ runs, without a regex)
        plain=plain,
        question=sentence and text.rstrip(")*_").endswith("?"),
        cut_off=cut_off,
        own_speaker=own,
        next_speaker=who,
        next_tagged=tagged and not goes_on,
        next_goes_on=goes_on,
        next_nested=nxt.startswith(nested),
        next_runs_on=next_runs_on,
        next_answers=bool(_ANSWER.match(nxt)),
        next_words=len(nxt.split()),
        next_cited=bool(_CITATION.search(nxt)),
    )


def different_speakers(ev: TurnEvidence) -> bool:
    """Both paragraphs name their speaker, and the names differ (a pronoun names no one)."""
    a, b = ev.own_speaker, ev.next_speaker
    return bool(a and b and a not in _PRONOUNS and b not in _PRONOUNS and a != b)


def is_reply(ev: TurnEvidence, runs_on: bool, exchanges: int, params: TurnParams = DEFAULT_PARAMS) -> bool:
    """Is the paragraph a line whose closer was forgotten before the next speaker's reply?

    `runs_on`: the paragraph before is left open into this one (and stays
    open), so this one is already inside a speech of several paragraphs.
    `exchanges`: how often the story closes a line right before the next
    speech: a story of exchanges, where a short open line is the odd one out.
    """
    if not ev.plain or ev.next_nested or ev.next_goes_on or ev.next_cited:
        return False
    if different_speakers(ev):
        return True
    # Speakers break a speech into paragraphs because it is long: in a story of
    # exchanges, a short line that starts a speech is a speech of its own.
    habit = exchanges >= params.min_exchanges
    # ...unless the speaker it names goes on talking after the tag, and what follows is a long
    # paragraph that runs on in its turn: a story told over several paragraphs ("God bless
    # you!" cried he. "I would have...), not a reply.
    long_run = ev.own_speaker is not None and ev.next_runs_on and ev.next_words > params.untagged_line
    if habit and ev.words <= params.short_line and not runs_on and not long_run:
        return True
    if runs_on or ev.next_runs_on:
        return False
    return ev.next_tagged or ev.next_answers or ev.question or ev.cut_off or (habit and ev.words <= params.untagged_line)


def runs_on_clearly(ev: TurnEvidence, runs_on: bool, params: TurnParams = DEFAULT_PARAMS) -> bool:
    """The evidence says the same speaker goes on: no need to ask the author."""
    return ev.next_nested or ev.next_goes_on or ((runs_on or ev.next_runs_on) and ev.words > params.short_line)
