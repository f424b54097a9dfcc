"""Write stories/lamplight-word-edition.docx: the Lamplight sample as a Word document.

The story text is taken from the Markdown edition (read with storybinder's own
reader) and written with python-docx the way an author would set it in Word:
a Title paragraph, "Heading 1" chapters, italic and bold runs, a centred
"* * *" scene break, and title/author/comments/keywords in the core properties.
Run it again after changing the story: `python bench/make_sample_docx.py`.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH

from storybinder.model import Paragraph, SceneBreak, Style
from storybinder.readers import read_story

STORIES = Path(__file__).resolve().parent.parent / "stories"
TITLE = "Lamplight (Word edition)"


def runs(paragraph: Paragraph) -> list[tuple[str, set[Style]]]:
    """Split a paragraph's text at every span edge into (text, styles) runs."""
    cuts = sorted({0, len(paragraph.text), *(s.start for s in paragraph.spans), *(s.end for s in paragraph.spans)})
    return [
        (paragraph.text[a:b], {s.style for s in paragraph.spans if s.start <= a and b <= s.end})
        for a, b in zip(cuts, cuts[1:])
    ]


def main() -> None:
    story = read_story(STORIES / "lamplight-markdown-edition.md")
    meta = story.metadata
    document = docx.Document()
    props = document.core_properties
    props.title = TITLE
    props.author = "; ".join(p.name for p in meta.authors)
    props.comments = meta.description
    props.keywords = ", ".join(meta.tags)
    props.language = meta.language
    props.created = props.modified = datetime.datetime(2026, 11, 21, 12, 0, 0)
    document.add_paragraph(TITLE, style="Title")
    for chapter in story.chapters:
        document.add_paragraph(chapter.title, style="Heading 1")
        for block in chapter.blocks:
            if isinstance(block, SceneBreak):
                document.add_paragraph("* * *").alignment = WD_ALIGN_PARAGRAPH.CENTER
                continue
            assert isinstance(block, Paragraph)
            para = document.add_paragraph()
            for text, styles in runs(block):
                run = para.add_run(text)
                run.italic = Style.EMPHASIS in styles or None
                run.bold = Style.STRONG in styles or None
    document.save(STORIES / "lamplight-word-edition.docx")


if __name__ == "__main__":
    main()
