"""`storybinder check` on deliberately broken EPUBs: each defect is flagged with its rule id
and the right exit code, a good EPUB passes, and no input ends in a traceback.

Books are built here from a minimal valid EPUB 3 (a dict of zip entries) and then
broken one defect at a time. Only one test runs EPUBCheck (one JVM for a batch).
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from storybinder import epubcheck
from storybinder.check import Severity, check_books
from storybinder.cli import app

OPF = "EPUB/package.opf"
CH1 = "EPUB/ch1.xhtml"
CH2 = "EPUB/ch2.xhtml"

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
"""

PACKAGE = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="en">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="uid">urn:uuid:0f8b9a7e-1c2d-4e5f-8a9b-0c1d2e3f4a5b</dc:identifier>
    <dc:title>The Lamplighter's Fog</dc:title>
    <dc:creator>Test Author</dc:creator>
    <dc:language>en</dc:language>
    <meta property="dcterms:modified">2026-01-01T00:00:00Z</meta>
    <meta name="cover" content="cover"/>
    <meta property="schema:accessMode">textual</meta>
    <meta property="schema:accessMode">visual</meta>
    <meta property="schema:accessModeSufficient">textual</meta>
    <meta property="schema:accessibilityFeature">structuralNavigation</meta>
    <meta property="schema:accessibilityFeature">alternativeText</meta>
    <meta property="schema:accessibilityHazard">none</meta>
    <meta property="schema:accessibilitySummary">Text with headings and a described cover.</meta>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
    <item id="css" href="style.css" media-type="text/css"/>
    <item id="cover" href="cover.png" media-type="image/png" properties="cover-image"/>
    <item id="ch1" href="ch1.xhtml" media-type="application/xhtml+xml"/>
    <item id="ch2" href="ch2.xhtml" media-type="application/xhtml+xml"/>
  </manifest>
  <spine toc="ncx">
    <itemref idref="ch1"/>
    <itemref idref="ch2"/>
  </spine>
</package>
"""

NAV = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="en" lang="en">
<head><title>Contents</title></head>
<body>
  <nav epub:type="toc" id="toc"><h1>Contents</h1>
    <ol>
      <li><a href="ch1.xhtml#c1">Chapter One</a></li>
      <li><a href="ch2.xhtml#c2">Chapter Two</a></li>
    </ol>
  </nav>
</body>
</html>
"""

NCX = """<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">
  <head><meta name="dtb:uid" content="urn:uuid:0f8b9a7e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"/></head>
  <docTitle><text>The Lamplighter's Fog</text></docTitle>
  <navMap>
    <navPoint id="n1" playOrder="1"><navLabel><text>Chapter One</text></navLabel><content src="ch1.xhtml#c1"/></navPoint>
    <navPoint id="n2" playOrder="2"><navLabel><text>Chapter Two</text></navLabel><content src="ch2.xhtml#c2"/></navPoint>
  </navMap>
</ncx>
"""

CHAPTER = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
<head><title>{title}</title><link rel="stylesheet" type="text/css" href="style.css"/></head>
<body id="body{n}">
  <section id="c{n}"><h1>{title}</h1>
    <p id="p{n}">The fog rolled in over the harbour, and the lamplighter climbed the stair.</p>
    <p>She read the note twice. <a href="{link}">Go back.</a></p>
  </section>
