"""Rule `quotes.unbalanced`: missing and stray double quotation marks.

Runs after `quotes.curl`, so every double mark is an opener (“) or a closer
(”). A paragraph is well formed when its marks alternate, opener first; it
may end open only when the next paragraph opens with a quote (a speech
running over several paragraphs leaves its closing mark off until the last
one). Three faults are repaired:

- a stray mark in narration (spaces on both sides, and removing it makes the
  paragraph well formed) is removed;
- a paragraph whose first mark is a closer lost its opener: one is added at
  the start when a speech tag or more dialogue follows the closer, or when the
  words before it read as speech (you, I'm, present tense, ! and ?); a lone
  closer after narration is a stray and is removed;
- a paragraph left open although the next one does not continue the speech
  gets its closer at the end.

Anything less clear-cut is a suggestion. A stanza of verse (ctx.stanzas) is one
unit of speech, and a quotation left open at its end may run on through the
next stanzas: no mark is added or removed for it, at either end.
"""

from __future__ import annotations

from collections.abc import Iterator

from storybinder.cleanup import speech_turns
from storybinder.cleanup.engine import Change, Context, Rule
from storybinder.lazy_pattern import lazy

LD, RD = "\u201c", "\u201d"
_DQ = lazy("[\u201c\u201d]")
_WORDS = lazy(r"[a-z\u2019']+")
_TAG_AFTER = lazy(r"\s*(?:[a-z]|(?:[A-Z][\w.\u2019']*\s+){1,3}(?:said|asked|cried|replied|answered|exclaimed|"
                        r"shouted|whispered|returned|added|continued|went on|began|called|remarked|observed|"
                        r"echoed|murmured|sobbed|pleaded|laughed)\b)")
_SENTENCE_END = lazy("[.!?\u2026\u2014\u2013][\u2019)]*$")
_VERSE_LINE = 80  # an open paragraph shorter than this may be a line of quoted verse
_SPEECH_LEAD = frozenset(".,:;!?\u2014\u2013-\u2026()\u2019\u201d")
_DASHES_BEFORE = frozenset("\u2014\u2013-\u2026")
_ANSWER_START = lazy(
    r"\W*(?:Yes|No|Not|Nothing|Never|Oh|O|Ah|Well|Certainly|Of course|Indeed|Quite|Pretty|Very|Aye|Nay|Sure|"
    r"Nobody|None|Perhaps|Maybe|I)\b"
)

# Words that (in past-tense, third-person narration) belong to speech, and
# words that mark narration. Small, closed tables of function words.
_SPEECH_WORDS = frozenset(
    "you your yours yourself yourselves ye thee thou i\u2019m i\u2019ve i\u2019ll i\u2019d we\u2019re we\u2019ve "
    "we\u2019ll let\u2019s don\u2019t can\u2019t won\u2019t isn\u2019t aren\u2019t ain\u2019t is are am "
    "have has do does shall will oh yes no please sir ma\u2019am".split()
)
_NARRATION_WORDS = frozenset("he she they his her their him them was were had said asked went came looked".split())


def _sequence(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in _DQ.finditer(text)]


def _paired(text: str) -> bool:
    """Do the paragraph's double marks go opener, closer, opener, closer... and end closed?

    (What the marks of most paragraphs do: told by a few str.find calls, not by
    listing every mark.)
    """
    pos = 0
    opener = text.find(LD)
    while opener >= 0:
        closer = text.find(RD, pos)
        if closer < opener:
            return False  # a closer before this opener, or none after it
        after = text.find(LD, opener + 1)
        if 0 <= after < closer:
            return False  # two openers in a row
        pos, opener = closer + 1, after
    return text.find(RD, pos) < 0


def _well_formed(marks: list[str]) -> bool:
    """Alternating opener/closer, opener first (an open end is allowed)."""
    return all(m == (LD if k % 2 == 0 else RD) for k, m in enumerate(marks))


def _speech_score(text: str) -> tuple[int, int]:
    words = _WORDS.findall(text.lower().replace("'", "\u2019"))
    speech = sum(map(_SPEECH_WORDS.__contains__, words)) + ("?" in text) + ("!" in text)
    narration = sum(map(_NARRATION_WORDS.__contains__, words))
    return speech, narration


# Paragraphs rarely have spaces at their ends (the layout keeps them): look before stripping a copy.
def _opens(text: str) -> bool:
    """Does the paragraph open with an opening quotation mark (after any spaces)?"""
    return text.startswith(LD) or (text[:1].isspace() and text.lstrip().startswith(LD))


