"""The book inside a Project Gutenberg text: front matter, contents, headings, notes.

The body between PG's markers (pg_boilerplate) is hard-wrapped text with a
few conventions of its own, used here:

- The opening repeats the title and byline, credits the volunteers ("Produced
  by ..."), and may hold a contents list and a list of illustrations. The
  title block, credits and lists go (the EPUB has its own contents); a headed
  preface, notice or dedication becomes front matter.
- A contents list names the headings to look for: each body line that repeats
  an entry, in order, starts a chapter. Entries set further in, or a book's
  `BOOK`/`PART` lines above its `CHAPTER` lines, nest: a collection's story
  holds its sections, a novel's book its chapters.
- Without a usable contents list, headings are found by their shape: a line
  standing alone such as `CHAPTER I.`, `Chapter the Last`, `I. A TITLE`, `BOOK
  ONE`, `PART II`, `STAVE III`, a bare `IV.`, or a title line followed by a
  section numeral (a story in a collection).
- `[Illustration: ...]` marks go; transcriber's notes are collected into a
  notes section at the end.

Paragraphs, stanzas and scene breaks inside each chapter come from the plain
text reader (txt._blocks), with its hyphen-aware rejoining of wrapped lines.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..model import Block, Chapter, Metadata, Paragraph, Person
from .rejoin import Rejoiner
from .text_verse import TextShape
from .txt import Wrapped, _blocks

_ROMAN = r"[IVXLCDM]+"
_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
    r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|last|final"
)
_NUMBER = rf"(?:\d+|{_ROMAN}|(?:the\s+)?(?:{_NUMBER_WORDS})(?:[\s-]+(?:{_NUMBER_WORDS}))*)"
# "BOOK ONE", "PART II", "Book the First--Recalled to Life", "VOLUME I."
_PART = re.compile(rf"^(?:book|part|volume|vol\.|livre|partie|buch|teil|libro|parte|boek|deel)\s+{_NUMBER}\b\.?(?:\s*(?:[:.\-—–]+|\s)\s*.*)?$", re.IGNORECASE)
# "CHAPTER I.", "Chapter the Last", "STAVE ONE", "LETTER IV", "ADVENTURE II. THE RED-HEADED LEAGUE"
_CHAPTER = re.compile(
    rf"^(?:chapter|chap\.|stave|letter|adventure|canto|section|scene|act|story|tale|chapitre|kapitel|cap[íi]tulo|capitolo"
    rf"|hoofdstuk|luku)\s+{_NUMBER}\b\.?"
    rf"(?:\s*(?:[:.\-—–]+|\s)\s*.*)?$",
    re.IGNORECASE,
)
_NAMED = re.compile(
    r"^(?:prologue|epilogue|conclusion|interlude|afterword|postscript|l'envoi|finale)\b\.?(?:\s*[:.\-—–]\s*.*)?$",
    re.IGNORECASE,
)
# "I. A SCANDAL IN BOHEMIA", "XII. The Adventure of the Copper Beeches"
_NUMBERED_TITLE = re.compile(rf"^(?:{_ROMAN}|\d+)\.\s+\S.{{0,80}}$")
# A section numeral alone: "I.", "IV", "-- I --" (up to LXXXIX: "MCMIX" alone is a year).
# Bare arabic numbers are left out: in PG texts they number verses and pages more often than sections.
_SECTION_ROMAN = r"(?=[IVXL])L?X{0,3}(?:IX|IV|V?I{0,3})"
_NUMERAL = re.compile(rf"^[-—–\s]*{_SECTION_ROMAN}\.?[-—–\s]*$")
_FRONT = re.compile(
    r"^(?:preface|foreword|introduction|introductory|dedication|notice|explanatory|to the reader|"
    r"author'?s note|note|prefatory note|advertisement|epigraph|preliminary|avant-propos|préface|vorwort|"
    r"voorwoord|au lecteur|prólogo)\b[\w\s'’.:,-]{0,40}$",
    re.IGNORECASE,
)
_CONTENTS = re.compile(
    r"^(?:table\s+of\s+)?contents?[.:]?$|^index[.:]?$|^table\s+des\s+mati[èe]res[.:]?$|^inhalt(?:sverzeichnis)?[.:]?$"
    r"|^[íi]ndice[.:]?$|^inhoud[.:]?$|^sisällys[.:]?$",
    re.IGNORECASE,
)
_ILLUSTRATIONS = re.compile(r"^(?:list\s+of\s+)?(?:illustrations|plates|full-page illustrations)\.?$", re.IGNORECASE)
# An illustration mark, with the blank line after it when it stood alone (so
# that taking it out leaves one paragraph break, not a scene break).
_ILLUSTRATION_MARK = re.compile(
    r"\[(?:Illustration|Frontispiece|Picture)[^\]]{0,2000}\](?:[ \t]*\n[ \t]*(?=\n))?", re.IGNORECASE
)
_TRANSCRIBER = re.compile(
    r"^\s*\[?\s*(?:transcriber'?s?’?s?\s+notes?\b|note\s+(?:from\s+)?project\s+gutenberg\b|project\s+gutenberg\s+note\b)",
    re.IGNORECASE,
)
_CREDITS = re.compile(
    r"^\s*(?:produced|prepared|transcribed|e-?text\s+prepared|this\s+e-?(?:text|book)\s+was\s+(?:produced|prepared)"
    r"|proofread|scanned|html\s+version|copyright|\[?all\s+rights\s+reserved|printed\s+in|note\s+from\s+the\s+original\s+file"
    r"|(?:a\s+)?[\w ]{0,40}\bedition\s+(?:was\s+)?(?:produced|prepared))\b",
    re.IGNORECASE,
)
# What a text made from PG's HTML edition keeps of its pictures: `bookcover.jpg (230K)` and `Full Size`.
_IMAGE_NOTE = re.compile(r"^[ \t]*(?:[\w.-]+\.(?:jpe?g|png|gif)[ \t]*\(\d+K\)|Full Size)[ \t]*$", re.IGNORECASE | re.MULTILINE)
_PAGE_NUMBER = re.compile(r"(?:\s*\.){2,}\s*\d+\s*$|\s{2,}\d+\s*$|\s+\d+\s*$")
# What is left when the number after "Chapter" was taken for a page number.
_BARE_LABEL = re.compile(
    r"^(?:chapter|chap\.?|stave|letter|adventure|canto|section|scene|act|story|tale|book|part|volume|vol\.)$", re.IGNORECASE
)
_MAX_HEADING = 120
# How many entries of a contents list must turn up as headings for it to be trusted.
_CONTENTS_FOUND = 0.3


@dataclass
class _Group:
    """A run of non-blank lines, with the blank lines before it."""

    lines: list[str]
    gap: int

    @property
    def text(self) -> str:
        return " ".join(line.strip() for line in self.lines)

    @property
    def indent(self) -> int:
        return len(self.lines[0]) - len(self.lines[0].lstrip())


@dataclass
class _HeadingAt:
    index: int  # the group that holds it
    title: str
    level: int = 1
    front: bool = False


@dataclass
class PgBook:
    """The chapters of a PG book and what its opening says about it."""

    chapters: list[Chapter]
    metadata: Metadata = field(default_factory=Metadata)


def read_body(body: str, known: Metadata) -> PgBook:
    """Chapters from the text between PG's markers; `known` is what the header said."""
    notes: list[str] = []
    body = _take_transcriber_notes(_ILLUSTRATION_MARK.sub(_illustration, _IMAGE_NOTE.sub("", body)), notes)
    lines = body.split("\n")
    groups = _groups(lines)
    wrapped = Wrapped(Rejoiner(body, mend_spaced=True), TextShape.measure(lines))
    contents = _contents_list(groups)
    skip: set[int] = set()
    for start, end in _lists(groups):
        skip.update(range(start, end))
    entries = [] if contents is None else _entries(groups[contents[0] + 1 : contents[1]])
    after = contents[1] if contents else 0
    headings = _headings_from_contents(groups, entries, after, skip) if entries else []
    headings = _with_chapters_in_parts(groups, headings, skip)
    if not headings:
        headings = _headings_by_shape(groups, skip)
    if all(h.level == 1 for h in headings):  # contents that nest already say where the sections are
        headings = _with_sections(groups, headings, skip)
    headings = _with_subtitles(groups, headings, skip)
    first = headings[0].index if headings else len(groups)
    opening = None
    if contents and headings:
        opening = _opening_after_contents(groups, contents, headings)
        if opening is not None:
            skip.difference_update(range(opening, contents[1]))
    metadata = _title_block(groups[:first], known)
    front = _front_matter(groups, first, skip, known, opening)
    chapters = [_chapter(groups, h, end, skip, wrapped) for h, end in _spans(headings, front, len(groups))]
    chapters = [c for c in chapters if c.blocks or c.title]
    if notes:
        chapters.append(Chapter("Transcriber's Note", [Paragraph(" ".join(n.split())) for n in notes], kind="notes"))
    return PgBook(chapters, metadata)


