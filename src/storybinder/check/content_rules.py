"""What readers trip over inside the content: malformed markup, links and images that
lead nowhere, scripts, resources fetched from the internet, missing language tags."""

from __future__ import annotations

from urllib.parse import urlsplit

from lxml import etree

from .epub_archive import XHTML_NS, XHTML_TYPES, EpubPackage
from .findings import Finding, error, warning
from .references import BookReferences, Reference

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
REMOTE_SCHEMES = {"http", "https", "ftp"}


def check_content(package: EpubPackage, refs: BookReferences) -> list[Finding]:
    findings = _well_formed(package, refs)
    findings += _references(package, refs)
    findings += _scripts(refs)
    findings += _languages(package)
    return findings


def _well_formed(package: EpubPackage, refs: BookReferences) -> list[Finding]:
    out = []
    for name in refs.documents:
        parsed = package.parse(name)
        if parsed.problem is None:
            continue
        if parsed.unreadable:
            continue  # reported once, by the zip integrity check
        # EPUB 2 XHTML may declare the XHTML DTD, which defines &nbsp; and friends for
        # readers that honour it; in EPUB 3 an undefined entity is always fatal.
        dtd_entity = not package.epub3 and "not defined" in parsed.problem and b"<!DOCTYPE" in parsed.head
        severity = warning if dtd_entity else error
        advice = "replace named entities with the characters themselves" if dtd_entity else "fix the markup: readers show an error page or cut the chapter short"
        out.append(severity("content.xml-malformed", name, f"not well-formed XML ({parsed.problem}); {advice}"))
    return out


def _references(package: EpubPackage, refs: BookReferences) -> list[Finding]:
    out: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for ref in refs.all:
        if (ref.source, ref.href) in seen:
            continue
        seen.add((ref.source, ref.href))
        finding = _check_reference(package, refs, ref)
        if finding is not None:
            out.append(finding)
    return out


def _check_reference(package: EpubPackage, refs: BookReferences, ref: Reference) -> Finding | None:
    href = ref.href.strip()
    scheme = urlsplit(href).scheme.lower()
    if scheme in ("javascript", "vbscript"):
        return None  # reported by _scripts
    if ref.kind == "resource" and (scheme in REMOTE_SCHEMES or href.startswith("//")):
        return warning("content.remote-resource", ref.source, f"loads {href} from the internet; readers are often offline and many block remote files: put the file inside the book", ref.line)
    if scheme or href.startswith("//"):
        return None  # mailto:, data:, external links the reader opens elsewhere
    resolved = package.resolve(ref.source, href)
    if resolved is None:
        return None
    target, fragment = resolved
    if not package.has(target):
        if ref.kind == "resource":
            return error("content.missing-resource", ref.source, f"uses {href}, which is not in the book; add the file or remove the reference", ref.line)
        return error("content.broken-link", ref.source, f"links to {href}, which is not in the book; fix or remove the link", ref.line)
    if fragment and ref.kind == "link":
        ids = refs.ids(target)
        if ids is not None and fragment not in ids:
            return error("content.broken-fragment", ref.source, f"links to #{fragment} in {target}, but no element there has id={fragment!r}; fix the link or add the id", ref.line)
    return None


def _scripts(refs: BookReferences) -> list[Finding]:
    out = []
    for name, root in refs.roots():
        scripts, handlers, js_links, first_line = 0, 0, 0, None
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            found = False
            if etree.QName(el).localname == "script":
                scripts += 1
                found = True
            for attr, value in el.attrib.items():
                local = etree.QName(attr).localname.lower()
                if local.startswith("on"):
                    handlers += 1
                    found = True
                elif local in ("href", "src") and value.strip().lower().startswith(("javascript:", "vbscript:")):
                    js_links += 1
                    found = True
            if found and first_line is None:
                first_line = el.sourceline
        if scripts or handlers or js_links:
            parts = [f"{n} {what}" for n, what in ((scripts, "script element(s)"), (handlers, "event handler attribute(s)"), (js_links, "javascript: link(s)")) if n]
            out.append(warning("content.script", name, f"contains {', '.join(parts)}; Kindle and most readers ignore or strip scripts, so the book must read without them: remove them", first_line))
    return out


def _languages(package: EpubPackage) -> list[Finding]:
    out = []
    for item in package.local_items(XHTML_TYPES):
        root = package.parse(item.path).root
        if root is None or etree.QName(root).namespace != XHTML_NS:
            continue
        if not (root.get(XML_LANG) or root.get("lang")):
            out.append(warning("content.lang-missing", item.path, 'the <html> element has no xml:lang/lang; add e.g. xml:lang="en" lang="en" so screen readers use the right voice and hyphenation works'))
    return out
