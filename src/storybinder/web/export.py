"""`serve --export OUT`: the same catalogue as static files (OPDS 1.2 and 2.0 feeds, shelf
pages, books, kepubs, covers, thumbnails) with relative links, for any static host or a
USB stick. Search needs a server, so static catalogues have none."""

from __future__ import annotations

import json
import os
import posixpath
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree, html

from ..errors import StorybinderError
from ..library import Library
from ..library.images import CoverStore
from .app import STATIC, make_templates
from .feeds import Documents, listing
from .shelf import book_context, home_context, list_context
from .site import SECTIONS, Site


@dataclass
class Written:
    books: int = 0
    files: int = 0


def _relative(href: str, here: str) -> str:
    """A site-absolute link as seen from the document at `here` (both paths start with '/')."""
    if not href.startswith("/") or href.startswith("//"):
        return href
    parts = urlsplit(href)
    rel = posixpath.relpath(parts.path, posixpath.dirname(here))
    return rel + (f"#{parts.fragment}" if parts.fragment else "")


def _file(out: Path, site_path: str) -> Path:
    target = (out / unquote(site_path).lstrip("/")).resolve()
    if not target.is_relative_to(out.resolve()):
        raise StorybinderError("a catalogue path escapes the export folder", path=site_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


class Exporter:
    def __init__(self, out: Path, docs: Documents, templates) -> None:
        self.out = out
        self.docs = docs
        self.templates = templates
        self.written = Written()

    def xml(self, path: str, data: bytes) -> None:
        root = etree.fromstring(data)
        for el in root.iter():
            if isinstance(el.tag, str) and el.get("href"):
                el.set("href", _relative(el.get("href"), path))
        self._write(path, etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True))

    def json(self, path: str, data: dict) -> None:
        def walk(node):
            if isinstance(node, dict):
                return {k: (_relative(v, path) if k == "href" and isinstance(v, str) else walk(v)) for k, v in node.items()}
            if isinstance(node, list):
                return [walk(v) for v in node]
            return node
        self._write(path, json.dumps(walk(data), ensure_ascii=False, indent=1).encode())

    def page(self, path: str, template: str, context: dict) -> None:
        text = self.templates.env.get_template(template).render(
            {**context, "url_for": lambda name, path: f"/static/{path}"})
        doc = html.document_fromstring(text)
        for el in doc.iter():
            for attr in ("href", "src", "action"):
                if isinstance(el.tag, str) and el.get(attr):
                    el.set(attr, _relative(el.get(attr), path))
        self._write(path, html.tostring(doc, doctype="<!DOCTYPE html>", encoding="utf-8"))

    def copy(self, path: str, source: Path) -> None:
        shutil.copyfile(source, _file(self.out, path))
        self.written.files += 1

    def _write(self, path: str, data: bytes) -> None:
        target = _file(self.out, path)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        self.written.files += 1


def export_catalog(folder: Path, out: Path, *, cache_dir: Path, page_size: int = 50, title: str = "storybinder") -> Written:
    """Write the whole catalogue of `folder` under `out`; returns what was written."""
    from ..targets.kobo import convert

    catalog = Library(folder, cache_dir=cache_dir).refresh()
    if out.resolve() == folder.resolve() or folder.resolve().is_relative_to(out.resolve()):
        raise StorybinderError("the export folder must not contain the books' folder", path=out)
    out.mkdir(parents=True, exist_ok=True)
    site = Site(static=True, title=title)
    docs = Documents(catalog, site, page_size)
    ex = Exporter(out, docs, make_templates(title))
    ex.xml(site.opds_root(), docs.atom_root())
    ex.json(site.v2_root(), docs.json_root())
    ex.page(site.shelf_home(), "shelf_home.html", home_context(catalog, site, "opds/index.xml"))
    for section in SECTIONS:
        top = listing(catalog, section.name)
        targets = [(top, None)]
        if top.groups is not None:
            targets = [(top, None)] + [(listing(catalog, section.name, slug), slug) for _, slug, _ in top.groups]
        for item, slug in targets:
            if item.groups is not None:
                ex.xml(site.opds_section(section.name), docs.atom_listing(item))
                ex.json(site.v2_section(section.name), docs.json_listing(item))
                ex.page(site.shelf_section(section.name), "shelf_list.html",
                        list_context(catalog, site, section.name, None, 1, page_size))
                continue
            pages = max(1, -(-len(item.books or ()) // page_size))
            for number in range(1, pages + 1):
                opds = site.opds_group(section.name, slug, number) if slug else site.opds_section(section.name, number)
                v2 = site.v2_group(section.name, slug, number) if slug else site.v2_section(section.name, number)
                shelf = site.shelf_group(section.name, slug, number) if slug else site.shelf_section(section.name, number)
                ex.xml(opds, docs.atom_listing(item, number))
                ex.json(v2, docs.json_listing(item, number))
                ex.page(shelf, "shelf_list.html", list_context(catalog, site, section.name, slug, number, page_size))
    covers = CoverStore(cache_dir)
    for book in catalog.books:
        ex.xml(site.opds_entry(book), docs.atom_entry(book))
        ex.json(site.v2_publication(book), docs.json_publication(book))
        ex.page(site.shelf_book(book), "shelf_book.html", book_context(catalog, site, book, "other", None))
        ex.copy(site.download(book), book.path)
        kepub = cache_dir / "export-kepub" / f"{book.key.replace('/', '__')}.kepub.epub"
        kepub.parent.mkdir(parents=True, exist_ok=True)
        convert(book.path, kepub)
        ex.copy(site.download(book, kepub=True), kepub)
        if book.cover_entry:
            ex.copy(site.cover(book), covers.cover(book))
            ex.copy(site.thumbnail(book), covers.thumbnail(book))
        ex.written.books += 1
    for css in STATIC.iterdir():
        if css.is_file():
            ex.copy(f"/static/{css.name}", css)
    return ex.written
