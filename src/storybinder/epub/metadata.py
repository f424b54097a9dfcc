"""OPF metadata: identifier, dates, people, series, accessibility.

Everything here is a pure function of the Book (and SOURCE_DATE_EPOCH), so the
same inputs always give the same package document.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from ..errors import StorybinderError
from ..lazy_pattern import lazy
from ..model import Book, Metadata, Person
from .devices import calibre_series_metas, epub2_cover_meta, format_number
from .xhtml import xml_text

log = logging.getLogger(__name__)

# Namespace for identifiers derived from content (uuid5): fixed forever, so a
# rebuild of the same book keeps its identifier.
STORYBINDER_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://storybinder.invalid/book-identifier")

# When neither SOURCE_DATE_EPOCH nor the book's date says when it was made, the
# modification time is this constant: the wall clock would break reproducibility.
FALLBACK_MODIFIED = datetime(2000, 1, 1, tzinfo=timezone.utc)

DEFAULT_LANGUAGE = "en"
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
_W3CDTF = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$")
_ISBN_CHARS = lazy(r"[\s-]")  # compiled for a book with an ISBN only
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S")


def language(book: Book) -> str:
    """The book's BCP 47 language tag; "en" when unset or malformed."""
    return language_tag(book.metadata.language, DEFAULT_LANGUAGE)


def language_tag(text: str | None, default: str) -> str:
    """`text` as a BCP 47 tag (en_GB -> en-GB), or `default` when unset or malformed."""
    lang = (text or "").strip().replace("_", "-")
    if not lang:
        return default
    if not _LANGUAGE_TAG.match(lang):
        log.warning("language %r is not a BCP 47 tag; using %r", lang, default)
        return default
    return lang


def book_creators(book: Book) -> list[Person]:
    """Who the book is by: its own authors; for an anthology without any, its
    editors, else every story's authors in reading order, each once."""
    if book.metadata.authors:
        return list(book.metadata.authors)
    if book.anthology:
        editors = [p for p in book.metadata.contributors if p.role == "edt"]
        if editors:
            return editors
    seen: dict[str, Person] = {}
    for story in book.stories:
        for person in story.metadata.authors:
            seen.setdefault(person.name, person)
    return list(seen.values())


def content_fingerprint(book: Book) -> str:
    """A digest of the words of the book: title, authors and every block of text."""
    h = hashlib.sha256()

    def feed(text: str | None) -> None:
        h.update((text or "").encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")

    feed(book.metadata.title)
    for person in book.metadata.authors:
        feed(person.name)
    for story in book.stories:
        feed(story.metadata.title)
        for person in story.metadata.authors:
            feed(person.name)
        for chapter in story.chapters:
            feed(chapter.title)
            for block in chapter.blocks:
                feed(getattr(block, "text", ""))
    return h.hexdigest()


def identifier(book: Book) -> str:
    """The book's unique identifier: urn:isbn for an ISBN, else a stable urn:uuid."""
    meta = book.metadata
    if meta.isbn:
        return "urn:isbn:" + _ISBN_CHARS.sub("", xml_text(meta.isbn))
    given = xml_text(meta.identifier).strip()  # uuid5 cannot hash a lone surrogate; XML cannot hold one
    if given:
        if _URI.match(given) and not any(c.isspace() for c in given):
            # A URI (urn:, a story's web address, fanficfare-uid:...) is kept as it
            # is: a rebuilt EPUB keeps the identifier its reader's library knows.
            return given
        try:
            return f"urn:uuid:{uuid.UUID(given)}"
        except ValueError:
            return f"urn:uuid:{uuid.uuid5(STORYBINDER_NAMESPACE, given)}"
    return f"urn:uuid:{uuid.uuid5(STORYBINDER_NAMESPACE, content_fingerprint(book))}"


def modified(book: Book, environ: dict[str, str] | None = None) -> datetime:
    """dcterms:modified: SOURCE_DATE_EPOCH, else the book's date, else a fixed constant."""
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        except (ValueError, OverflowError, OSError) as exc:
            raise StorybinderError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp",
                hint="set it to whole seconds since 1970, e.g. $(git log -1 --format=%ct)",
            ) from exc
    date = parse_date(book.metadata.date)
    return date or FALLBACK_MODIFIED


