"""`storybinder clean` on HTML, Markdown, BBCode and Word files: the prose is cleaned, the markup kept byte for byte."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from storybinder.clean_formats import html as html_format
from storybinder.clean_formats import markdown as markdown_format
from storybinder.clean_formats.segments import clean_pieces
from storybinder.cli import app
from storybinder.readers import read_story

from .epub_inspect import open_epub
from .reader_helpers import shape

REPO = Path(__file__).resolve().parent.parent
STORY_SUFFIXES = (".txt", ".md", ".html", ".bbcode", ".docx")
runner = CliRunner()


def clean(*args: str, input: str | bytes | None = None):
    result = runner.invoke(app, ["clean", "-q", *args], input=input)
    assert "Traceback" not in result.output
    return result


HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>The "Quiet" Room</title>
<meta name="author" content='Ann "Nan" O&apos;Neil'>
<style>p::before { content: "--"; } a[title='x "y"'] { color: red }</style>
<script>var s = "don't -- stop..."; if (a < b && c > "d") {}</script>
</head>
<body>
<h1 class="title" data-x='say "hi" -- > now'>The "Quiet" Room</h1>
<p>He said, "<em class="x">Hello</em> there." She -- laughing -- left...</p>
<p title="a 'b' "c"">&quot;Yes,&quot; she said.  <a href="http://example.com/?q='x'&amp;r=&quot;y&quot;" title='it&apos;s "here"'>It's "here"</a>.</p>
<!-- a "comment" -- kept -->
<pre>  "code" -- as typed...  </pre>
<p>Inline <code>"x" -- y</code> stays; <b>bold</b>'s fine.</p>
</body></html>
"""

def _tags(text: str) -> list[str]:
    return [m.group() for m in html_format.TAG.finditer(text)] + re.findall(r"<!--.*?-->", text, re.DOTALL)


def test_html_text_is_cleaned_and_every_tag_kept_byte_for_byte(tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    page.write_text(HTML, encoding="utf-8")
    result = clean(str(page))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert _tags(out) == _tags(HTML)
    for kept in ("<script>var s = \"don't -- stop...\"; if (a < b && c > \"d\") {}</script>",
                 "<style>p::before { content: \"--\"; } a[title='x \"y\"'] { color: red }</style>",
                 "<pre>  \"code\" -- as typed...  </pre>", "<code>\"x\" -- y</code>", "<!-- a \"comment\" -- kept -->"):
        assert kept in out
    # The sentence runs on across <em>: its quotation opens before the tag and closes after it.
    assert "<p>He said, \u201c<em class=\"x\">Hello</em> there.\u201d She \u2014 laughing \u2014 left\u2026</p>" in out
    assert "\u201cYes,\u201d she said. <a " in out and ">It\u2019s \u201chere\u201d</a>." in out
    assert "<title>The \u201cQuiet\u201d Room</title>" in out and "<b>bold</b>\u2019s fine" in out


def test_in_place_html_keeps_crlf_encoding_and_a_backup(tmp_path: Path) -> None:
    page = tmp_path / "story.htm"
    original = '<html><head><meta charset="windows-1252"></head>\r\n<body><p class="a">"Caf\xe9" -- now\u2032</p>\r\n</body></html>\r\n'
    page.write_bytes(original.replace("\u2032", "").encode("cp1252"))
    page.chmod(0o640)
    result = clean("--in-place", str(page))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "story.htm.bak").read_bytes() == original.replace("\u2032", "").encode("cp1252")
    data = page.read_bytes()
    # Still cp1252, still CRLF; only the text changed.
    assert data == '<html><head><meta charset="windows-1252"></head>\r\n<body><p class="a">\u201cCaf\xe9\u201d \u2014 now</p>\r\n</body></html>\r\n'.encode("cp1252")
    assert page.stat().st_mode & 0o777 == 0o640
    # Cleaning again changes nothing, so the file and its backup are left alone.
    before = page.stat().st_mtime_ns
    assert clean("--in-place", str(page)).exit_code == 0
    assert page.stat().st_mtime_ns == before
    assert (tmp_path / "story.htm.bak").read_bytes() == original.replace("\u2032", "").encode("cp1252")
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*.tmp"))


def test_an_earlier_backup_is_never_overwritten(tmp_path: Path) -> None:
    page = tmp_path / "story.md"
    page.write_text('"One" -- two\n', encoding="utf-8")
    (tmp_path / "story.md.bak").write_text("the user's own older copy\n", encoding="utf-8")
    assert clean("--in-place", str(page)).exit_code == 0
    assert (tmp_path / "story.md.bak").read_text(encoding="utf-8") == "the user's own older copy\n"
    assert (tmp_path / "story.md.2.bak").read_text(encoding="utf-8") == '"One" -- two\n'


_WORDS = st.sampled_from(["he", "said", "don't", '"', "'", "--", "...", "Hello", "there.", ",", "&quot;", "&amp;", "&#8212;", "\n", "  "])
_TEXT = st.lists(_WORDS, max_size=8).map(" ".join)
_ATTR_VALUE = st.text(alphabet="ab '\"-.>=&;/", max_size=10)
_NAMES = st.sampled_from(["p", "em", "i", "a", "span", "div", "h2", "b", "br", "img", "blockquote", "x-custom", "q"])


