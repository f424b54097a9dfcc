"""Rules `punctuation.dash_stop` and `punctuation.comma_capital`: two slips of the keyboard.

- `dash_stop`: `“If you have something to tell me, just—.”` A speech broken
  off by a dash ends with the dash; the full stop after it goes (the dash
  rule has already made `---` and `--` into an em dash).
- `comma_capital`: `Princess Celestia, The ruler of Equestria` -> `the
  ruler`. Only a capitalised function word (the, and, but, of...) after a
  comma and before a lower-case word, so titles and names (`his book, The
  Hobbit`, `The Hague`) keep their capitals, and not after a verb of saying
  or thinking (`she thought, The door is open.` quotes a thought), nor in
  verse or song run together into one paragraph (every line's capital stays:
  a capital after a lower-case word, or the clause before the comma opening
  with a capital itself, `Frustrate their tricks, On him`, or two such capitals
  in one paragraph, `peeping out, The babes are at the door, We cannot`), nor in a paragraph
  with a run of capitals (an inscription, a title, a song's source: `TO THE
  MEMORY OF`, `--OLD SONG`), where capitals follow no prose rule.
"""

from __future__ import annotations

from collections.abc import Iterator

from storybinder.cleanup.engine import Change, Context, Rule
from storybinder.cleanup.joined import units_matching
from storybinder.lazy_pattern import lazy

# An em or en dash after a lower-case word, a full stop (not the first of an
# ellipsis), then the closing quote or the end of the paragraph. After a digit
# or a capital the dash stands for what is left out, and the sentence ends as
# printed: an elided year (`Geneva, March 18th, 17—.`, Frankenstein's letters)
# or name (`Mr. B—.`).
_DASH_STOP = lazy("(?<=[a-z][\u2014\u2013])\\.(?![.\u2026])(?=[\u201d\u2019\"']|\\s*$)")

# Not the possessives (`His pure, His merciful doctrines`: a deity's capital) nor
# the question words (`the question is, Who am I?`).
_FUNCTION_WORDS = (
    "The|A|An|And|But|Or|Nor|So|Yet|Then|Of|To|In|Into|With|For|At|On|As|By|From|That|This|These|Those|"
    "Because|Although|Though|While|Until|Than"
)
# The comma first, the letter before it checked behind it: a leading lookbehind scans three times slower.
_COMMA_CAPITAL = lazy(r",(?<=[a-z],) (" + _FUNCTION_WORDS + r")(?= [a-z])")
# Verse run into one paragraph capitalises every line: `the slithy toves Did gyre`.
_VERSE_HINT = lazy(
    r"[a-z][:;]?\s(?:" + _FUNCTION_WORDS + r"|Did|Do|Does|All|Is|Was|Were|Are|Had|Has|Have|Shall|Will|Would|Could|"
    r"Should|May|Might|Must|Now|When|Where|How|What|Why|Who|Like|Upon|Over|Under|Beneath|Through|Across|Beyond|"
    r"Among|Against|Within|Without|Till|Ere)\b"
)
# The word before the comma: a verb that quotes what follows.
_QUOTING = frozenset(
    "said says say asked asks thought thinks think wondered wonders wrote writes read reads replied answered "
    "cried whispered murmured muttered shouted called added began continued went is was are were be been".split()
)
_LAST_WORD = lazy(r"([A-Za-z]+)\W*$")
# An ordinal or a number before the comma numbers an article of a list (`1st, The man-mountain
# shall not depart`, Gulliver's articles): each article opens with its capital.
_NUMBERED = lazy(r"(?:\d+(?:st|nd|rd|th|d)?|[IVXLC]+\.?|[a-z]\))\Z")
# The capitalised word and at most one more, then the sentence ends.
_FRAGMENT = lazy(r"[A-Z][a-z]*(?: [\w\u2019']+)?[.!?]")
# A title or a name after the comma (`my web serial, In the Shadow of Heaven`, `her aunt, The
# Duchess`): another capital follows within two small words.
_TITLED = lazy(r"[A-Z][a-z]* (?:(?:the|a|an|of|and|in|on|to|for|at|by|with|from) ){0,2}[A-Z][a-z]")
# A pronoun's capital after a comma (`the door, We cannot`): only a line of verse starts so.
_PRONOUN_AFTER_COMMA = lazy(r"[a-z], (?:We|You|He|She|They|It)(?= [a-z])")
# Two words in capitals in a row: not ordinary prose.
_CAPITALS_RUN = lazy(r"\b[A-Z]{2,}[’']?[\s-]+[A-Z]{2,}\b")
# A clause that opens with a capital, then lower-case words: the line of verse before this one.
_CAPITAL_CLAUSE = lazy(r"[,;:]\s+[A-Z][a-z’']*\s+[a-z][^,;:]*,\s\Z")


def find_dash_stops(ctx: Context) -> Iterator[Change]:
    for u, text in enumerate(ctx.units):
        # (A dash looked for alone first: a one-character search is several times faster than a
        # two-character one, and most paragraphs hold no dash.)
        if not ("\u2014" in text or "\u2013" in text) or ("\u2014." not in text and "\u2013." not in text):
            continue
        for m in _DASH_STOP.finditer(text):
            yield Change(u, m.start(), m.end(), "", message="a full stop after the dash that breaks the speech off")


def find_comma_capitals(ctx: Context) -> Iterator[Change]:
    # The few paragraphs with a capital after a comma, found block by block: a scan of each
    # paragraph with a comma (nearly all) cost more than the rest of the rule. (No match holds a line break.)
    for u in units_matching(_COMMA_CAPITAL, ctx.units):
        text = ctx.units[u]
        if ctx.kinds[u] != "para":
            continue
        matches = list(_COMMA_CAPITAL.finditer(text))
        if not matches or _VERSE_HINT.search(text) or _CAPITALS_RUN.search(text):
            continue
        if len(matches) + len(_PRONOUN_AFTER_COMMA.findall(text)) > 1:
            continue  # lines of verse rejoined into one paragraph, each keeping its capital
        for m in matches:
            at = m.start(1)
            before = _LAST_WORD.search(text[: at - 2])
            if before is not None and before.group(1).lower() in _QUOTING:
                continue
            if _NUMBERED.search(text, max(0, at - 12), at - 2):
                continue
            if _CAPITAL_CLAUSE.search(text, max(0, at - 200), at):
                continue
            if _TITLED.match(text, at):
                continue
            if _FRAGMENT.match(text, at):
                continue  # `Yes, sir, A dog. Curious dog`: a sentence of its own, after a comma for a stop
            yield Change(u, at, at + 1, text[at].lower(), message="a capital after a comma, in mid-sentence")


DASH_STOP_RULE = Rule("punctuation.dash_stop", "fix", find_dash_stops, "just\u2014.\u201d -> just\u2014\u201d")
COMMA_CAPITAL_RULE = Rule(
    "punctuation.comma_capital", "fix", find_comma_capitals, "a capitalised word after a comma in mid-sentence"
)
