"""Hostile and broken EPUBs: each is refused with one `error:` line or comes out a sanitised, valid book.

The corpus is made here, a file per attack or breakage (zip bombs real and
forged, `../` and absolute names, symlinks, duplicate names, entity bombs,
external DTDs and entities, scripts and remote resources, a missing or lying
mimetype, wrong case and backslashes in names, DRM, fixed layout, damaged
entries...). One real `storybinder build` process builds them all, under a
wrapper that reports the largest memory any of its processes used; a local
socket stands in for the network.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from storybinder.model import Chapter, Metadata, Paragraph, Person, SceneBreak, Story

from . import epub_shapes
from .test_hostile_input import SECRET, Knocker, assert_nothing_hostile

H = epub_shapes.H
MB = 2**20


def small_story() -> Story:
    chapters = [
        Chapter("The Gate", [Paragraph("Wren shut the gate behind her."), SceneBreak("* * *"), Paragraph("The road ran west.")]),
        Chapter("The Ford", [Paragraph("The river was high that spring.")]),
    ]
    return Story(Metadata(title="Hostile Road", authors=(Person("Pell Harrow"),), description="A short walk."), chapters)


def files_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def zip_files(path: Path, files: dict[str, bytes], *, mimetype: bytes | None = b"application/epub+zip") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        if mimetype is not None:
            zf.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        for name, data in files.items():
            if name != "mimetype":
                zf.writestr(name, data)
    return path


def _headers(raw: bytes | bytearray, name: str) -> list[tuple[int, bool]]:
    """(offset, is_central) of the local and central directory headers of entry `name`."""
    found = []
    for signature, central in ((b"PK\x03\x04", False), (b"PK\x01\x02", True)):
        start = -1
        while (start := raw.find(signature, start + 1)) != -1:
            length_at, name_at = (start + 28, start + 46) if central else (start + 26, start + 30)
            (length,) = struct.unpack_from("<H", raw, length_at)
            if bytes(raw[name_at : name_at + length]) == name.encode():
                found.append((start, central))
    return found


def zipped(files: dict[str, bytes]) -> bytearray:
    buffer = io.BytesIO()
    zip_files(buffer, files)  # type: ignore[arg-type]
    return bytearray(buffer.getvalue())


def _replace(files: dict[str, bytes], name: str, old: bytes, new: bytes) -> None:
    assert old in files[name], (name, old)
    files[name] = files[name].replace(old, new)


CH1 = "EPUB/text/ch001.xhtml"
OPF = "EPUB/content.opf"


def write_corpus(folder: Path, secret: Path, knocker: Knocker) -> dict[str, str]:
    """name -> "error" (must be refused) or "book" (must build, sanitised)."""
    base = epub_shapes.pandoc_epub(small_story(), folder.parent / "base.epub")
    good = files_of(base)
    expect: dict[str, str] = {}

    def make(name: str, outcome: str, files: dict[str, bytes], **kw) -> None:
        zip_files(folder / name, files, **kw)
        expect[name] = outcome

    # Zip bombs: a real one (80 MB of zeros in a chapter), one whose header lies, and a hundred thousand names' worth.
    with zipfile.ZipFile(folder / "bomb-chapter.epub", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for name, data in good.items():
            if name not in ("mimetype", CH1):
                zf.writestr(name, data)
        with zf.open(CH1, "w") as member:
            for _ in range(80):
                member.write(bytes(MB))
    expect["bomb-chapter.epub"] = "error"
    raw = zipped(good)
    for offset, central in _headers(raw, CH1):
        if central:
            struct.pack_into("<I", raw, offset + 24, 0xFFFF0000)  # says it unpacks to 4 GB
    (folder / "bomb-forged-size.epub").write_bytes(bytes(raw))
    expect["bomb-forged-size.epub"] = "error"
    many = dict(good)
    many.update({f"EPUB/pad/{n}.txt": b"" for n in range(25_000)})
    make("bomb-many-files.epub", "error", many)

    # Names that leave the archive, links, duplicates, backslashes, wrong case.
    files = dict(good)
    files["../../escaped-by-dotdot.xhtml"] = b"<html><body><p>escaped</p></body></html>"
    _replace(files, OPF, b'href="text/ch002.xhtml"', b'href="../../escaped-by-dotdot.xhtml"')
    make("dotdot-names.epub", "book", files)
    files = dict(good)
    files["/tmp/escaped-absolute.xhtml"] = b"<html><body><p>escaped</p></body></html>"
    _replace(files, OPF, b'href="text/ch002.xhtml"', b'href="/etc/passwd"')
    make("absolute-names.epub", "book", files)
    with zipfile.ZipFile(folder / "symlink.epub", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for name, data in good.items():
            if name not in ("mimetype", "EPUB/text/ch002.xhtml"):
                zf.writestr(name, data)
        link = zipfile.ZipInfo("EPUB/text/ch002.xhtml")
        link.create_system = 3
        link.external_attr = (0o120777 << 16)
        zf.writestr(link, str(secret))
    expect["symlink.epub"] = "book"
    with zipfile.ZipFile(folder / "duplicate-names.epub", "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        for name, data in good.items():
            if name != "mimetype":
                zf.writestr(name, data)
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns about the duplicate: that is the point
            zf.writestr(CH1, b"<html><body><p>A second chapter one.</p></body></html>")
    expect["duplicate-names.epub"] = "error"
    files = {name.replace("EPUB/", "EPUB\\", 1) if name.startswith("EPUB/text/") else name: data for name, data in good.items()}
    make("backslash-names.epub", "book", files)
    files = {(name.replace("text/ch001", "Text/Ch001") if name == CH1 else name): data for name, data in good.items()}
    make("wrong-case-names.epub", "book", files)
    files = dict(good)
    nav = files["EPUB/nav.xhtml"]
    files["EPUB/nav.xhtml"] = nav.replace(b'href="text/ch002.xhtml#chapter-2"', f'href="../../../..{secret}"'.encode()).replace(
        b'href="text/ch001.xhtml#chapter-1"', f'href="{knocker.url}/nav"'.encode()
    )
    make("nav-escapes.epub", "book", files)

    # XML: entity bombs, external entities and DTDs, deep nesting.
    laughs = "".join(f'<!ENTITY l{n} "{("&l%d;" % (n - 1)) * 10 if n else "lol"}">' for n in range(10))
    files = dict(good)
    files[OPF] = files[OPF].replace(b"<package", f"<!DOCTYPE package [{laughs}]><package".encode(), 1).replace(b"Hostile Road</dc:title>", b"Hostile &l9;Road</dc:title>")
    doctype = f'<!DOCTYPE html [{laughs}<!ENTITY secret SYSTEM "file://{secret}"><!ENTITY remote SYSTEM "{knocker.url}/entity">]>'
    files[CH1] = files[CH1].replace(b"<!DOCTYPE html>", doctype.encode()).replace(b"Wren shut", b"&l9; &secret; &remote; Wren shut")
    make("entity-bombs.epub", "book", files)
    files = dict(good)
    files[CH1] = files[CH1].replace(b"<!DOCTYPE html>", f'<!DOCTYPE html SYSTEM "{knocker.url}/x.dtd">'.encode())
    make("external-dtd.epub", "book", files)
    files = dict(good)
    files[CH1] = b"<html><body>" + b"<div>" * 100_000 + b"deep" + b"</div>" * 100_000 + b"</body></html>"
    make("deep-nesting.epub", "error", files)

    # Scripts and remote resources.
    files = dict(good)
    hostile = (
        f'<script>fetch("{knocker.url}/js")</script><p onclick="alert(1)">Click <a href="javascript:alert(1)">here</a>.</p>'
        f'<img src="{knocker.url}/img.png" alt="x"/><iframe src="{knocker.url}/frame"></iframe>'
        f'<link rel="stylesheet" href="{knocker.url}/style.css"/><object data="{knocker.url}/o"></object>'
        f'<p style="background: url({knocker.url}/bg)">Styled.</p><form action="{knocker.url}"><input name="q"/></form>'
    )
    files[CH1] = files[CH1].replace(b"<p>Wren shut", hostile.encode() + b"<p>Wren shut")
    files["EPUB/styles/remote.css"] = f'@import url("{knocker.url}/import.css"); @font-face {{ src: url({knocker.url}/f.woff) }}'.encode()
    files[CH1] = files[CH1].replace(b"</head>", b'<link rel="stylesheet" href="../styles/remote.css"/></head>')
    make("scripts-and-remote.epub", "book", files)

    # The container itself.
    make("no-mimetype.epub", "book", good, mimetype=None)
    odt = {"META-INF/manifest.xml": b"<manifest/>", "content.xml": b"<office:document-content/>"}
    make("lying-mimetype.epub", "error", odt, mimetype=b"application/vnd.oasis.opendocument.text")
    (folder / "not-a-zip.epub").write_text("Just some text, renamed .epub.\n", encoding="utf-8")
    expect["not-a-zip.epub"] = "error"
    (folder / "truncated.epub").write_bytes(base.read_bytes()[: base.stat().st_size // 2])
    expect["truncated.epub"] = "error"
    (folder / "empty.epub").write_bytes(b"")
    expect["empty.epub"] = "error"
    make("no-container.epub", "error", {CH1: good[CH1]})
    files = dict(good)
    files[OPF] = b"\x00\x01 this is not XML at all"
    make("broken-package.epub", "error", files)
    files = dict(good)
    files[OPF] = files[OPF].replace(b"<spine toc=\"ncx\">", b"<spine>").split(b"<spine>")[0] + b"<spine/></package>"
    make("empty-spine.epub", "error", files)
    damaged = zipped(good)
    local = next(offset for offset, central in _headers(damaged, CH1) if not central)
    data_at = local + 30 + len(CH1) + struct.unpack_from("<H", damaged, local + 28)[0]
    damaged[data_at + 10 : data_at + 50] = b"\xff" * 40  # inside the deflated chapter
    (folder / "damaged-entry.epub").write_bytes(bytes(damaged))
    expect["damaged-entry.epub"] = "error"
    locked = zipped(good)
    for offset, central in _headers(locked, CH1):
        locked[offset + (8 if central else 6)] |= 0x01  # "encrypted with a password"
    (folder / "password-entry.epub").write_bytes(bytes(locked))
    expect["password-entry.epub"] = "error"

    # Not stories.
    files = dict(good)
    files["META-INF/encryption.xml"] = (
        b'<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">'
        b'<enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>'
        b'<enc:CipherData><enc:CipherReference URI="EPUB/text/ch001.xhtml"/></enc:CipherData></enc:EncryptedData></encryption>'
    )
    make("drm.epub", "error", files)
    files = dict(good)
    _replace(files, OPF, b"</metadata>", b'<meta property="rendition:layout">pre-paginated</meta></metadata>')
    make("fixed-layout.epub", "error", files)

    # A cover that is a decompression bomb: left out, a cover drawn instead.
    files = dict(good)
    bomb = io.BytesIO()
    Image.new("1", (30_000, 30_000)).save(bomb, "PNG")
    files["EPUB/media/cover.png"] = bomb.getvalue()
    _replace(files, OPF, b"</manifest>", b'<item id="c" href="media/cover.png" media-type="image/png" properties="cover-image"/></manifest>')
    make("cover-bomb.epub", "book", files)
    return expect


@pytest.fixture(scope="module")
def knocker():
    k = Knocker()
    yield k
    k.close()


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory, knocker):
    work = tmp_path_factory.mktemp("hostile-epubs")
    secret = work / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    corpus = work / "corpus"
    corpus.mkdir()
    expect = write_corpus(corpus, secret, knocker)
    before = {p for p in work.rglob("*")}
    wrapper = (
        "import resource, subprocess, sys\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "sys.stdout.write(p.stdout); sys.stderr.write(p.stderr)\n"
        "print('MAXRSS', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
        "sys.exit(p.returncode)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", wrapper, sys.executable, "-m", "storybinder.cli", "build", str(corpus), "-o", str(work / "out"), "--json", "--jobs", "2"],
        capture_output=True, text=True, timeout=600, cwd=work,
    )
    after = {p for p in work.rglob("*")}
    return expect, proc, work, before, after


def test_the_corpus_is_big_enough(corpus_build):
    expect = corpus_build[0]
    assert len(expect) >= 20
    assert sum(v == "error" for v in expect.values()) >= 10 and sum(v == "book" for v in expect.values()) >= 8


def test_each_hostile_epub_is_refused_in_one_line_or_built(corpus_build, check_epub):
    expect, proc, work, _, _ = corpus_build
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    summary = json.loads(proc.stdout)
    results = {Path(r["source"]).name: r for r in summary["results"]}
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    for name, outcome in expect.items():
        result = results[name]
        mine = [line for line in errors if name in line]
        if outcome == "error":
            assert result["status"] == "failed", (name, result)
            assert len(mine) == 1, (name, mine)
        else:
            assert result["status"] == "built", (name, result)
            assert not mine, (name, mine)
            output = check_epub(Path(result["output"]))
            text = assert_nothing_hostile(output)
            assert "Wren shut the gate" in text or "The river was high" in text, name
    assert len(errors) == sum(v == "error" for v in expect.values())


def test_the_refusals_say_what_is_wrong(corpus_build):
    _, proc, _, _, _ = corpus_build
    said = {line.split(":", 2)[1].strip().rsplit("/", 1)[-1]: line for line in proc.stderr.splitlines() if line.startswith("error:")}
    assert "zip bomb" in said["bomb-chapter.epub"]
    assert "zip bomb" in said["bomb-forged-size.epub"]
    assert "DRM" in said["drm.epub"]
    assert "fixed-layout" in said["fixed-layout.epub"]
    assert "not a ZIP" in said["not-a-zip.epub"]
    assert "opendocument" in said["lying-mimetype.epub"]
    assert "two" in said["duplicate-names.epub"] or "different files named" in said["duplicate-names.epub"]


def test_nothing_is_written_outside_the_output_folder_and_no_secret_leaks(corpus_build):
    _, proc, work, before, after = corpus_build
    new = {p for p in after - before if work / "out" not in p.parents and p != work / "out"}
    assert not new, new
    assert not list(Path("/tmp").glob("escaped-absolute.xhtml"))
    assert not list(work.parent.rglob("escaped-by-dotdot.xhtml"))
    for book in (work / "out").glob("*.epub"):
        with zipfile.ZipFile(book) as zf:
            assert all(SECRET.encode() not in zf.read(n) for n in zf.namelist()), book


def test_no_network_and_bounded_memory(corpus_build, knocker):
    _, proc, _, _, _ = corpus_build
    assert knocker.knocks == 0
    peak_kb = int(proc.stderr.rsplit("MAXRSS", 1)[1].split()[0])
    assert peak_kb < 600 * 1024, f"a build process grew to {peak_kb // 1024} MB"


def test_a_sanitised_book_says_what_it_left_out(corpus_build):
    _, proc, _, _, _ = corpus_build
    results = {Path(r["source"]).name: r for r in json.loads(proc.stdout)["results"]}
    assert any("drawing a cover instead" in w for w in results["cover-bomb.epub"]["warnings"])
    assert any("lead out of the book" in w for w in results["dotdot-names.epub"]["warnings"])
    assert any("symbolic links" in w for w in results["symlink.epub"]["warnings"])
