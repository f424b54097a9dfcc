"""Hostile input never reaches a book: no script, handler, remote resource, unsafe link or outside file.

Every input format gets the same treatment: HTML, Markdown with raw HTML,
BBCode, Word documents with hyperlinks, and XML with entity bombs and external
entities. The books are built in one real `storybinder build` process (with a
timeout: an entity bomb must not expand), then every file inside each EPUB is
inspected, and the books go to EPUBCheck. A local socket stands in for the
network: any fetch an input asks for would knock on it.

The rule for paths outside the project: a cover the user names (sidecar,
book.toml, front matter or --cover) may live anywhere, since reading a local
image the user chose is the point; it is checked and re-encoded, and it is the
only outside file whose bytes reach the book. `source` and `cover` must be
real files of the right kind (a story file, an image); anything else an input
points at (an <img>, a link, an entity) is never read, let alone embedded.
"""

from __future__ import annotations

import io
import json
import re
import socket
import subprocess
import sys
import threading
import zipfile
from pathlib import Path, PurePosixPath

import pytest
from lxml import etree
from PIL import Image

SECRET = "SECRET-7f3a9c-do-not-embed"
XHTML = "{http://www.w3.org/1999/xhtml}"
FORBIDDEN_ELEMENTS = {
    "script", "iframe", "object", "embed", "form", "input", "button", "textarea", "select", "base", "frame",
    "frameset", "applet", "audio", "video", "source", "track", "canvas", "svg", "math", "style", "noscript",
}
UNSAFE_SCHEME = re.compile(r"^\s*(javascript|vbscript|data|file|about|blob|filesystem)\s*:", re.IGNORECASE)
SAFE_LINK = re.compile(r"^(https?://[^\s/]+|mailto:\S+)", re.IGNORECASE)


class Knocker:
    """A local TCP listener that records every connection made to it (a stand-in for the network)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.knocks = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.knocks += 1
            conn.close()

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.sock.close()


def _image(path: Path, colour=(200, 40, 40), size=(400, 600)) -> Path:
    Image.new("RGB", size, colour).save(path)
    return path


def _docx_with_links(path: Path, links: dict[str, str]) -> None:
    """A Word file whose paragraphs hold hyperlinks to the given addresses."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    document = docx.Document()
    document.core_properties.title = "Hostile Word"
    document.core_properties.author = "Mallory"
    for label, address in links.items():
        paragraph = document.add_paragraph("Link: ")
        rel = document.part.relate_to(address, RT.HYPERLINK, is_external=True)
        hyperlink = OxmlElement("w:hyperlink")
        hyperlink.set(qn("r:id"), rel)
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = label
        run.append(text)
        hyperlink.append(run)
        paragraph._p.append(hyperlink)
    document.add_paragraph("The end of a perfectly ordinary story.")
    document.save(str(path))


def _docx_with_entities(path: Path, secret: Path, knocker: Knocker) -> None:
    """A Word file whose document.xml declares external entities (a file and a URL) and uses them."""
    import docx

    document = docx.Document()
    document.add_paragraph("Before ENTITY_HERE after.")
    document.add_paragraph("A second paragraph of ordinary prose.")
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    declaration, rest = xml.split("?>", 1)
    doctype = (
        f'<!DOCTYPE w:document [<!ENTITY file SYSTEM "file://{secret}">'
        f'<!ENTITY net SYSTEM "{knocker.url}/docx-entity">]>'
    )
    parts["word/document.xml"] = (declaration + "?>" + doctype + rest.replace("ENTITY_HERE", "&file;&net;")).encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def _laughs(levels: int = 10) -> str:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{"".join(f"&lol{i - 1};" for _ in range(10))}">' for i in range(1, levels)
    ]
    return "\n".join(entities)


