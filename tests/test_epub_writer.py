"""The EPUB a reader gets: structure, navigation, metadata, pages, accessibility."""

from __future__ import annotations

import zipfile
from collections import Counter

import pytest
from .epub_books import FORBIDDEN, TORTURE, anthology, paragraph, single_book, story
from .epub_inspect import NS, open_epub
from lxml import etree

from storybinder.epub import write_epub
from storybinder.model import Book, Chapter, Metadata, Person, Style


@pytest.fixture
def built(tmp_path, check_epub):
    """Build a book, queue it for EPUBCheck, open it for assertions."""

    def build(book: Book, name: str = "book.epub"):
        path = write_epub(book, tmp_path / name)
        check_epub(path)
        return open_epub(path)

    return build


def xhtml_docs(epub) -> dict[str, bytes]:
    return {n: epub.read(n) for n in epub.zip.namelist() if n.endswith(".xhtml")}


def landmarks(epub) -> dict[str, str]:
    marks = epub.nav().xpath("//x:nav[@epub:type='landmarks']//x:a", namespaces=NS)
    return {a.get(f"{{{NS['epub']}}}type"): a.get("href") for a in marks}


def test_single_story_reads_cover_title_page_contents_then_one_file_per_chapter(built):
    epub = built(single_book())
    assert epub.spine_names() == [
        "cover.xhtml",
        "titlepage.xhtml",
        "nav.xhtml",
        "ch_arrival.xhtml",
        "ch_the-storm.xhtml",
        "ch_the-storm-notes.xhtml",
    ]
    assert epub.toc_titles() == ["Title Page", "Arrival", "The Storm", "Author's Notes"]
    assert landmarks(epub) == {
        "cover": "cover.xhtml",
        "titlepage": "titlepage.xhtml",
        "toc": "nav.xhtml",
        "bodymatter": "ch_arrival.xhtml",
    }
    guide = {r.get("type"): r.get("href") for r in epub.opf.xpath("//opf:guide/opf:reference", namespaces=NS)}
    assert guide == {"cover": "cover.xhtml", "title-page": "titlepage.xhtml", "toc": "nav.xhtml", "text": "ch_arrival.xhtml"}
    ncx_labels = [t.strip() for t in epub.ncx().xpath("//ncx:navPoint/ncx:navLabel/ncx:text/text()", namespaces=NS)]
    assert ncx_labels == ["Title Page", "Arrival", "The Storm", "Author's Notes"]
    assert epub.ncx().xpath("//ncx:meta[@name='dtb:uid']/@content", namespaces=NS) == epub.meta("//dc:identifier/text()")


def test_cover_is_marked_for_epub3_and_epub2_readers_and_its_page_is_reachable(built):
    epub = built(single_book())
    manifest = epub.manifest()
    covers = [i for i in manifest.values() if i.get("properties") == "cover-image"]
    assert len(covers) == 1 and covers[0]["media-type"] == "image/png"  # a drawn cover
    assert epub.meta("//opf:meta[@name='cover']/@content") == [covers[0]["id"]]
    cover_ref = epub.opf.xpath("//opf:spine/opf:itemref", namespaces=NS)[0]
    assert manifest[cover_ref.get("idref")]["href"] == "cover.xhtml"
    assert cover_ref.get("linear") in (None, "yes")  # non-linear and unlinked = OPF-096
    page = etree.fromstring(epub.read("EPUB/cover.xhtml"))
    img = page.xpath("//x:img", namespaces=NS)[0]
    assert img.get("src") == covers[0]["href"]
    assert img.get("alt") == "Cover of The Lighthouse by Jane Doe"


def test_every_xhtml_file_starts_with_an_xml_declaration_and_names_its_language(built):
    epub = built(single_book(language="fr"))
    docs = xhtml_docs(epub)
    assert len(docs) == 6
    for name, data in docs.items():
        assert data.startswith(b'<?xml version="1.0" encoding="utf-8"?>'), name
        root = etree.fromstring(data)
        assert root.get("lang") == "fr" and root.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr", name
        assert root.xpath("/x:html/x:head/x:title/text()", namespaces=NS), name
    assert epub.opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert epub.meta("//dc:language/text()") == ["fr"]


