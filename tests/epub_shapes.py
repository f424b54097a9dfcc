"""EPUBs in the shapes other tools and sites write, made by our own code from our own sample stories.

Each builder takes a Story (read from stories/) and writes the file layout,
package document, contents and page markup that tool writes, as we learnt it
from their output and templates: AO3 (calibre's conversion of AO3's HTML
download, split at the preface, each chapter and the afterword), fimfiction
(EPUB 2, title.html with "Written by", tags and description, notes in
`blockquote.afterward`), FanFicFare (EPUB 2 or 3, fff_* body classes, title
page of `<b>Label:</b>` lines, update log), calibre (cover page, metadata
jacket, split files, italics by class), pandoc (EPUB 2 or 3, title page,
`section` per chapter). No words of theirs: the text is ours.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from lxml.builder import ElementMaker

from storybinder.model import Chapter, Heading, Paragraph, SceneBreak, Story, Style

XHTML_NS = "http://www.w3.org/1999/xhtml"
OPF_NS = "http://www.idpf.org/2007/opf"
DC_NS = "http://purl.org/dc/elements/1.1/"
NCX_NS = "http://www.daisy.org/z3986/2005/ncx/"
EPUB_NS = "http://www.idpf.org/2007/ops"
H = ElementMaker(namespace=XHTML_NS, nsmap={None: XHTML_NS, "epub": EPUB_NS})
O = ElementMaker(namespace=OPF_NS, nsmap={None: OPF_NS, "dc": DC_NS, "opf": OPF_NS})
DC = ElementMaker(namespace=DC_NS)
N = ElementMaker(namespace=NCX_NS, nsmap={None: NCX_NS})
EPUB_TYPE = f"{{{EPUB_NS}}}type"
OPF_ATTR = f"{{{OPF_NS}}}"
XHTML11 = '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">'

NOTE_TEXT = "Thanks to everyone who read the first draft."
COVER_PNG = None  # filled lazily: a small real image


def cover_image() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (300, 480), (40, 60, 90)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


@dataclass
class Package:
    """The files of one EPUB being made, and its manifest/spine as we go."""

    opf_path: str
    files: dict[str, bytes] = field(default_factory=dict)
    items: list[tuple[str, str, str, str]] = field(default_factory=list)  # id, href, media type, properties
    spine: list[tuple[str, bool]] = field(default_factory=list)

    def add(self, item_id: str, href: str, data: bytes, media: str = "application/xhtml+xml", *, spine: bool | None = None, properties: str = "") -> None:
        base = self.opf_path.rsplit("/", 1)[0] + "/" if "/" in self.opf_path else ""
        self.files[base + href] = data
        self.items.append((item_id, href, media, properties))
        if spine is not None:
            self.spine.append((item_id, spine))

    def write(self, path: Path, metadata: etree._Element, version: str, unique: str, *, toc: str | None = "ncx", guide: list[tuple[str, str, str]] = ()) -> Path:
        package = O.package(metadata, version=version)
        package.set("unique-identifier", unique)
        manifest = etree.SubElement(package, f"{{{OPF_NS}}}manifest")
        for item_id, href, media, properties in self.items:
            el = etree.SubElement(manifest, f"{{{OPF_NS}}}item", id=item_id, href=href)
            el.set("media-type", media)
            if properties:
                el.set("properties", properties)
        spine = etree.SubElement(package, f"{{{OPF_NS}}}spine")
        if toc:
            spine.set("toc", toc)
        for item_id, linear in self.spine:
            ref = etree.SubElement(spine, f"{{{OPF_NS}}}itemref", idref=item_id)
            if not linear:
                ref.set("linear", "no")
        if guide:
            g = etree.SubElement(package, f"{{{OPF_NS}}}guide")
            for kind, title, href in guide:
                etree.SubElement(g, f"{{{OPF_NS}}}reference", type=kind, title=title, href=href)
        container = etree.Element("{urn:oasis:names:tc:opendocument:xmlns:container}container", version="1.0", nsmap={None: "urn:oasis:names:tc:opendocument:xmlns:container"})
        rootfiles = etree.SubElement(container, "{urn:oasis:names:tc:opendocument:xmlns:container}rootfiles")
        rootfile = etree.SubElement(rootfiles, "{urn:oasis:names:tc:opendocument:xmlns:container}rootfile")
        rootfile.set("full-path", self.opf_path)
        rootfile.set("media-type", "application/oebps-package+xml")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
            zf.writestr("META-INF/container.xml", xml(container))
            zf.writestr(self.opf_path, xml(package))
            for name, data in self.files.items():
                zf.writestr(name, data)
        return path


def xml(root: etree._Element, doctype: str | None = None) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", doctype=doctype)


def page(title: str, *body: etree._Element, body_class: str | None = None, head: tuple = (), epub_type: str | None = None, css: str | None = None) -> etree._Element:
    head_el = H.head(H.title(title), *head)
    if css:
        head_el.append(H.link(rel="stylesheet", type="text/css", href=css))
    body_el = H.body(*body)
    if body_class:
        body_el.set("class", body_class)
    if epub_type:
        body_el.set(EPUB_TYPE, epub_type)
    return H.html(head_el, body_el)


_TAGS = {Style.EMPHASIS: "i", Style.STRONG: "b", Style.SMALL_CAPS: "span", Style.UNDERLINE: "u", Style.STRIKE: "s"}


def inline(parent: etree._Element, text: str, spans, *, italic_class: str | None = None) -> etree._Element:
    """Fill `parent` with text and non-overlapping spans (our samples' spans do not overlap)."""
    pos = 0
    last = None
    for span in sorted(spans, key=lambda s: s.start):
        before = text[pos:span.start]
        if last is None:
            parent.text = (parent.text or "") + before
        else:
            last.tail = (last.tail or "") + before
        if span.style is Style.LINK:
            el = etree.SubElement(parent, f"{{{XHTML_NS}}}a", href=span.href or "")
        elif span.style is Style.EMPHASIS and italic_class:
            el = etree.SubElement(parent, f"{{{XHTML_NS}}}span", {"class": italic_class})
        else:
            el = etree.SubElement(parent, f"{{{XHTML_NS}}}{_TAGS[span.style]}")
            if span.style is Style.SMALL_CAPS:
                el.set("class", "smallcaps")
        el.text = text[span.start:span.end]
        last, pos = el, span.end
    rest = text[pos:]
    if last is None:
        parent.text = (parent.text or "") + rest
    else:
        last.tail = (last.tail or "") + rest
    return parent


def blocks(chapter: Chapter, *, scene_break: str = "hr", italic_class: str | None = None) -> list[etree._Element]:
    """A chapter's blocks as the markup most tools write: <p>, <hr/> (or a centred * * *), <blockquote>, <h3>."""
    out: list[etree._Element] = []
    quote = None
    for block in chapter.blocks:
        if isinstance(block, Paragraph):
            p = inline(H.p(), block.text, block.spans, italic_class=italic_class)
            if block.align == "center":
                p.set("style", "text-align: center")
            if block.quoted:
                if quote is None:
                    quote = H.blockquote()
                    out.append(quote)
                quote.append(p)
                continue
            quote = None
            out.append(p)
        elif isinstance(block, SceneBreak):
            quote = None
            out.append(H.hr() if scene_break == "hr" else H.p("* * *", style="text-align: center"))
        elif isinstance(block, Heading):
            quote = None
            out.append(inline(H.h3(), block.text, block.spans))
    return out


def _authors(story: Story) -> list[str]:
    return [p.name for p in story.metadata.authors] or ["Unknown"]


def _ncx(uid: str, title: str, points: list[tuple[str, str]]) -> bytes:
    nav_map = N.navMap()
    for n, (label, src) in enumerate(points, start=1):
        nav_map.append(N.navPoint(N.navLabel(N.text(label)), N.content(src=src), id=f"np{n}", playOrder=str(n)))
    root = N.ncx(N.head(N.meta(name="dtb:uid", content=uid), N.meta(name="dtb:depth", content="1")), N.docTitle(N.text(title)), nav_map, version="2005-1")
    return xml(root)


def _nav(points: list[tuple[str, str]], landmarks: list[tuple[str, str, str]] = ()) -> bytes:
    ol = H.ol(*[H.li(H.a(label, href=href)) for label, href in points])
    nav = H.nav(H.h1("Contents"), ol, id="toc")
    nav.set(EPUB_TYPE, "toc")
    body = [nav]
    if landmarks:
        marks = H.nav(H.ol(*[H.li(H.a(label, href=href, **{EPUB_TYPE: kind})) for kind, label, href in landmarks]), hidden="hidden")
        marks.set(EPUB_TYPE, "landmarks")
        body.append(marks)
    return xml(page("Contents", *body), "<!DOCTYPE html>")


def _metadata(*children: etree._Element) -> etree._Element:
    return etree.Element(f"{{{OPF_NS}}}metadata", nsmap={"dc": DC_NS, "opf": OPF_NS}) if not children else _with(children)


def _with(children) -> etree._Element:
    meta = etree.Element(f"{{{OPF_NS}}}metadata", nsmap={"dc": DC_NS, "opf": OPF_NS})
    for child in children:
        meta.append(child)
    return meta


def _opf_meta(**attrs: str) -> etree._Element:
    el = etree.Element(f"{{{OPF_NS}}}meta")
    for key, value in attrs.items():
        el.set(key.replace("_", "-") if key != "property" else key, value)
    return el


def _creator(name: str, sort: str | None = None, *, epub3_id: str | None = None) -> etree._Element:
    el = DC.creator(name)
    if epub3_id:
        el.set("id", epub3_id)
    else:
        el.set(f"{OPF_ATTR}role", "aut")
        if sort:
            el.set(f"{OPF_ATTR}file-as", sort)
    return el


# ---- AO3 -------------------------------------------------------------------------------


def ao3_epub(story: Story, path: Path, *, work: int = 4242) -> Path:
    """AO3's download: calibre's EPUB 2 of AO3's HTML page, cut at preface, chapters and afterword."""
    meta = story.metadata
    url = f"https://archiveofourown.org/works/{work}"
    pkg = Package("content.opf")
    stem = "work"
    dl = H.dl(
        H.dt("Rating:"), H.dd(H.a("General Audiences", href="https://archiveofourown.org/tags/General")),
        H.dt("Fandom:"), H.dd(H.a("Original Work", href="https://archiveofourown.org/tags/Original")),
        H.dt("Additional Tags:"), H.dd(*[H.a(t, href="https://archiveofourown.org/tags/x") for t in meta.tags] or [H.a("Lamps")]),
        H.dt("Language:"), H.dd("English"),
        H.dt("Stats:"), H.dd("Published: 2024-02-02 Completed: 2024-02-09 Words: 900 Chapters: 2/2"),
        {"class": "calibre3"},
    )
    message = H.p(H.b(meta.title), H.br(), "Posted originally on the ", H.a("Archive of Our Own", href="https://archiveofourown.org/"), " at ", H.a(url, href=url), ".", {"class": "message"})
    files = [H.div(message, H.div(dl, {"class": "calibre1"}), id="preface")]
    summary = [H.p(line) for line in (meta.description or "A summary.").split("\n") if line.strip()]
    preface_two = H.div(
        H.div(
            H.h1(meta.title, id="calibre_pb_0"),
            H.div("by ", H.a(_authors(story)[0], rel="author", href="https://archiveofourown.org/users/x")),
            H.p("Summary", {"class": "calibre2"}),
            H.blockquote(*summary, {"class": "userstuff"}),
            H.p("Notes", {"class": "calibre2"}),
            H.blockquote(H.p(NOTE_TEXT), {"class": "userstuff"}),
            {"class": "calibre1"},
        ),
        id="preface",
    )
    files.append(preface_two)
    bodies: list[list[etree._Element]] = [[files[0]], [preface_two, H.div(H.div({"class": "calibre5"}, id="calibre_pb_1"), id="chapters")]]
    chapters = story.body_chapters
    for n, chapter in enumerate(chapters, start=1):
        meta_group = H.div(H.h2(chapter.title or f"Chapter {n}", {"class": "heading"}, id=f"calibre_toc_{n}"), {"class": "calibre1"})
        if n == 1:
            meta_group.append(H.p("Chapter Notes", {"class": "calibre2"}))
            meta_group.append(H.blockquote(H.p("This one is short."), {"class": "userstuff"}))
        text = H.div(H.h3("Chapter Text", {"class": "landmark"}), *blocks(chapter), {"class": "calibre1"})
        wrapper = H.div(meta_group, text, id="chapters")
        if n == len(chapters):
            wrapper.append(H.div(H.p("Chapter End Notes"), H.blockquote(H.p("More soon."), {"class": "userstuff"}), id=f"endnotes{n}"))
        bodies.append([wrapper])
    afterword = H.div(
        H.h2("Afterword", {"class": "heading"}, id="calibre_toc_end"),
        H.div(H.div(H.p("End Notes"), H.blockquote(H.p("Thank you for reading."), {"class": "userstuff"}), id="endnotes")),
        H.p("Please ", H.a("drop by the Archive and comment", href=f"{url}/comments/new"), " to let the creator know if you enjoyed their work!", {"class": "message"}),
        id="afterword",
    )
    bodies.append([afterword])
    points = []
    for n, body in enumerate(bodies):
        name = f"{stem}_split_{n:03d}.html"
        pkg.add(f"html{n}", name, xml(page(meta.title, *body, body_class="calibre", css="stylesheet.css")), spine=True)
        if n == 0:
            points.append(("Preface", name))
        elif 2 <= n < 2 + len(chapters):
            points.append((chapters[n - 2].title or f"Chapter {n - 1}", name))
    points.append(("Afterword", f"{stem}_split_{len(bodies) - 1:03d}.html"))
    pkg.add("css", "stylesheet.css", b".calibre3 { display: block }", "text/css")
    pkg.add("ncx", "toc.ncx", _ncx("uuid-ao3", meta.title, points), "application/x-dtbncx+xml")
    metadata = _with([
        DC.title(meta.title), DC.language("en"), _creator(_authors(story)[0], "Author, Some"),
        DC.identifier("0f9c7a52-63a1-4b77-a1a2-5d3c1f0a9e11", id="uuid_id", **{f"{OPF_ATTR}scheme": "uuid"}),
        DC.description("".join(f"<p>{line}</p>" for line in (meta.description or "").split("\n") if line)),
        DC.publisher("Archive of Our Own"), DC.subject("Fanworks"), DC.subject("General Audiences"),
        *[DC.subject(t) for t in meta.tags], DC.date("2024-02-09T00:00:00+00:00"),
    ])
    return pkg.write(path, metadata, "2.0", "uuid_id")


# ---- fimfiction ----------------------------------------------------------------------------


def fimfiction_epub(story: Story, path: Path, *, story_id: int = 777) -> Path:
    """fimfiction's download: EPUB 2 with a cover page, title.html, toc.html and chapter-N.html."""
    meta = story.metadata
    url = f"https://www.fimfiction.net/story/{story_id}/lamplight"
    pkg = Package("book.opf")
    pkg.add("coverPage", "CoverPage.html", xml(page("Cover Image", H.div(H.img(src="images/cover.jpg", alt="Cover image")))), spine=False)
    pkg.add("coverImage", "images/cover.jpg", cover_image(), "image/jpeg")
    pkg.add("ncx", "book.ncx", b"", "application/x-dtbncx+xml")
    long_description = [H.p(line) for line in (meta.description or "").split("\n") if line.strip()] + [H.p("Cover art by a friend.")]
    title_page = page(
        "Title",
        H.h1(meta.title),
        H.p("Written by ", H.a(_authors(story)[0], href="/user/1/someone")),
        H.ul(*[H.li(t) for t in meta.tags]),
        H.h2("Description"),
        *long_description,
        css="styles.css",
    )
    pkg.add("chapter1", "title.html", xml(title_page, XHTML11), spine=True)
    chapters = story.body_chapters
    toc_list = H.ul(*[H.li(H.a(c.title or f"Chapter {n}", href=f"chapter-{n}.html")) for n, c in enumerate(chapters, start=1)])
    pkg.add("chapter2", "toc.html", xml(page("Table of Contents", H.h1("Table of Contents"), toc_list, css="styles.css"), XHTML11), spine=True)
    points = [("Cover", "CoverPage.html"), ("Title", "title.html"), ("Table of Contents", "toc.html")]
    for n, chapter in enumerate(chapters, start=1):
        body = [H.h1(chapter.title or f"Chapter {n}"), *blocks(chapter)]
        if n == 1:
            body.append(H.blockquote(H.h2("Author's Notes: "), H.p(NOTE_TEXT), {"class": "afterward"}))
        name = f"chapter-{n}.html"
        pkg.add(f"chapter{n + 2}", name, xml(page(chapter.title or "", *body, css="styles.css"), XHTML11), spine=True)
        points.append((chapter.title or f"Chapter {n}", name))
    pkg.files["book.ncx"] = _ncx(url, meta.title, points)
    pkg.add("css_css1", "styles.css", b"body { margin: 1em }", "text/css")
    metadata = _with([
        DC.title(meta.title), DC.language("en"),
        DC.identifier(url, id="BookId", **{f"{OPF_ATTR}scheme": "URI"}),
        DC.description("Short blurb."), DC.publisher("Fimfiction"), _creator(_authors(story)[0], _authors(story)[0]),
        DC.date("2024-05-06T12:00:01.000000+00:00"), DC.source(url), _opf_meta(name="cover", content="coverImage"),
    ])
    return pkg.write(path, metadata, "2.0", "BookId")


# ---- FanFicFare ------------------------------------------------------------------------------


def fanficfare_epub(story: Story, path: Path, *, epub3: bool = False) -> Path:
    """FanFicFare's EPUB (2, or 3 with a nav): title page, contents page, update log, fileNNNN.xhtml chapters."""
    meta = story.metadata
    url = "https://archiveofourown.org/works/9191"
    uid = "fanficfare-uid:archiveofourown.org-u77-s9191"
    pkg = Package("content.opf")
    author = _authors(story)[0]
    lines: list = [H.h3(H.a(meta.title, href=url), " by ", H.a(author, href="https://archiveofourown.org/users/x"))]
    entries = H.div()
    for label, value in (("Category", "Gen"), ("Genre", ", ".join(meta.tags)), ("Status", "In-Progress"), ("Published", "2024-01-01"), ("Updated", "2024-03-01"), ("Words", "1,234"), ("Chapters", str(len(story.body_chapters)))):
        entries.append(H.b(f"{label}:"))
        entries[-1].tail = f" {value}"
        entries.append(H.br())
    entries.append(H.b("Summary:"))
    summary = H.span(*[H.p(line) for line in (meta.description or "").split("\n") if line.strip()])
    entries.append(summary)
    entries.append(H.br())
    lines.append(entries)
    pkg.add("title_page", "OEBPS/title_page.xhtml", xml(page(f"{meta.title} by {author}", *lines, body_class="fff_titlepage", css="stylesheet.css")), spine=True)
    chapters = story.body_chapters
    toc = H.div(H.h3("Table of Contents"), *[H.a(c.title or f"Chapter {n}", href=f"file{n:04d}.xhtml") for n, c in enumerate(chapters, start=1)])
    pkg.add("toc_page", "OEBPS/toc_page.xhtml", xml(page(meta.title, toc, body_class="fff_tocpage", css="stylesheet.css")), spine=True)
    log = [H.h3("Update Log"), H.p(H.b("Updated:"), H.span("2024-03-01", id="dateUpdated"), H.b("Chapters:"), H.span(str(len(chapters)), id="numChapters"), {"class": "log_entry"}), H.hr()]
    pkg.add("log_page", "OEBPS/log_page.xhtml", xml(page("Update Log", *log, body_class="fff_logpage", css="stylesheet.css")), spine=True)
    points = [("Title Page", "OEBPS/title_page.xhtml"), ("Table of Contents", "OEBPS/toc_page.xhtml"), ("Update Log", "OEBPS/log_page.xhtml")]
    for n, chapter in enumerate(chapters, start=1):
        title = chapter.title or f"Chapter {n}"
        head = (H.meta(name="chapterurl", content=f"{url}/chapters/{n}"), H.meta(name="chaptertitle", content=title))
        body = [H.h3(title, {"class": "fff_chapter_title"}), H.div(*blocks(chapter, scene_break="stars"), {"class": "userstuff"})]
        name = f"OEBPS/file{n:04d}.xhtml"
        pkg.add(f"file{n:04d}", name, xml(page(title, *body, body_class="fff_chapter", head=head, css="stylesheet.css")), spine=True)
        points.append((title, name))
    pkg.add("style", "OEBPS/stylesheet.css", b".fff_chapter_title { text-align: center }", "text/css")
    pkg.add("ncx", "toc.ncx", _ncx(uid, meta.title, points), "application/x-dtbncx+xml")
    if epub3:
        pkg.add("nav", "nav.xhtml", _nav(points), properties="nav")
    creator = _creator(author, epub3_id="id-1" if epub3 else None)
    children = [
        DC.identifier(uid, id="fanficfare-uid"), DC.title(meta.title, id="id"), creator,
        DC.contributor("FanFicFare [https://github.com/JimmXinu/FanFicFare]", id="id-2"), DC.language("en"),
        DC.description("".join(f"<p>{line}</p>" for line in (meta.description or "").split("\n") if line)),
        *[DC.subject(t) for t in meta.tags], DC.publisher("archiveofourown.org"), DC.source(url),
        _opf_meta(name="calibre:series", content="Small Hours"), _opf_meta(name="calibre:series_index", content="2.00"),
    ]
    if epub3:
        role = _opf_meta(refines="#id-1", property="role", scheme="marc:relators")
        role.text = "aut"
        bkp = _opf_meta(refines="#id-2", property="role", scheme="marc:relators")
        bkp.text = "bkp"
        modified = _opf_meta(property="dcterms:modified")
        modified.text = "2024-03-01T10:00:00Z"
        children += [role, bkp, modified]
    else:
        children.append(DC.date("2024-01-01", **{f"{OPF_ATTR}event": "publication"}))
        children[3].set(f"{OPF_ATTR}role", "bkp")
    return pkg.write(path, _with(children), "3.0" if epub3 else "2.0", "fanficfare-uid")


# ---- calibre -----------------------------------------------------------------------------------


def calibre_epub(story: Story, path: Path) -> Path:
    """calibre's conversion: an SVG cover page, a metadata jacket, each chapter split over files, italics by class."""
    meta = story.metadata
    pkg = Package("content.opf")
    svg = etree.Element("{http://www.w3.org/2000/svg}svg", nsmap={None: "http://www.w3.org/2000/svg", "xlink": "http://www.w3.org/1999/xlink"}, viewBox="0 0 300 480")
    etree.SubElement(svg, "{http://www.w3.org/2000/svg}image", {"{http://www.w3.org/1999/xlink}href": "cover.jpeg", "width": "300", "height": "480"})
    cover = page("Cover", H.div(svg), head=(H.meta(name="calibre:cover", content="true"),))
    pkg.add("titlepage", "titlepage.xhtml", xml(cover), spine=True)
    pkg.add("cover", "cover.jpeg", cover_image(), "image/jpeg")
    jacket = page(
        meta.title,
        H.div(H.table(H.tr(H.td(H.span(meta.title, {"class": "title"}))), H.tr(H.td(", ".join(_authors(story)))), H.tr(H.td("Tags:"), H.td(", ".join(meta.tags)))), {"class": "cbj_banner"}),
        H.div(*[H.p(line) for line in (meta.description or "").split("\n") if line.strip()], {"class": "cbj_comments"}),
        head=(H.meta(name="calibre-content", content="jacket"),),
        css="stylesheet.css",
    )
    pkg.add("calibre_jacket", "jacket.xhtml", xml(jacket), spine=True)
    points = []
    n = 0
    for c, chapter in enumerate(story.chapters, start=1):
        parts = blocks(chapter, italic_class="calibre7")
        half = max(1, len(parts) // 2)
        heading = H.h2(chapter.title or f"Chapter {c}", {"class": "calibre4"}, id=f"calibre_toc_{c}")
        for piece, content in enumerate(([heading, *parts[:half]], parts[half:])):
            if not content:
                continue
            name = f"index_split_{n:03d}.html"
            pkg.add(f"html{n}", name, xml(page(meta.title, *content, body_class="calibre", css="stylesheet.css")), spine=True)
            if piece == 0:
                points.append((chapter.title or f"Chapter {c}", f"{name}#calibre_toc_{c}"))
            n += 1
    pkg.add("css", "stylesheet.css", b".calibre7 { font-style: italic }\n.calibre4 { display: block; font-size: 1.3em }\n", "text/css")
    pkg.add("ncx", "toc.ncx", _ncx("7d2bd2f4-6a05-4c55-9a86-1a2a2f1b3c4d", meta.title, points), "application/x-dtbncx+xml")
    metadata = _with([
        DC.title(meta.title), _creator(_authors(story)[0], "Calloway, Wren"), DC.language("en"),
        DC.identifier("7d2bd2f4-6a05-4c55-9a86-1a2a2f1b3c4d", id="uuid_id", **{f"{OPF_ATTR}scheme": "uuid"}),
        DC.identifier("42", **{f"{OPF_ATTR}scheme": "calibre"}),
        DC.contributor("calibre (6.13.0) [https://calibre-ebook.com]", **{f"{OPF_ATTR}role": "bkp"}),
        DC.description("".join(f"<div><p>{line}</p></div>" for line in (meta.description or "").split("\n") if line)),
        *[DC.subject(t) for t in meta.tags], _opf_meta(name="cover", content="cover"),
        _opf_meta(name="calibre:series", content="Small Hours"), _opf_meta(name="calibre:series_index", content="1"),
        _opf_meta(name="calibre:timestamp", content="2024-04-04T10:00:00+00:00"),
    ])
    return pkg.write(path, metadata, "2.0", "uuid_id", guide=[("cover", "Cover", "titlepage.xhtml")])


# ---- pandoc ----------------------------------------------------------------------------------------


def pandoc_epub(story: Story, path: Path, *, epub3: bool = True) -> Path:
    """pandoc's EPUB: a title page, one file per chapter with a section and h1, nav (EPUB 3) and NCX."""
    meta = story.metadata
    pkg = Package("EPUB/content.opf")
    generator = (H.meta(name="generator", content="pandoc"),)
    title_bits = [H.h1(meta.title, {"class": "title"}), H.p(_authors(story)[0], {"class": "author"})]
    if epub3:
        section = H.section(*title_bits, {"class": "titlepage"})
        section.set(EPUB_TYPE, "titlepage")
        title_page = page(meta.title, section, head=generator, epub_type="frontmatter")
    else:
        title_page = page(meta.title, *title_bits, head=generator)
    pkg.add("title_page_xhtml", "text/title_page.xhtml", xml(title_page, "<!DOCTYPE html>" if epub3 else XHTML11), spine=True)
    points = []
    for n, chapter in enumerate(story.chapters, start=1):
        slug = f"chapter-{n}"
        section = H.section(H.h1(chapter.title or f"Chapter {n}"), *blocks(chapter), id=slug, **{"class": "level1"})
        name = f"text/ch{n:03d}.xhtml"
        doc = page(f"ch{n:03d}.xhtml", section, head=generator, epub_type="bodymatter" if epub3 else None)
        pkg.add(f"ch{n:03d}_xhtml", name, xml(doc, "<!DOCTYPE html>" if epub3 else XHTML11), spine=True)
        points.append((chapter.title or f"Chapter {n}", f"{name}#{slug}"))
    pkg.add("ncx", "toc.ncx", _ncx("urn:uuid:3b6d7e1c-2f4a-4e55-8d9c-0a1b2c3d4e5f", meta.title, points), "application/x-dtbncx+xml")
    children = [
        DC.identifier("urn:uuid:3b6d7e1c-2f4a-4e55-8d9c-0a1b2c3d4e5f", id="epub-id-1"), DC.title(meta.title, id="epub-title-1"),
        DC.date("2024-06-01T09:00:00Z", id="epub-date"), DC.language("en"),
    ]
    creator = DC.creator(_authors(story)[0], id="epub-creator-1")
    children.append(creator)
    if meta.description:
        children.append(DC.description(meta.description))
    if epub3:
        pkg.add("nav", "nav.xhtml", _nav(points, [("titlepage", "Title Page", "text/title_page.xhtml")]), properties="nav")
        role = _opf_meta(refines="#epub-creator-1", property="role", scheme="marc:relators")
        role.text = "aut"
        modified = _opf_meta(property="dcterms:modified")
        modified.text = "2024-06-01T09:00:00Z"
        children += [role, modified]
    else:
        creator.set(f"{OPF_ATTR}role", "aut")
    return pkg.write(path, _with(children), "3.0" if epub3 else "2.0", "epub-id-1")
