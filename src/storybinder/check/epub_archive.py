"""Open any EPUB for checking: the zip, its container, the package document, parsed files.

Nothing here trusts the book: XML is parsed without entity expansion, DTD loading
or network access, entries are read with a size cap (zip bombs), and every
structural problem becomes a Finding instead of an exception.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from .findings import Finding, error

OPF_NS = "http://www.idpf.org/2007/opf"
DC_NS = "http://purl.org/dc/elements/1.1/"
CONTAINER_NS = "urn:oasis:names:tc:opendocument:xmlns:container"
XHTML_NS = "http://www.w3.org/1999/xhtml"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
NCX_NS = "http://www.daisy.org/z3986/2005/ncx/"
EPUB_NS = "http://www.idpf.org/2007/ops"

XHTML_TYPES = {"application/xhtml+xml", "text/html"}
NCX_TYPE = "application/x-dtbncx+xml"
SVG_TYPE = "image/svg+xml"
CSS_TYPE = "text/css"

# What reading a damaged zip entry can raise: bad CRC, bad deflate data, truncation,
# encryption or a compression method Python lacks.
ENTRY_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError)

# Text files bigger than this are not parsed (still size-checked): no chapter is
# legitimately 64 MB, and a zip bomb should not take the checker down with it.
MAX_PARSE_BYTES = 64 * 1024 * 1024
MAX_ENTRY_BYTES = 1024 * 1024 * 1024


def safe_parser(*, recover: bool = False) -> etree.XMLParser:
    """An lxml parser that never expands entities, loads DTDs or touches the network."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, recover=recover
    )


@dataclass(frozen=True)
class ManifestItem:
    id: str
    href: str
    path: str  # zip entry name the href resolves to
    media_type: str
    properties: frozenset[str]
    remote: bool


@dataclass
class ParsedXml:
    """A parsed file: `root` is None when even a recovering parse failed; `problem` says why."""

    root: etree._Element | None
    problem: str | None
    head: bytes  # first bytes, for the XML declaration check
    unreadable: bool = False  # the zip entry itself is damaged


