"""Clean the prose of a marked-up file and leave its markup byte for byte.

A format module (html.py, markdown.py, bbcode.py, docx.py) cuts its source
into Pieces: prose the cleaner may change, markup it never touches, and a few
kinds in between. Here the pieces between two block boundaries become one
unit, the paragraph as a reader sees it: inline markup (`<em>`, `*`, `[i]`)
is invisible in it, so a sentence and its quotation run on across a tag, as
they do on the page. The cleaner's rules run over those units; every change
they make is written back between the pieces of markup, and a change that
would cut into markup is never made.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from ..cleanup import CleanOptions, select_rules
from ..cleanup.engine import Change, Context, Rule, UnitKind, run_rules
from ..errors import StorybinderError
from ..model import Edit

# prose: text the cleaner sees and may change; soft: markup that stands for
# text (an entity: `&quot;` is seen as `"`) and is rewritten as plain text
# when changed; frozen: markup seen as text (a code span, a backslash escape)
# that no change may touch; anchor: inline markup the cleaner does not see;
# block: markup that ends a paragraph (a block tag, front matter, a code block).
PieceKind = Literal["prose", "soft", "frozen", "anchor", "block"]
# What a frozen piece shows the cleaner when it has no text of its own: the
# object replacement character, a neutral symbol no rule treats as a word.
OBJECT = "\ufffc"


@dataclass
class Piece:
    """A run of the source and what the cleaner sees of it."""

    source: str
    view: str = ""
    kind: PieceKind = "prose"
    # anchor: closing markup (`</em>`): text added where it stands goes after it.
    closes: bool = False
    # block: the kind of unit that follows it (a heading after <h2>).
    next_kind: UnitKind = "para"
    # Where the text is kept when it is not one string (a Word run's <w:t>).
    slot: object = None


def prose(text: str, slot: object = None) -> Piece:
    return Piece(text, text, "prose", slot=slot)


def block(source: str, next_kind: UnitKind = "para") -> Piece:
    return Piece(source, "", "block", next_kind=next_kind)


def anchor(source: str, closes: bool = False) -> Piece:
    return Piece(source, "", "anchor", closes=closes)


def soft(source: str, view: str) -> Piece:
    return Piece(source, view, "soft")


def frozen(source: str, view: str = OBJECT) -> Piece:
    return Piece(source, view, "frozen")


@dataclass
class Unit:
    """One paragraph's pieces; the cleaner sees view[lead:lead + size]."""

    pieces: list[Piece]
    kind: UnitKind
    lead: int = 0
    size: int = 0
    _markup: list[tuple[int, int]] | None = field(default=None, repr=False)

    @property
    def view(self) -> str:
        return "".join(p.view for p in self.pieces)

    @property
    def writable(self) -> bool:
        """Has it text of its own to change (not only a picture or a code span)?"""
        return any(p.kind in ("prose", "soft") for p in self.pieces)

    def markup(self) -> list[tuple[int, int]]:
        """(start, end) of every piece no change may cut into, in the cleaner's coordinates."""
        if self._markup is None:
            spots = []
            pos = -self.lead
            for piece in self.pieces:
                end = pos + len(piece.view)
                if piece.kind in ("frozen", "anchor"):
                    spots.append((pos, end))
                pos = end
            self._markup = spots
        return self._markup


@dataclass(frozen=True)
class CleanedPieces:
    """Every piece after cleaning (the source joins them), the edits and their contexts."""

    pieces: list[Piece]
    edits: list[Edit]
    contexts: list[tuple[str, str]]
    units_before: list[str]
    units_after: list[str]

    @property
    def source(self) -> str:
        return "".join(p.source for p in self.pieces)


Escape = Callable[[str], str]
_LINE_ENDS = re.compile(r"\r\n?|[\ud800-\udfff]")


def clean_pieces(
    pieces: list[Piece],
    options: CleanOptions | None = None,
    *,
    escape: Escape = lambda text: text,
    can_write: Callable[[str], bool] = lambda text: True,
    with_context: bool = True,
) -> CleanedPieces:
    """Run the cleaner over the prose of `pieces`; markup comes back unchanged.

    `escape` turns new text into source (HTML escapes & and <); a change whose
    new text `can_write` refuses (a character the file's encoding lacks) is not made.
    """
    options = options or CleanOptions()
    flat = list(_split_line_ends(pieces))
    units, order = _units(flat)
    before = [u.view[u.lead : u.lead + u.size] for u in units]
    ctx = Context(units=list(before), kinds=[u.kind for u in units], extra_words=frozenset(options.words), tuning=options.tuning)

    def apply(index: int, changes: list[Change], new_text: str) -> None:
        unit = units[index]
        for c in reversed(changes):  # right to left: earlier offsets stay valid
            unit.pieces = _replace(unit.pieces, c.start + unit.lead, c.end + unit.lead, c.new, escape)
        unit.size = len(new_text)
        unit._markup = None

    def allowed(change: Change) -> bool:
        unit = units[change.unit]
        if not can_write(change.new) or not unit.writable:
            return False
        a, b = change.start, change.end
        for start, end in unit.markup():
            if start == end:
                if a < start < b:
                    return False  # the change would swallow a tag
            elif (a < end and start < b) or (a == b and start < a < end):
                return False  # it would rewrite a code span or an escape
        return True

    rules = [(_guarded(rule, allowed), mode) for rule, mode in select_rules(options)]
    contexts: list[tuple[str, str]] = []
    edits = run_rules(
        ctx, rules, apply_suggestions=options.apply_suggestions, locate=lambda u: (0, u),
        on_apply=apply, contexts=contexts if with_context else None, decide=options.decide,
    )
    after = [u.view[u.lead : u.lead + u.size] for u in units]
    if after != ctx.units:
        # Never write a file whose prose went astray between the tags.
        raise StorybinderError("internal error: the cleaned text could not be put back between the markup (please report it)")
    out: list[Piece] = []
    for item in order:
        out.extend(units[item].pieces if isinstance(item, int) else [item])
    return CleanedPieces(out, edits, contexts, before, after)


