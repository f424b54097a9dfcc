"""Real OPDS clients against the running shelf.

Readium's r2-opds-js (the parser inside the Thorium reader; npm packages pinned in
tests/opds_client/) parses the OPDS 1.2 and 2.0 catalogue: publications, authors,
covers, paging, the search template and acquisition links come out as expected.

KOReader's OPDS plugin is tested from its own behaviour (plugins/opds.koplugin in
koreader/koreader, read for this test): it sends `Accept-Encoding: identity` and
`Accept: application/opds+json, application/atom+xml;profile=opds-catalog, */*`,
HEADs every feed first and keys its cache on Last-Modified, takes the OpenSearch
template whose type is Atom (else a rel=search Atom link with {searchTerms}),
downloads with a plain GET expecting 200, and, asked to keep server file names,
HEADs the download and reads `filename="..."` then URL-decodes it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import unquote, urljoin

import httpx
import pytest
from lxml import etree

from .npm_cache import install_modules
from .serve_helpers import app_for, make_library
from .web_server import running

CLIENT = Path(__file__).resolve().parent / "opds_client"
ATOM = "{http://www.w3.org/2005/Atom}"
KOREADER_HEADERS = {"Accept-Encoding": "identity",
                    "Accept": "application/opds+json, application/atom+xml;profile=opds-catalog, */*"}


@pytest.fixture(scope="module")
def shelf(tmp_path_factory, sample_books):
    library = make_library(tmp_path_factory.mktemp("lib") / "books", sample_books)
    with running(app_for(library, tmp_path_factory.mktemp("cache"), page_size=4)) as url:
        yield url


@pytest.fixture(scope="module")
def r2_parse():
    modules = install_modules(CLIENT, "r2-opds-js", ignore_scripts=True)

    def parse(*urls: str) -> dict:
        shutil.copy(CLIENT / "parse_feeds.cjs", modules / "parse_feeds.cjs")
        proc = subprocess.run(["node", str(modules / "parse_feeds.cjs"), *urls], capture_output=True, text=True,
                              timeout=120)
        assert proc.returncode == 0, proc.stderr[-3000:]
        return json.loads(proc.stdout)

    return parse


def _links(feed: dict, rel: str) -> list[dict]:
    return [l for l in feed.get("links", []) if l.get("rel") == rel or rel in (l.get("rel") or [])]


def test_r2_opds_parses_the_opds1_catalogue(shelf, r2_parse, sample_books):
    pages = -(-len(sample_books) // 4)
    page_urls = [shelf + "/opds/titles"] + [shelf + f"/opds/titles?page={n}" for n in range(2, pages + 1)]
    parsed = r2_parse(shelf + "/opds", *page_urls)
    root = parsed[shelf + "/opds"]["feed"]
    assert [n["title"] for n in root["navigation"]] == ["New", "Title A–Z", "Authors", "Series", "Tags", "Anthologies"]
    templates = [l["href"] for l in _links(root, "search")]
    assert "/opds/search?q={searchTerms}" in templates and "/opds/opensearch.xml" in templates
    first = parsed[shelf + "/opds/titles"]["feed"]
    assert first["metadata"]["numberOfItems"] == len(sample_books) and first["metadata"]["itemsPerPage"] == 4
    assert _links(first, "next")[0]["href"] == "/opds/titles?page=2"
    assert _links(first, "last")[0]["href"] == f"/opds/titles?page={pages}"
    second = parsed[shelf + "/opds/titles?page=2"]["feed"]
    assert _links(second, "previous")[0]["href"] == "/opds/titles"
    pubs = [p for url in page_urls for p in parsed[url]["feed"]["publications"]]
    assert len(pubs) == len(sample_books) == len({p["metadata"]["identifier"] for p in pubs})
    cat = next(p for p in pubs if p["metadata"]["title"] == "The Lighthouse Keeper’s Cat")
    assert cat["metadata"]["author"] == "Wren Halloway"
    assert {i["rel"] for i in cat["images"]} == {"http://opds-spec.org/image", "http://opds-spec.org/image/thumbnail"}
    acquisitions = {l["type"]: l["href"] for l in cat["links"] if l["rel"] == "http://opds-spec.org/acquisition"}
    assert acquisitions == {"application/epub+zip": "/books/the-lighthouse-keepers-cat.epub",
                            "application/kepub+zip": "/books/the-lighthouse-keepers-cat.kepub.epub"}
    for image in cat["images"]:
        assert httpx.get(urljoin(shelf, image["href"])).status_code == 200
    small_hours = r2_parse(shelf + "/opds/book/small-hours")[shelf + "/opds/book/small-hours"]["feed"]
    assert small_hours["metadata"]["author"] == ["Wren Halloway", "Jonas de Vries", "Ada Fenwick"]


def test_r2_opds_parses_the_opds2_catalogue(shelf, r2_parse, sample_books):
    parsed = r2_parse(shelf + "/opds/v2", shelf + "/opds/v2/series/small-hours", shelf + "/opds/v2/new")
    root = parsed[shelf + "/opds/v2"]["feed"]
    assert len(root["navigation"]) == 6
    search = _links(root, "search")[0]
    assert search["templated"] is True and search["href"] == "/opds/v2/search{?query}"
    series = parsed[shelf + "/opds/v2/series/small-hours"]["feed"]
    titles = [p["metadata"]["title"] for p in series["publications"]]
    assert titles == ["Letters from the Orchard", "The Clockmaker’s Apprentice"]
    meta = series["publications"][0]["metadata"]
    assert meta["author"]["name"] == "Jonas de Vries"
    assert meta["belongsTo"]["series"]["name"] == "Small Hours" and meta["belongsTo"]["series"]["position"] == 2
    new = parsed[shelf + "/opds/v2/new"]["feed"]
    assert new["metadata"]["numberOfItems"] == len(sample_books)
    assert [l["href"] for l in _links(new, "next")] == ["/opds/v2/new?page=2"]
    epub = next(l for l in new["publications"][0]["links"] if l.get("type") == "application/epub+zip")
    assert epub["rel"] == "http://opds-spec.org/acquisition/open-access"
    assert httpx.head(urljoin(shelf, epub["href"])).status_code == 200
    search = httpx.get(shelf + "/opds/v2/search?query=orchard").json()
    assert [p["metadata"]["title"] for p in search["publications"]] == ["Letters from the Orchard"]


def test_koreader_browses_caches_and_searches(shelf):
    with httpx.Client(headers=KOREADER_HEADERS) as client:
        head = client.head(shelf + "/opds/new")  # parseFeed: HEAD first, for Last-Modified
        assert head.status_code == 200 and head.headers.get("last-modified")
        body = client.get(shelf + "/opds/new")
        assert body.status_code == 200 and "content-encoding" not in body.headers  # identity, never 406
        assert body.headers["last-modified"] == head.headers["last-modified"]
        feed = etree.fromstring(body.content)
        # getSearchTemplate: the OpenSearch document's Url whose type is Atom; {searchTerms} -> %s.
        osd_link = next(l.get("href") for l in feed.iter(f"{ATOM}link")
                        if l.get("type") == "application/opensearchdescription+xml")
        osd = etree.fromstring(client.get(urljoin(shelf + "/opds/new", osd_link)).content)
        template = next(u.get("template") for u in osd.iter("{*}Url") if "application/atom+xml" in u.get("type"))
        results = etree.fromstring(client.get(template.replace("{searchTerms}", "clock")).content)
        # A title match first, then the anthology whose blurb mentions a church clock.
        assert [e.findtext(f"{ATOM}title") for e in results.iter(f"{ATOM}entry")] == ["The Clockmaker’s Apprentice",
                                                                                     "Small Hours"]
        # The calibre-style link KOReader falls back on.
        calibre = next(l.get("href") for l in feed.iter(f"{ATOM}link")
                       if l.get("rel") == "search" and "application/atom+xml" in l.get("type"))
        assert "{searchTerms}" in calibre


def test_koreader_cache_key_changes_when_the_library_does(tmp_path, sample_books):
    folder = tmp_path / "books"
    folder.mkdir()
    shutil.copy2(sample_books["small-hours"], folder / "a.epub")
    with running(app_for(folder, tmp_path / "cache")) as url, httpx.Client(headers=KOREADER_HEADERS) as client:
        before = client.head(url + "/opds/new").headers["last-modified"]
        time.sleep(1.1)  # HTTP dates have one-second resolution
        (folder / "a.epub").unlink()  # a removal changes no file time, yet the feed changes
        after = client.head(url + "/opds/new").headers["last-modified"]
        assert after != before


def test_koreader_downloads_with_server_file_names(shelf):
    url = shelf + "/books/the-lighthouse-keepers-cat.epub"
    with httpx.Client(headers={"Accept-Encoding": "identity"}) as client:
        head = client.head(url)  # getServerFileName
        match = re.search(r'filename="([^"]+)"', head.headers["content-disposition"])
        assert match and unquote(match.group(1)) == "The Lighthouse Keepers Cat - Wren Halloway.epub"
        download = client.get(url)
        assert download.status_code == 200 and download.content[:2] == b"PK"
        assert int(download.headers["content-length"]) == len(download.content)
    # getFiletype: the suffix of the href; KOReader opens .epub, so the kepub's URL must end in .epub too.
    assert (shelf + "/books/the-lighthouse-keepers-cat.kepub.epub").rsplit(".", 1)[1] == "epub"
