"""Word `.docx` -> Story, via python-docx.

python-docx (rather than a .docx -> HTML converter) gives us what a converter
drops: paragraph alignment (centred scene-break and title lines) and small
caps, plus the document's core properties. Heading styles become headings
(chapters, see assemble), "Title" is the story title, "Quote" styles are block
quotes; run italics, bold, underline, strike-through, small caps and hyperlinks
become spans. Title, author, description (the document's comments), keywords
and language come from the core properties; where they are missing or empty,
the page's own front matter names the story (docx_front.py).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import StorybinderError
from ..model import Metadata, Person, Story, Style
from .assemble import assemble
from .block_sink import Align, BlockSink
from .docx_front import ROLE_STYLES, Marked, front_matter
from .html_blocks import SAFE_SCHEMES

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph as DocxParagraph
    from docx.text.run import Run

SUFFIXES = frozenset({".docx"})

_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
_QUOTE_STYLES = {"quote", "intense quote", "block text"}
_PLACEHOLDER_TITLE = "Word Document"  # python-docx's title for properties it makes up
_NAME_SPLIT = re.compile(r"\s*(?:;|&|\band\b)\s*")


def detect(path: Path) -> bool:
    """A .docx is a zip holding word/document.xml."""
    return True


def read(path: Path) -> Story:
    """Read a Word document into a Story."""
    document = _open(path)
    metadata = _core_metadata(document)
    styles = _StyleTable(document)
    sink = BlockSink()
    marked: list[Marked] = []
    for paragraph in document.paragraphs:
        before = len(sink.items)
        role = _paragraph(paragraph, sink, styles)
        sink.end_paragraph()
        marked += [Marked(item, role) for item in sink.items[before:]]
    sink.finish()
    # Title, subtitle and byline paragraphs name the story (where the properties do not), never a chapter.
    front = front_matter(marked, metadata)
    result = assemble(front.body, known_title=front.metadata.title)
    metadata = result.metadata.merged(front.metadata)
    if not metadata.title and front.fallback_title:
        metadata = metadata.merged(Metadata(title=front.fallback_title))
    return Story(metadata=metadata, chapters=result.chapters, source=path)


def _open(path: Path) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    from ..epub_open import refuse_zip_bomb

    refuse_zip_bomb(path, "Word document")
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        # A damaged part (word/document.xml cut short) fails as malformed XML.
        detail = f": {exc.msg}" if isinstance(exc, etree.XMLSyntaxError) else ""
        raise StorybinderError(
            f"not a readable Word document{detail}", path=path, hint="save it from Word or LibreOffice as .docx (not .doc)"
        ) from None


def _core_metadata(document: Document) -> Metadata:
    """The document properties, when the file has them.

    python-docx makes up a properties part for a file without one (Google Docs,
    many converters) and titles it "Word Document": that is not the author's title.
    """
    from docx.opc.constants import RELATIONSHIP_TYPE

    try:
        document.part.package.part_related_by(RELATIONSHIP_TYPE.CORE_PROPERTIES)
    except KeyError:
        return Metadata()
    props = document.core_properties
    keywords = props.keywords or ""
    title = (props.title or "").strip()
    if title == _PLACEHOLDER_TITLE and props.last_modified_by == "python-docx":
        title = ""  # that made-up part, saved again by python-docx
    return Metadata(
        title=title or None,
        authors=tuple(Person(n) for n in _NAME_SPLIT.split(props.author or "") if n.strip()),
        description=(props.comments or "").strip() or None,
        tags=tuple(t.strip() for t in re.split(r"[,;]", keywords) if t.strip()),
        language=(props.language or "").strip() or None,
    )


class _StyleTable:
    """Styles by id, resolved once: python-docx looks them up afresh on every access."""

    def __init__(self, document: Document) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        self.by_id = {style.style_id: style for style in document.styles}
        self.default_paragraph = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        self.default_character = document.styles.default(WD_STYLE_TYPE.CHARACTER)
        self._flags: dict[tuple[str | None, str], bool | None] = {}

    def paragraph_style(self, paragraph: DocxParagraph) -> Any:
        style_id = paragraph._p.style
        return self.by_id.get(style_id, self.default_paragraph) if style_id else self.default_paragraph

    def run_flag(self, run: Run, attr: str) -> bool:
        """A run's own setting, else its character style's (and that style's bases')."""
        value = getattr(run.font, attr)
        if value is not None:
            return bool(value)
        style_id = run._r.style
        key = (style_id, attr)
        if key not in self._flags:
            style = self.by_id.get(style_id, self.default_character) if style_id else self.default_character
            while value is None and style is not None:
                value = getattr(style.font, attr)
                style = style.base_style
            self._flags[key] = value
        return bool(self._flags[key])


def _paragraph(paragraph: DocxParagraph, sink: BlockSink, styles: _StyleTable) -> str | None:
    """Send one paragraph to the sink; return the front-matter role its style gives it (docx_front)."""
    from docx.text.hyperlink import Hyperlink

    style = styles.paragraph_style(paragraph)
    name = (style.name if style is not None else "") or ""
    role = ROLE_STYLES.get(name.strip().lower())
    align = _alignment(paragraph, style)
    with sink.block(align=align, quoted=name.lower() in _QUOTE_STYLES, heading=_heading_level(name)):
        for part in paragraph.iter_inner_content():
            if isinstance(part, Hyperlink):
                href = part.address or ""
                linked = href.lower().startswith(SAFE_SCHEMES)
                if linked:
                    sink.push(Style.LINK, href)
                for run in part.runs:
                    _run(run, sink, styles)
                if linked:
                    sink.pop(Style.LINK)
            else:
                _run(part, sink, styles)
    return role


def _heading_level(style: str) -> int | None:
    match = _HEADING_STYLE.match(style.strip())
    return int(match.group(1)) if match else None


def _alignment(paragraph: DocxParagraph, style: Any) -> Align:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    alignment = paragraph.alignment
    while alignment is None and style is not None:
        alignment = style.paragraph_format.alignment
        style = style.base_style
    if alignment == WD_ALIGN_PARAGRAPH.CENTER:
        return "center"
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        return "right"
    return None


def _run(run: Run, sink: BlockSink, table: _StyleTable) -> None:
    styles = [style for style, attr in _RUN_FLAGS if table.run_flag(run, attr)]
    for style in styles:
        sink.push(style)
    # A manual line break (Shift+Enter) separates lines as a new paragraph would.
    for i, line in enumerate(run.text.split("\n")):
        if i:
            sink.end_paragraph()
        sink.text(line)
    for style in reversed(styles):
        sink.pop(style)


_RUN_FLAGS = (
    (Style.EMPHASIS, "italic"),
    (Style.STRONG, "bold"),
    (Style.UNDERLINE, "underline"),
    (Style.STRIKE, "strike"),
    (Style.STRIKE, "double_strike"),
    (Style.SMALL_CAPS, "small_caps"),
)