def _guarded(rule: Rule, allowed: Callable[[Change], bool]) -> Rule:
    def find(ctx: Context) -> Iterator[Change]:
        return (c for c in rule.find(ctx) if allowed(c))

    return rule._replace(find=find)


def _split_line_ends(pieces: list[Piece]) -> Iterator[Piece]:
    """Prose with CR line ends or undecodable bytes split so the cleaner sees neither."""
    for piece in pieces:
        if piece.kind != "prose" or _LINE_ENDS.search(piece.source) is None:
            yield piece
            continue
        pos = 0
        for m in _LINE_ENDS.finditer(piece.source):
            if m.start() > pos:
                yield prose(piece.source[pos : m.start()], piece.slot)
            found = m.group()
            if found == "\r\n":
                yield anchor("\r", closes=True)  # the cleaner sees the \n
                yield prose("\n", piece.slot)
            elif found == "\r":
                yield frozen("\r", "\n")
            else:
                yield frozen(found, "\ufffd")  # a byte that is no character: kept, never cleaned
            pos = m.end()
        if pos < len(piece.source):
            yield prose(piece.source[pos:], piece.slot)


def _units(pieces: list[Piece]) -> tuple[list[Unit], list[Piece | int]]:
    """Group pieces into units between blocks; `order` lists blocks and unit numbers in source order."""
    units: list[Unit] = []
    order: list[Piece | int] = []
    current: list[Piece] = []
    kind: UnitKind = "para"

    def close() -> None:
        if not current:
            return
        view = "".join(p.view for p in current)
        body = view.strip()
        if body:
            lead = len(view) - len(view.lstrip())
            order.append(len(units))
            units.append(Unit(list(current), kind, lead, len(body)))
        else:
            order.extend(current)
        current.clear()

    for piece in pieces:
        if piece.kind == "block":
            close()
            order.append(piece)
            kind = piece.next_kind
        else:
            current.append(piece)
    close()
    return units, order


def _replace(pieces: list[Piece], a: int, b: int, new: str, escape: Escape) -> list[Piece]:
    """The pieces with view[a:b] replaced by `new` (markup around it kept in its place)."""
    pieces = _cut(_cut(pieces, a, escape), b, escape)
    left: list[Piece] = []
    at: list[Piece] = []  # zero-width pieces where text is inserted (a == b)
    removed: list[Piece] = []
    right: list[Piece] = []
    pos = 0
    for piece in pieces:
        start, end = pos, pos + len(piece.view)
        pos = end
        if start == end and a == b and start == a:
            at.append(piece)
        elif end < a or (end == a and (a < b or start < end)):
            left.append(piece)
        elif start >= b:
            right.append(piece)
        else:
            removed.append(piece)
    # Zero-width markup at an insertion point: closing tags keep the text
    # after them (a quote after an italic word is not italic), opening tags
    # before them; the first opener ends the run, so their order never changes.
    split = 0
    while split < len(at) and at[split].closes:
        split += 1
    before, after = left + at[:split], at[split:] + right
    if not new:
        return before + after
    slot = next((p.slot for p in removed if p.slot is not None), None)
    if slot is None:
        if before and before[-1].kind == "prose":
            slot = before[-1].slot
        elif after and after[0].kind == "prose":
            slot = after[0].slot
    return before + [Piece(escape(new), new, "prose", slot=slot)] + after


def _cut(pieces: list[Piece], at: int, escape: Escape) -> list[Piece]:
    """Split the piece that straddles view position `at` (a soft piece becomes plain text)."""
    pos = 0
    for i, piece in enumerate(pieces):
        n = len(piece.view)
        if pos < at < pos + n:
            if piece.kind not in ("prose", "soft"):
                raise AssertionError("a guarded change cut into frozen markup")
            k = at - pos
            first, second = piece.view[:k], piece.view[k:]
            return [*pieces[:i], Piece(escape(first) if piece.kind == "soft" else first, first, "prose", slot=piece.slot),
                    Piece(escape(second) if piece.kind == "soft" else second, second, "prose", slot=piece.slot),
                    *pieces[i + 1 :]]
        pos += n
    return pieces
