"""Every feed the server (and `serve --export`) makes validates against the OPDS 1.2
RELAX NG schema (with jing, the Debian package, one JVM for all feeds), and every
OPDS 2.0 publication and link against the Readium Web Publication Manifest JSON
Schemas (jsonschema). The OPDS 2.0 feed schemas themselves carry no licence, so
they are not in the repository: with STORYBINDER_OPDS2_SCHEMAS pointing at a
checkout of opds-community/specs' schema/ folder, whole feeds are checked too.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest
from lxml import etree

from .serve_helpers import app_for, make_library
from .web_server import running

DATA = Path(__file__).parent / "data" / "opds"
ATOM = "{http://www.w3.org/2005/Atom}"
ATOM_TYPES = ("application/atom+xml",)
TEMPLATE_LINK = "{searchTerms}"


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(f"cannot validate OPDS 1.2 in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def opds12_schema(tmp_path_factory) -> Path:
    """OPDS 1.2's schema, derived from 1.1's as the 1.2 revision did (see data/opds/README.md)."""
    folder = tmp_path_factory.mktemp("opds-schema")
    text = (DATA / "opds-1.1.rnc").read_text("utf-8")
    sample = '| string "http://opds-spec.org/acquisition/sample" )'
    assert sample in text and text.count('string "http://opds-spec.org/acquisition/sample"') == 2
    text = text.replace(sample, '| string "http://opds-spec.org/acquisition/sample"\n | string "preview" )')
    text = text.replace('OPDSUrisExceptBuy = string "http://opds-spec.org/acquisition/borrow"',
                        'OPDSUrisExceptBuy = string "preview" | string "http://opds-spec.org/acquisition/borrow"')
    typo = "'.*[ <>{}|^`\"\\nrt].*'"
    assert typo in text
    text = text.replace(typo, "'.*[ <>{}|^`\"\\n\\r\\t].*'")
    (folder / "opds.rnc").write_text(text, "utf-8")
    shutil.copy(DATA / "atom.rnc", folder / "atom.rnc")
    return folder / "opds.rnc"


def crawl(base: str, start: str, limit: int = 400) -> dict[str, bytes]:
    """Every Atom document reachable from `start` by its links (feeds, pages, entries)."""
    seen: dict[str, bytes] = {}
    todo = [urljoin(base, start)]
    with httpx.Client() as client:
        while todo and len(seen) < limit:
            url = todo.pop()
            if url in seen:
                continue
            response = client.get(url)
            assert response.status_code == 200, url
            seen[url] = response.content
            for link in etree.fromstring(response.content).iter(f"{ATOM}link"):
                href, kind = link.get("href"), link.get("type") or ""
                if kind.startswith(ATOM_TYPES) and TEMPLATE_LINK not in href:
                    target = urljoin(url, href)
                    if target.startswith(base) and target not in seen:
                        todo.append(target)
    return seen


def without_template_links(data: bytes) -> bytes:
    """The feed less its Atom search template link: `{searchTerms}` is not an IRI, which the
    OPDS schema's atomUri demands, yet calibre-style clients (KOReader without OpenSearch)
    need the template as it is. The only thing left out of validation."""
    root = etree.fromstring(data)
    for link in list(root.iter(f"{ATOM}link")):
        if link.get("rel") == "search" and TEMPLATE_LINK in (link.get("href") or ""):
            link.getparent().remove(link)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def jing(schema: Path, files: list[Path]) -> subprocess.CompletedProcess:
    if shutil.which("jing") is None:
        _unavailable("jing is not installed (apt-get install jing)")
    return subprocess.run(["jing", "-c", str(schema), *map(str, files)], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def library(tmp_path_factory, sample_books):
    return make_library(tmp_path_factory.mktemp("lib") / "books", sample_books)


def test_every_served_feed_validates_against_opds_1_2(library, opds12_schema, tmp_path):
    with running(app_for(library, tmp_path / "cache", page_size=3)) as url:
        docs = crawl(url, "/opds")
        docs[url + "/opds/search?q=lamp"] = httpx.get(url + "/opds/search?q=lamp").content
        docs[url + "/opds/search?q=nothing"] = httpx.get(url + "/opds/search?q=nothing").content
    kinds = {etree.fromstring(d).findtext(f"{ATOM}title") for d in docs.values()}
    assert {"New", "Title A–Z", "Authors", "Series", "Tags", "Anthologies"} <= kinds
    assert sum(1 for u in docs if "/opds/book/" in u) == len(list(library.rglob("*.epub")))
    files = []
    for n, data in enumerate(docs.values()):
        path = tmp_path / f"doc-{n:03}.xml"
        path.write_bytes(without_template_links(data))
        files.append(path)
    result = jing(opds12_schema, files)
    errors = [line for line in result.stdout.splitlines() if "error" in line]
    assert result.returncode == 0 and not errors, "\n".join(errors[:20])
    assert len(files) > 30


def test_exported_feeds_validate_too(library, opds12_schema, tmp_path):
    from storybinder.web.export import export_catalog

    export_catalog(library, tmp_path / "site", cache_dir=tmp_path / "cache", page_size=3)
    files = sorted((tmp_path / "site" / "opds").rglob("*.xml"))
    assert len(files) > 30
    result = jing(opds12_schema, files)
    assert result.returncode == 0, result.stdout[:3000]


def test_the_schema_catches_a_broken_feed(opds12_schema, tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text('<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>', "utf-8")
    assert jing(opds12_schema, [bad]).returncode != 0  # no id, no updated


def _registry(folders: list[Path]):
    from referencing import Registry, Resource

    resources = []
    for folder in folders:
        for path in folder.rglob("*.json"):
            # ECMA-262 named groups (?<name>...) in Python's regex dialect: (?P<name>...).
            text = re.sub(r"\(\?<(?=[A-Za-z])", "(?P<", path.read_text("utf-8"))
            schema = json.loads(text)
            resources.append((schema["$id"], Resource.from_contents(schema)))
            if "specs.opds.io" in schema["$id"]:  # the OPDS schemas also refer to each other by their draft address
                resources.append((schema["$id"].replace("specs.opds.io", "drafts.opds.io"), Resource.from_contents(schema)))
    return Registry().with_resources(resources)


def test_opds2_documents_validate_against_the_readium_schemas(library, tmp_path):
    import jsonschema

    specs = os.environ.get("STORYBINDER_OPDS2_SCHEMAS")
    registry = _registry([DATA / "readium", *([Path(specs)] if specs else [])])
    if not specs:
        # Readium's link schema defers link "properties" to OPDS's properties schema, which is not
        # in the repository (no licence): any object stands in for it.
        from referencing import Resource

        registry = registry.with_resource("https://drafts.opds.io/schema/properties.schema.json",
                                          Resource.from_contents({"$schema": "http://json-schema.org/draft-07/schema#",
                                                                  "type": "object"}))
    base = "https://readium.org/webpub-manifest/schema/"
    # Without OPDS's own publication schema: an OPDS 2 publication is RWPM metadata, links and
    # images (a reading order belongs to manifests, not to catalogue entries).
    metadata = jsonschema.Draft7Validator({"$ref": base + "metadata.schema.json"}, registry=registry)
    link = jsonschema.Draft7Validator({"$ref": base + "link.schema.json"}, registry=registry)

    class RwpmParts:
        def validate(self, pub: dict) -> None:
            metadata.validate(pub["metadata"])
            assert pub["links"] and pub.get("images")
            for item in [*pub["links"], *pub["images"]]:
                link.validate(item)

    publication = RwpmParts()
    feed_validator = None
    if specs:
        feed_validator = jsonschema.Draft7Validator({"$ref": "https://specs.opds.io/schema/feed.schema.json"},
                                                     registry=registry)
        publication = jsonschema.Draft7Validator({"$ref": "https://specs.opds.io/schema/publication.schema.json"},
                                                 registry=registry)
    checked = 0
    with running(app_for(library, tmp_path / "cache", page_size=3)) as url, httpx.Client() as client:
        todo, seen = [url + "/opds/v2"], set()
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            response = client.get(current)
            assert response.status_code == 200, current
            doc = response.json()
            if "publications" not in doc and "navigation" not in doc:  # a single publication
                publication.validate(doc)
                checked += 1
                continue
            if feed_validator is not None:
                feed_validator.validate(doc)
            for item in [*doc["links"], *doc.get("navigation", [])]:
                link.validate(item)
            for pub in doc.get("publications", []):
                publication.validate(pub)
                checked += 1
                todo += [urljoin(current, l["href"]) for l in pub["links"] if l.get("rel") == "self"]
            for item in [*doc["links"], *doc.get("navigation", [])]:
                if item.get("type", "").startswith("application/opds") and not item.get("templated"):
                    todo.append(urljoin(current, item["href"]))
    assert checked > 20 and len(seen) > 15