@st.composite
def _tag(draw) -> str:
    name = draw(_NAMES)
    attrs = []
    for _ in range(draw(st.integers(0, 2))):
        value = draw(_ATTR_VALUE)
        quoted = f'"{value}"' if '"' not in value else f"'{value}'" if "'" not in value else '"' + value.replace('"', "&quot;") + '"'
        attrs.append(f" {draw(st.sampled_from(['title', 'data-x', 'href', 'class']))}={quoted}")
    closing = draw(st.booleans())
    return f"</{name}>" if closing else f"<{name}{''.join(attrs)}>"


_PART = st.one_of(_TEXT, _tag(), st.just('<script>if (a < "b") { x = "--"; }</script>'), st.just("<!-- \"c\" -- -->"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PART, max_size=14).map("".join))
def test_random_html_keeps_every_tag_and_attribute(document: str) -> None:
    pieces = html_format.pieces(document)
    assert "".join(p.source for p in pieces) == document
    out = clean_pieces(pieces, escape=html_format.escape, with_context=False).source
    assert _tags(out) == _tags(document)
    assert out.count('<script>if (a < "b") { x = "--"; }</script>') == document.count('<script>if (a < "b") { x = "--"; }</script>')


MARKDOWN = """---
title: "The Quiet Room"
author: 'Ann -- "Nan"'
tags: [a, "b"]
---

# The "Quiet" Room

He said, "*Hello* there." She -- laughing -- left... [it's "here"](http://example.com/a--b "the 'title'") and `code "x" -- y`.
A second line's "quote" with \\"escaped\\" quotes and <span class="a'b">tag's</span> text.

```python
s = "don't -- stop..."
```

    indented "code" -- kept

* * *

> "Quoted," she said, "across
> two lines."

<div class="note">
"An HTML block" -- kept...
</div>

![an "image"](pic--1.png "a 'title'") and snake_case "words".

[ref]: http://example.com/--x "Title's"

---

The end -- "really".
"""


def test_markdown_keeps_front_matter_code_links_and_html_blocks(tmp_path: Path) -> None:
    story = tmp_path / "story.md"
    story.write_text(MARKDOWN, encoding="utf-8")
    result = clean(str(story))
    assert result.exit_code == 0, result.output
    out = result.stdout
    front = MARKDOWN[: MARKDOWN.index("---\n\n") + 4]
    assert out.startswith(front)
    for kept in ('](http://example.com/a--b "the \'title\'")', '`code "x" -- y`', '\\"escaped\\"', '<span class="a\'b">',
                 '```python\ns = "don\'t -- stop..."\n```', '    indented "code" -- kept', "* * *",
                 '<div class="note">\n"An HTML block" -- kept...\n</div>', '![an "image"](pic--1.png "a \'title\'")',
                 '[ref]: http://example.com/--x "Title\'s"', "\n---\n"):
        assert kept in out, kept
    assert '# The \u201cQuiet\u201d Room' in out
    assert 'He said, \u201c*Hello* there.\u201d She \u2014 laughing \u2014 left\u2026 [it\u2019s \u201chere\u201d](' in out
    assert '> \u201cQuoted,\u201d she said, \u201cacross\n> two lines.\u201d' in out
    assert 'snake_case \u201cwords\u201d' in out and "The end \u2014 \u201creally\u201d." in out


def test_bbcode_tags_are_kept() -> None:
    text = '[center][b]"Chapter" One[/b][/center]\nHe said, "[i]Hello[/i] there." [url=http://x.com/"a"--b]it\'s "here"[/url]\n[quote="Nan\'s"]"Yes," she said...[/quote] [img]a\'b--c.png[/img]\n'
    result = clean("--format", "bbcode", "-", input=text)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        '[center][b]\u201cChapter\u201d One[/b][/center]\nHe said, \u201c[i]Hello[/i] there.\u201d '
        '[url=http://x.com/"a"--b]it\u2019s \u201chere\u201d[/url]\n[quote="Nan\'s"]\u201cYes,\u201d she said\u2026[/quote] [img]a\'b--c.png[/img]\n'
    )


