"""Markdown -> Story, with YAML (`---`) or TOML (`+++`) front matter for metadata.

markdown-it-py (CommonMark plus `~~strike~~`, minus code blocks) renders the body to HTML, which
goes through the same sanitiser and block walker as an HTML file, so inline
HTML in Markdown is as safe as a web page and every format shares one notion
of emphasis, headings and scene breaks. Front matter uses the sidecar keys
(manifest.metadata_from_mapping).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from ..errors import StorybinderError
from ..manifest import metadata_from_mapping
from ..model import Metadata, Story
from .assemble import assemble
from .block_sink import Item
from .html_blocks import items_from_html
from .text_file import read_decoded

SUFFIXES = frozenset({".md", ".markdown"})

_FRONT_MATTER = re.compile(r"\A(?P<fence>---|\+\+\+)[ \t]*\n(?P<body>.*?)\n(?P=fence)[ \t]*(?:\n|\Z)", re.DOTALL)


def detect(path: Path) -> bool:
    """Any Markdown-suffixed file is Markdown."""
    return True


def read(path: Path) -> Story:
    """Read a Markdown file (with optional front matter) into a Story."""
    decoded = read_decoded(path)
    story = parse_markdown(decoded.text, path)
    story.warnings += decoded.warnings(path)
    return story


def parse_markdown(text: str, path: Path | None = None) -> Story:
    """Parse decoded Markdown into a Story."""
    data, body = split_front_matter(text, path)
    metadata = metadata_from_mapping(data, path.parent if path else Path.cwd(), path or Path("<markdown>")) if data else Metadata()
    result = assemble(markdown_items(body), known_title=metadata.title)
    return Story(metadata=result.metadata.merged(metadata), chapters=result.chapters, source=path)


def markdown_items(body: str) -> list[Item]:
    """The blocks and headings of a Markdown body (no front matter)."""
    from markdown_it import MarkdownIt

    # Fiction indents paragraphs and uses `~~~` as a scene break: neither is code here.
    options = {"typographer": False, "breaks": lines_are_paragraphs(body)}
    renderer = MarkdownIt("commonmark", options).enable("strikethrough").disable(["code", "fence"])
    return items_from_html(renderer.render(body))


_LONG_LINE = 100  # longer than any hard-wrapped line; only unwrapped prose runs this long


def lines_are_paragraphs(body: str) -> bool:
    """True for Markdown written one paragraph per line with no blank lines between
    (as Obsidian and many editors show it), where CommonMark would glue the lines
    of a whole scene into one paragraph."""
    lines = [line for line in body.split("\n") if line.strip()]
    if not lines:
        return False
    long_lines = [i for i, line in enumerate(lines) if len(line) > _LONG_LINE]
    body_lines = body.split("\n")
    glued = sum(1 for a, b in zip(body_lines, body_lines[1:]) if len(a) > _LONG_LINE and b.strip())
    return len(long_lines) * 2 >= len(lines) and glued * 4 >= len(long_lines)


def split_front_matter(text: str, path: Path | None) -> tuple[dict[str, Any], str]:
    """Return (front matter table, body); the table is empty when there is none."""
    match = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    if not match:
        return {}, text
    raw = match.group("body")
    body = text.lstrip("\ufeff")[match.end() :]
    if match.group("fence") == "+++":
        try:
            return tomllib.loads(raw), body
        except tomllib.TOMLDecodeError as exc:
            raise StorybinderError(f"malformed TOML front matter: {exc}", path=path) from None
    data = _yaml(raw, path)
    # "---" lines around ordinary text are thematic breaks, not front matter.
    return (data, body) if data is not None else ({}, text)


def _yaml(raw: str, path: Path | None) -> dict[str, Any] | None:
    import yaml

    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        if ":" not in raw:
            return None
        raise StorybinderError(f"malformed YAML front matter: {_yaml_problem(exc)}", path=path) from None
    return data if isinstance(data, dict) else None


def _yaml_problem(exc: Exception) -> str:
    """PyYAML's several-line report as one line, with the line number in the file."""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    mark = getattr(exc, "problem_mark", None)
    # The front matter starts on the file's second line, after its opening fence.
    return f"{problem} (line {mark.line + 2}, column {mark.column + 1})" if mark is not None else problem