def write_hostile_inputs(folder: Path, secret: Path, knocker: Knocker) -> dict[str, str]:
    """Every hostile input, by file name; returns {file name: a word that must reach the book}."""
    net = knocker.url
    files = {
        "page.html": f"""<!DOCTYPE html><html><head><title>Hostile Page</title>
<meta name="author" content="Mallory"><base href="{net}/base/">
<link rel="stylesheet" href="{net}/style.css"><link rel="import" href="{net}/import.html">
<style>@import url({net}/imp.css); body {{ background: url({net}/bg.png) }}</style>
<script src="{net}/evil.js"></script><script>document.write('<img src={net}/w.png>')</script>
<meta http-equiv="refresh" content="0; url={net}/refresh"></head>
<body onload="steal()"><p onclick="steal()" style="background-image: url({net}/p.png); font-style: italic">Harbour opening words.</p>
<p><a href="javascript:alert(1)">js</a> <a href=" JaVaScRiPt:alert(2)">js2</a> <a href="java&#x09;script:alert(3)">js3</a>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a> <a href="vbscript:msgbox(1)">vb</a>
<a href="file://{secret}">file</a> <a href="../../../../{secret}">relative</a> <a href="//evil.example/x">scheme-relative</a>
<a href="https://example.org/fine" onmouseover="steal()" target="_blank">fine link</a></p>
<img src="{net}/track.png"><img src="../../../../{secret}"><img src="file://{secret}" onerror="steal()">
<picture><source srcset="{net}/s.png"></picture><video src="{net}/v.mp4" poster="{net}/poster.png"></video>
<iframe src="{net}/frame"></iframe><object data="{net}/obj.swf"></object><embed src="{net}/embed.swf">
<form action="{net}/post"><input name="q" value="x"><button formaction="{net}/b">go</button></form>
<svg><script>steal()</script><image href="{net}/svg.png"/></svg><math><mi xlink:href="javascript:alert(4)">x</mi></math>
<p>Closing words of the page.</p></body></html>""",
        "raw.md": f"""---
title: Hostile Markdown
author: Mallory
---
# Chapter One

Markdown opening words. <script>steal()</script> <img src="{net}/md.png" onerror="steal()">
[js](javascript:alert(1)) [data](data:text/html,x) [file](file://{secret}) ![img](../../../../{secret}) ![remote]({net}/r.png)

<iframe src="{net}/frame"></iframe>
<a href="https://example.org/ok" onclick="steal()">ok link</a> <a href="javascript:alert(5)">raw js</a>

<style>@import url({net}/x.css);</style><link rel="stylesheet" href="{net}/s.css">

Markdown closing words.
""",
        "links.bbcode": f"""[b]Hostile BBCode[/b]
BBCode opening words [url=javascript:alert(1)]click[/url] and [url]javascript:alert(2)[/url].
[url="javascript:alert(3)"]quoted[/url] [url=data:text/html,x]data[/url] [url=file://{secret}]file[/url]
[img]{net}/bb.png[/img] [url={net}/ok]local link[/url] [url=https://example.org/fine]fine[/url]
[color=red" onclick="steal()]red[/color] [size=999px;background:url({net}/s.png)]big[/size]
BBCode closing words.
""",
        "laughs.xhtml": f"""<?xml version="1.0"?>
<!DOCTYPE html [
{_laughs()}
]>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Laughing Matter</title></head>
<body><p>Laugh opening words &lol9; end.</p><p>Laugh closing words.</p></body></html>""",
        "external.xhtml": f"""<?xml version="1.0"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "{net}/dtd" [
<!ENTITY file SYSTEM "file://{secret}">
<!ENTITY net SYSTEM "{net}/entity">
<!ENTITY % remote SYSTEM "{net}/param"> %remote;
]>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:xi="http://www.w3.org/2001/XInclude"><head><title>External Entities</title></head>
<body><p>External opening words: &file; &net;</p><xi:include href="file://{secret}" parse="text"/>
<p>External closing words.</p></body></html>""",
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    _docx_with_links(
        folder / "links.docx",
        {"js": "javascript:alert(1)", "data": "data:text/html,x", "file": f"file://{secret}", "fine": "https://example.org/fine"},
    )
    _docx_with_entities(folder / "entities.docx", secret, knocker)
    return {
        "page.html": "Harbour opening words",
        "raw.md": "Markdown opening words",
        "links.bbcode": "BBCode opening words",
        "laughs.xhtml": "Laugh closing words",
        "external.xhtml": "External closing words",
        "links.docx": "perfectly ordinary story",
        "entities.docx": "second paragraph of ordinary prose",
    }


def _parse_xml(data: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    return etree.fromstring(data, parser)


def _internal(href: str, base: PurePosixPath, names: set[str]) -> bool:
    """A reference to a file inside the book (fragment allowed)."""
    target = href.split("#", 1)[0]
    if not target:
        return True
    if "://" in target or target.startswith("//") or ":" in target.split("/", 1)[0]:
        return False
    parts: list[str] = []
    for part in (base.parent / target).parts:
        if part == "..":
            if not parts:
                return False
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts) in names


def assert_nothing_hostile(epub: Path) -> str:
    """Inspect every file of a book; return the text of its content documents."""
    with zipfile.ZipFile(epub) as zf:
        names = set(zf.namelist())
        text_parts = []
        for name in names:
            assert not name.startswith("/") and ".." not in PurePosixPath(name).parts and "\\" not in name, name
            data = zf.read(name)
            assert SECRET.encode() not in data, f"{epub.name}:{name} holds the outside file's content"
            assert b"lollollollol" not in data, f"{epub.name}:{name}: an entity was expanded"
            if name.endswith(".css"):
                css = data.decode("utf-8").lower()
                assert "@import" not in css and "url(" not in css and "127.0.0.1" not in css, name
            if not name.endswith((".xhtml", ".opf", ".ncx", ".xml")):
                continue
            assert b"<!ENTITY" not in data and b"<!DOCTYPE html [" not in data, name
            root = _parse_xml(data)
            base = PurePosixPath(name)
            for el in root.iter():
                if not isinstance(el.tag, str):
                    continue
                local = etree.QName(el).localname
                if name.endswith(".xhtml"):
                    assert local not in FORBIDDEN_ELEMENTS, f"{epub.name}:{name}: <{local}>"
                    assert local != "link" or _internal(el.get("href", ""), base, names), f"{name}: remote stylesheet"
                    assert local != "meta" or el.get("http-equiv") is None, f"{name}: meta http-equiv"
                    assert "url(" not in (el.get("style") or ""), f"{name}: style with url()"
                for attr, value in el.attrib.items():
                    attr_name = etree.QName(attr).localname
                    assert not attr_name.lower().startswith("on"), f"{epub.name}:{name}: <{local} {attr_name}>"
                    assert not UNSAFE_SCHEME.match(value), f"{epub.name}:{name}: <{local} {attr_name}={value!r}>"
                    # A link the reader may follow is fine; nothing else may point at the network.
                    if local != "a":
                        assert "127.0.0.1" not in value, f"{epub.name}:{name}: <{local} {attr_name}={value!r}>"
                    if attr_name in ("src", "srcset", "poster", "data") or (attr_name == "href" and local not in ("a", "item", "reference", "itemref")):
                        if local == "content" and name.endswith(".ncx"):
                            continue
                        assert _internal(value, base, names), f"{epub.name}:{name}: <{local} {attr_name}={value!r}>"
                    if attr_name == "href" and local == "a":
                        assert SAFE_LINK.match(value) or _internal(value, base, names), f"{epub.name}:{name}: link {value!r}"
                    if attr_name == "href" and local in ("item", "reference"):
                        assert _internal(value, base, names), f"{epub.name}:{name}: manifest {value!r}"
            if name.endswith(".xhtml"):
                text_parts.append(" ".join(root.itertext()))
        opf = next(n for n in names if n.endswith(".opf"))
        assert b"remote-resources" not in zf.read(opf)
        return "\n".join(text_parts)


@pytest.fixture(scope="module")
def knocker():
    k = Knocker()
    yield k
    k.close()


@pytest.fixture(scope="module")
def hostile_books(tmp_path_factory, knocker):
    root = tmp_path_factory.mktemp("hostile")
    outside = root / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text(SECRET + "\n")
    folder = root / "project" / "stories"
    folder.mkdir(parents=True)
    expected = write_hostile_inputs(folder, secret, knocker)
    out = root / "books"
    command = [sys.executable, "-m", "storybinder.cli", "build", str(folder), "-o", str(out), "--json", "--jobs", "2"]
    # An expanding entity or a hanging fetch would blow this budget by far.
    proc = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    summary = json.loads(proc.stdout)
    results = {Path(r["source"]).name: r for r in summary["results"]}
    return results, expected, proc


def test_every_hostile_input_builds_or_fails_cleanly(hostile_books):
    results, expected, proc = hostile_books
    assert set(results) == set(expected)
    failed = {name: r["error"] for name, r in results.items() if r["status"] != "built"}
    # entities.docx may be refused (its XML declares entities) but then with a clear message.
    assert set(failed) <= {"entities.docx"}, failed
    for name, error in failed.items():
        assert name in error and "internal error" not in error, error


@pytest.mark.parametrize("name", ["page.html", "raw.md", "links.bbcode", "laughs.xhtml", "external.xhtml", "links.docx", "entities.docx"])
def test_nothing_hostile_reaches_the_book(hostile_books, name, check_epub):
    results, expected, _ = hostile_books
    result = results[name]
    if result["status"] != "built":
        pytest.skip(f"{name} was refused: {result['error']}")
    epub = Path(result["output"])
    text = assert_nothing_hostile(epub)
    assert expected[name] in text, f"{name}: the story's own words are missing"
    # Script bodies and handlers are dropped whole; a link the author typed as text may stay as text.
    assert "steal()" not in text, text
    check_epub(epub)


def test_links_keep_their_words_but_only_safe_links_stay_links(hostile_books):
    results, _, _ = hostile_books
    with zipfile.ZipFile(results["page.html"]["output"]) as zf:
        body = b"".join(zf.read(n) for n in zf.namelist() if n.endswith(".xhtml")).decode("utf-8")
    assert 'href="https://example.org/fine"' in body and "fine link" in body
    for words in ("js2", "data", "relative", "scheme-relative"):
        assert words in body
    with zipfile.ZipFile(results["links.docx"]["output"]) as zf:
        body = b"".join(zf.read(n) for n in zf.namelist() if "/ch_" in n or "/st_" in n).decode("utf-8")
    assert re.findall(r'<a [^>]*href="([^"]*)"', body) == ["https://example.org/fine"]
    assert all(words in body for words in ("js", "data", "file", "fine"))


def test_no_input_made_a_network_request(hostile_books, knocker):
    assert knocker.knocks == 0, f"inputs made {knocker.knocks} connection(s) to {knocker.url}"


def test_entity_bomb_is_not_expanded(hostile_books):
    results, _, _ = hostile_books
    book = Path(results["laughs.xhtml"]["output"])
    assert book.stat().st_size < 200_000
    # The declarations are not story text either; the page's own title survives them.
    assert results["laughs.xhtml"]["title"] == "Laughing Matter"
    for name in ("laughs.xhtml", "external.xhtml"):
        text = assert_nothing_hostile(Path(results[name]["output"]))
        assert "]>" not in text and "ENTITY" not in text, text


# ---- paths outside the project ------------------------------------------------------


def _build(args: list[str], cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "storybinder.cli", "build", *args], capture_output=True, text=True, timeout=timeout, cwd=cwd
    )