def _illustration(match: re.Match[str]) -> str:
    """An illustration mark goes, unless its caption ends with the chapter's heading (it is the heading)."""
    lines = [line.strip() for line in match.group(0).rstrip().rstrip("]").split("\n") if line.strip()]
    last = lines[-1].rstrip("]").strip() if len(lines) > 1 else ""
    if last and (_CHAPTER.match(last) or _PART.match(last)):
        return f"{last}\n"
    return ""


# Groups -------------------------------------------------------------------------


def _groups(lines: list[str]) -> list[_Group]:
    groups: list[_Group] = []
    gap = 0
    run: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            run.append(line.rstrip())
            continue
        if run:
            groups.append(_Group(run, gap))
            run, gap = [], 0
        gap += 1
    return groups


def _without_page_number(text: str) -> str:
    """`text` without a trailing page number; in "Chapter 12" or "Letter 4" the number is the chapter's own."""
    cut = _PAGE_NUMBER.sub("", text)
    return text if _BARE_LABEL.match(cut.strip(" .")) else cut


def _norm(text: str) -> str:
    """A heading's words, lower-cased, without accents, punctuation or page numbers."""
    text = unicodedata.normalize("NFKD", _without_page_number(text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    # An apostrophe inside a word joins it: "I've" must not read as the numeral "I" and "ve".
    text = re.sub(r"(?<=\w)['’](?=\w)", "", text)
    return " ".join(re.sub(r"[^\w\s]|_", " ", text.lower()).split())


def _is_heading_line(group: _Group) -> bool:
    if len(group.lines) > 3 or len(group.text) > _MAX_HEADING:
        return False
    # Two chapter lines in one group are an unlabelled contents list, not a heading.
    return sum(bool(_CHAPTER.match(line.strip()) or _PART.match(line.strip())) for line in group.lines) < 2


# Transcriber's notes --------------------------------------------------------------


def _take_transcriber_notes(body: str, notes: list[str]) -> str:
    """Move `[Transcriber's Note: ...]` and headed transcriber's notes out of the text into `notes`."""
    out: list[str] = []
    lines = body.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if not _TRANSCRIBER.match(line):
            out.append(line)
            i += 1
            continue
        taken: list[str] = []
        if line.lstrip().startswith("["):
            # Up to the closing bracket.
            while i < len(lines):
                taken.append(lines[i])
                i += 1
                if "]" in taken[-1]:
                    break
            text = "\n".join(taken).strip().lstrip("[").rstrip("]")
        else:
            # A heading, then paragraphs until three blank lines.
            blanks = 0
            while i < len(lines) and blanks < 3:
                blanks = blanks + 1 if not lines[i].strip() else 0
                taken.append(lines[i])
                i += 1
            text = "\n".join(taken[1:]).strip() if len(taken[0].split()) <= 3 else "\n".join(taken).strip()
        text = re.sub(r"^\s*transcriber'?s?’?s?\s+notes?\s*[:.]?\s*", "", text, flags=re.IGNORECASE)
        if text:
            notes.extend(p for p in re.split(r"\n\s*\n", text) if p.strip())
        if i < len(lines) and not lines[i].strip() and (not out or not out[-1].strip()):
            i += 1  # one paragraph break where the note stood, not two
    return "\n".join(out)


# Contents and other lists -----------------------------------------------------------


def _contents_list(groups: list[_Group]) -> tuple[int, int] | None:
    """(heading group, first group after the list) of the contents list near the start."""
    for start, end, kind in _list_spans(groups):
        if kind == "contents":
            return start, end
    return None


def _lists(groups: list[_Group]) -> list[tuple[int, int]]:
    """Every contents or illustrations list near the start: (first, end) group ranges."""
    return [(start, end) for start, end, _ in _list_spans(groups)]


def _list_spans(groups: list[_Group]) -> list[tuple[int, int, str]]:
    limit = max(40, len(groups) // 4)
    spans = []
    for i, group in enumerate(groups[:limit]):
        first = group.lines[0].strip()
        kind = "contents" if _CONTENTS.match(first) else "illustrations" if _ILLUSTRATIONS.match(first) else None
        if kind is None:
            continue
        end = i + 1
        listed: set[str] = set()
        gaps: list[int] = []
        while end < len(groups) and (end == i + 1 or groups[end].gap < 3) and not _is_prose(groups[end]):
            group = groups[end]
            if gaps and group.gap > min(gaps) and _norm(group.text) in listed:
                # An entry named again after a wider gap than the list's own is the
                # first chapter's heading (Jekyll and Hyde, War of the Worlds' "BOOK ONE").
                break
            listed |= {_norm(line) for line in group.lines} | {_norm(group.text)}
            # entries on lines of one group are 0 apart; the gap under the list's heading says nothing
            gaps += ([0] if len(group.lines) > 1 else []) + ([group.gap] if end > i + 1 else [])
            end += 1
        if len(group.lines) > 1 and end == i + 1:
            end = i + 1  # heading and entries in one group
        spans.append((i, end, kind))
    return spans


def _opening_after_contents(groups: list[_Group], contents: tuple[int, int], headings: list[_HeadingAt]) -> int | None:
    """Where the author's text starts inside what was taken for the contents list, if it does.

    A dedication or an epigraph set between the contents and the first chapter
    (The Great Gatsby: "Once again / to / Zelda", then a stanza) reads like more
    entries, since only the repeated first heading ends the list. What comes
    after the last entry naming a chapter is the author's when it holds a
    paragraph of lines no entry is like: most of them start in lower case or
    end in a comma or semicolon (an entry's title wrapped onto a second line
    may, but not most of the list's lines).
    """
    named = [_norm(groups[h.index].text) for h in headings]
    tail, authored = contents[1], False
    for k in range(contents[1] - 1, contents[0], -1):
        lines = groups[k].lines
        if sum(bool(_AUTHORS_LINE.search(line.strip())) for line in lines) > len(lines) / 2:
            tail, authored = k, True  # (a stanza's "I must have you!" is no entry "I")
            continue
        norms = [_norm(line) for line in lines] + [_norm(groups[k].text)]
        if any(n and b and (n == b or _matches(b, n)) for n in norms for b in named):
            break
        tail = k
    return tail if authored else None


# A line of verse or prose, as no contents entry is: it starts in lower case or runs on past a comma.
_AUTHORS_LINE = re.compile(r"^[a-z]|[,;]$")


def _is_prose(group: _Group) -> bool:
    """A wrapped paragraph: several long lines that mostly go on in lower case."""
    lines = [line.strip() for line in group.lines]
    if len(lines) < 3:
        return False
    lower = sum(1 for line in lines[1:] if line[:1].islower())
    return lower >= len(lines[1:]) / 2 and sum(len(line) > 55 for line in lines) >= len(lines) / 2


@dataclass(frozen=True)
class _Entry:
    text: str
    norm: str
    indent: int
    heads_group: bool = False  # alone in its paragraph, over a paragraph of several entries


def _entries(groups: list[_Group]) -> list[_Entry]:
    entries = []
    for k, group in enumerate(groups):
        # Ulysses' "— I —" alone above "[ 1 ] [ 2 ] [ 3 ]": a part over its episodes.
        heads = len(group.lines) == 1 and k + 1 < len(groups) and len(groups[k + 1].lines) > 1
        for line in group.lines:
            text = _without_page_number(line.strip()).strip(" .")
            norm = _norm(text)
            if norm and norm not in ("chapter", "page", "chap", "chap page", "chapter page", "pages"):
                entries.append(_Entry(" ".join(text.split()), norm, len(line) - len(line.lstrip()), heads))
    return entries


def _headings_from_contents(groups: list[_Group], entries: list[_Entry], after: int, skip: set[int]) -> list[_HeadingAt]:
    """Body lines that repeat the contents' entries, in order."""
    candidates = [
        (i, _norm(groups[i].text))
        for i in range(after, len(groups))
        if i not in skip and _is_heading_line(groups[i]) and (not groups[i].text.isdigit() or _titled_number(groups, i))
    ]
    # Exact repeats first; then, in the gaps they leave, a body heading that
    # is the start of an entry ("I." for "I. Two Parents"): a section "II."
    # inside story I must not be taken for story II.
    exact = _match_in_order(candidates, entries, range(len(entries)), exact=True)
    found_at = dict(exact)
    bounds = [(-1, -1), *sorted(exact), (len(groups), len(entries))]
    for (lo_group, lo_entry), (hi_group, hi_entry) in zip(bounds, bounds[1:]):
        gap = [(i, n) for i, n in candidates if lo_group < i < hi_group]
        found_at.update(_match_in_order(gap, entries, range(lo_entry + 1, hi_entry), exact=False))
    found = [(i, entries[k]) for i, k in sorted(found_at.items())]
    if len(found) < max(2, _CONTENTS_FOUND * len(entries)):
        return []
    # Entries set further in belong to the one above them; numbered entries are
    # set in by their numbers' widths (right-aligned), which says nothing.
    indents = sorted({e.indent for _, e in found})
    numbered = sum(bool(_NUMBERED_TITLE.match(e.text) or _NUMERAL.match(e.text)) for _, e in found)
    nested_by_indent = (
        len(indents) > 1 and sum(e.indent == indents[0] for _, e in found) < len(found) / 2 and numbered < len(found) / 2
    )
    headings = []
    for i, entry in found:
        text = groups[i].text
        title = entry.text if text.isupper() and not entry.text.isupper() else text
        level = 2 if nested_by_indent and entry.indent > indents[0] else 1
        headings.append(_HeadingAt(i, _tidy(title), level))
    heads = [h for h, (_, e) in zip(headings, found) if e.heads_group]
    if not nested_by_indent and len(heads) >= 2 and len(heads) < len(headings) / 2:
        for h, (_, e) in zip(headings, found):
            h.level = 1 if e.heads_group or h.index < heads[0].index else 2
    elif not nested_by_indent:
        _nest_under_parts(headings)
    return headings


def _nest_under_parts(headings: list[_HeadingAt]) -> None:
    """Headings after the first `PART`/`BOOK` heading nest under the part before them.

    What comes before the first part (Gulliver's publisher's letter) stays at the top level.
    """
    parts = [h.index for h in headings if _PART.match(h.title)]
    if not parts or len(parts) == len(headings):
        return
    for h in headings:
        h.level = 1 if _PART.match(h.title) or h.index < parts[0] else 2


def _with_chapters_in_parts(groups: list[_Group], headings: list[_HeadingAt], skip: set[int]) -> list[_HeadingAt]:
    """When the contents name only the parts (Gulliver's Travels), the chapters inside them are found by shape."""
    if not any(_PART.match(h.title) for h in headings) or any(_CHAPTER.match(h.title) for h in headings):
        return headings
    known = {h.index for h in headings}
    first_part = min(h.index for h in headings if _PART.match(h.title))
    extra = [
        h for h in _headings_by_shape(groups, skip) if h.index > first_part and h.index not in known and _CHAPTER.match(h.title)
    ]
    if not extra:
        return headings
    headings = sorted([*headings, *extra], key=lambda h: h.index)
    _nest_under_parts(headings)
    return headings


def _titled_number(groups: list[_Group], i: int) -> bool:
    """A bare number line with a title line under it: Treasure Island's `1`, then `The Old Sea-dog...`.

    A bare number alone is more often a page or verse number, so it heads a
    chapter only with a title under it and a contents entry to match.
    """
    if i + 2 >= len(groups) or groups[i].gap < 2:
        return False
    nxt = groups[i + 1]
    return len(nxt.lines) == 1 and nxt.gap <= 2 and _looks_like_title(nxt.text) and len(nxt.text) <= 100


def _match_in_order(candidates: list[tuple[int, str]], entries: list[_Entry], wanted: range, *, exact: bool) -> list[tuple[int, int]]:
    """(group, entry) pairs: candidates matching the wanted entries in order (a few entries may be skipped)."""
    out: list[tuple[int, int]] = []
    at = wanted.start
    for i, norm in candidates:
        for k in range(at, min(wanted.stop, at + 8)):
            if norm == entries[k].norm if exact else _matches(norm, entries[k].norm):
                out.append((i, k))
                at = k + 1
                break
    return out


def _matches(body: str, entry: str) -> bool:
    """A body heading and a contents entry name the same chapter."""
    if not body or not entry:
        return False
    if body == entry:
        return True
    # "Chapter 8 The Mermaids' Lagoon" in the body for "Chapter 8 The Mermaid's Lagoon" in the
    # contents: the same label and number name the same chapter, whatever the title's spelling.
    if body.split()[:2] == entry.split()[:2] and len(body.split()) > 1 and _CHAPTER.match(body) and _CHAPTER.match(entry):
        return True
    # "Chapter I." in the body for "Chapter I. Civilizing Huck" in the contents, and the reverse.
    shorter, longer = sorted((body, entry), key=len)
    # "1" in the body for "1. The Old Sea-dog" in the contents (the caller keeps only a number with a title under it).
    return longer.startswith(shorter + " ") and bool(
        _CHAPTER.match(shorter) or _PART.match(shorter) or _NUMERAL.match(shorter.upper()) or (shorter == body and body.isdigit())
    )


# Headings by shape ------------------------------------------------------------------


def _headings_by_shape(groups: list[_Group], skip: set[int]) -> list[_HeadingAt]:
    headings = []
    for i, group in enumerate(groups):
        if i in skip or not _is_heading_line(group) or i + 1 >= len(groups):
            continue
        text = group.text
        if _PART.match(text) or _CHAPTER.match(text) or _NAMED.match(text) or (
            _NUMBERED_TITLE.match(text) and group.gap >= 2 and _looks_like_title(text.split(".", 1)[1])
        ):
            headings.append(_HeadingAt(i, _tidy(text)))
        elif _NUMERAL.match(text) and group.gap >= 1:
            headings.append(_HeadingAt(i, _tidy(text)))
    _nest_under_parts(headings)
    return _without_stray_numerals(headings)


def _roman_value(text: str) -> int | None:
    """The value of a section numeral heading ("II", "-- IV --", "XII."), None for anything else."""
    numeral = text.strip("-—–. ").upper()
    if not numeral or not _NUMERAL.match(numeral):
        return None
    values = {"I": 1, "V": 5, "X": 10, "L": 50}
    total = 0
    for k, c in enumerate(numeral):
        value = values[c]
        total += -value if k + 1 < len(numeral) and values[numeral[k + 1]] > value else value
    return total


def _without_stray_numerals(headings: list[_HeadingAt]) -> list[_HeadingAt]:
    """A numeral that breaks a run whose neighbours follow on (`II`, `I.`, `III`) is text, not a heading.

    Ulysses' third part has an "I." on its own line inside an episode.
    """
    values = [_roman_value(h.title) for h in headings]
    keep = []
    for k, h in enumerate(headings):
        prev, nxt = (values[k - 1] if k else None), (values[k + 1] if k + 1 < len(values) else None)
        here = values[k]
        if here is not None and prev is not None and nxt is not None and nxt == prev + 1 and here != prev + 1:
            continue
        keep.append(h)
    return keep


def _title_case(text: str) -> str:
    """An all-capitals title in title case ("ALICE'S ADVENTURES IN WONDERLAND" -> "Alice's Adventures in Wonderland")."""
    small = {"a", "an", "the", "and", "or", "nor", "but", "of", "in", "on", "at", "to", "for", "by", "with", "from"}
    words = text.lower().split()
    return " ".join(w if k and w in small else w[:1].upper() + w[1:] for k, w in enumerate(words))


def _looks_like_title(text: str) -> bool:
    words = text.split()
    # A title may open with a quotation mark: Treasure Island's `“Pieces of Eight”`.
    return 0 < len(words) <= 12 and not text.rstrip().endswith((",", ";")) and words[0].lstrip("“‘\"'(")[:1].isupper()


def _with_sections(groups: list[_Group], headings: list[_HeadingAt], skip: set[int]) -> list[_HeadingAt]:
    """Section numerals (`I.`, `II.`) inside titled stories become their sections (level 2).

    A story title with no contents list is found here too: a lone title line
    right before a first `I.` (a collection of stories set that way).
    """
    known = {h.index for h in headings}
    titled = [h for h in headings if not (_CHAPTER.match(h.title) or _NUMERAL.match(h.title) or _PART.match(h.title))]
    numerals = [h for h in headings if _NUMERAL.match(h.title)]
    extra: list[_HeadingAt] = []
    if not titled and numerals:
        # No titles known: a title line before an "I." heads a story.
        for h in numerals:
            j = h.index - 1
            if _norm(h.title) in ("i", "1") and j >= 0 and j not in skip and j not in known:
                prev = groups[j]
                if len(prev.lines) == 1 and _looks_like_title(prev.text) and prev.gap >= 2:
                    extra.append(_HeadingAt(j, _tidy(prev.text)))
        if len(extra) < 2:
            extra = []
        titled = extra
    if titled:
        for i, group in enumerate(groups):
            if i in known or i in skip or not _NUMERAL.match(group.text) or i + 1 >= len(groups):
                continue
            if any(h.index < i for h in titled):
                extra.append(_HeadingAt(i, _tidy(group.text)))
        headings = sorted([*headings, *extra], key=lambda h: h.index)
        for h in headings:
            if _NUMERAL.match(h.title) and any(t.index < h.index for t in titled):
                h.level = 2
    return headings


def _with_subtitles(groups: list[_Group], headings: list[_HeadingAt], skip: set[int]) -> list[_HeadingAt]:
    """A bare `CHAPTER I` followed by a short title line becomes `CHAPTER I. The Title`."""
    known = {h.index for h in headings}
    for h in headings:
        j = h.index + 1
        if j >= len(groups) or j in known or j in skip or groups[j].gap > 2:
            continue
        numeral = bool(_NUMERAL.match(h.title) or h.title.isdigit())
        bare = _CHAPTER.match(h.title) and len(h.title.split()) <= 3 or numeral
        nxt = groups[j]
        if not bare and _norm(h.title).endswith(" " + _norm(nxt.text)) and len(nxt.lines) == 1:
            skip.add(j)  # the title line under "CHAPTER I.", already in the title from the contents
            continue
        if (
            bare
            and len(nxt.lines) == 1
            and len(nxt.text) <= 80
            and _looks_like_title(nxt.text)
            and ", " not in nxt.text  # "Captain, quoth he, ..." is an epigraph, not a title
            # a bare number's title came with a contents entry to match, so a longer one is safe
            and len(nxt.text.split()) <= (12 if h.title.isdigit() else 10)
            and j + 1 < len(groups)
        ):
            h.title = f"{h.title.rstrip('.')}. {_tidy(nxt.text).rstrip('.')}" if not numeral else _tidy(nxt.text)
            skip.add(j)
    return headings


def _tidy(text: str) -> str:
    return " ".join(text.split()).strip("-—– ")


# Front matter and the title block ----------------------------------------------------


def _title_block(groups: list[_Group], known: Metadata) -> Metadata:
    """The author named at the top of the book, when the header did not name one."""
    if known.authors:
        return Metadata()
    found = Metadata()
    if groups and not known.subtitle and len(groups[0].lines) == 1 and groups[0].text.isupper():
        # The oldest headers name the book in passing; the title line of the book itself is better.
        header_words = set(_norm(known.title or "").split())
        if header_words and header_words <= set(_norm(groups[0].text).split()):
            found = Metadata(title=_title_case(groups[0].text))
            if len(groups) > 1 and _is_name(groups[1].text):
                return found.merged(Metadata(authors=(Person(groups[1].text),)))
    for k, group in enumerate(groups[:12]):
        text = group.text
        match = re.match(r"^by\s+(.+)$", text, re.IGNORECASE)
        if match and len(match.group(1).split()) <= 6:
            return Metadata(authors=(Person(_tidy(match.group(1)).rstrip(".,")),))
        if known.title and _norm(text) == _norm(known.title) and k + 1 < len(groups):
            nxt = groups[k + 1].text
            if _is_name(nxt):
                return found.merged(Metadata(authors=(Person(_title_case(nxt) if nxt.isupper() else nxt),)))
    return found


def _is_name(text: str) -> bool:
    """A short line of capitalised words without digits: a byline without its "by"."""
    words = text.split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and not any(c.isdigit() for c in text) and not (
        _CHAPTER.match(text) or _PART.match(text)
    )


def _front_matter(
    groups: list[_Group], first: int, skip: set[int], known: Metadata, opening: int | None = None
) -> list[_HeadingAt]:
    """Headed front matter (a preface, a notice) before the first chapter; the rest of the opening goes.

    Credits, the title block and the lists are dropped: a reader sees the
    title on the title page and the contents in the book's own contents.
    From `opening` on, the text is the author's (see _opening_after_contents).
    """
    front: list[_HeadingAt] = []
    names = {_norm(known.title or "")} | {_norm(a.name) for a in known.authors}
    names |= {"by " + n for n in names} | {"by"}
    if first >= len(groups):
        # No headings at all (a poem, a short story): only the title block goes.
        for i, group in enumerate(groups):
            if i in skip or _norm(group.text) in names or _CREDITS.match(group.text):
                skip.add(i)
            else:
                break
        return front
    for i in range(first):
        if _CREDITS.match(groups[i].text) or _norm(groups[i].text) in names:
            skip.add(i)  # credits, and the title repeated over the first chapter
    for i in range(first):
        if i in skip:
            continue
        group = groups[i]
        if _is_heading_line(group) and len(group.lines) == 1 and _FRONT.match(group.text.strip(" .:")):
            front.append(_HeadingAt(i, _tidy(group.text).rstrip("."), front=True))
        elif not front and (_is_opening_text(group) or (opening is not None and i >= opening)):
            # Text before the first heading that is no title block: a dedication, an
            # epigraph poem (Treasure Island), or whole chapters a copy left unheaded
            # (a Huckleberry Finn whose first eight chapters lost their headings).
            # Nothing of the author's is dropped: it opens the book, untitled.
            words = 0
            for k in range(i, first):
                if _is_heading_line(groups[k]) and _FRONT.match(groups[k].text.strip(" .:")):
                    break  # a headed preface after it is front matter of its own
                words += 0 if k in skip else len(groups[k].text.split())
            front.append(_HeadingAt(i - 1, "", front=words < _OPENING_CHAPTER_WORDS))
        elif not front:
            skip.add(i)  # title block, publisher's lines
    return front


# Words of unheaded opening text beyond which it is the story itself, not front matter.
_OPENING_CHAPTER_WORDS = 1500


def _is_opening_text(group: _Group) -> bool:
    """A paragraph or a stanza, as opposed to a title block's short lines (title, byline, imprint)."""
    if _is_prose(group):
        return True
    words = group.text.split()
    if len(words) < 12:
        return False
    # An imprint is all capitals ("GEORGE ALLEN / 156 CHARING CROSS ROAD / LONDON"); a stanza or a
    # paragraph has lower-case words.
    return len(group.lines) >= 2 and sum(w[:1].islower() for w in words) >= len(words) / 4


def _spans(headings: list[_HeadingAt], front: list[_HeadingAt], total: int) -> list[tuple[_HeadingAt | None, int]]:
    """Each heading with the group index where its text ends."""
    marks = sorted([*front, *headings], key=lambda h: h.index)
    out: list[tuple[_HeadingAt | None, int]] = []
    for k, h in enumerate(marks):
        end = marks[k + 1].index if k + 1 < len(marks) else total
        out.append((h, end))
    return out or [(None, total)]


def _chapter(groups: list[_Group], heading: _HeadingAt | None, end: int, skip: set[int], wrapped: Wrapped) -> Chapter:
    start = heading.index + 1 if heading else 0
    lines: list[str] = []
    for i in range(start, end):
        if i in skip:
            continue
        lines.extend([""] * min(groups[i].gap, 3) if lines else [])
        lines.extend(groups[i].lines)
    blocks: list[Block] = _blocks(lines, "blocks", wrapped)
    if heading is None:
        return Chapter(None, blocks)
    kind = "front" if heading.front else "chapter"
    return Chapter(heading.title or None, blocks, kind=kind, level=heading.level)

