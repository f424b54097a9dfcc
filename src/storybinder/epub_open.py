"""The one safe way to open an EPUB (or any zip a story comes in): limits, safe XML, path checks.

Nothing here trusts the file. The zip is refused when it would unpack to more
than any book could hold (zip bombs), holds too many entries, or names one file
twice; entries are read with their declared size as a hard cap; names that
leave the archive (`../`, absolute, drive letters) and symbolic links are never
followed; XML is parsed without entity expansion, DTD loading or network
access. Problems come back as `ArchiveProblem`s rather than exceptions, so
`storybinder check` reports every one, while `open_book` (the EPUB reader, the
shelf) refuses the fatal ones with a one-line StorybinderError and works around
the rest (a missing mimetype, wrong case or backslashes in file names).
"""

from __future__ import annotations

import posixpath
import re
import stat
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from .errors import StorybinderError

OPF_NS = "http://www.idpf.org/2007/opf"
DC_NS = "http://purl.org/dc/elements/1.1/"
CONTAINER_NS = "urn:oasis:names:tc:opendocument:xmlns:container"
XHTML_NS = "http://www.w3.org/1999/xhtml"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
NCX_NS = "http://www.daisy.org/z3986/2005/ncx/"
EPUB_NS = "http://www.idpf.org/2007/ops"
ENC_NS = "http://www.w3.org/2001/04/xmlenc#"

XHTML_TYPES = {"application/xhtml+xml", "text/html"}
NCX_TYPE = "application/x-dtbncx+xml"
SVG_TYPE = "image/svg+xml"
CSS_TYPE = "text/css"
EPUB_MIMETYPE = "application/epub+zip"

# What reading a damaged zip entry can raise: bad CRC, bad deflate data, truncation,
# encryption or a compression method Python lacks.
ENTRY_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError)

# Text files bigger than this are not parsed (still size-checked): no chapter is
# legitimately 64 MB, and a zip bomb should not take the checker down with it.
MAX_PARSE_BYTES = 64 * 1024 * 1024
MAX_ENTRY_BYTES = 1024 * 1024 * 1024
# Far beyond any story (a novel with its pictures is tens of MB), and what keeps a
# zip bomb out of memory: the sizes a zip declares are the most zipfile will ever
# inflate (it stops there and fails the CRC), so they can be trusted as a bound.
MAX_UNPACKED = 512 * 2**20
# A long serial with an image per chapter has a few thousand files; a hundred
# thousand empty entries is an attack on whoever lists them.
MAX_ENTRIES = 20_000

# Font obfuscation (IDPF and Adobe) in META-INF/encryption.xml is routine and not DRM.
FONT_OBFUSCATION = frozenset({"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"})


