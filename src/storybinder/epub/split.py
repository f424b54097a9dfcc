"""Cut a long chapter's blocks into parts small enough for one XHTML file each.

Kindle conversion and older readers slow down or fail on XHTML files above
about 300 KB (`storybinder check` warns there, check/kindle_rules.py). A chapter
whose page would pass PART_BYTES is cut into parts of about equal size: at a
scene break or a sub-heading where one falls near the cut, else between two
paragraphs. Only the sizes of the blocks decide, so the same chapter is always
cut at the same places (stable file names and ids from one build to the next).
A single paragraph bigger than a part (a wall of text from an export that lost
its line breaks) is first cut into paragraphs at sentence ends.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

from ..model import Block, Heading, Paragraph, SceneBreak, Span
from ..lazy_pattern import lazy

# A part's XHTML stays under this: a margin below check's 300 KB warning for
# the page skeleton and for markup the estimate below leaves out.
PART_BYTES = 250 * 1024
# Markup around a block's text (<p>...</p>, a line break, an indent class) and
# around each inline span (<em>...</em>); an estimate, checked after rendering.
_BLOCK_MARKUP = 12
_SPAN_MARKUP = 24
# Where a sentence ends: its closing punctuation (and any closing quote or
# bracket), then the space before the next one.
_SENTENCE_END = lazy(r"[.!?…][\"'”’)\]]*(\s+)")
_SPACE = lazy(r"(\s+)")
# How far from the even cut a scene break or sub-heading is still preferred to
# cutting between paragraphs (a share of one part's size, either way).
_SEEK = 0.35


def block_bytes(block: Block) -> int:
    """About how many bytes of XHTML `block` becomes."""
    text = getattr(block, "text", "") or ""
    spans = getattr(block, "spans", ())
    # A character escaped as an entity (&amp; &lt; &gt;) grows by 3 or 4 bytes.
    escaped = 4 * (text.count("&") + text.count("<") + text.count(">"))
    return len(text.encode("utf-8", "surrogatepass")) + escaped + _BLOCK_MARKUP + _SPAN_MARKUP * len(spans)


def split_blocks(blocks: Sequence[Block], limit: int = PART_BYTES) -> list[list[Block]]:
    """`blocks` cut into parts of at most about `limit` bytes each (one part when it fits)."""
    blocks = [piece for block in blocks for piece in _paragraph_pieces(block, limit)]
    sizes = [block_bytes(b) for b in blocks]
    total = sum(sizes)
    if total <= limit or len(blocks) < 2:
        return [list(blocks)]
    count = math.ceil(total / limit)
    share = total / count
    # before[i]: bytes in blocks[:i].
    before = [0]
    for size in sizes:
        before.append(before[-1] + size)
    cuts = [0]
    for k in range(1, count):
        cut = _cut_near(blocks, before, k * share, share, cuts[-1], limit)
        if cut > cuts[-1]:
            cuts.append(cut)
    cuts.append(len(blocks))
    parts = [list(blocks[a:b]) for a, b in zip(cuts, cuts[1:]) if b > a]
    # A cut pulled to a break can leave a part over the limit: cut that one again.
    out: list[list[Block]] = []
    for part in parts:
        out.extend(split_blocks(part, limit) if sum(map(block_bytes, part)) > limit and len(part) > 1 else [part])
    return out


def _cut_near(blocks: Sequence[Block], before: list[int], ideal: float, share: float, previous: int, limit: int) -> int:
    """The block index to cut before: a scene break or sub-heading near `ideal` bytes, else the paragraph boundary there."""
    reach = _SEEK * share
    best: int | None = None
    for i in range(previous + 1, len(blocks)):
        if before[i] - before[previous] > limit:
            break
        if before[i] < ideal - reach:
            continue
        if before[i] > ideal + reach:
            break
        if isinstance(blocks[i], (SceneBreak, Heading)) and (best is None or abs(before[i] - ideal) < abs(before[best] - ideal)):
            best = i
    if best is not None:
        return best
    # Between paragraphs: the boundary closest to the even cut that keeps the part under the limit.
    i = previous + 1
    while i < len(blocks) and before[i] < ideal and before[i + 1] - before[previous] <= limit:
        i += 1
    return min(i, len(blocks) - 1)


def _paragraph_pieces(block: Block, limit: int) -> list[Block]:
    """`block` alone, or an oversized paragraph cut at sentence ends into paragraphs of about half a part each."""
    size = block_bytes(block)
    if not isinstance(block, Paragraph) or size <= limit:
        return [block]
    text = block.text
    # Half a part each, so the parts around them can still be balanced.
    count = math.ceil(size / (limit / 2))
    step = len(text) / count
    ends = list(_SENTENCE_END.finditer(text)) or list(_SPACE.finditer(text))
    cuts: list[tuple[int, int]] = []  # (end of one piece, start of the next)
    k = 1
    for match in ends:
        if match.start(1) >= k * step:
            gap = match.span(1)
            if not cuts or gap[0] > cuts[-1][1]:
                cuts.append(gap)
            k += 1
            if k >= count:
                break
    if not cuts:
        return [block]
    bounds = [0] + [x for gap in cuts for x in gap] + [len(text)]
    return [_piece(block, a, b) for a, b in zip(bounds[::2], bounds[1::2])]


def _piece(block: Paragraph, start: int, end: int) -> Paragraph:
    """The paragraph's text[start:end] with its spans clipped and moved to match."""
    spans = tuple(
        dataclasses.replace(span, start=max(span.start, start) - start, end=min(span.end, end) - start)
        for span in block.spans
        if span.end > start and span.start < end
    )
    return dataclasses.replace(block, text=block.text[start:end], spans=spans)