def test_language_defaults_to_english(built):
    epub = built(single_book(language=None))
    assert epub.meta("//dc:language/text()") == ["en"]


def test_opf_carries_every_metadata_field_the_book_sets(built):
    epub = built(single_book())
    assert epub.title == "The Lighthouse"
    assert epub.meta("//dc:identifier/text()")[0].startswith("urn:uuid:")
    assert epub.description == "A keeper and a storm.\n\nShort and quiet."
    assert epub.meta("//dc:subject/text()") == ["Drama", "Slice of Life"]
    assert epub.meta("//dc:date/text()") == ["2024-05-17"]
    assert epub.meta("//dc:publisher/text()") == ["Harbour Press"]
    assert epub.meta("//dc:rights/text()") == ["CC BY 4.0"]
    assert epub.meta("//dc:source/text()") == ["https://example.com/story/1"]
    # Series, for EPUB 3 readers and for calibre/Kobo.
    assert epub.property("belongs-to-collection") == ["Coast Tales"]
    assert epub.meta("//opf:meta[@refines='#series'][@property='collection-type']/text()") == ["series"]
    assert epub.meta("//opf:meta[@refines='#series'][@property='group-position']/text()") == ["2"]
    assert epub.meta("//opf:meta[@name='calibre:series']/@content") == ["Coast Tales"]
    assert epub.meta("//opf:meta[@name='calibre:series_index']/@content") == ["2"]


def test_people_get_one_element_each_with_sort_name_and_role_and_unique_ids(built):
    book = single_book(authors=(Person("Jane Doe", sort_name="Doe, Jane"), Person("John Q. Public")))
    epub = built(book)

    def refined(ident: str, prop: str) -> list[str]:
        return epub.meta(f"//opf:meta[@refines='#{ident}'][@property='{prop}']/text()")

    creators = epub.opf.xpath("//dc:creator", namespaces=NS)
    assert [c.text for c in creators] == ["Jane Doe", "John Q. Public"]
    assert [refined(c.get("id"), "file-as") for c in creators] == [["Doe, Jane"], ["Public, John Q."]]
    assert [refined(c.get("id"), "role") for c in creators] == [["aut"], ["aut"]]
    contributors = epub.opf.xpath("//dc:contributor", namespaces=NS)
    assert {c.text: refined(c.get("id"), "role")[0] for c in contributors} == {"Sam Painter": "ill", "Ed Itor": "edt"}
    ids = Counter(epub.opf.xpath("//@id"))
    assert all(n == 1 for n in ids.values()), ids


def test_isbn_becomes_the_unique_identifier(built):
    epub = built(single_book(isbn="978-3-16-148410-0"))
    unique = epub.opf.get("unique-identifier")
    assert epub.meta(f"//dc:identifier[@id='{unique}']/text()") == ["urn:isbn:9783161484100"]


def test_accessibility_metadata_is_true_of_the_file(built):
    with_cover = built(single_book(), "a.epub")
    assert with_cover.property("schema:accessMode") == ["textual", "visual"]
    assert with_cover.property("schema:accessModeSufficient") == ["textual"]
    features = set(with_cover.property("schema:accessibilityFeature"))
    assert {"structuralNavigation", "tableOfContents", "readingOrder", "alternativeText"} <= features
    assert with_cover.property("schema:accessibilityHazard") == ["none"]
    assert with_cover.property("schema:accessibilitySummary")
    assert with_cover.property("dcterms:conformsTo") == []  # nobody certified it

    without = built(single_book(cover=False), "b.epub")
    assert without.property("schema:accessMode") == ["textual"]
    assert "alternativeText" not in without.property("schema:accessibilityFeature")
    assert not [i for i in without.manifest().values() if "cover-image" in i.get("properties", "")]
    assert "cover.xhtml" not in without.spine_names()