_INTERNAL_SUBSET = re.compile(rb"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.DOTALL)
_BARE_AMPERSAND = re.compile(rb"&(?!#[0-9]+;|#x[0-9A-Fa-f]+;|[A-Za-z_][\w.-]*;)")


def safe_parser(*, recover: bool = False) -> etree.XMLParser:
    """An lxml parser that never expands entities, loads DTDs or touches the network."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, recover=recover
    )


@dataclass(frozen=True)
class ArchiveProblem:
    """Something wrong with the zip or its container; `fatal` ones stop a reader (not `check`)."""

    rule: str
    file: str
    message: str
    fatal: bool = False


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
    problems: list[ArchiveProblem] = field(default_factory=list)
    # Entry name -> encryption algorithm, from META-INF/encryption.xml.
    encryption: dict[str, str] = field(default_factory=dict)
    _parsed: dict[str, ParsedXml] = field(default_factory=dict, repr=False)
    _name_set: set[str] = field(init=False, repr=False)
    _folded: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._name_set = set(self.names)
        folded = Counter(n.replace("\\", "/").casefold() for n in self.names)
        # Only names that stay unique once case is ignored can be matched that way.
        self._folded = {n.replace("\\", "/").casefold(): n for n in self.names if folded[n.replace("\\", "/").casefold()] == 1}

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

    def find(self, name: str) -> str | None:
        """The entry `name` means: exact, else with `/` for `\\` or another letter case (if unambiguous)."""
        if name in self._name_set:
            return name
        return self._folded.get(name.replace("\\", "/").casefold())

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

    def read_limited(self, name: str, limit: int = MAX_PARSE_BYTES) -> bytes:
        """The bytes of one entry, refused (StorybinderError) beyond `limit` or when damaged."""
        size = self.size(name)
        if size > limit:
            raise StorybinderError(
                f"{name} inside the EPUB unpacks to {size // 2**20} MB, more than any book file (a zip bomb?); refused",
                path=self.source,
            )
        try:
            return self.archive.read(name)
        except ENTRY_ERRORS as exc:
            raise StorybinderError(f"{name} inside the EPUB is damaged ({exc})", path=self.source, hint="re-download the book") from None

    def parse(self, name: str) -> ParsedXml:
        """Parse an entry as XML once per run; malformed files are parsed leniently too."""
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

    def drm_locked(self) -> list[str]:
        """Entries encrypted by something other than font obfuscation: DRM."""
        return sorted(n for n, algorithm in self.encryption.items() if algorithm not in FONT_OBFUSCATION)


def parse_xml(data: bytes) -> ParsedXml:
    """Parse bytes strictly; if that fails, keep the error and try again with what breaks it repaired.

    The repairs: a DOCTYPE's internal subset is dropped (its entities are never
    expanded anyway, and libxml2 gives up on a file whose entities could
    amplify, an entity bomb); a bare `&` (fimfiction writes "jewelry & gems"
    into its package documents) is escaped; then a recovering parse.
    """
    head = data[:200]
    try:
        return ParsedXml(etree.fromstring(data, safe_parser()), None, head)
    except etree.XMLSyntaxError as exc:
        problem = f"line {exc.lineno}: {exc.msg}" if exc.lineno else str(exc.msg)
    repaired = _BARE_AMPERSAND.sub(b"&amp;", _INTERNAL_SUBSET.sub(b"", data, count=1))
    if repaired != data:
        try:
            return ParsedXml(etree.fromstring(repaired, safe_parser()), problem, head)
        except etree.XMLSyntaxError:
            pass
    try:
        root = etree.fromstring(repaired, safe_parser(recover=True))
    except etree.XMLSyntaxError:
        root = None
    return ParsedXml(root, problem, head)


def unsafe_name(name: str) -> str | None:
    """Why a zip entry name could escape the folder it is unpacked in, or None when it cannot."""
    normal = name.replace("\\", "/")
    if normal.startswith("/") or (len(normal) > 1 and normal[1] == ":"):
        return "absolute"
    if ".." in normal.split("/"):
        return "'..'"
    if "\x00" in name:
        return "a NUL character"
    return None


def is_symlink(info: zipfile.ZipInfo) -> bool:
    """A zip entry made on Unix from a symbolic link (its data is the link's target)."""
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


def archive_problems(infos: list[zipfile.ZipInfo]) -> list[ArchiveProblem]:
    """What is wrong with a zip's entry list: too many, too big, duplicates, escaping names, links."""
    out = []
    if len(infos) > MAX_ENTRIES:
        out.append(ArchiveProblem("epub.zip-bomb", "", f"the zip holds {len(infos)} files, more than any book (over {MAX_ENTRIES}); refused", fatal=True))
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNPACKED:
        out.append(ArchiveProblem(
            "epub.zip-bomb", "", f"the zip would unpack to {unpacked // 2**20} MB (over {MAX_UNPACKED // 2**20} MB); refused as a zip bomb", fatal=True,
        ))
    counts = Counter(i.filename for i in infos)
    for name, n in counts.items():
        if n > 1:
            out.append(ArchiveProblem(
                "epub.duplicate-name", name, f"the zip holds {n} different files named {name!r}, so readers disagree on which is meant; refused", fatal=True,
            ))
    for info in infos:
        why = unsafe_name(info.filename)
        if why:
            out.append(ArchiveProblem("epub.unsafe-path", info.filename, f"a file name in the zip escapes the book ({why}); rename it"))
        elif "\\" in info.filename:
            out.append(ArchiveProblem("epub.backslash-name", info.filename, "a file name in the zip uses backslashes; zip names use '/': re-zip the book"))
        if is_symlink(info):
            out.append(ArchiveProblem("epub.symlink", info.filename, "this entry is a symbolic link, which a book cannot hold; it is ignored"))
        if info.flag_bits & 0x1:
            out.append(ArchiveProblem("epub.encrypted-zip", info.filename, "this file is password-protected inside the zip; it cannot be read", fatal=True))
    return out


def refuse_zip_bomb(path: Path, what: str) -> None:
    """Raise a StorybinderError when the zip at `path` would unpack to more than MAX_UNPACKED.

    For formats whose library unpacks every part into memory (python-docx); a
    file that is no zip at all is left for that library to report.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    for problem in archive_problems(infos):
        if problem.rule == "epub.zip-bomb":
            raise StorybinderError(problem.message.replace("the zip", f"the {what}", 1), path=path)


def open_epub(path: Path, *, verify: bool = True) -> tuple[EpubPackage | None, list[ArchiveProblem]]:
    """Open `path` as an EPUB: the package (None if it cannot be read further) and every problem found.

    `verify` decompresses every entry once (streamed) so that damage anywhere is
    found, CRCs included; a reader that reads what it needs skips it.
    """
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        return None, [ArchiveProblem("epub.unreadable", "", "file not found: check the path", fatal=True)]
    except IsADirectoryError:
        return None, [ArchiveProblem("epub.unreadable", "", "this is a directory, not an EPUB file", fatal=True)]
    except PermissionError:
        return None, [ArchiveProblem("epub.unreadable", "", "permission denied: the file cannot be read", fatal=True)]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        return None, [ArchiveProblem("epub.not-zip", "", f"not a ZIP archive, so not an EPUB ({exc}); re-export or re-download the book", fatal=True)]
    problems: list[ArchiveProblem] = []
    try:
        package = _read_package(path, archive, problems, verify)
    except Exception:
        archive.close()
        raise
    if package is None:
        archive.close()
    else:
        package.problems = problems
    return package, problems


def open_book(path: Path) -> EpubPackage:
    """Open an EPUB to read its story: a StorybinderError (one line) for anything that stops that."""
    package, problems = open_epub(path, verify=False)
    fatal = next((p for p in problems if p.fatal), None)
    if fatal is None and package is None:
        ranked = sorted((p for p in problems if p.rule in _UNREADABLE), key=lambda p: _UNREADABLE.index(p.rule))
        fatal = ranked[0] if ranked else ArchiveProblem("epub.unreadable", "", "not an EPUB", fatal=True)
    if fatal is not None:
        if package is not None:
            package.archive.close()
        where = f"{fatal.file}: " if fatal.file and fatal.rule not in ("epub.container",) else ""
        raise StorybinderError(f"{where}{fatal.message}", path=path)
    assert package is not None
    return package


# What leaves no package to read, most telling first: the reason `open_book` gives.
_UNREADABLE = ("epub.mimetype-foreign", "epub.opf-malformed", "epub.opf-missing", "epub.corrupt", "epub.container", "epub.mimetype")


def _read_package(path: Path, archive: zipfile.ZipFile, problems: list[ArchiveProblem], verify: bool) -> EpubPackage | None:
    every = archive.infolist()
    problems += _mimetype_problems(archive, every)
    problems += archive_problems(every)
    if any(p.fatal for p in problems):
        return None
    infos = [i for i in every if not i.is_dir() and not is_symlink(i) and not unsafe_name(i.filename)]
    names = [i.filename for i in infos]
    if verify:
        problems += _integrity(archive, infos)
    opf_path = _rootfile(archive, names, problems)
    if opf_path is None:
        return None
    try:
        data = archive.read(opf_path)
    except ENTRY_ERRORS as exc:
        problems.append(ArchiveProblem("epub.corrupt", opf_path, f"the package document cannot be read ({exc})"))
        return None
    parsed = parse_xml(data)
    if parsed.problem:
        problems.append(ArchiveProblem("epub.opf-malformed", opf_path, f"the package document is not well-formed XML ({parsed.problem}); fix the markup"))
    opf = parsed.root
    if opf is None or etree.QName(opf).localname != "package":
        if opf is not None:
            problems.append(ArchiveProblem("epub.opf-malformed", opf_path, "the package document has no <package> root element"))
        return None
    manifest = _manifest(opf, opf_path)
    spine = opf.find(f"{{{OPF_NS}}}spine")
    idrefs = [r.get("idref", "") for r in spine.iter(f"{{{OPF_NS}}}itemref")] if spine is not None else []
    encryption = _encryption(archive, names)
    return EpubPackage(
        source=path, archive=archive, names=names, opf_path=opf_path, opf=opf,
        version=(opf.get("version") or "").strip(), manifest=manifest, spine=idrefs,
        spine_toc=spine.get("toc") if spine is not None else None,
        encrypted=set(encryption), encryption=encryption,
    )


def _mimetype_problems(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> list[ArchiveProblem]:
    first = infos[0] if infos else None
    if first is None:
        return [ArchiveProblem("epub.mimetype", "", "the ZIP archive is empty", fatal=True)]
    if first.filename != "mimetype":
        return [ArchiveProblem("epub.mimetype", "mimetype", "the first file in the zip must be 'mimetype'; re-zip the book with mimetype first and uncompressed")]
    try:
        content = archive.read(first).decode("ascii", "replace").strip() if first.file_size < 200 else "?"
    except ENTRY_ERRORS:
        content = ""
    if content.startswith("application/") and content != EPUB_MIMETYPE:
        # An OpenDocument or other zip-based file renamed .epub.
        return [ArchiveProblem("epub.mimetype-foreign", "mimetype", f"the file says it is {content!r}, not an EPUB ({EPUB_MIMETYPE})")]
    if content != EPUB_MIMETYPE or first.compress_type != zipfile.ZIP_STORED or first.extra:
        return [ArchiveProblem("epub.mimetype", "mimetype", f"the mimetype file must contain exactly '{EPUB_MIMETYPE}', stored uncompressed and without extra fields")]
    return []


def _integrity(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> list[ArchiveProblem]:
    """Decompress every entry (streamed) so damage anywhere is found, CRCs included."""
    out = []
    for info in infos:
        if info.file_size > MAX_ENTRY_BYTES:
            out.append(ArchiveProblem("epub.corrupt", info.filename, f"this entry unpacks to {info.file_size // 2**20} MB, far more than any book file (a zip bomb?); not read"))
            continue
        try:
            with archive.open(info) as stream:
                while stream.read(1 << 20):
                    pass
        except ENTRY_ERRORS as exc:
            out.append(ArchiveProblem("epub.corrupt", info.filename, f"this file in the zip is damaged ({exc}); re-export or re-download the book"))
    return out


def _rootfile(archive: zipfile.ZipFile, names: list[str], problems: list[ArchiveProblem]) -> str | None:
    container = "META-INF/container.xml"
    opfs = [n for n in names if n.lower().endswith(".opf")]
    fallback = opfs[0] if len(opfs) == 1 else None
    if container not in names:
        problems.append(ArchiveProblem("epub.container", container, "META-INF/container.xml is missing; every EPUB needs it to point at the package document"))
        return fallback
    try:
        parsed = parse_xml(archive.read(container))
    except ENTRY_ERRORS as exc:
        problems.append(ArchiveProblem("epub.corrupt", container, f"cannot be read ({exc})"))
        return fallback
    rootfile = None
    if parsed.root is not None:
        rootfile = next(iter(parsed.root.iter(f"{{{CONTAINER_NS}}}rootfile")), None)
    full_path = rootfile.get("full-path") if rootfile is not None else None
    if parsed.problem or not full_path:
        problems.append(ArchiveProblem("epub.container", container, "container.xml names no package document (<rootfile full-path=...>); fix it"))
        return fallback
    if full_path not in names:
        problems.append(ArchiveProblem("epub.opf-missing", full_path, "the package document named in container.xml is not in the zip"))
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


def _encryption(archive: zipfile.ZipFile, names: list[str]) -> dict[str, str]:
    """Entry -> algorithm for what META-INF/encryption.xml lists: obfuscated fonts or DRM."""
    if "META-INF/encryption.xml" not in names:
        return {}
    try:
        root = parse_xml(archive.read("META-INF/encryption.xml")).root
    except ENTRY_ERRORS:
        return {}
    if root is None:
        return {}
    out = {}
    for data in root.iter("{*}EncryptedData"):
        method = next(iter(data.iter("{*}EncryptionMethod")), None)
        algorithm = (method.get("Algorithm") or "").strip() if method is not None else ""
        for ref in data.iter("{*}CipherReference"):
            out[unquote(ref.get("URI", ""))] = algorithm
    # A CipherReference outside any EncryptedData still says the file is encrypted.
    for ref in root.iter("{*}CipherReference"):
        out.setdefault(unquote(ref.get("URI", "")), "")
    return out