STORY = "Tide Tables\n\nBy Ona Bright\n\nThe tide came in twice that day.\n\nNobody minded.\n"


def test_a_named_cover_outside_the_project_is_used_and_is_the_only_outside_file_embedded(tmp_path, check_epub):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    _image(outside / "art.png", colour=(10, 200, 30))
    (outside / "secret.txt").write_text(SECRET)
    project = tmp_path / "project" / "stories"
    project.mkdir(parents=True)
    (project / "tide.txt").write_text(STORY)
    (project / "tide.toml").write_text('cover = "../../elsewhere/art.png"\n')
    proc = _build(["tide.txt", "-o", str(tmp_path / "books")], cwd=project)
    assert proc.returncode == 0, proc.stderr
    book = tmp_path / "books" / "tide-tables.epub"
    assert_nothing_hostile(book)
    with zipfile.ZipFile(book) as zf:
        covers = [n for n in zf.namelist() if n.endswith((".jpg", ".png"))]
        assert len(covers) == 1
        pixel = Image.open(io.BytesIO(zf.read(covers[0]))).convert("RGB").getpixel((200, 300))
    assert abs(pixel[0] - 10) < 12 and abs(pixel[1] - 200) < 12  # the named image, re-encoded
    check_epub(book)


@pytest.mark.parametrize(
    ("sidecar", "culprit"),
    [
        ('cover = "../../elsewhere/secret.txt"', "secret.txt"),
        ('cover = "/dev/zero"', "zero"),
        ('cover = "../../elsewhere"', "elsewhere"),
        ('cover = "/etc/passwd"', "passwd"),
    ],
    ids=["outside-text-file", "device", "folder", "system-file"],
)
def test_a_cover_that_is_not_an_image_is_refused_not_read_into_the_book(tmp_path, sidecar, culprit):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET)
    project = tmp_path / "project" / "stories"
    project.mkdir(parents=True)
    (project / "tide.txt").write_text(STORY)
    (project / "tide.toml").write_text(sidecar + "\n")
    proc = _build(["tide.txt", "-o", str(tmp_path / "books")], cwd=project)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and culprit in proc.stderr, proc.stderr
    assert not list((tmp_path / "books").glob("*.epub")) if (tmp_path / "books").exists() else True


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("/etc/passwd", "not a story file"),
        ("/dev/zero", "not a story file"),
        ("../../elsewhere/secret", "not a story file"),
        ("../../elsewhere/missing.txt", "does not exist"),
    ],
    ids=["system-file", "device", "outside-no-suffix", "outside-missing"],
)
def test_book_toml_sources_must_be_real_story_files(tmp_path, source, says):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret").write_text(SECRET)
    project = tmp_path / "project" / "anthology"
    project.mkdir(parents=True)
    (project / "one.txt").write_text(STORY)
    (project / "book.toml").write_text(
        f'[book]\ntitle = "Shelf"\n\n[[story]]\nsource = "one.txt"\n\n[[story]]\nsource = "{source}"\n'
    )
    proc = _build(["book.toml", "-o", str(tmp_path / "books")], cwd=project)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and says in proc.stderr, proc.stderr
    assert SECRET not in proc.stderr + proc.stdout
    assert not (tmp_path / "books").exists() or not list((tmp_path / "books").glob("*.epub"))