def _closes(text: str) -> bool:
    """Does the paragraph end with a closing quotation mark (before any spaces)?"""
    return text.endswith(RD) or (text[-1:].isspace() and text.rstrip().endswith(RD))


def _strays(u: int, text: str, marks: list[tuple[int, str]]) -> Iterator[tuple[int, Change]]:
    chars = [c for _, c in marks]
    n = len(chars)
    if n % 2 == 0 and _well_formed(chars):
        return
    if n % 2 == 0:
        return  # removing one mark cannot leave an even, balanced paragraph
    # ok_before[k]: marks before k alternate from an opener; ok_after[k]: marks
    # from k on alternate as if one mark before them were gone. Linear, so a
    # huge paragraph with thousands of marks stays cheap.
    ok_before = [True] * (n + 1)
    for k in range(n):
        ok_before[k + 1] = ok_before[k] and chars[k] == (LD if k % 2 == 0 else RD)
    ok_after = [True] * (n + 1)
    for k in range(n - 1, -1, -1):
        ok_after[k] = ok_after[k + 1] and chars[k] == (LD if (k - 1) % 2 == 0 else RD)
    for k, (i, _) in enumerate(marks):
        if not ok_before[k]:
            return
        if not (0 < i < len(text) - 1 and text[i - 1] == " " and text[i + 1] == " "):
            continue
        j = i - 1
        while j >= 0 and text[j] == " ":
            j -= 1
        if j >= 0 and text[j] in _DASHES_BEFORE:
            continue  # “Well — ” he said: a closer after a spaced dash
        if ok_after[k + 1]:
            yield k, Change(u, i, i + 2, "", message="removed a stray quotation mark")
            return


# How narration ends that introduces what follows: "he says:", "to say beseechingly—".
_INTRODUCING = (":", "\u2014", "--")


def _speech_runs_into(units: list[str], u: int, ends_open: list[bool], stanzas: frozenset[int]) -> bool:
    """Is a quotation left open before unit u, in the last paragraph with quotation marks a few back,
    or is the one before a stanza (the speech may quote it)?"""
    if u - 1 in stanzas:
        return True
    for k in range(u - 1, max(-1, u - 4), -1):
        if LD in units[k] or RD in units[k]:
            return ends_open[k]
    return False


def _tagged(text: str) -> bool:
    """Is the paragraph a speech broken by its tag, opened again and left open (three marks or more)?"""
    return text.count(LD) + text.count(RD) >= 3


def _text_start(text: str) -> int:
    """Where a paragraph's words begin: an added opening mark goes there, not before leading spaces."""
    return len(text) - len(text.lstrip())


def _answers(prev: str, text: str) -> bool:
    """The paragraph answers a question just asked in the one before (`“Did she?” he asked.` / `Yes, sir…”`)."""
    return "?" + RD in prev and (_ANSWER_START.match(text) is not None or prev.rstrip().endswith("?" + RD))


def _missing_open(
    u: int, text: str, marks: list[tuple[int, str]], prev_dialogue: bool, answers: bool, introduced: bool = False
) -> Change:
    """The opener a paragraph that starts with a closer lost, or the stray closer to remove.

    `introduced`: the paragraph before ends on a colon or a dash, outside any quotation
    ("and she ran up to say beseechingly—"), so this one is what it introduces.
    """
    i, _ = marks[0]
    at = _text_start(text)
    chars = [c for _, c in marks]
    after = text[i + 1 :]
    follows = _well_formed(chars[1:])
    if introduced and follows:
        return Change(u, at, at, LD, message="added a missing opening quotation mark")
    # The words before the closer: speech (you, I'm, present tense, ! and ?)
    # or narration; a reply to a line of dialogue leans towards speech.
    speech, narration = _speech_score(text[:i])
    sounds_spoken = (speech >= 2 and narration == 0) or (prev_dialogue and speech > narration)
    if after.strip():
        if (_TAG_AFTER.match(after) or len(chars) > 1 or sounds_spoken) and follows:
            return Change(u, at, at, LD, message="added a missing opening quotation mark")
        return Change(u, at, at, LD, sure=False, confidence=0.5, message="opening quotation mark missing?")
    # A lone closer at the very end: a speech that lost its opener (the answer
    # to a question just asked, say), or a stray mark after narration.
    if sounds_spoken or answers:
        return Change(u, at, at, LD, confidence=0.8, message="added a missing opening quotation mark")
    if narration >= 3 and speech <= 1 and (not prev_dialogue or speech == 0):
        return Change(u, i, i + 1, "", confidence=0.8, message="removed a stray closing quotation mark")
    return Change(u, at, at, LD, sure=False, confidence=0.5, message="opening quotation mark missing?")


