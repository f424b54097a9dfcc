"""Rule `spelling.apostrophe`: a contraction or possessive typed without its apostrophe ("dont", "womans").

`I dont know`, `she couldnt`, `the womans hat`, `im late`: the apostrophe is
dropped (a phone keyboard, hurried typing) and the word left is one no
dictionary lists. It gets the apostrophe back when the curated dictionary does
not know the bare word (so `cant`, `wont`, `its`, `hell`, `wed`, `ill` and
`shed` are never touched: they are words, and only context could tell) and
people write the apostrophised form far more often (wordfreq): `dont` becomes
`don’t`, `womans` `woman’s`, `im` `I’m`.

Some writers leave the apostrophe out on purpose (Molly Bloom's monologue,
Shaw's `dont`, McCarthy's `didnt`): where the passage around the word spells
its contractions bare as a habit (cleanup.bare_contractions), or the story
writes the same bare word three times and never its apostrophised form, or
hardly ever writes an apostrophe inside a word at all, nothing is changed. A
word right after an elision mark or a single quote is left too (`‘im` is dialect
for him), and so is one after an article or a possessive, which no contraction
follows (Ulysses' `crown of his hed`), though a possessive may (`the womans hat`). An 's
(`thats`, `womans`) is only suggested: the bare word may be a plural or another
word's slip (`the womans boat`, `from theres unblessed` for their).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from storybinder.cleanup.bare_contractions import BareHabit, ascii_lowered
from storybinder.cleanup.dictionary import Lexicon, load_lexicon
from storybinder.cleanup.engine import Change, Context, Rule
from storybinder.cleanup.joined import join_units
from storybinder.cleanup.spelling import words_outside
from storybinder.lazy_pattern import lazy

# The endings an apostrophe splits off: don't (n't), you're, I've, we'll, I'm, he'd, that's.
_ENDINGS = ("nt", "re", "ve", "ll", "m", "d", "s")
# The apostrophised form must be this common (Zipf) and this many decades commoner than the
# bare one: wordfreq counts the bare forms people type too (dont 4.7, don't 6.2), and a word
# whose bare form is about as common as its apostrophised one is a word of its own (roberts, johns).
_COMMON = 4.0
_MARGIN = 1.0
# A capitalised word's s is a possessive's only after a common word (That's, There's): a name's
# s (Marys, Jones) may be a plural or the name itself.
_COMMON_HEAD = 6.0
# A story with fewer words holding an apostrophe than this writes without them, on purpose or
# not; and one bare word written this often, its apostrophised form never, is the writer's spelling.
_APOSTROPHES_MIN = 5
_MEANT = 3
_WITH_APOSTROPHE = lazy(r"[A-Za-z]+[\u2019'][A-Za-z]+")  # a whole word: don’t, not n’t
_WORD_BEFORE = lazy(r"([A-Za-z]+)[ \t]+\Z")
_DETERMINERS = frozenset("the a an his her my your our their its this that these those every no".split())
_QUOTES_BEFORE = frozenset("'\u2018\u2019")  # an elision mark, or a single quote: ‘im is him


def _restored(word: str, lexicon: Lexicon) -> str | None:
    """The apostrophised form people write for the bare `word`, lower case with ', or None."""
    lower = word.lower()
    if lower in lexicon.curated or not lower.isascii():
        return None
    bare = lexicon.zipf(lower)
    best: tuple[float, str] | None = None
    for ending in _ENDINGS:
        if not lower.endswith(ending) or len(lower) <= len(ending):
            continue
        cut = len(lower) - (1 if ending == "nt" else len(ending))
        if ending == "s" and word[0].isupper() and lexicon.zipf(lower[:cut]) < _COMMON_HEAD:
            continue
        form = lower[:cut] + "'" + lower[cut:]
        zipf = lexicon.zipf(form)
        if zipf >= _COMMON and zipf >= bare + _MARGIN and (best is None or zipf > best[0]):
            best = (zipf, form)
    return best[1] if best else None


def _cased(word: str, form: str, mark: str) -> str:
    """`form` written with `mark` for its apostrophe, in `word`'s case; the pronoun I stays a capital."""
    if word.isupper() and len(word) > 1:
        form = form.upper()
    elif word[0].isupper() or form.startswith("i'"):
        form = form[0].upper() + form[1:]
    return form.replace("'", mark)


def find(ctx: Context) -> Iterator[Change]:
    lexicon = load_lexicon()
    outside = words_outside(ctx)
    restored = {
        w: f for w in outside if w[-1] in "tsemdl" and (f := _restored(w, lexicon)) is not None
    }
    if not restored:
        return
    story = join_units(ctx.units)
    text = story.text
    written = Counter(m.lower().replace("\u2019", "'") for m in _WITH_APOSTROPHE.findall(text))
    if sum(written.values()) < _APOSTROPHES_MIN:
        return  # a story that writes no apostrophes: its writer's way, or a tool's, not a slip here and there
    mark = "\u2019" if text.count("\u2019") >= text.count("'") else "'"
    by_form: Counter[str] = Counter()
    for word, form in restored.items():
        by_form[form] += outside[word]
    meant = {form for form, n in by_form.items() if n >= _MEANT and not written[form]}
    # An 's is also a plural's or another word's slip ("the womans boat": women's; "from theres
    # unblessed": their): only a suggestion. The others (n't, 're, 've, 'll, 'm, 'd) end no plural.
    ambiguous = {f for f in restored.values() if f.endswith("'s")}
    habit = BareHabit(ascii_lowered(text), [story.starts[u] for u, kind in enumerate(ctx.kinds) if kind == "title"])
    pattern = re.compile(r"(?<![\w\u2019'-])(" + "|".join(sorted(restored, key=len, reverse=True)) + r")(?![\w\u2019'-])")
    for m in pattern.finditer(text):
        word, start = m.group(1), m.start()
        form = restored[word]
        u = story.unit_at(start)
        if ctx.kinds[u] != "para" or form in meant or (start and text[start - 1] in _QUOTES_BEFORE):
            continue
        if habit.at(start):
            continue  # a passage that spells its contractions bare (Molly Bloom): the writer's way
        before = _WORD_BEFORE.search(text, max(0, start - 12), start)
        if before is not None and before.group(1).lower() in _DETERMINERS and not form.endswith("'s"):
            continue  # no contraction follows "his" or "the" ("crown of his hed": a head spelt so); a possessive may
        at = start - story.starts[u]
        sure = form not in ambiguous
        yield Change(u, at, at + len(word), _cased(word, form, mark), sure=sure, confidence=0.97 if sure else 0.6,
                     message="the apostrophe" if sure else f"“{_cased(word, form, mark)}”, or a slip of another word?")


RULE = Rule("spelling.apostrophe", "fix", find, "dont -> don't, womans -> woman's")