def test_model_links_with_unsafe_schemes_become_plain_words(tmp_path, check_epub):
    """Whatever a reader lets through, the writer keeps only http(s) and mailto links."""
    from storybinder.epub import write_epub
    from storybinder.model import Book, Chapter, Metadata, Paragraph, Person, Span, Story, Style

    hrefs = [
        "javascript:alert(1)", " JAVASCRIPT:alert(1)", "java\tscript:alert(1)", "data:text/html,x", "vbscript:x",
        "file:///etc/passwd", "../../etc/passwd", "//evil.example/x", "http:/no-host", "https://ok.example/ fine",
        "https://ok.example/a", "mailto:someone@example.org",
    ]
    words = " ".join(f"w{i}" for i in range(len(hrefs)))
    spans = tuple(Span(3 * i if i < 10 else 30 + 4 * (i - 10), 3 * i + 2 if i < 10 else 30 + 4 * (i - 10) + 3, Style.LINK, h) for i, h in enumerate(hrefs))
    story = Story(Metadata(title="Links"), [Chapter("One", [Paragraph(words, spans)])])
    book = Book(Metadata(title="Links", authors=(Person("Ona Bright"),), language="en"), [story], slug="links")
    epub = write_epub(book, tmp_path / "links.epub")
    assert_nothing_hostile(epub)
    with zipfile.ZipFile(epub) as zf:
        body = b"".join(zf.read(n) for n in zf.namelist() if "/ch_" in n or "/st_" in n).decode("utf-8")
    assert re.findall(r'<a href="([^"]*)"', body) == ["https://ok.example/a", "mailto:someone@example.org"]
    assert all(f"w{i}" in body for i in range(len(hrefs)))
    check_epub(epub)