def test_chapter_text_survives_with_semantic_markup(built):
    epub = built(single_book())
    one = etree.fromstring(epub.read("EPUB/ch_arrival.xhtml"))
    two = etree.fromstring(epub.read("EPUB/ch_the-storm.xhtml"))
    x = lambda doc, path: doc.xpath(path, namespaces=NS)  # noqa: E731
    assert x(one, "//x:section[@epub:type='chapter']/x:h2/text()") == ["Arrival"]
    assert x(one, "//x:em/text()") == ["keeper"]
    assert x(one, "//x:strong/text()") == ["Every"]
    assert x(one, "//x:span[@class='smallcaps']/text()") == ["grey"]
    breaks = x(one, "//x:p[@class='scene-break']")
    assert len(breaks) == 1 and breaks[0].text == "* * *" and breaks[0].get("role") == "separator"
    assert x(two, "//x:h3/text()") == ["Night One"]
    assert x(two, "//x:s/text()") == ["tore"]
    assert x(two, "//x:span[@class='underline']/text()") == ["the"]
    assert x(two, "//x:blockquote/x:p/text()") == ["Dear keeper, come home."]
    assert x(two, "//x:p[@class='center']/text()") == ["THE END"]
    assert "Wind tore at the glass." in epub.body_text()


def test_authors_notes_are_set_apart_and_listed(built):
    epub = built(single_book())
    notes = etree.fromstring(epub.read("EPUB/ch_the-storm-notes.xhtml"))
    section = notes.xpath("//x:section[@epub:type='afterword']", namespaces=NS)
    assert section and section[0].get("class") == "notes"
    assert section[0].xpath("x:h2/text()", namespaces=NS) == ["Author's Notes"]
    assert "Author's Notes" in epub.toc_titles()


def test_links_only_for_safe_schemes(built):
    text = "web mail evil rel"
    book = single_book(cover=False)
    book.stories[0].chapters = [
        Chapter(
            "Links",
            [
                paragraph(
                    text,
                    (0, 3, Style.LINK, "https://example.com/a?b=1&c=2"),
                    (4, 8, Style.LINK, "mailto:someone@example.com"),
                    (9, 13, Style.LINK, "javascript:alert(1)"),
                    (14, 17, Style.LINK, "../../etc/passwd"),
                )
            ],
        )
    ]
    epub = built(book)
    doc = etree.fromstring(epub.read("EPUB/ch_links.xhtml"))
    links = {a.text: a.get("href") for a in doc.xpath("//x:a", namespaces=NS)}
    assert links == {"web": "https://example.com/a?b=1&c=2", "mail": "mailto:someone@example.com"}
    assert text in epub.body_text()


def test_unicode_survives_and_xml_forbidden_characters_vanish(built):
    book = single_book(title="Tört\x01ure 👩‍👩‍👧", cover=False)
    book.stories[0].chapters = [Chapter("Ch\x00apter ½", [paragraph(TORTURE, (0, 6, Style.EMPHASIS), (3, 20, Style.STRONG))])]
    epub = built(book)
    body = epub.body_text()
    assert "Ça va? «Ünïcödé» — עברית and العربية, 日本語の文章, 👩‍👩‍👧 e\u0301" in body
    assert "<script>alert('x')</script> & &amp; \"quotes\" ]]>" in body
    assert "bad::end" in body
    assert not any(c in body for c in FORBIDDEN)
    assert epub.title == "Törture 👩‍👩‍👧"
    assert epub.toc_titles()[1] == "Chapter ½"


def test_untitled_single_chapter_is_listed_by_the_story_title(built):
    book = single_book(cover=False)
    book.stories[0].chapters = [Chapter(None, [paragraph("Just one scene.")])]
    epub = built(book)
    assert epub.toc_titles() == ["Title Page", "The Lighthouse"]
    assert "nav.xhtml" not in epub.spine_names()  # no contents page for one chapter


