"""Project Gutenberg's boilerplate in a text: where the book starts and ends, and its header fields.

Every PG text is `header, start marker, book, end marker, licence`. The markers
changed over the years; all of these are recognised:

- `*** START OF THE PROJECT GUTENBERG EBOOK TITLE ***` (since 2020; the title
  may wrap onto a second line), `*** START OF THIS PROJECT GUTENBERG EBOOK`,
  `***START OF THE PROJECT GUTENBERG EBOOK` (no space);
- `*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*` (the 1990s
  licence came first, the book after it);
- at the end: `*** END OF THE/THIS PROJECT GUTENBERG EBOOK`, `End of the Project
  Gutenberg EBook of TITLE`, `End of Project Gutenberg's TITLE, by AUTHOR`,
  `End of this Project Gutenberg Etext`.

The header holds `Title:` (a subtitle on indented lines after it), `Author:`,
`Translator:`/`Illustrator:`/`Editor:`, `Release Date:` (with `[EBook #N]`) and
`Language:`; the oldest files name the book only in their first line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from ..model import Metadata, Person
from ..lazy_pattern import lazy

_START = lazy(
    r"^[ \t]*\*{2,3}[ \t]*START[ \t]+OF[ \t]+(?:THE|THIS)[ \t]+PROJECT[ \t]+GUTENBERG\b[^\n]*(?:\n[^\n*]*\*{2,3}[ \t]*$)?"
    r"|^[^\n]*\*END\*?[ \t]*THE SMALL PRINT[^\n]*$",
    re.IGNORECASE | re.MULTILINE,
)
_END = lazy(
    r"^[ \t]*\*{0,3}[ \t]*END[ \t]+OF[ \t]+(?:THE[ \t]+|THIS[ \t]+)?PROJECT[ \t]+GUTENBERG\b"
    r"|^[ \t]*End[ \t]+of[ \t]+(?:the[ \t]+|this[ \t]+)?Project[ \t]+Gutenberg(?:'s|’s)?\b",
    re.IGNORECASE | re.MULTILINE,
)
_FIELD = lazy(r"^(?P<key>[A-Za-z][A-Za-z ]{1,30}?)[ \t]*:[ \t]*(?P<value>\S.*?)[ \t]*$")
_NUMBER = lazy(r"\[\s*E-?(?:Book|text)\s*#\s*(\d+)\s*\]", re.IGNORECASE)
# First lines that name the book: "The Project Gutenberg eBook of TITLE, by AUTHOR",
# "Project Gutenberg's TITLE, by AUTHOR", "***This is the Project Gutenberg Etext of TITLE***".
_FIRST_LINE = lazy(
    r"^[\s*]*(?:This is )?(?:The )?Project Gutenberg(?:'s|’s)?(?:[ \t]+E-?(?:Book|text)[ \t]+of)?[ \t,]+"
    r"(?P<title>.+?)(?:,[ \t]+by[ \t]+(?P<author>[^*]+?))?[\s*]*$",
    re.IGNORECASE,
)
# The languages PG's catalogue names most, as BCP 47 tags.
_LANGUAGES = {
    "english": "en", "french": "fr", "german": "de", "spanish": "es", "italian": "it", "portuguese": "pt",
    "dutch": "nl", "finnish": "fi", "swedish": "sv", "danish": "da", "norwegian": "no", "latin": "la",
    "greek": "el", "russian": "ru", "polish": "pl", "hungarian": "hu", "czech": "cs", "esperanto": "eo",
    "catalan": "ca", "welsh": "cy", "irish": "ga", "chinese": "zh", "japanese": "ja", "tagalog": "tl",
    "icelandic": "is", "romanian": "ro", "hebrew": "he", "arabic": "ar", "afrikaans": "af", "galician": "gl",
}
_ROLES = {"translator": "trl", "illustrator": "ill", "editor": "edt", "translated by": "trl", "illustrated by": "ill"}
_DATE_FORMATS = ("%B %d, %Y", "%B %d %Y", "%b %d, %Y", "%d %B %Y", "%B, %Y", "%B %Y", "%Y-%m-%d", "%Y")
_NAME_SPLIT = lazy(r"\s*;\s*|\s+and\s+|\s*&\s*")
EBOOK_URL = "https://www.gutenberg.org/ebooks/{}"


@dataclass(frozen=True)
class Parts:
    """A PG text cut at its markers: the header, the book itself and what follows it."""

    header: str
    body: str
    licence: str


def is_gutenberg_text(text: str) -> bool:
    """Whether the opening of a text carries Project Gutenberg's header or start marker."""
    head = text[:60_000]
    return bool(_START.search(head)) and "gutenberg" in head.lower()