</body>
</html>
"""

CSS = "body { margin: 0 5%; }\np { text-indent: 1.5em; }\n"


def png(size: tuple[int, int] = (60, 90), fmt: str = "PNG", noise: bool = False) -> bytes:
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (40, 60, 120))
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def good_entries() -> dict[str, str | bytes]:
    """Zip entries of a small EPUB 3 that passes EPUBCheck and every storybinder rule."""
    return {
        "mimetype": "application/epub+zip",
        "META-INF/container.xml": CONTAINER,
        OPF: PACKAGE,
        "EPUB/nav.xhtml": NAV,
        "EPUB/toc.ncx": NCX,
        "EPUB/style.css": CSS,
        "EPUB/cover.png": png(),
        CH1: CHAPTER.format(n=1, title="Chapter One", link="ch2.xhtml#p2"),
        CH2: CHAPTER.format(n=2, title="Chapter Two", link="ch1.xhtml#p1"),
    }


def write_epub(path: Path, entries: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries.items():
            compress = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            zf.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), data, compress_type=compress)
    return path


def edit(entries: dict, name: str, old: str, new: str) -> dict:
    assert old in entries[name], f"{old!r} not in {name}"
    return {**entries, name: entries[name].replace(old, new)}


def without(entries: dict, name: str) -> dict:
    return {k: v for k, v in entries.items() if k != name}


def add_image(entries: dict, href: str, media_type: str, data: bytes) -> dict:
    item = f'<item id="extra" href="{href}" media-type="{media_type}"/>\n  </manifest>'
    entries = edit(entries, OPF, "</manifest>", item)
    entries = edit(entries, CH2, "</section>", f'<p><img src="{href}" alt="A picture"/></p></section>')
    return {**entries, f"EPUB/{href}": data}


def no_a11y(entries: dict) -> dict:
    lines = [line for line in entries[OPF].splitlines() if "schema:" not in line]
    return {**entries, OPF: "\n".join(lines)}


# (case id, how to break the good book, rule expected, its severity)
BREAKAGES = [
    ("no-xml-declaration", lambda e: edit(e, CH1, '<?xml version="1.0" encoding="UTF-8"?>\n', ""), "kindle.xml-declaration", Severity.ERROR),
    ("declaration-without-encoding", lambda e: edit(e, CH1, ' encoding="UTF-8"', ""), "kindle.xml-declaration", Severity.ERROR),
    ("no-language", lambda e: edit(e, OPF, "<dc:language>en</dc:language>", ""), "metadata.language", Severity.ERROR),
    ("empty-language", lambda e: edit(e, OPF, "<dc:language>en</dc:language>", "<dc:language> </dc:language>"), "metadata.language", Severity.ERROR),
    ("bad-language", lambda e: edit(e, OPF, "<dc:language>en</dc:language>", "<dc:language>English</dc:language>"), "metadata.language-invalid", Severity.ERROR),
    ("no-title", lambda e: edit(e, OPF, "<dc:title>The Lamplighter's Fog</dc:title>", ""), "metadata.title", Severity.ERROR),
    ("no-identifier", lambda e: edit(e, OPF, '<dc:identifier id="uid">urn:uuid:0f8b9a7e-1c2d-4e5f-8a9b-0c1d2e3f4a5b</dc:identifier>', ""), "metadata.identifier", Severity.ERROR),
    ("unique-identifier-dangling", lambda e: edit(e, OPF, 'unique-identifier="uid"', 'unique-identifier="isbn"'), "metadata.identifier", Severity.ERROR),
    ("no-modified-date", lambda e: edit(e, OPF, '<meta property="dcterms:modified">2026-01-01T00:00:00Z</meta>', ""), "metadata.modified", Severity.ERROR),
    ("no-author", lambda e: edit(e, OPF, "<dc:creator>Test Author</dc:creator>", ""), "metadata.author", Severity.WARNING),
    ("no-cover", lambda e: edit(edit(e, OPF, ' properties="cover-image"', ""), OPF, '<meta name="cover" content="cover"/>', ""), "metadata.cover", Severity.WARNING),
    ("cover-meta-names-nothing", lambda e: edit(e, OPF, 'content="cover"', 'content="nope"'), "metadata.cover-broken", Severity.ERROR),
    ("broken-fragment", lambda e: edit(e, CH1, "ch2.xhtml#p2", "ch2.xhtml#nowhere"), "content.broken-fragment", Severity.ERROR),
    ("broken-toc-fragment", lambda e: edit(e, "EPUB/nav.xhtml", "ch2.xhtml#c2", "ch2.xhtml#no-such-anchor"), "content.broken-fragment", Severity.ERROR),
    ("broken-ncx-link", lambda e: edit(e, "EPUB/toc.ncx", "ch2.xhtml#c2", "ch9.xhtml#c2"), "content.broken-link", Severity.ERROR),
    ("link-to-body-id", lambda e: edit(e, CH1, "ch2.xhtml#p2", "ch2.xhtml#body2"), "kindle.body-id-link", Severity.ERROR),
    ("script", lambda e: edit(e, CH1, "</head>", "<script>document.title = 'x';</script></head>"), "content.script", Severity.WARNING),
    ("event-handler", lambda e: edit(e, CH1, '<p id="p1">', '<p id="p1" onclick="alert(1)">'), "content.script", Severity.WARNING),
    ("javascript-link", lambda e: edit(e, CH1, 'href="ch2.xhtml#p2"', 'href="javascript:alert(1)"'), "content.script", Severity.WARNING),
    ("remote-image", lambda e: edit(e, CH1, "</section>", '<p><img src="https://example.com/a.png" alt="remote"/></p></section>'), "content.remote-resource", Severity.WARNING),
    ("remote-css-import", lambda e: {**e, "EPUB/style.css": '@import url("http://example.com/x.css");\n' + CSS}, "content.remote-resource", Severity.WARNING),
    ("missing-image", lambda e: edit(e, CH1, "</section>", '<p><img src="images/gone.png" alt="gone"/></p></section>'), "content.missing-resource", Severity.ERROR),
    ("css-missing-font", lambda e: {**e, "EPUB/style.css": '@font-face { font-family: X; src: url(fonts/x.otf); }\n' + CSS}, "content.missing-resource", Severity.ERROR),
    ("img-without-src", lambda e: edit(e, CH1, "</section>", '<p><img alt="nothing"/></p></section>'), "kindle.img-no-src", Severity.ERROR),
    ("malformed-xhtml", lambda e: edit(e, CH2, "</p>", "<em>unclosed</p>"), "content.xml-malformed", Severity.ERROR),
    ("no-a11y", no_a11y, "a11y.access-mode", Severity.WARNING),
    ("manifest-file-missing", lambda e: without(e, CH2), "package.missing-file", Severity.ERROR),
    ("file-not-in-manifest", lambda e: {**e, "EPUB/notes.txt": "stray"}, "package.unlisted-file", Severity.WARNING),
    ("no-ncx", lambda e: without(edit(edit(e, OPF, '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>', ""), OPF, ' toc="ncx"', ""), "EPUB/toc.ncx"), "package.ncx-missing", Severity.WARNING),
    ("no-nav", lambda e: edit(e, OPF, ' properties="nav"', ""), "package.nav-missing", Severity.ERROR),
    ("spine-unknown-id", lambda e: edit(e, OPF, '<itemref idref="ch2"/>', '<itemref idref="ch3"/>'), "package.spine-item", Severity.ERROR),
    ("mimetype-not-first", lambda e: {**without(e, "mimetype"), "mimetype": "application/epub+zip"}, "epub.mimetype", Severity.ERROR),
    ("path-escapes-the-book", lambda e: {**e, "../escape.txt": "x"}, "epub.unsafe-path", Severity.ERROR),
    ("opf-not-well-formed", lambda e: edit(e, OPF, "</package>", ""), "epub.opf-malformed", Severity.ERROR),
    ("no-container", lambda e: without(e, "META-INF/container.xml"), "epub.container", Severity.ERROR),
    ("webp-image", lambda e: add_image(e, "pic.webp", "image/webp", png(fmt="WEBP")), "kindle.image-type", Severity.ERROR),
    ("huge-image-file", lambda e: add_image(e, "big.png", "image/png", png((1400, 1400), noise=True)), "kindle.image-size", Severity.ERROR),
    ("image-too-wide", lambda e: add_image(e, "wide.png", "image/png", png((5000, 8))), "kindle.image-dimensions", Severity.ERROR),
    ("image-wrong-type", lambda e: add_image(e, "photo.png", "image/png", png(fmt="JPEG")), "content.image-type-mismatch", Severity.ERROR),
    ("image-corrupt", lambda e: add_image(e, "broken.png", "image/png", png()[:40]), "content.image-corrupt", Severity.ERROR),
    ("oversize-xhtml", lambda e: edit(e, CH2, "</section>", "<p>" + "All work and no play. " * 16000 + "</p></section>"), "content.xhtml-size", Severity.WARNING),
    ("no-html-lang", lambda e: edit(e, CH1, ' xml:lang="en" lang="en"', ""), "content.lang-missing", Severity.WARNING),
    ("latin1-declared", lambda e: edit(e, CH1, 'encoding="UTF-8"', 'encoding="ISO-8859-1"'), "content.encoding", Severity.ERROR),
]

runner = CliRunner()


def findings_for(book: Path) -> dict[str, set[Severity]]:
    report = check_books([book], epubcheck=False).reports[0]
    rules: dict[str, set[Severity]] = {}
    for f in report.findings:
        rules.setdefault(f.rule, set()).add(f.severity)
    return rules


@pytest.fixture
def good_book(tmp_path, check_epub) -> Path:
    return check_epub(write_epub(tmp_path / "good.epub", good_entries()))


def test_good_epub_has_no_findings_at_all(good_book):
    report = check_books([good_book], epubcheck=False).reports[0]
    assert report.findings == []
    assert report.passed(strict=True)


@pytest.mark.parametrize(
    ("breakage", "rule", "severity"), [b[1:] for b in BREAKAGES], ids=[b[0] for b in BREAKAGES]
)
def test_each_defect_is_flagged_with_its_rule(tmp_path, breakage, rule, severity):
    book = write_epub(tmp_path / "broken.epub", breakage(good_entries()))
    found = findings_for(book)
    assert severity in found.get(rule, set()), f"expected {severity.value} {rule}, got {found}"
    assert "check.internal-error" not in found


def test_missing_accessibility_metadata_names_every_property(tmp_path):
    book = write_epub(tmp_path / "a11y.epub", no_a11y(good_entries()))
    found = findings_for(book)
    for rule in ("a11y.access-mode", "a11y.access-mode-sufficient", "a11y.feature", "a11y.hazard", "a11y.summary"):
        assert rule in found


def test_findings_name_the_file_inside_the_epub_and_what_to_do(tmp_path):
    book = write_epub(tmp_path / "b.epub", edit(good_entries(), CH1, '<?xml version="1.0" encoding="UTF-8"?>\n', ""))
    [finding] = [f for f in check_books([book], epubcheck=False).reports[0].findings if f.rule == "kindle.xml-declaration"]
    assert finding.file == CH1
    assert '<?xml version="1.0" encoding="utf-8"?>' in finding.message


@pytest.mark.parametrize(
    ("content", "rule"),
    [(b"", "epub.not-zip"), (b"this is plain text, not a zip", "epub.not-zip"), (b"PK\x03\x04garbage", "epub.not-zip")],
    ids=["empty", "text", "truncated-zip"],
)
def test_a_file_that_is_not_an_epub_is_one_clear_error(tmp_path, content, rule):
    bad = tmp_path / "story.epub"
    bad.write_bytes(content)
    result = runner.invoke(app, ["check", "--no-epubcheck", str(bad)])
    assert result.exit_code == 1
    assert rule in result.output and str(bad) in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_missing_file_is_reported_and_other_books_still_checked(tmp_path, good_book):
    result = runner.invoke(app, ["check", "--no-epubcheck", str(tmp_path / "nope.epub"), str(good_book)])
    assert result.exit_code == 1
    assert "epub.unreadable" in result.output
    assert f"{good_book}: ok" in result.output


def test_exit_codes_warnings_pass_unless_strict(tmp_path, good_book):
    warned = write_epub(tmp_path / "warned.epub", edit(good_entries(), CH1, '<p id="p1">', '<p id="p1" onclick="x()">'))
    assert runner.invoke(app, ["check", "--no-epubcheck", str(good_book)]).exit_code == 0
    assert runner.invoke(app, ["check", "--no-epubcheck", str(warned)]).exit_code == 0
    assert runner.invoke(app, ["check", "--no-epubcheck", "--strict", str(warned)]).exit_code == 1
    assert runner.invoke(app, ["check", "--no-epubcheck", "--strict", str(good_book)]).exit_code == 0


def test_usage_errors_exit_2(tmp_path):
    assert runner.invoke(app, ["check"]).exit_code == 2
    assert runner.invoke(app, ["check", "--no-such-option", "x.epub"]).exit_code == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["check", str(empty)])
    assert result.exit_code == 2
    assert "no .epub files" in result.output


def test_a_folder_checks_every_epub_inside(tmp_path):
    folder = tmp_path / "books"
    folder.mkdir()
    write_epub(folder / "a.epub", good_entries())
    write_epub(folder / "b.epub", edit(good_entries(), OPF, "<dc:language>en</dc:language>", ""))
    result = runner.invoke(app, ["check", "--no-epubcheck", "--json", str(folder)])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    by_name = {Path(b["path"]).name: b for b in data["books"]}
    assert by_name["a.epub"]["passed"] and not by_name["b.epub"]["passed"]
    assert {"severity": "error", "rule": "metadata.language", "file": OPF}.items() <= by_name["b.epub"]["findings"][0].items()


def test_json_report_lists_every_finding(tmp_path):
    book = write_epub(tmp_path / "b.epub", no_a11y(good_entries()))
    result = runner.invoke(app, ["check", "--no-epubcheck", "--json", str(book)])
    data = json.loads(result.stdout)
    assert data["passed"] is True and data["epubcheck"]["ran"] is False
    [entry] = data["books"]
    assert entry["warnings"] == 5 and entry["errors"] == 0
    assert {f["rule"] for f in entry["findings"]} >= {"a11y.access-mode", "a11y.summary"}


def test_hostile_xml_entities_are_not_expanded(tmp_path):
    bomb = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
        '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">'
        '<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">'
        '<!ENTITY secret SYSTEM "file:///etc/hostname">]>\n'
    )
    entries = good_entries()
    body = entries[CH1].split("\n", 2)[2]
    book = write_epub(tmp_path / "bomb.epub", {**entries, CH1: bomb + body.replace("The fog", "&h; &secret; The fog")})
    result = runner.invoke(app, ["check", "--no-epubcheck", "--json", str(book)])
    assert result.exit_code in (0, 1)
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else None
    if hostname:
        assert hostname not in result.stdout
    assert "check.internal-error" not in result.stdout


def test_without_java_epubcheck_is_skipped_with_instructions(tmp_path, good_book, monkeypatch):
    monkeypatch.setattr(epubcheck.shutil, "which", lambda name: None)
    result = runner.invoke(app, ["check", str(good_book)])
    assert result.exit_code == 0
    assert "EPUBCheck was NOT run" in result.output and "install Java" in result.output
    broken = write_epub(tmp_path / "nolang.epub", edit(good_entries(), OPF, "<dc:language>en</dc:language>", ""))
    assert "metadata.language" in runner.invoke(app, ["check", str(broken)]).output


def test_epubcheck_runs_once_for_all_books(tmp_path, good_book, monkeypatch):
    """The only test that starts EPUBCheck: many books, one JVM, its findings merged with ours."""
    calls = []
    real_run = epubcheck.subprocess.run

    def counting_run(args, **kwargs):
        calls.append(args)
        return real_run(args, **kwargs)

    monkeypatch.setattr(epubcheck.subprocess, "run", counting_run)
    malformed = write_epub(tmp_path / "malformed.epub", edit(good_entries(), CH2, "</p>", "<em>unclosed</p>"))
    fragment = write_epub(tmp_path / "fragment.epub", edit(good_entries(), CH1, "ch2.xhtml#p2", "ch2.xhtml#nowhere"))
    not_zip = tmp_path / "text.epub"
    not_zip.write_text("just text")
    result = runner.invoke(app, ["check", "--json", str(good_book), str(malformed), str(fragment), str(not_zip)])
    assert len(calls) == 1, "EPUBCheck must start one JVM for all books"
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["epubcheck"]["ran"] is True
    books = {Path(b["path"]).name: {f["rule"] for f in b["findings"]} for b in data["books"]}
    assert books["good.epub"] == set()
    assert "content.xml-malformed" in books["malformed.epub"]
    assert any(r.startswith("epubcheck.RSC-016") for r in books["malformed.epub"])
    assert {"content.broken-fragment", "epubcheck.RSC-012"} <= books["fragment.epub"]
    assert books["text.epub"] == {"epub.not-zip"}


def test_a_book_over_the_kindle_size_limit_is_an_error(tmp_path, monkeypatch):
    from storybinder.check import kindle_rules

    monkeypatch.setattr(kindle_rules, "MAX_BOOK_BYTES", 1000)  # a real 127 MB book would slow the suite
    book = write_epub(tmp_path / "big.epub", good_entries())
    assert Severity.ERROR in findings_for(book)["kindle.book-size"]


def test_plain_links_to_the_web_are_not_remote_resources(tmp_path):
    entries = edit(good_entries(), CH1, "</head>", '<link rel="alternate" href="https://example.com/story"/></head>')
    entries = edit(entries, CH1, "</section>", '<p><a href="https://example.com/more">More stories</a></p></section>')
    assert findings_for(write_epub(tmp_path / "web.epub", entries)) == {}


def test_drm_encrypted_files_are_noted_not_misreported(tmp_path):
    encryption = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
        'xmlns:enc="http://www.w3.org/2001/04/xmlenc#">'
        '<enc:EncryptedData><enc:CipherData><enc:CipherReference URI="EPUB/cover.png"/></enc:CipherData>'
        "</enc:EncryptedData></encryption>"
    )
    entries = {**good_entries(), "META-INF/encryption.xml": encryption, "EPUB/cover.png": os.urandom(500)}
    found = findings_for(write_epub(tmp_path / "drm.epub", entries))
    assert found == {"package.encrypted": {Severity.INFO}}


def test_a_damaged_file_inside_the_zip_is_found(tmp_path):
    book = tmp_path / "damaged.epub"
    with zipfile.ZipFile(book, "w") as zf:  # stored, so a changed byte keeps the zip readable
        for name, data in good_entries().items():
            zf.writestr(name, data, compress_type=zipfile.ZIP_STORED)
    book.write_bytes(book.read_bytes().replace(b"the lamplighter climbed", b"the lamplighter climbeD", 1))
    found = findings_for(book)
    assert "epub.corrupt" in found
    report = check_books([book], epubcheck=False).reports[0]
    assert any(f.rule == "epub.corrupt" and f.file == CH1 for f in report.findings)


def test_our_own_sample_books_pass_strictly(sample_books):
    books = list(sample_books.values())  # built once per session (conftest.py)
    result = runner.invoke(app, ["check", "--no-epubcheck", "--strict", "--json", *map(str, books)])
    data = json.loads(result.stdout)
    problems = {b["path"]: b["findings"] for b in data["books"] if b["findings"]}
    assert result.exit_code == 0 and not problems, problems
