"""`storybinder serve` over real HTTP on 127.0.0.1: feeds, shelf pages and downloads as
e-reader clients use them (HEAD, ranges, conditional requests, file names), the library
following the folder while it runs, and no path outside the folder ever served."""

from __future__ import annotations

import os
import shutil
import zipfile
from io import BytesIO

import httpx
import pytest
from lxml import etree

from storybinder.web.site import content_disposition

from .serve_helpers import app_for, make_library
from .web_server import running

ATOM = "{http://www.w3.org/2005/Atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"


@pytest.fixture(scope="module")
def library(tmp_path_factory, sample_books):
    return make_library(tmp_path_factory.mktemp("lib") / "books", sample_books)


@pytest.fixture(scope="module")
def shelf(library, tmp_path_factory):
    with running(app_for(library, tmp_path_factory.mktemp("cache"))) as url:
        yield url


def feed(url: str, **kw) -> etree._Element:
    response = httpx.get(url, **kw)
    assert response.status_code == 200, (url, response.status_code, response.text[:300])
    return etree.fromstring(response.content)


def links(el, rel=None):
    return [l for l in el.iter(f"{ATOM}link") if rel is None or l.get("rel") == rel]


def test_root_navigation_lists_every_section(shelf):
    root = feed(shelf + "/opds")
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert titles == ["New", "Title A–Z", "Authors", "Series", "Tags", "Anthologies"]
    rels = {l.get("rel"): l.get("type") for l in links(root)}
    assert rels["alternate"] == "application/opds+json"
    assert {l.get("type") for l in links(root, "search")} == {
        "application/opensearchdescription+xml", "application/atom+xml;profile=opds-catalog;kind=acquisition"}