@dataclass
class EpubPackage:
    """An opened EPUB: zip entries, the package document and its manifest and spine."""

    source: Path
    archive: zipfile.ZipFile
    names: list[str]
    opf_path: str
    opf: etree._Element
    version: str
    manifest: list[ManifestItem]
    spine: list[str]
    spine_toc: str | None
    encrypted: set[str]
    _parsed: dict[str, ParsedXml] = field(default_factory=dict, repr=False)
    _name_set: set[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._name_set = set(self.names)

    def __enter__(self) -> EpubPackage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.archive.close()

    @property
    def epub3(self) -> bool:
        return self.version.startswith("3")

    def size(self, name: str) -> int:
        return self.archive.getinfo(name).file_size

    def has(self, name: str) -> bool:
        return name in self._name_set

    def item_by_id(self, item_id: str) -> ManifestItem | None:
        return next((i for i in self.manifest if i.id == item_id), None)

    def local_items(self, media_types: set[str]) -> list[ManifestItem]:
        """Manifest items of these types that are present (and readable) in the zip."""
        return [
            i for i in self.manifest
            if i.media_type in media_types and not i.remote and self.has(i.path) and i.path not in self.encrypted
        ]

    def read(self, name: str) -> bytes:
        """The bytes of one entry (raises one of ENTRY_ERRORS on a damaged entry)."""
        return self.archive.read(name)

    def parse(self, name: str) -> ParsedXml:
        """Parse an entry as XML once per check run; malformed files are parsed leniently too."""
        if name in self._parsed:
            return self._parsed[name]
        if self.size(name) > MAX_PARSE_BYTES:
            parsed = ParsedXml(None, f"not parsed: larger than {MAX_PARSE_BYTES // 2**20} MB", b"")
        else:
            try:
                data = self.read(name)
            except ENTRY_ERRORS as exc:
                parsed = ParsedXml(None, f"cannot be read from the zip ({exc})", b"", unreadable=True)
            else:
                parsed = parse_xml(data)
        self._parsed[name] = parsed
        return parsed

    def resolve(self, base: str, href: str) -> tuple[str, str] | None:
        """Resolve a relative href found in entry `base` to (zip path, fragment); None if remote."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return None
        path = unquote(parts.path)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(base), path)) if path else base
        return target, unquote(parts.fragment)


def parse_xml(data: bytes) -> ParsedXml:
    """Parse bytes strictly; if that fails, keep the error and try a recovering parse."""
    head = data[:200]
    try:
        return ParsedXml(etree.fromstring(data, safe_parser()), None, head)
    except etree.XMLSyntaxError as exc:
        problem = f"line {exc.lineno}: {exc.msg}" if exc.lineno else str(exc.msg)
    try:
        root = etree.fromstring(data, safe_parser(recover=True))
    except etree.XMLSyntaxError:
        root = None
    return ParsedXml(root, problem, head)


def open_epub(path: Path) -> tuple[EpubPackage | None, list[Finding]]:
    """Open `path` as an EPUB. Returns the package (None if it cannot be checked further) and findings."""
    findings: list[Finding] = []
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        return None, [error("epub.unreadable", "", "file not found: check the path")]
    except IsADirectoryError:
        return None, [error("epub.unreadable", "", "this is a directory, not an EPUB file")]
    except PermissionError:
        return None, [error("epub.unreadable", "", "permission denied: the file cannot be read")]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        return None, [error("epub.not-zip", "", f"not a ZIP archive, so not an EPUB ({exc}); re-export or re-download the book")]
    try:
        package = _read_package(path, archive, findings)
    except Exception:
        archive.close()
        raise
    if package is None:
        archive.close()
    return package, findings


def _read_package(path: Path, archive: zipfile.ZipFile, findings: list[Finding]) -> EpubPackage | None:
    infos = [i for i in archive.infolist() if not i.is_dir()]
    names = [i.filename for i in infos]
    findings += _zip_findings(archive, infos)
    opf_path = _rootfile(archive, names, findings)
    if opf_path is None:
        return None
    try:
        data = archive.read(opf_path)
    except ENTRY_ERRORS as exc:
        findings.append(error("epub.corrupt", opf_path, f"the package document cannot be read ({exc})"))
        return None
    parsed = parse_xml(data)
    if parsed.problem:
        findings.append(error("epub.opf-malformed", opf_path, f"the package document is not well-formed XML ({parsed.problem}); fix the markup"))
    opf = parsed.root
    if opf is None or etree.QName(opf).localname != "package":
        if opf is not None:
            findings.append(error("epub.opf-malformed", opf_path, "the package document has no <package> root element"))
        return None
    manifest = _manifest(opf, opf_path)
    spine = opf.find(f"{{{OPF_NS}}}spine")
    idrefs = [r.get("idref", "") for r in spine.iter(f"{{{OPF_NS}}}itemref")] if spine is not None else []
    return EpubPackage(
        source=path, archive=archive, names=names, opf_path=opf_path, opf=opf,
        version=(opf.get("version") or "").strip(), manifest=manifest, spine=idrefs,
        spine_toc=spine.get("toc") if spine is not None else None,
        encrypted=_encrypted(archive, names),
    )


def _zip_findings(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> list[Finding]:
    out = []
    first = archive.infolist()[0] if archive.infolist() else None
    if first is None:
        return [error("epub.mimetype", "", "the ZIP archive is empty")]
    if first.filename != "mimetype":
        out.append(error("epub.mimetype", "mimetype", "the first file in the zip must be 'mimetype'; re-zip the book with mimetype first and uncompressed"))
    else:
        try:
            content = archive.read(first).decode("ascii", "replace")
        except ENTRY_ERRORS:
            content = ""
        if content != "application/epub+zip" or first.compress_type != zipfile.ZIP_STORED or first.extra:
            out.append(error("epub.mimetype", "mimetype", "the mimetype file must contain exactly 'application/epub+zip', stored uncompressed and without extra fields"))
    out += _integrity(archive, infos)
    for info in infos:
        parts = info.filename.split("/")
        if info.filename.startswith("/") or ".." in parts or "\\" in info.filename:
            out.append(error("epub.unsafe-path", info.filename, "a file name in the zip escapes the book (absolute, '..' or backslash); rename it"))
    return out


def _integrity(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> list[Finding]:
    """Decompress every entry (streamed) so damage anywhere is found, CRCs included."""
    out = []
    for info in infos:
        if info.file_size > MAX_ENTRY_BYTES:
            out.append(error("epub.corrupt", info.filename, f"this entry unpacks to {info.file_size // 2**20} MB, far more than any book file (a zip bomb?); not read"))
            continue
        try:
            with archive.open(info) as stream:
                while stream.read(1 << 20):
                    pass
        except ENTRY_ERRORS as exc:
            out.append(error("epub.corrupt", info.filename, f"this file in the zip is damaged ({exc}); re-export or re-download the book"))
    return out


def _rootfile(archive: zipfile.ZipFile, names: list[str], findings: list[Finding]) -> str | None:
    container = "META-INF/container.xml"
    opfs = [n for n in names if n.lower().endswith(".opf")]
    fallback = opfs[0] if len(opfs) == 1 else None
    if container not in names:
        findings.append(error("epub.container", container, "META-INF/container.xml is missing; every EPUB needs it to point at the package document"))
        return fallback
    try:
        parsed = parse_xml(archive.read(container))
    except ENTRY_ERRORS as exc:
        findings.append(error("epub.corrupt", container, f"cannot be read ({exc})"))
        return fallback
    rootfile = None
    if parsed.root is not None:
        rootfile = next(iter(parsed.root.iter(f"{{{CONTAINER_NS}}}rootfile")), None)
    full_path = rootfile.get("full-path") if rootfile is not None else None
    if parsed.problem or not full_path:
        findings.append(error("epub.container", container, "container.xml names no package document (<rootfile full-path=...>); fix it"))
        return fallback
    if full_path not in names:
        findings.append(error("epub.opf-missing", full_path, "the package document named in container.xml is not in the zip"))
        return fallback if fallback != full_path else None
    return full_path


def _manifest(opf: etree._Element, opf_path: str) -> list[ManifestItem]:
    items = []
    base = posixpath.dirname(opf_path)
    for el in opf.iter(f"{{{OPF_NS}}}item"):
        href = el.get("href") or ""
        parts = urlsplit(href)
        remote = bool(parts.scheme or parts.netloc)
        path = href if remote else posixpath.normpath(posixpath.join(base, unquote(parts.path)))
        items.append(ManifestItem(
            id=el.get("id") or "", href=href, path=path, media_type=(el.get("media-type") or "").strip().lower(),
            properties=frozenset((el.get("properties") or "").split()), remote=remote,
        ))
    return items


def _encrypted(archive: zipfile.ZipFile, names: list[str]) -> set[str]:
    """Entries listed in META-INF/encryption.xml: obfuscated fonts or DRM, not checkable as text."""
    if "META-INF/encryption.xml" not in names:
        return set()
    try:
        root = parse_xml(archive.read("META-INF/encryption.xml")).root
    except ENTRY_ERRORS:
        return set()
    if root is None:
        return set()
    return {unquote(ref.get("URI", "")) for ref in root.iter("{*}CipherReference")}