def test_a_docx_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, monkeypatch):
    """python-docx inflates every part into memory; a .docx that would unpack past the limit is refused first."""
    from typer.testing import CliRunner

    from storybinder.cli import app
    from storybinder import epub_open

    story = tmp_path / "bomb.docx"
    _docx_with_links(story, {"fine": "https://example.org/fine"})
    with zipfile.ZipFile(story, "a", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("word/media/padding.bin", "w") as member:
            for _ in range(8):
                member.write(bytes(2**20))  # 8 MB of zeros: a few KB on disk
    assert story.stat().st_size < 200_000
    monkeypatch.setattr(epub_open, "MAX_UNPACKED", 4 * 2**20)  # the real limit, scaled down to keep the test small
    result = CliRunner().invoke(app, ["build", str(story), "-o", str(tmp_path / "books"), "--jobs", "1"])
    assert result.exit_code == 1
    assert "bomb.docx" in result.stderr and "zip bomb" in result.stderr, result.stderr
    assert not list((tmp_path / "books").glob("*.epub"))


@pytest.mark.parametrize("where", ["sidecar", "front-matter", "option"])
def test_a_cover_given_as_a_url_is_never_fetched(tmp_path, knocker, where):
    url = f"{knocker.url}/cover.png"
    if where == "front-matter":
        story = tmp_path / "tide.md"
        story.write_text(f"---\ntitle: Tide Tables\ncover: {url}\n---\nThe tide came in twice that day.\n")
    else:
        story = tmp_path / "tide.txt"
        story.write_text(STORY)
    if where == "sidecar":
        (tmp_path / "tide.toml").write_text(f'cover = "{url}"\n')
    extra = ["--cover", url] if where == "option" else []
    proc = _build([str(story), "-o", str(tmp_path / "books"), *extra], cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "cover" in proc.stderr and ("tide" in proc.stderr or "cover.png" in proc.stderr), proc.stderr
    assert knocker.knocks == 0