def test_acquisition_feed_pages_through_every_book(shelf, sample_books):
    seen, url, pages = [], shelf + "/opds/titles", 0
    while url:
        page = feed(url)
        pages += 1
        assert page.findtext(f"{OPENSEARCH}totalResults") == str(len(sample_books))
        seen += [e.findtext(f"{ATOM}title") for e in page.iter(f"{ATOM}entry")]
        nxt = links(page, "next")
        assert links(page, "first") and links(page, "last")
        url = str(httpx.URL(shelf).join(nxt[0].get("href"))) if nxt else None
    assert pages == -(-len(sample_books) // 4)
    assert len(seen) == len(sample_books) == len(set(seen))
    # "The" does not count when sorting: Clockmaker (C) first, Lighthouse (L) before Small Hours.
    assert seen[0] == "The Clockmaker’s Apprentice" and seen[-1] == "Small Hours"
    assert seen.index("The Lighthouse Keeper’s Cat") < seen.index("Small Hours")


def test_entry_carries_what_readers_show(shelf):
    page = feed(shelf + "/opds/series")
    series_feed = links(next(page.iter(f"{ATOM}entry")), "subsection")[0].get("href")
    entries = list(feed(shelf + series_feed).iter(f"{ATOM}entry"))
    assert [e.findtext(f"{ATOM}title") for e in entries][:2] == ["Letters from the Orchard", "The Clockmaker’s Apprentice"]
    entry = entries[0]
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Jonas de Vries"
    assert entry.findtext("{http://purl.org/dc/terms/}language") == "en"
    assert entry.findtext("{http://calibre.kovidgoyal.net/2009/metadata}series") == "Small Hours"
    assert entry.findtext("{http://calibre.kovidgoyal.net/2009/metadata}series_index") == "2"
    assert entry.findtext("{http://purl.org/dc/terms/}isPartOf") == "Small Hours"
    assert entry.findtext("{http://purl.org/dc/terms/}extent").endswith(" words")
    assert {c.get("term") for c in entry.iter(f"{ATOM}category")} == {"Romance", "Slice of Life"}
    acq = [l for l in links(entry) if l.get("rel") == "http://opds-spec.org/acquisition"]
    epub = next(l for l in acq if l.get("type") == "application/epub+zip")
    assert epub.get("href").endswith("/letters-from-the-orchard.epub")
    assert int(epub.get("length")) > 0 and epub.get("{http://purl.org/dc/terms/}modified")
    image = links(entry, "http://opds-spec.org/image")[0].get("href")
    thumb = links(entry, "http://opds-spec.org/image/thumbnail")[0].get("href")
    full = httpx.get(shelf + image)
    small = httpx.get(shelf + thumb)
    assert full.status_code == small.status_code == 200
    assert small.headers["content-type"] == "image/jpeg" and len(small.content) < len(full.content)


def test_search_by_template_and_opensearch_description(shelf):
    description = feed(shelf + "/opds/opensearch.xml")
    template = next(u.get("template") for u in description.iter("{*}Url")
                    if u.get("type").startswith("application/atom+xml"))
    results = feed(template.replace("{searchTerms}", "orchard"))
    assert [e.findtext(f"{ATOM}title") for e in results.iter(f"{ATOM}entry")] == ["Letters from the Orchard"]
    nothing = feed(shelf + "/opds/search?q=zzzznotthere")
    assert nothing.findtext(f"{OPENSEARCH}totalResults") == "0"


def test_new_feed_keeps_its_order_when_books_are_rebuilt(library, tmp_path):
    with running(app_for(library, tmp_path / "cache", page_size=50)) as url:
        before = [e.findtext(f"{ATOM}id") for e in feed(url + "/opds/new").iter(f"{ATOM}entry")]
        victim = library / "letters-from-the-orchard.epub"
        data = victim.read_bytes()
        victim.unlink()
        victim.write_bytes(data)  # a rebuild: same book, new file, new time
        os.utime(victim, None)
        after = [e.findtext(f"{ATOM}id") for e in feed(url + "/opds/new").iter(f"{ATOM}entry")]
    assert before == after
    with running(app_for(library, tmp_path / "cache", page_size=50)) as url:  # and after a restart
        assert [e.findtext(f"{ATOM}id") for e in feed(url + "/opds/new").iter(f"{ATOM}entry")] == before


def test_books_added_changed_and_removed_while_running(tmp_path, sample_books):
    folder = tmp_path / "live"
    folder.mkdir()
    shutil.copy2(sample_books["small-hours"], folder / "small-hours.epub")
    with running(app_for(folder, tmp_path / "cache")) as url:
        count = lambda: feed(url + "/opds/titles").findtext(f"{OPENSEARCH}totalResults")  # noqa: E731
        assert count() == "1"
        shutil.copy2(sample_books["the-lighthouse-keepers-cat"], folder / "cat.epub")
        assert count() == "2"
        (folder / "small-hours.epub").unlink()
        assert count() == "1"
        shutil.copy2(sample_books["letters-from-the-orchard"], folder / "cat.epub")  # replaced by another book
        titles = [e.findtext(f"{ATOM}title") for e in feed(url + "/opds/titles").iter(f"{ATOM}entry")]
        assert titles == ["Letters from the Orchard"]
        (folder / "broken.epub").write_bytes(b"not a zip")
        assert count() == "1"  # an unreadable file is skipped, the rest still served


def test_download_headers_head_range_and_conditional(shelf, library):
    url = shelf + "/books/small-hours.epub"
    data = (library / "small-hours.epub").read_bytes()
    head = httpx.head(url)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(data))
    assert head.headers["content-type"] == "application/epub+zip"
    assert head.headers["content-disposition"] == 'attachment; filename="Small Hours - Wren Halloway.epub"'
    assert head.headers["accept-ranges"] == "bytes"
    full = httpx.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert full.content == data and full.headers.get("content-encoding", "identity") == "identity"
    part = httpx.get(url, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == data[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(data)}"
    tail = httpx.get(url, headers={"Range": "bytes=-50"})
    assert tail.status_code == 206 and tail.content == data[-50:]
    assert httpx.get(url, headers={"Range": f"bytes={len(data)}-"}).status_code == 416
    etag, modified = head.headers["etag"], head.headers["last-modified"]
    assert httpx.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert httpx.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    stale = httpx.get(url, headers={"Range": "bytes=0-9", "If-Range": '"other"'})
    assert stale.status_code == 200 and stale.content == data


def test_feeds_are_conditional_and_compressed_only_when_asked(shelf):
    plain = httpx.get(shelf + "/opds/titles", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    gz = httpx.get(shelf + "/opds/titles", headers={"Accept-Encoding": "gzip"})
    assert gz.headers["content-encoding"] == "gzip" and gz.content == plain.content
    assert httpx.get(shelf + "/opds/titles", headers={"If-None-Match": plain.headers["etag"],
                                                     "Accept-Encoding": "identity"}).status_code == 304


def test_kepub_is_made_on_demand_once(shelf):
    url = shelf + "/books/small-hours.kepub.epub"
    first = httpx.get(url)
    assert first.status_code == 200 and first.headers["content-type"] == "application/kepub+zip"
    assert first.headers["content-disposition"].endswith('.kepub.epub"')
    names = zipfile.ZipFile(BytesIO(first.content)).namelist()
    assert names[0] == "mimetype"
    assert b"koboSpan" in zipfile.ZipFile(BytesIO(first.content)).read("EPUB/st_the-lighthouse-keepers-cat_the-lighthouse-keepers-cat.xhtml")
    second = httpx.get(url)
    assert second.headers["etag"] == first.headers["etag"]  # the cached file, not a new one


def test_books_in_subfolders_and_their_urls(shelf):
    page = httpx.get(shelf + "/opds/titles?page=3").text + httpx.get(shelf + "/opds/titles?page=2").text + httpx.get(shelf + "/opds/titles").text
    assert "/books/shelf-two/lamplight-word-edition.epub" in page
    assert httpx.head(shelf + "/books/shelf-two/lamplight-word-edition.epub").status_code == 200


@pytest.mark.parametrize("title, expected", [
    ("Small Hours - Wren.epub", 'attachment; filename="Small Hours - Wren.epub"'),
    ("Café Noir - Zoë.epub", "attachment; filename=\"Cafe Noir - Zoe.epub\"; filename*=UTF-8''Caf%C3%A9%20Noir%20-%20Zo%C3%AB.epub"),
    ("日本.epub", "attachment; filename=\".epub\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.epub"),
])
def test_content_disposition(title, expected):
    assert content_disposition(title) == expected


TRAVERSALS = [
    "/books/../../etc/passwd", "/books/..%2f..%2fetc%2fpasswd", "/books/%2e%2e/%2e%2e/etc/passwd",
    "/books/%2e%2e%2fsecret.epub", "/books/shelf-two%2flamplight-word-edition.epub", "/books/..\\..\\secret.epub",
    "/books/%5c..%5csecret.epub", "/books/small-hours.epub%00.jpg", "/books//etc/passwd", "/books/./small-hours",
    "/covers/../secret.epub", "/covers/%2e%2e/secret.png", "/thumbnails/..%2fsecret.jpg", "/thumbnails/secret.jpg",
    "/book/../secret", "/book/%2e%2e%2fsecret", "/opds/book/../../secret", "/opds/v2/publication/..%2fsecret",
    "/books/link-out.epub", "/books/secret.epub", "/books/", "/books/.storybinder-state.json",
    "/books/.hidden.epub", "/covers/small-hours.jpg", "/covers/small-hours.exe", "/thumbnails/small-hours.png",
    "/static/../web/app.py", "/static/%2e%2e/app.py", "/static/..%2f..%2fserve_app.py", "/opds/nothing",
    "/opds/authors/no-such-author", "/opds/new/extra", "/opds/v2/nothing", "/opds/titles?page=0",
    "/opds/titles?page=-1", "/opds/titles?page=abc", "/opds/titles?page=99999999999", "/nothing-here",
    "/authors/nobody", "/book/no-such-book", "/books/small-hours.pdf", "/books/SMALL-HOURS.EPUB",
    "/search?page=x", "/opds/search?q=" + "x" * 300, "/books/%ff%fe.epub", "/books/%c0%ae%c0%ae/secret.epub",
    "/books/small-hours.epub/", "/books/small-hours.epub/..", "/covers/", "/thumbnails/",
]


def test_fifty_traversal_and_malformed_requests_get_4xx(library, tmp_path):
    assert len(TRAVERSALS) == 50
    outside = tmp_path / "secret.epub"
    outside.write_bytes(b"SECRET-OUTSIDE")
    (library / "link-out.epub").symlink_to(outside)
    (library / ".hidden.epub").write_bytes(b"SECRET-HIDDEN")
    try:
        with running(app_for(library, tmp_path / "cache")) as url:
            with httpx.Client(base_url=url) as client:
                for path in TRAVERSALS:
                    request = client.build_request("GET", url)
                    request.url = httpx.URL(url + path) if "%" not in path else request.url.copy_with(raw_path=path.encode())
                    response = client.send(request)
                    assert 400 <= response.status_code < 500, (path, response.status_code)
                    assert b"SECRET" not in response.content, path
                    assert b"root:" not in response.content, path
                html = client.get("/nothing-here", headers={"Accept": "text/html"})
                assert html.status_code == 404 and "<h1>Not found</h1>" in html.text
    finally:
        (library / "link-out.epub").unlink()
        (library / ".hidden.epub").unlink()