def test_anthology_has_story_title_pages_and_nested_contents(built):
    epub = built(anthology())
    assert epub.spine_names() == [
        "cover.xhtml",
        "titlepage.xhtml",
        "nav.xhtml",
        "st_first-light.xhtml",
        "st_first-light_arrival.xhtml",
        "st_first-light_the-storm.xhtml",
        "st_first-light_the-storm-notes.xhtml",
        "st_a-short-one.xhtml",
        "st_a-short-one_pfe7025f7.xhtml",
        "st_last-light.xhtml",
        "st_last-light_arrival.xhtml",
        "st_last-light_the-storm.xhtml",
        "st_last-light_the-storm-notes.xhtml",
    ]
    toc = epub.nav().xpath("//x:nav[@epub:type='toc']/x:ol/x:li", namespaces=NS)

    def tree(li):
        label = li.xpath("x:a/text()", namespaces=NS)[0]
        return (label, [tree(c) for c in li.xpath("x:ol/x:li", namespaces=NS)])

    assert [tree(li) for li in toc] == [
        ("Title Page", []),
        ("First Light", [("Arrival", []), ("The Storm", []), ("Author's Notes", [])]),
        ("A Short One", []),
        ("Last Light", [("Arrival", []), ("The Storm", []), ("Author's Notes", [])]),
    ]
    ncx = epub.ncx()
    top = ncx.xpath("/ncx:ncx/ncx:navMap/ncx:navPoint", namespaces=NS)
    assert [len(p.xpath("ncx:navPoint", namespaces=NS)) for p in top] == [0, 3, 0, 3]
    assert ncx.xpath("//ncx:meta[@name='dtb:depth']/@content", namespaces=NS) == ["2"]

    story_page = etree.fromstring(epub.read("EPUB/st_a-short-one.xhtml"))
    assert story_page.xpath("//x:h1/text()", namespaces=NS) == ["A Short One"]
    assert story_page.xpath("//x:p[@class='byline']/text()", namespaces=NS) == ["by Bo Writer"]
    assert story_page.xpath("//x:p[@class='description']/text()", namespaces=NS) == ["Very short."]
    # Every story's author is credited, once each, in reading order.
    assert epub.creators == ["Ann Author", "Bo Writer"]
    assert landmarks(epub)["bodymatter"] == "st_first-light.xhtml"


def test_anthology_editor_is_credited_instead_of_the_story_authors(built):
    epub = built(anthology(contributors=(Person("Ed Itor", role="edt"),)))
    assert epub.creators == ["Ed Itor"]
    ident = epub.opf.xpath("//dc:creator/@id", namespaces=NS)[0]
    assert epub.meta(f"//opf:meta[@refines='#{ident}'][@property='role']/text()") == ["edt"]
    assert epub.meta("//dc:contributor/text()") == []
    title_page = etree.fromstring(epub.read("EPUB/titlepage.xhtml"))
    assert title_page.xpath("//x:p[@class='byline']/text()", namespaces=NS) == ["Edited by Ed Itor"]


def test_mimetype_is_the_first_entry_and_stored(tmp_path, check_epub):
    path = check_epub(write_epub(single_book(), tmp_path / "b.epub"))
    with zipfile.ZipFile(path) as zf:
        first = zf.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert zf.read("mimetype") == b"application/epub+zip"
    assert path.read_bytes()[30:38] == b"mimetype"


def test_a_book_without_stories_is_refused(tmp_path):
    from storybinder.errors import StorybinderError

    with pytest.raises(StorybinderError):
        write_epub(Book(Metadata(title="Empty"), []), tmp_path / "e.epub")
    assert list(tmp_path.iterdir()) == []


def test_story_in_another_language_keeps_its_own_lang(built):
    book = anthology(cover=False)
    book.stories[1] = story("Une histoire", "Zoé", chapters=[Chapter("Un", [paragraph("Bonjour.")])], language="fr")
    epub = built(book)
    doc = etree.fromstring(epub.read("EPUB/st_une-histoire_un.xhtml"))
    assert doc.get("lang") == "fr"
    assert epub.meta("//dc:language/text()") == ["en"]