def _exchanges(ctx: Context) -> int:
    """Paragraphs of dialogue closed right before another speech: `…?”` then `“…`."""
    units = ctx.units
    return sum(
        1
        for u in range(len(units) - 1)
        if _closes(units[u]) and _opens(units[u + 1]) and ctx.kinds[u + 1] == "para"
    )


def _verse_still_open(text: str) -> bool:
    """After a stanza that continues an open quotation: is a quotation still open at its end?"""
    depth = 1
    for mark in _DQ.findall(text):
        depth = depth + 1 if mark == LD else max(0, depth - 1)
    return depth > 0


def _past_breaks(units: list[str], u: int, step: int) -> int:
    """The paragraph next to u (step 1: after, -1: before), past scene-break lines (`* * *`), which no quotation stops at."""
    i = u + step
    while 0 <= i < len(units) and units[i].strip() and not any(c.isalnum() for c in units[i]):
        i += step
    return i


def _open_before_verse(ctx: Context, u: int, ends_open: list[bool]) -> bool:
    """Does a quotation left open before the stanzas just above run on through them into this paragraph?"""
    p = u - 1
    while p >= 0 and p in ctx.stanzas:
        p -= 1
    return p < u - 1 and p >= 0 and ends_open[p]


def _documents(units: list[str], pending: list[int], opens_start: list[bool]) -> set[int]:
    """The open paragraphs of letters and diaries quoted paragraph by paragraph.

    A run of paragraphs, each opening a quotation and leaving it open for the
    next, is a letter when one of them (or the paragraph that finally closes)
    is a dateline, a salutation, a closing or a signature: its paragraphs are
    not lines missing their closers before a reply.
    """
    found: set[int] = set()
    run: list[int] = []
    for k, u in enumerate(pending):
        run.append(u)
        tail = _past_breaks(units, u, 1)
        if k + 1 < len(pending) and pending[k + 1] == tail:
            continue  # the next paragraph is left open too: the run goes on
        closing = tail < len(units) and opens_start[tail] and (
            speech_turns.letter_part(units[tail]) or speech_turns.signature(units[tail])
        )
        if closing or any(speech_turns.letter_part(units[m]) for m in run) or _read_out(units, run, tail):
            found.update(run)
        run = []
    return found


def _read_out(units: list[str], run: list[int], tail: int) -> bool:
    """Is the run a passage read out or recounted (a chapter of scripture, a report), not lines of dialogue?

    Two paragraphs or more left open in a row, after narration (a paragraph without a
    quotation mark), that read as narration themselves: third person and past tense
    outweigh you, I'm, questions and cries.
    """
    intro = _past_breaks(units, run[0], -1)
    if len(run) < 2 or intro < 0 or _DQ.search(units[intro]):
        return False
    speech = narration = 0
    for m in [*run, tail] if tail < len(units) else run:
        s, n = _speech_score(units[m])
        speech, narration = speech + s, narration + n
    return narration > speech