def parse_date(text: str | None) -> datetime | None:
    """A W3C date (2024, 2024-05, 2024-05-17, or a full timestamp) as UTC, else None."""
    text = (text or "").strip()
    if not _W3CDTF.match(text):
        return None
    parts = text.split("-")
    try:
        if len(text) == 4:
            return datetime(int(text), 1, 1, tzinfo=timezone.utc)
        if len(parts) == 2:
            return datetime(int(parts[0]), int(parts[1]), 1, tzinfo=timezone.utc)
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def sort_name(person: Person) -> str:
    """The file-as name: the given sort name, else "Last, First" for a multi-word name."""
    if person.sort_name:
        return person.sort_name
    words = person.name.split()
    if len(words) < 2:
        return person.name.strip()
    suffix = ""
    if words[-1].rstrip(".").lower() in {"jr", "sr", "ii", "iii", "iv"} and len(words) > 2:
        suffix = ", " + words.pop()
    return f"{words[-1]}, {' '.join(words[:-1])}{suffix}"


@dataclass(frozen=True)
class MetaEntry:
    """One element of <metadata>: a DC element (namespace "DC") or an OPF <meta> (namespace None)."""

    namespace: str | None
    name: str
    value: str
    attrs: tuple[tuple[str, str], ...] = ()


def _dc(name: str, value: str, **attrs: str) -> MetaEntry:
    return MetaEntry("DC", name, xml_text(value).strip(), tuple(attrs.items()))


def _meta(value: str, **attrs: str) -> MetaEntry:
    return MetaEntry(None, "meta", xml_text(value).strip(), tuple((k.replace("_", "-"), v) for k, v in attrs.items()))


def entries(
    book: Book, *, lang: str, cover_image_id: str | None, cover_alt: bool, story_ids: list[str] | None = None
) -> list[MetaEntry]:
    """Every metadata entry except the identifier and dcterms:modified, in output order.

    `story_ids` are the manifest ids of an anthology's story title pages: each
    story's own metadata refines its page.
    """
    meta = book.metadata
    out = [
        _dc("title", xml_text(meta.title).strip() or "Untitled", id="title"),
        _meta("main", refines="#title", property="title-type"),
    ]
    if meta.subtitle and xml_text(meta.subtitle).strip():
        out += [_dc("title", meta.subtitle, id="subtitle"), _meta("subtitle", refines="#subtitle", property="title-type")]
    out.append(_dc("language", lang))

    creators = book_creators(book)
    for i, person in enumerate(creators, start=1):
        out += _person("creator", f"creator{i}", person)
    # Editors who became the anthology's creators are not listed twice.
    for i, person in enumerate((c for c in meta.contributors if c not in creators), start=1):
        out += _person("contributor", f"contributor{i}", person)

    if meta.description and xml_text(meta.description).strip():
        out.append(_dc("description", meta.description))
    for tag in dict.fromkeys(t.strip() for t in meta.tags if xml_text(t).strip()):
        out.append(_dc("subject", tag))
    if meta.publisher:
        out.append(_dc("publisher", meta.publisher))
    if meta.rights:
        out.append(_dc("rights", meta.rights))
    date = (meta.date or "").strip()
    if date:
        when = parse_date(date)
        if when is None:
            log.warning("date %r is not a W3C date (YYYY-MM-DD); left out of the EPUB", date)
        elif "T" in date:
            # A time needs a zone in W3CDTF (EPUBCheck OPF-053): give it in UTC.
            out.append(_dc("date", when.strftime("%Y-%m-%dT%H:%M:%SZ")))
        else:
            out.append(_dc("date", date))
    if meta.source_url:
        out.append(_dc("source", meta.source_url))

    if meta.series and xml_text(meta.series).strip():
        out.append(_meta(meta.series, property="belongs-to-collection", id="series"))
        out.append(_meta("series", refines="#series", property="collection-type"))
        if meta.series_index is not None:
            out.append(_meta(format_number(meta.series_index), refines="#series", property="group-position"))
        for attrs in calibre_series_metas(xml_text(meta.series).strip(), meta.series_index):
            out.append(MetaEntry(None, "meta", "", tuple(attrs.items())))
    for story, item_id in zip(book.stories, story_ids or ()):
        out += _story_refines(story.metadata, item_id)
    if cover_image_id:
        out.append(MetaEntry(None, "meta", "", tuple(epub2_cover_meta(cover_image_id).items())))
    out += accessibility(has_cover=cover_image_id is not None, cover_alt=cover_alt)
    # A field that was only spaces or control characters would be an empty
    # element, which EPUBCheck rejects: leave it out.
    return [e for e in out if e.value or (e.namespace is None and "name" in dict(e.attrs))]


