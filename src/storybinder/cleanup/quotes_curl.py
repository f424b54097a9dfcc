"""Rule `quotes.curl`: straight quotes and apostrophes to curly ones.

Each straight mark is decided from its neighbours first (a mark after a space
opens, a mark before a space closes) and from the open/closed state of the
paragraph when the neighbours cannot tell (`word"word`, a quote after a dash).
Curly marks already in the text are trusted and update the state, so mixed
straight/curly input comes out consistent. Every paragraph starts closed:
the multi-paragraph speech convention reopens each paragraph with a quote.

A straight mark after a number is a prime (6′2″, a 12″ record), never a
half-curled quote; `tis` and `twas` get the apostrophe they lost.

Single marks are apostrophes (’) unless they open a nested quotation (‘): a
mark before a word opens only when a matching close follows in the same
paragraph and the word is not a known leading elision (’tis, ’em, ’90s).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator

from storybinder.cleanup.engine import Change, Context, Rule
from storybinder.lazy_pattern import lazy

LD, RD, LS, RS = "\u201c\u201d\u2018\u2019"
_MARKS = lazy("[\"'\u201c\u201d\u2018\u2019]")
_SINGLE = lazy("['\u2018\u2019]")
_OPEN_BEFORE = frozenset("([{<\u2014\u2013-/" + LD + LS + '"' + "'")
_CLOSE_AFTER = frozenset(".,;:!?)]}>\u2014\u2013-\u2026" + RD + RS + '"' + "'")
_CLOSER_PUNCT = frozenset(".,;:!?\u2014\u2013-\u2026")

# Leading elisions that are never the first word of a quotation.
_ELISIONS = frozenset(
    "tis twas twere twill twould twon tain taint em n cause cos coz bout til neath gainst mongst "
    "twixt tween cept spose sposin nuff kay scuse xcept specially".split()
)
# Elided words that are also ordinary words (’round / ‘round the corner,’):
# an elision unless a closing mark follows.
_WEAK_ELISIONS = frozenset(
    "round long way fore most low pon ere is e im er ad ave ow ome alf ead un uns "
    "nother deed member course less fraid lectric gin ll ve re d s t".split()
)
_WORD = lazy(r"[A-Za-z]+")
# A word's end elided as speech does (goin', an', roun', fo', o', ol', wif'): the letters before the mark.
_ELIDED_ENDING = lazy(r"(?:in|ol|th|[a-z][on]|(?<![A-Za-z])o)['\u2019](?![A-Za-z])")
# ...and a word's start elided (’bout, ’long, ’em): the word after the mark.
_LEADING_ELISION = lazy(r"(?<![\w'\u2019])['\u2019]([A-Za-z]+)")
PRIME, DOUBLE_PRIME = "\u2032", "\u2033"
_ALNUM = lazy(r"[^\W_]")
_PUNCT_AFTER = lazy(r"[,.;:!?]")  # `in 1990," he said`: a closing quote after a number
_LEADING_PUNCT = frozenset(".#$@&*([")
_DECADE = lazy(r"\d\d(?:s\b|\b)")
_FEET = lazy(r" ?\d")


class _Closers:
    """Where single marks that can close a nested quotation stand in one paragraph.

    Built once per paragraph (and only when a mark before a word needs it), so
    that asking for each of thousands of marks stays cheap: a bisection, not a
    scan to the end of the paragraph.
    """

    def __init__(self, text: str) -> None:
        n = len(text)
        self.text = text
        self.strong: list[int] = []  # after punctuation, before a double closer, after most letters
        self.weak: list[int] = []  # after -in or -s: goin', the boys' (possessive or elision)
        self.stops: list[int] = []  # a curly opener: a new quotation starts
        # Speech spelt as it sounds ("somebody roun' all de time", "fo' in de mawnin'") ends words
        # on elisions, two or more of them: there a mark after such an ending closes nothing, and
        # "'long", "'uz" and "'bout" before it are elisions too, not quotations.
        eliding: bool | None = None  # (asked at the first mark after a letter: most paragraphs have none)
        for m in _SINGLE.finditer(text):
            j = m.start()
            if m.group() == LS:
                self.stops.append(j)
                continue
            prev = text[j - 1] if j else " "
            nxt = text[j + 1] if j + 1 < n else ""
            if prev.isspace() or nxt.isalnum():
                continue
            if prev in _CLOSER_PUNCT or nxt in '"' + RD or prev in '"' + RD:
                self.strong.append(j)
            elif prev.isalnum():  # (‘#1’ closes after a digit)
                if _elided_end(text, j):
                    if eliding is None:
                        eliding = _elides(text)
                    if eliding:
                        continue
                word = text[max(0, j - 4) : j].lower()
                (self.weak if word.endswith(("in", "s")) else self.strong).append(j)

    def after(self, at: int) -> bool:
        """Can a mark after position `at` (and before any new opener) close a quotation?"""
        stop = self.stops[k] if (k := bisect_right(self.stops, at)) < len(self.stops) else len(self.text)
        k = bisect_right(self.strong, at)
        if k < len(self.strong) and self.strong[k] < stop:
            return True
        # goin' and the boys' close a quotation only a word or two long ('yes', 'the Bells').
        k = bisect_right(self.weak, at)
        return k < len(self.weak) and self.weak[k] < stop and len(self.text[at + 1 : self.weak[k]].split()) <= 2


def _elides(text: str) -> bool:
    """Does the paragraph elide words as speech does, twice or more (roun', fo', 'bout)?"""
    ends = sum(1 for e in _ELIDED_ENDING.finditer(text) if _lower_word_before(text, e.end() - 1))
    starts = sum(1 for w in _LEADING_ELISION.findall(text) if w.lower() in _ELISIONS or w.lower() in _WEAK_ELISIONS)
    return ends + starts >= 2


def _elided_end(text: str, j: int) -> bool:
    """Does the mark at j end a lower-case word as an elision does (goin', roun', o'; not "Fifteen Men'")?"""
    return any(
        (e := _ELIDED_ENDING.match(text, k)) is not None and e.end() == j + 1 for k in (j - 2, j - 1) if k >= 0
    ) and _lower_word_before(text, j)


def _lower_word_before(text: str, j: int) -> bool:
    """Does the word that ends right before position j start with a lower-case letter?"""
    start = j
    while start and text[start - 1].isalpha():
        start -= 1
    return text[start].islower()


def _after_feet(text: str, i: int, primes: set[int]) -> bool:
    """Does the mark at i follow the inches of a height already marked in feet (6′2, 6′ 2)?"""
    j = i - 1
    while j >= 0 and text[j].isdigit():
        j -= 1
    if j >= 0 and text[j] == " ":
        j -= 1
    return j in primes


def _elision_at(text: str, at: int) -> bool:
    m = _WORD.match(text, at)
    return m is not None and m.group().lower() in _ELISIONS


def _leading_single(text: str, i: int, prev: str, closers: _Closers) -> str:
    """Decide a straight single mark that stands before a word or number."""
    nxt = text[i + 1]
    if nxt.isdigit():
        return RS if _DECADE.match(text, i + 1) else LS
    m = _WORD.match(text, i + 1)
    word = m.group().lower() if m else ""
    if word in _ELISIONS:
        return RS
    if len(word) == 1 and text.startswith("'", i + 2):
        # ’n’ and ’a’ (rock ’n’ roll, might ’a’ known) are elisions; any other
        # letter between two marks is quoted: ‘A’, ‘B’ and ‘C’.
        return RS if m is not None and m.group() in ("n", "a") else LS
    if closers.after(i):
        return LS
    if word in _WEAK_ELISIONS:
        return RS
    # No close follows: a nested quote only if it starts a speech (`"'Hello`);
    # otherwise an elision we do not know (dialect: ’pears, ’low).
    return LS if prev in (LD, '"') else RS


def curl(text: str) -> Iterator[tuple[int, str]]:
    """Yield (position, curly mark) for every straight quote in one paragraph."""
    n = len(text)
    dq_open = sq_open = False
    primes: set[int] = set()  # where a straight single mark became a prime (feet)
    # The mark decided last, and where: a straight mark right before another is read as its curly self.
    last, last_new = -2, ""
    closers: _Closers | None = None
    for m in _MARKS.finditer(text):
        i = m.start()
        c = text[i]
        if c == LD or c == RD:
            dq_open = c == LD
            continue
        nxt = text[i + 1] if i + 1 < n else ""
        if c == LS or c == RS:
            if c == LS:
                sq_open = True
            elif not nxt.isalnum():
                sq_open = False
            continue
        prev = (last_new if last == i - 1 else text[i - 1]) if i else ""
        if c == "'" and prev.isalpha() and nxt.isalnum():
            # An apostrophe inside a word (don't, it's), the commonest mark: decided as below
            # (a letter, not a digit, before it: no prime), before the tests it needs none of.
            last, last_new = i, RS
            yield i, RS
            continue
        opens = prev == "" or prev.isspace() or prev in _OPEN_BEFORE
        closes = nxt == "" or nxt.isspace() or nxt in _CLOSE_AFTER
        if c == '"':
            if prev.isdigit() and (_after_feet(text, i, primes) or not (dq_open or _PUNCT_AFTER.match(text, i + 1))):
                new = DOUBLE_PRIME  # 6′2″, a 12″ record: inches (or seconds), never a curled quote
            elif opens and not closes:
                # An opener must open something: with no letter or digit after it, it closes.
                # (A letter or digit right after it, nearly always, spares the search.)
                new = LD if nxt.isalnum() or _ALNUM.search(text, i + 1) else RD
            elif closes and not opens:
                new = RD
            else:
                new = RD if dq_open or not _ALNUM.search(text, i + 1) else LD
            if new != DOUBLE_PRIME:
                dq_open = new == LD
        else:
            if prev.isdigit() and _FEET.match(text, i + 1):
                new = PRIME  # 6' 2": feet
                primes.add(i)
                last, last_new = i, new
                yield i, new
                continue
            if prev.isalnum() and nxt.isalnum():
                new = RS
            elif nxt.isalnum() and opens:
                if closers is None:
                    closers = _Closers(text)
                new = _leading_single(text, i, prev, closers)
            else:
                spaced = prev == "" or prev.isspace() or prev in (LD, '"')
                if opens and nxt in ('"', LD):
                    new = LS if spaced or not sq_open else RS
                elif opens and nxt in ("'", RS) and _WORD.match(text, i + 2) and _elision_at(text, i + 2):
                    new = LS  # ‘’Tis true,’ said he: a quotation that opens on an elision
                elif spaced and nxt in "\u2014\u2013\u2026" and (closers or _Closers(text)).after(i):
                    new = LS  # ‘—said I could not swim—’
                elif spaced and nxt in _LEADING_PUNCT and (closers or _Closers(text)).after(i):
                    new = LS  # ‘#1’, ‘..Alfred’: a quotation that opens on punctuation
                else:
                    new = RS
            if new == LS:
                sq_open = True
            elif not nxt.isalnum():
                sq_open = False
        last, last_new = i, new
        yield i, new


# `tis` and `twas` written without their apostrophe (no English word is spelt so).
_BARE_ELISION = lazy(r"(?<![\w'\u2018\u2019])(?=[Tt](?:is|was)\b)")


def find(ctx: Context) -> Iterator[Change]:
    for u, text in enumerate(ctx.units):
        if "tis" in text or "twas" in text or "Tis" in text or "Twas" in text:
            for m in _BARE_ELISION.finditer(text):
                yield Change(u, m.start(), m.start(), RS, True, 1.0, "the apostrophe of \u2019tis")
        if '"' not in text and "'" not in text:
            continue
        for i, new in curl(text):
            # Positional arguments: a keyword one makes Change() 2.5x slower, once per quote.
            yield Change(u, i, i + 1, new, True, 1.0, "curled quote")


RULE = Rule("quotes.curl", "fix", find, "straight quotes and apostrophes to curly ones", typography=True)