def find(ctx: Context) -> Iterator[Change]:
    units = ctx.units
    n = len(units)
    opens_start = [False] * n
    removed: dict[int, set[int]] = {}
    pending_close: list[int] = []
    ends_open = [False] * n
    last_open: dict[int, int] = {}
    verse_open = False  # a quotation runs on from an earlier stanza of this poem
    for u, text in enumerate(units):
        in_verse, verse_open = u in ctx.stanzas, verse_open and u in ctx.stanzas
        if in_verse and verse_open:
            verse_open = _verse_still_open(text)
            continue
        if ctx.kinds[u] != "para" or (LD not in text and RD not in text):
            opens_start[u] = _opens(text)
            continue
        if _paired(text):
            # Opener, closer, opener, closer...: nothing to repair, nothing
            # left open (most paragraphs; the checks below cost 5x more).
            opens_start[u] = _opens(text)
            continue
        marks = _sequence(text)
        for k, change in _strays(u, text, marks):
            removed.setdefault(u, set()).add(k)
            yield change
        live = [m for k, m in enumerate(marks) if k not in removed.get(u, ())]
        if live and live[0][1] == RD:
            prev = units[u - 1].rstrip() if u and ctx.kinds[u - 1] == "para" else ""
            # (a colon or dash inside a speech that runs on, or ending a line of verse, introduces
            # nothing of the narration's: "the ballad that runs—" before its lines)
            introduced = prev.endswith(_INTRODUCING) and not _speech_runs_into(units, u, ends_open, ctx.stanzas)
            change = _missing_open(u, text, live, prev.endswith(RD), _answers(prev, text), introduced)
            # (A closer at the end of plain narration, speech words none, is a stray even after a
            # paragraph left open, when that one is a line of dialogue with its tag (`“Mole,” said
            # the Badger, “I perceive…`): its speech would have reopened this paragraph to go on.
            # A long quotation left open, a letter, may run on unopened: report, don't guess.)
            narrated = change.new == "" and _speech_score(text)[0] == 0 and _tagged(prev)
            run_on = u and ends_open[u - 1] and (len(prev) < _VERSE_LINE or (change.new == "" and not narrated))
            run_on = run_on or _open_before_verse(ctx, u, ends_open)
            if run_on and change.sure:
                # A short line left open just before (verse, quoted over several
                # lines) runs on into this one; a closer that ends a quotation
                # opened paragraphs ago is no stray: report, don't guess.
                change = Change(u, _text_start(text), _text_start(text), LD, sure=False, confidence=0.4,
                                message="opening quotation mark missing, or a quotation running on?")
            yield change
            if change.new == LD:
                opens_start[u] = True
                live = [(change.start, LD), *live]
            else:
                live = live[1:]
        else:
            opens_start[u] = _opens(text)
        chars = [c for _, c in live]
        if chars and len(chars) % 2 == 1 and _well_formed(chars):
            pending_close.append(u)
            ends_open[u] = True
            last_open[u] = live[-1][0]
            verse_open = in_verse
    params = ctx.tuning.get("quotes", speech_turns.DEFAULT_PARAMS)
    documents = _documents(units, pending_close, opens_start)
    closed_before_reply: set[int] = set()
    exchanges = _exchanges(ctx) if pending_close else 0
    for u in pending_close:
        nxt, before = _past_breaks(units, u, 1), _past_breaks(units, u, -1)
        if nxt in ctx.stanzas:
            continue  # the speech quotes a poem, or the quotation runs on into the next stanza
        text = units[u]
        end = len(text.rstrip())
        if nxt < n and ctx.kinds[nxt] == "para" and opens_start[nxt]:
            if u in documents:
                continue  # a letter's paragraph: the quotation runs on into the next
            # A speech running on into the next paragraph, or a line whose
            # closer was forgotten before the next speaker's reply.
            runs_on = before >= 0 and ends_open[before] and opens_start[u] and before not in closed_before_reply
            turn = speech_turns.turn_evidence(units, u, ends_open[nxt], nxt, ctx.beats.get(u, ""))
            stanza = u in ctx.stanzas  # verse left open: a quotation that may run on past it
            if units[nxt].lstrip().startswith(LD) and not stanza and speech_turns.is_reply(turn, runs_on, exchanges, params):
                closed_before_reply.add(u)
                yield Change(u, _closer_at(text, end), end, RD, confidence=0.9,
                             message="added the closing quotation mark before the reply")
            elif end < 300 and "\u2018" not in text and not speech_turns.runs_on_clearly(turn, runs_on, params):
                yield Change(u, _closer_at(text, end), end, RD, sure=False, confidence=0.3,
                             message="closing quotation mark missing, or a speech that goes on?")
            continue
        # The last paragraph of a quoted letter (each paragraph reopened, the
        # previous one left open) often ends without a closer on purpose.
        continuing = before >= 0 and ends_open[before] and opens_start[u] and before not in closed_before_reply
        # Speech opens a paragraph or follows punctuation (`said, “`); an opener
        # in mid-sentence (`a piece of “white card`) may be the stray instead.
        # A quoted word or two at the end (`venture “soon.`) is safe as well.
        at = last_open.get(u, 0)
        before = text[:at].rstrip()
        opens_speech = (
            not before or before[-1] in _SPEECH_LEAD or before == ctx.beats.get(u) or len(text[at + 1 : end].split()) <= 3
        )
        # A poem's last stanza left open: a quotation that may run on past it; a letter's
        # dateline or salutation (`“24 September.` before `(Confidential)`): the letter goes on.
        sure = (
            bool(_SENTENCE_END.search(text[:end])) and not continuing and opens_speech and u not in ctx.stanzas
            and not speech_turns.letter_part(text)
        )
        yield Change(u, _closer_at(text, end), end, RD, sure=sure, confidence=0.9 if sure else 0.5,
                     message="added a missing closing quotation mark")


def _closer_at(text: str, end: int) -> int:
    """Where the closer missing at `end` goes: over a single closing mark typed for it, else at `end`."""
    return end - 1 if speech_turns.mistyped_closer(text[:end]) else end


RULE = Rule("quotes.unbalanced", "fix", find, "missing opening/closing and stray quotation marks")