def is_gutenberg_ending(tail: str) -> bool:
    """Whether the end of a text carries PG's end marker and licence (a file whose header was cut off)."""
    match = _END.search(tail)
    return bool(match) and "project gutenberg" in tail[match.start():].lower()


def split_parts(text: str) -> Parts:
    """Cut a PG text at its start and end markers (the whole text is the body if one is missing)."""
    starts = [m for m in _START.finditer(text[: max(60_000, len(text) // 2)])]
    begin = starts[-1].end() if starts else 0
    end_match = _END.search(text, begin)
    end = end_match.start() if end_match else len(text)
    return Parts(text[:begin], text[begin:end], text[end:])


def header_metadata(header: str) -> Metadata:
    """Title, authors, contributors, language, release date and source URL from a PG header."""
    fields: dict[str, list[str]] = {}
    key: str | None = None
    for line in header.split("\n"):
        if not line.strip():
            key = None
        elif line[:1].isspace() and key == "title":
            fields[key][-1] += "\n" + line.strip()  # a subtitle on the lines under Title:
        elif match := _FIELD.match(line.strip()):
            key = match.group("key").strip().lower()
            fields.setdefault(key, []).append(match.group("value"))
        else:
            key = None
    title, subtitle = _title(fields, header)
    number = _NUMBER.search(header)
    contributors = tuple(
        Person(name, role=role) for field, role in _ROLES.items() for value in fields.get(field, ()) for name in _names(value)
    )
    return Metadata(
        title=title,
        subtitle=subtitle,
        authors=tuple(Person(n) for value in fields.get("author", fields.get("authors", ())) for n in _names(value))
        or _first_line_author(header),
        contributors=contributors,
        language=_language(fields.get("language", [""])[0]),
        date=_date(fields),
        source_url=EBOOK_URL.format(number.group(1)) if number else None,
    )


def ending_metadata(licence: str) -> Metadata:
    """Title and author from the end line ("End of the Project Gutenberg EBook of TITLE, by AUTHOR"), which may wrap."""
    first = " ".join(licence.strip().split("\n\n", 1)[0].split())
    match = _FIRST_LINE.match(re.sub(r"^End of\s+", "", first, flags=re.IGNORECASE)) if first else None
    if not match:
        return Metadata()
    author = match.group("author")
    return Metadata(
        title=match.group("title").strip(" ,.*") or None,
        authors=tuple(Person(n) for n in _names(author)) if author else (),
    )


def _title(fields: dict[str, list[str]], header: str) -> tuple[str | None, str | None]:
    if "title" in fields:
        first, _, rest = fields["title"][0].partition("\n")
        return " ".join(first.split()) or None, " ".join(rest.split()) or None
    match = _first_line(header)
    return (match.group("title").strip(" ,.*") or None, None) if match else (None, None)


def _first_line(header: str) -> re.Match[str] | None:
    for line in header.split("\n")[:5]:
        match = _FIRST_LINE.match(line.strip())
        if match:
            return match
    return None


def _first_line_author(header: str) -> tuple[Person, ...]:
    match = _first_line(header)
    author = match.group("author") if match else None
    return tuple(Person(n) for n in _names(author)) if author else ()


def _names(value: str) -> list[str]:
    return [n.strip(" .,") for n in _NAME_SPLIT.split(value) if n.strip(" .,")]


def _language(name: str) -> str | None:
    first = re.split(r"[,;/]| and ", name.strip().lower())[0].strip()
    return _LANGUAGES.get(first) or (first if re.fullmatch(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})*", first) else None)


def _date(fields: dict[str, list[str]]) -> str | None:
    """The release date as a W3C date (YYYY-MM-DD, or YYYY-MM when PG gives only the month)."""
    for key in ("release date", "release date of this edition", "posting date", "first posted"):
        for value in fields.get(key, ()):
            text = value.split("[")[0].strip(" .,")
            for fmt in _DATE_FORMATS:
                try:
                    when = datetime.strptime(text, fmt)
                except ValueError:
                    continue
                if "%d" in fmt:
                    return when.strftime("%Y-%m-%d")
                return when.strftime("%Y-%m") if "%B" in fmt or "%b" in fmt else when.strftime("%Y")
    return None