def test_docx_runs_are_cleaned_in_place_keeping_their_formatting(tmp_path: Path) -> None:
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    document.add_heading('The "Quiet" Room', 1)
    p = document.add_paragraph('He said, "')
    p.add_run("Hello").italic = True
    p.add_run(' there." She -- laughing -- left...')
    p = document.add_paragraph()
    p.add_run('"Yes').bold = True
    p.add_run(",")
    run = p.add_run('" she said.\tAnd')
    run.add_break(WD_BREAK.LINE)
    p.add_run("then it's done.")
    document.add_table(rows=1, cols=1).cell(0, 0).text = 'A "cell" -- here'
    source = tmp_path / "story.docx"
    document.save(source)
    cleaned = tmp_path / "clean.docx"
    result = clean(str(source), "-o", str(cleaned))
    assert result.exit_code == 0, result.output
    out = docx.Document(cleaned)
    runs = [[(r.text, r.italic, r.bold) for r in para.runs] for para in out.paragraphs]
    assert runs == [
        [("The \u201cQuiet\u201d Room", None, None)],
        [("He said, \u201c", None, None), ("Hello", True, None), (" there.\u201d She \u2014 laughing \u2014 left\u2026", None, None)],
        [("\u201cYes", None, True), (",", None, None), ("\u201d she said.\tAnd\n", None, None), ("then it\u2019s done.", None, None)],
    ]
    assert out.paragraphs[0].style.name == "Heading 1"
    assert out.tables[0].cell(0, 0).text == "A \u201ccell\u201d \u2014 here"
    # --diff shows the paragraphs' text.
    diff = clean(str(source), "--diff")
    assert "-He said, \"Hello there.\" She -- laughing -- left..." in diff.stdout


def test_files_clean_cannot_take_are_named_with_what_to_do(tmp_path: Path) -> None:
    book = tmp_path / "story.epub"
    book.write_bytes(b"PK\x03\x04")
    result = clean(str(book))
    assert result.exit_code == 1
    assert "clean cannot read .epub files" in result.output and "storybinder build" in result.output
    odt = tmp_path / "story.odt"
    odt.write_bytes(b"PK\x03\x04")
    assert ".docx" in clean(str(odt)).output
    assert "from stdin" in clean("--format", "docx", "-", input=b"PK").output


def test_stdin_format_is_told_from_the_content() -> None:
    assert clean("-", input='<!DOCTYPE html><p title="a \'b\'">"Hi"</p>').stdout == '<!DOCTYPE html><p title="a \'b\'">\u201cHi\u201d</p>'
    assert clean("-", input='---\ntitle: "T"\n---\n\n"Hi" -- there\n').stdout == '---\ntitle: "T"\n---\n\n\u201cHi\u201d \u2014 there\n'


def _unclean(text: str) -> str:
    """Straight quotes and ASCII dashes, as a writer types them."""
    return text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'").replace("\u2014", "--")


def _plain(value: object) -> object:
    """A value with its strings' typography undone, for comparing up to typography."""
    if isinstance(value, str):
        return _unclean(value)
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    if hasattr(value, "__dataclass_fields__"):
        return _plain(tuple(vars(value).values()))
    return value


def _unclean_docx(source: Path, target: Path) -> None:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                data = _unclean(data.decode("utf-8")).encode("utf-8")
            zout.writestr(info, data)


def test_every_sample_story_cleaned_builds_to_the_same_book(tmp_path: Path, check_epub) -> None:
    """Each sample in stories/ with its typography undone, then cleaned in place: the same chapters, headings and metadata."""
    dirty = tmp_path / "stories"
    shutil.copytree(REPO / "stories", dirty)
    story_files = sorted(p for p in dirty.rglob("*") if p.suffix in STORY_SUFFIXES)
    assert {p.suffix for p in story_files} == set(STORY_SUFFIXES)
    for path in story_files:
        if path.suffix == ".docx":
            _unclean_docx(REPO / path.relative_to(tmp_path), path)
        else:
            path.write_text(_unclean(path.read_text(encoding="utf-8")), encoding="utf-8")
    for path in story_files:
        before = path.read_bytes()
        result = clean("--in-place", str(path))
        assert result.exit_code == 0, (path, result.output)
        assert path.read_bytes() != before, f"{path.name}: nothing was cleaned"
    for original in sorted((REPO / "stories").iterdir()):
        if original.suffix in STORY_SUFFIXES or original.is_dir():
            ours, theirs = read_story(original), read_story(dirty / original.name)
            # The same up to typography (a title typed with a straight apostrophe is curled now).
            assert _plain(shape(theirs)) == _plain(shape(ours)), original.name
            for name in ("title", "subtitle", "authors", "description", "language", "tags"):
                assert _plain(getattr(theirs.metadata, name)) == _plain(getattr(ours.metadata, name)), name
    books = {}
    for folder in (REPO / "stories", dirty):
        out = tmp_path / f"books-{len(books)}"
        result = runner.invoke(app, ["build", str(folder), "-o", str(out), "--no-clean"])
        assert result.exit_code == 0, result.output
        books[folder] = {p.name: open_epub(p) for p in sorted(out.glob("*.epub"))}
    assert books[dirty].keys() == books[REPO / "stories"].keys() and len(books[dirty]) >= 8
    for name, book in books[dirty].items():
        theirs = books[REPO / "stories"][name]
        assert _plain((book.title, book.creators, book.toc_titles())) == _plain((theirs.title, theirs.creators, theirs.toc_titles()))
        check_epub(book.path)


@pytest.mark.parametrize("name", ["lamplight-html-edition.html", "lamplight-markdown-edition.md"])
def test_clean_samples_are_left_as_they_are(name: str) -> None:
    """Already clean text comes back byte for byte."""
    text = (REPO / "stories" / name).read_text(encoding="utf-8")
    module = html_format if name.endswith(".html") else markdown_format
    assert clean_pieces(module.pieces(text), with_context=False).source == text
