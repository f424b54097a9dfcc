"""Where each edit's result stands in the cleaned story, and a decision put into it without cleaning again.

Cleaning a long novel again takes seconds; a decision changes one place. The
cleanup engine reports each edit at its offset in the text as its rule saw
it; `final_positions` follows every later change of the same paragraph to
find where the edit's result is in the cleaned text, so `patch` can put the
author's choice there at once (spans shift as the cleaner's own edits shift
them). A patch that finds other text than expected refuses (returns False):
the caller cleans again instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..model import Edit, Heading, Paragraph, Story, Verse

LOST = -1  # the edit's result was rewritten by a later rule: it has no place of its own


def _result_length(edit: Edit) -> int:
    return len(edit.after) if edit.applied else len(edit.before)


def final_positions(edits: Sequence[Edit]) -> list[int]:
    """For each edit (in the engine's order), the offset of its result in its paragraph's cleaned text."""
    positions = [LOST] * len(edits)
    units: dict[tuple[int, int], list[int]] = {}
    for n, edit in enumerate(edits):
        units.setdefault((edit.chapter, edit.block), []).append(n)
    for members in units.values():
        start = 0
        while start < len(members):
            # The engine makes one rule's edits of one paragraph together, in text order.
            rule = edits[members[start]].rule
            end = start
            while end < len(members) and edits[members[end]].rule == rule:
                end += 1
            batch = members[start:end]
            changes = [(edits[k].offset, len(edits[k].before), len(edits[k].after) - len(edits[k].before))
                       for k in batch if edits[k].applied]
            for k in members[:start]:  # placed by earlier rules: this rule's changes move them
                positions[k] = _moved(positions[k], _result_length(edits[k]), changes)
            for k in batch:
                offset = edits[k].offset
                positions[k] = offset + sum(delta for at, _, delta in changes if at < offset)
            start = end
    return positions


def _moved(position: int, length: int, changes: list[tuple[int, int, int]]) -> int:
    if position == LOST:
        return LOST
    shift = 0
    for at, removed, delta in changes:
        if at + removed <= position and not (removed == 0 and at == position and length == 0):
            shift += delta
        elif at >= position + length:
            continue
        else:
            return LOST  # a later rule changed the result itself
    return position + shift


class PatchedStory:
    """A cleaned story's chapters, into which decisions are put as they are made."""

    def __init__(self, story: Story, edits: Sequence[Edit]) -> None:
        self.chapters = [replace(ch, blocks=list(ch.blocks)) for ch in story.chapters]  # blocks replaced, never changed
        self.story = replace(story, chapters=self.chapters)
        self.edits = edits
        self.positions = final_positions(edits)
        self._members: dict[tuple[int, int], list[int]] = {}
        for n, edit in enumerate(edits):
            self._members.setdefault((edit.chapter, edit.block), []).append(n)

    def text_of(self, index: int) -> str | None:
        """The cleaned text of edit `index`'s paragraph (or title)."""
        edit = self.edits[index]
        chapter = self.chapters[edit.chapter]
        if edit.block < 0:
            return chapter.title or ""
        return getattr(chapter.blocks[edit.block], "text", None)

    def patch(self, index: int, old: str, new: str) -> bool:
        """Put `new` where edit `index`'s result `old` stands; False (nothing changed) when it is not there."""
        edit, at = self.edits[index], self.positions[index]
        if at == LOST:
            return False
        text = self.text_of(index)
        if text is None or text[at : at + len(old)] != old:
            return False
        if old == new:
            return True
        end = at + len(old)
        chapter = self.chapters[edit.chapter]
        if edit.block < 0:
            chapter.title = text[:at] + new + text[end:]
        else:
            block = chapter.blocks[edit.block]
            if isinstance(block, (Paragraph, Verse)):
                chapter.blocks[edit.block] = block.replace(at, end, new)
            elif isinstance(block, Heading):
                moved = Paragraph(block.text, block.spans).replace(at, end, new)
                chapter.blocks[edit.block] = replace(block, text=moved.text, spans=moved.spans)
            else:
                return False
        delta = len(new) - len(old)
        for k in self._members[(edit.chapter, edit.block)]:
            if k != index and self.positions[k] != LOST and self.positions[k] >= end:
                self.positions[k] += delta
        return True