def test_one_chapter_story_in_an_anthology_does_not_repeat_its_title(built):
    book = anthology(cover=False)
    book.stories[1] = story(
        "Falling Stars",
        "Bo Writer",
        chapters=[
            Chapter("Falling Stars", [paragraph("The only chapter.")]),
            Chapter("Author's Notes", [paragraph("Thanks.")], kind="notes"),
        ],
    )
    epub = built(book)
    assert epub.toc_titles()[5:8] == ["Falling Stars", "Author's Notes", "Last Light"]


def test_apple_books_display_options_are_present(built):
    epub = built(single_book(cover=False))
    options = etree.fromstring(epub.read("META-INF/com.apple.ibooks.display-options.xml"))
    assert options.xpath("//option[@name='specified-fonts']/text()") == ["false"]


def test_messy_metadata_still_makes_a_valid_book(built):
    book = single_book(
        cover=False,
        publisher="   ",
        rights="\x01\x02",
        isbn="978-3-16\x00-148410-0",
        date="2024-05-17T10:30:00",
        language="en_GB",
        tags=("  ", "Sea", "Sea"),
        series=" ",
    )
    epub = built(book)
    assert epub.meta("//dc:publisher/text()") == [] and epub.meta("//dc:rights/text()") == []
    assert epub.meta("//dc:identifier/text()") == ["urn:isbn:9783161484100"]
    assert epub.meta("//dc:date/text()") == ["2024-05-17T10:30:00Z"]
    assert epub.meta("//dc:language/text()") == ["en-GB"]
    assert epub.meta("//dc:subject/text()") == ["Sea"]
    assert epub.property("belongs-to-collection") == []


def test_untitled_story_in_a_single_book_is_listed_by_the_book_title(built):
    book = single_book(cover=False, title="Book Title")
    book.stories[0].metadata.title = None
    book.stories[0].chapters = [Chapter(None, [paragraph("Words.")])]
    assert built(book).toc_titles() == ["Title Page", "Book Title"]


def test_png_cover_is_carried_as_png_and_unsupported_types_are_refused(built, tmp_path):
    import io

    from PIL import Image

    from storybinder.errors import StorybinderError
    from storybinder.model import Cover

    buffer = io.BytesIO()
    Image.new("RGB", (160, 256), (20, 40, 60)).save(buffer, "PNG")
    book = single_book(cover=False)
    book.cover = Cover(buffer.getvalue(), "image/png", 160, 256)
    epub = built(book)
    covers = [i for i in epub.manifest().values() if i.get("properties") == "cover-image"]
    assert covers == [{"href": "cover.png", "id": "cover-image", "media-type": "image/png", "properties": "cover-image"}]

    book.cover = Cover(b"BM...", "image/bmp", 1, 1)
    with pytest.raises(StorybinderError, match="image/bmp"):
        write_epub(book, tmp_path / "bmp.epub")


def test_several_stories_without_anthology_pages_still_get_distinct_files(built):
    book = single_book(cover=False)
    book.stories.append(story("Second", "Jane Doe", chapters=[Chapter("Two", [paragraph("More.")])], language="not a tag!"))
    epub = built(book)
    names = epub.spine_names()
    assert len(names) == len(set(names)) == 6
    assert epub.toc_titles()[-1] == "Two"


def test_a_given_webp_cover_is_converted_and_embedded(built, tmp_path):
    from PIL import Image

    from storybinder.covers import load_cover

    source = tmp_path / "art.webp"
    Image.new("RGB", (2000, 3000), (90, 30, 120)).save(source, "WEBP")
    book = single_book(cover=False)
    book.cover = load_cover(source)
    epub = built(book)
    item = epub.manifest()["cover-image"]
    assert (item["href"], item["media-type"]) == ("cover.jpg", "image/jpeg")
    assert epub.read("EPUB/cover.jpg")[:3] == b"\xff\xd8\xff"


def test_right_to_left_book_turns_pages_right_to_left(built):
    epub = built(single_book(cover=False, language="ar", title="كتاب"))
    assert epub.opf.xpath("//opf:spine/@page-progression-direction", namespaces=NS) == ["rtl"]
    doc = etree.fromstring(epub.read("EPUB/ch_arrival.xhtml"))
    assert doc.get("dir") == "rtl"
