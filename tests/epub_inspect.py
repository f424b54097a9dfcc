"""Read a built EPUB back the way a reading system would, for assertions."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from lxml import etree

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "x": "http://www.w3.org/1999/xhtml",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "epub": "http://www.idpf.org/2007/ops",
}


@dataclass
class Epub:
    path: Path
    zip: zipfile.ZipFile
    opf_path: PurePosixPath
    opf: etree._Element

    def read(self, name: str) -> bytes:
        return self.zip.read(name)

    def href_path(self, href: str) -> str:
        return str(self.opf_path.parent / href)

    def meta(self, xpath: str) -> list[str]:
        return [str(v).strip() for v in self.opf.xpath(xpath, namespaces=NS)]

    @property
    def title(self) -> str:
        return self.meta("//dc:title/text()")[0]

    @property
    def creators(self) -> list[str]:
        return self.meta("//dc:creator/text()")

    @property
    def description(self) -> str:
        found = self.meta("//dc:description/text()")
        return found[0] if found else ""

    def property(self, name: str) -> list[str]:
        return self.meta(f"//opf:meta[@property='{name}']/text()")

    def manifest(self) -> dict[str, dict[str, str]]:
        return {i.get("id"): dict(i.attrib) for i in self.opf.xpath("//opf:manifest/opf:item", namespaces=NS)}

    def spine_docs(self) -> list[etree._Element]:
        items = self.manifest()
        docs = []
        for ref in self.opf.xpath("//opf:spine/opf:itemref/@idref", namespaces=NS):
            docs.append(etree.fromstring(self.read(self.href_path(items[ref]["href"]))))
        return docs

    def spine_names(self) -> list[str]:
        items = self.manifest()
        return [items[ref]["href"] for ref in self.opf.xpath("//opf:spine/opf:itemref/@idref", namespaces=NS)]

    def body_text(self) -> str:
        return "\n".join("".join(doc.itertext()) for doc in self.spine_docs())

    def nav(self) -> etree._Element:
        nav = [i for i in self.manifest().values() if "nav" in i.get("properties", "").split()]
        return etree.fromstring(self.read(self.href_path(nav[0]["href"])))

    def ncx(self) -> etree._Element:
        ncx = [i for i in self.manifest().values() if i.get("media-type") == "application/x-dtbncx+xml"]
        return etree.fromstring(self.read(self.href_path(ncx[0]["href"])))

    def toc_titles(self) -> list[str]:
        toc = self.nav().xpath("//x:nav[@epub:type='toc']", namespaces=NS)[0]
        return [" ".join("".join(a.itertext()).split()) for a in toc.xpath(".//x:a", namespaces=NS)]


def open_epub(path: Path) -> Epub:
    zf = zipfile.ZipFile(path)
    container = etree.fromstring(zf.read("META-INF/container.xml"))
    opf_name = container.xpath("//c:rootfile/@full-path", namespaces=NS)[0]
    return Epub(Path(path), zf, PurePosixPath(opf_name), etree.fromstring(zf.read(opf_name)))