def _story_refines(meta: Metadata, item_id: str) -> list[MetaEntry]:
    """One anthology story's metadata as dcterms properties refining its title page item."""
    target = f"#{item_id}"
    out = [_meta(xml_text(meta.title).strip() or "Untitled", refines=target, property="dcterms:title")]
    named = [p for p in meta.authors if xml_text(p.name).strip()]  # an empty name would leave its file-as dangling
    for n, person in enumerate(named, start=1):
        ident = f"{item_id}-creator{n}"
        out.append(_meta(person.name, refines=target, property="dcterms:creator", id=ident))
        out.append(_meta(xml_text(sort_name(person)).strip() or person.name, refines=f"#{ident}", property="file-as"))
    if meta.description:
        out.append(_meta(meta.description, refines=target, property="dcterms:description"))
    out += [_meta(t, refines=target, property="dcterms:subject") for t in dict.fromkeys(meta.tags)]
    if meta.language:
        out.append(_meta(meta.language, refines=target, property="dcterms:language"))
    if meta.source_url:
        out.append(_meta(meta.source_url, refines=target, property="dcterms:source"))
    if meta.date and parse_date(meta.date) is not None:
        out.append(_meta(meta.date, refines=target, property="dcterms:date"))
    ident = meta.isbn or meta.identifier
    if ident:
        out.append(_meta(ident, refines=target, property="dcterms:identifier"))
    return out


def _person(element: str, ident: str, person: Person) -> list[MetaEntry]:
    name = xml_text(person.name).strip() or "Unknown"
    return [
        _dc(element, name, id=ident),
        _meta(xml_text(sort_name(person)).strip() or name, refines=f"#{ident}", property="file-as"),
        _meta(person.role or "aut", refines=f"#{ident}", property="role", scheme="marc:relators"),
    ]


def accessibility(*, has_cover: bool, cover_alt: bool) -> list[MetaEntry]:
    """schema.org accessibility metadata describing what the file really offers.

    Text with headings, a contents list and landmarks in reading order; the
    only image is the cover, described by its alt text. No conformance claim
    (dcterms:conformsTo): nobody has evaluated the book against WCAG.
    """
    modes = ["textual"] + (["visual"] if has_cover else [])
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]
    if has_cover and cover_alt:
        features.append("alternativeText")
    summary = (
        "Reflowable text whose font and size the reader can change. Chapters have headings "
        "and are listed in a table of contents with landmarks, in reading order."
    )
    if has_cover:
        summary += " The only image is the cover, described by alternative text."
    out = [_meta(m, property="schema:accessMode") for m in modes]
    out.append(_meta("textual", property="schema:accessModeSufficient"))
    out += [_meta(f, property="schema:accessibilityFeature") for f in features]
    out.append(_meta("none", property="schema:accessibilityHazard"))
    out.append(_meta(summary, property="schema:accessibilitySummary"))
    return out
