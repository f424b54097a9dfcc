"""Metadata that stores and reading systems refuse a book without: title, language,
identifier, author, cover, and EPUB Accessibility metadata."""

from __future__ import annotations

import re

import langcodes

from .epub_archive import DC_NS, OPF_NS, EpubPackage
from .findings import Finding, error, info, warning

IMAGE_PREFIX = "image/"

# (property, rule id, example value, why) for each schema.org accessibility property
# EPUB Accessibility 1.1 asks for; stores (and the EU Accessibility Act) expect them all.
A11Y_PROPERTIES = [
    ("schema:accessMode", "a11y.access-mode", "textual", "how the content is perceived"),
    ("schema:accessModeSufficient", "a11y.access-mode-sufficient", "textual", "which modes suffice to read it"),
    ("schema:accessibilityFeature", "a11y.feature", "structuralNavigation", "which accessibility features it has"),
    ("schema:accessibilityHazard", "a11y.hazard", "none", "whether it flashes, moves or makes sounds"),
    ("schema:accessibilitySummary", "a11y.summary", "A novel in reflowable text, with a table of contents and headings.", "what a reader with a disability can expect, in words"),
]


def check_metadata(package: EpubPackage) -> list[Finding]:
    """Title, language, identifier, author and cover."""
    where = package.opf_path
    findings: list[Finding] = []
    if not _dc_values(package, "title"):
        findings.append(error("metadata.title", where, "the book has no title (dc:title); add <dc:title>Your Title</dc:title> to the package metadata"))
    findings += _language(package)
    findings += _identifier(package)
    if not _dc_values(package, "creator"):
        findings.append(warning("metadata.author", where, "the book names no author (dc:creator); stores and libraries will list it as 'Unknown'"))
    findings += _cover(package)
    return findings


def check_accessibility(package: EpubPackage) -> list[Finding]:
    """One warning per missing schema.org accessibility property."""
    meta = _meta_values(package)
    findings = []
    for prop, rule, example, why in A11Y_PROPERTIES:
        if not meta.get(prop):
            tag = (
                f'<meta property="{prop}">{example}</meta>' if package.epub3
                else f'<meta name="{prop}" content="{example}"/>'
            )
            findings.append(warning(rule, package.opf_path, f"no {prop} metadata ({why}); add e.g. {tag}"))
    return findings


def _dc_values(package: EpubPackage, name: str) -> list[str]:
    return [
        " ".join(el.itertext()).strip()
        for el in package.opf.iter(f"{{{DC_NS}}}{name}")
        if " ".join(el.itertext()).strip()
    ]


def _meta_values(package: EpubPackage) -> dict[str, list[str]]:
    """EPUB 3 <meta property>text</meta> and EPUB 2 <meta name content/> values by name."""
    values: dict[str, list[str]] = {}
    for el in package.opf.iter(f"{{{OPF_NS}}}meta"):
        if el.get("property"):
            name, value = el.get("property", ""), "".join(el.itertext())
        else:
            name, value = el.get("name", ""), el.get("content", "")
        if name and value.strip():
            values.setdefault(name.strip(), []).append(value.strip())
    return values


def _identifier(package: EpubPackage) -> list[Finding]:
    where = package.opf_path
    if not _dc_values(package, "identifier"):
        return [error("metadata.identifier", where, "the book has no dc:identifier; add one (an ISBN or urn:uuid:...) and point <package unique-identifier> at it")]
    unique = package.opf.get("unique-identifier")
    ids = {el.get("id") for el in package.opf.iter(f"{{{DC_NS}}}identifier")}
    if unique not in ids:
        return [error("metadata.identifier", where, f"<package unique-identifier={unique!r}> names no dc:identifier; set it to the id of the book's dc:identifier")]
    out = []
    if package.epub3 and not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", (_meta_values(package).get("dcterms:modified") or [""])[0]):
        out.append(error("metadata.modified", where, 'EPUB 3 needs the last-modified time as <meta property="dcterms:modified">2024-01-31T12:00:00Z</meta> (UTC, to the second)'))
    return out


def _language(package: EpubPackage) -> list[Finding]:
    where = package.opf_path
    languages = _dc_values(package, "language")
    if not languages:
        return [error("metadata.language", where, "no dc:language (or it is empty); add e.g. <dc:language>en</dc:language>: Kindle and Apple Books reject books without one")]
    out = []
    for tag in languages:
        # langcodes accepts "en_US"; BCP 47 (and EPUBCheck) do not.
        if "_" in tag or not re.fullmatch(r"[A-Za-z0-9-]+", tag) or not langcodes.tag_is_valid(tag):
            out.append(error("metadata.language-invalid", where, f"dc:language {tag!r} is not a BCP 47 language tag; use a code like 'en', 'en-US' or 'de'"))
    return out


def _cover(package: EpubPackage) -> list[Finding]:
    where = package.opf_path
    images = [i for i in package.manifest if "cover-image" in i.properties]
    meta_cover = _meta_values(package).get("cover", [])
    out = []
    for item_id in meta_cover:
        item = package.item_by_id(item_id)
        if item is None:
            out.append(error("metadata.cover-broken", where, f'<meta name="cover" content="{item_id}"/> names no manifest item; use the id of the cover image item'))
        elif not item.media_type.startswith(IMAGE_PREFIX):
            out.append(error("metadata.cover-broken", where, f'<meta name="cover"> points at {item.href} ({item.media_type}), not an image; point it at the cover image item'))
    for item in images:
        if not item.media_type.startswith(IMAGE_PREFIX):
            out.append(error("metadata.cover-broken", where, f'the cover-image item {item.href} is {item.media_type}, not an image'))
    if not images and not meta_cover:
        out.append(warning("metadata.cover", where, 'no cover image is declared; add properties="cover-image" to the cover image\'s manifest item (and <meta name="cover" content="ITEM-ID"/> for Kindle and older readers)'))
    elif images and not meta_cover:
        out.append(info("metadata.cover-meta", where, f'Kindle and older readers find the cover through <meta name="cover" content="{images[0].id}"/>; consider adding it'))
    return out
