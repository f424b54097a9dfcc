"""HTML stories: plain pages, fimfiction and AO3 downloads, and hostile markup."""

from __future__ import annotations

from storybinder.model import Style

from .reader_helpers import paragraphs, read_text_story, shape, styled, texts

PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
<title>Le Phare</title>
<meta name="author" content="Jo Marin">
<meta name="description" content="Un gardien et une tempête.">
<meta name="keywords" content="mer, tempête">
</head><body>
<h1>Le Phare</h1>
<h2>Chapitre un</h2>
<p>La <em>mer</em> était <strong>grise</strong>, <span style="font-variant: small-caps">très</span> grise.</p>
<p style="text-align: center">* * *</p>
<p class="center">Fin de la nuit</p>
<blockquote><p>Cher gardien,</p></blockquote>
<h3>Plus tard</h3>
<p>Le matin<br>vint.</p>
<h2>Chapitre deux</h2>
<p>Calme.</p>
</body></html>
"""


def test_page_metadata_from_its_own_markup(tmp_path):
    meta = read_text_story(tmp_path, "phare.html", PAGE).metadata
    assert meta.title == "Le Phare"
    assert [p.name for p in meta.authors] == ["Jo Marin"]
    assert meta.description == "Un gardien et une tempête."
    assert meta.tags == ("mer", "tempête")
    assert meta.language == "fr"


def test_page_headings_paragraphs_and_styles(tmp_path):
    story = read_text_story(tmp_path, "phare.html", PAGE)
    assert shape(story) == [
        ("Chapitre un", "chapter", ["p", "break", "p", "p", "h", "p", "p"]),
        ("Chapitre deux", "chapter", ["p"]),
    ]
    first = paragraphs(story)[0]
    assert first.text == "La mer était grise, très grise."
    assert styled(first, Style.EMPHASIS) == ["mer"]
    assert styled(first, Style.STRONG) == ["grise"]
    assert styled(first, Style.SMALL_CAPS) == ["très"]
    by_text = {p.text: p for p in paragraphs(story)}
    assert by_text["Fin de la nuit"].align == "center"
    assert by_text["Cher gardien,"].quoted
    assert "Le matin" in by_text and "vint." in by_text


HOSTILE = """<html><head><title>Trap</title>
<script>steal()</script><link rel="stylesheet" href="https://evil.example/x.css">
<style>body { background: url(https://evil.example/bg.png) }</style></head>
<body onload="steal()">
<h1 onclick="steal()">Trap</h1>
<p onmouseover="steal()">Safe <a href="javascript:steal()">words</a> and <a href="https://example.org/ok" onclick="x()">a link</a>.</p>
<img src="https://evil.example/pixel.png" onerror="steal()">
<iframe src="https://evil.example/frame"></iframe>
<form action="https://evil.example/post"><input name="pw"><button>Send</button><textarea>typed</textarea></form>
<object data="https://evil.example/x.swf"></object><embed src="x.swf">
<svg><script>steal()</script><text>svg words</text></svg>
<p><a href="data:text/html;base64,PHNjcmlwdD4=">data link</a> <a href="file:///etc/passwd">file link</a></p>
<noscript><p>Enable JS</p></noscript>
<p>The end.</p>
</body></html>
"""


def test_hostile_html_yields_only_prose(tmp_path):
    story = read_text_story(tmp_path, "trap.html", HOSTILE)
    assert texts(story) == ["Safe words and a link.", "data link file link", "The end."]
    links = [s.href for p in paragraphs(story) for s in p.spans if s.style is Style.LINK]
    assert links == ["https://example.org/ok"]


def test_hostile_html_builds_a_clean_valid_book(tmp_path, check_epub):
    from storybinder.pipeline import BuildOptions, build_job
    from storybinder.sources import Job

    source = tmp_path / "trap.html"
    source.write_text(HOSTILE, encoding="utf-8")
    result = build_job(Job("story", source), BuildOptions(outdir=tmp_path / "out"))
    assert result.ok, result.error
    check_epub(result.output)
    import zipfile

    with zipfile.ZipFile(result.output) as book:
        content = b"".join(book.read(n) for n in book.namelist() if n.endswith((".xhtml", ".html", ".css", ".opf")))
    for bad in (b"<script", b"onload", b"onclick", b"onerror", b"evil.example", b"javascript:", b"<iframe", b"<form", b"data:text"):
        assert bad not in content, bad


FIMFICTION = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>The Kite</title></head>
<body>
<header><h1><a href="https://www.fimfiction.net/story/1/the-kite">The Kite</a></h1>
<h2>by <a href="https://www.fimfiction.net/user/1/Pip">Pip Feather</a></h2></header>
<div class="description"><p>A kite that wants to stay up.</p></div>
<article class="chapter">
<header><h1><a href="https://www.fimfiction.net/story/1/1/the-kite/wind">Wind</a></h1></header>
<aside class="authors-note"><header><h1>Author's Note</h1></header><p>My first story!</p></aside>
<p>The kite <i>climbed</i>.</p>
<p style="text-align:center">o0o</p>
<p>It stayed.</p>
<footer><a href="https://www.fimfiction.net/story/1/1#comments">Comments</a></footer>
</article>
<article class="chapter">
<header><h1>Calm</h1></header>
<p>No wind today.</p>
<aside class="authors-note"><header><h1>Author's Note</h1></header><p>Thanks for reading.</p></aside>
</article>
</body></html>
"""


def test_fimfiction_download_chapters_notes_and_metadata(tmp_path):
    story = read_text_story(tmp_path, "kite.html", FIMFICTION)
    assert story.metadata.title == "The Kite"
    assert [p.name for p in story.metadata.authors] == ["Pip Feather"]
    assert story.metadata.description == "A kite that wants to stay up."
    assert shape(story) == [
        ("Author's Note", "notes", ["p"]),
        ("Wind", "chapter", ["p", "break", "p"]),
        ("Calm", "chapter", ["p"]),
        ("Author's Note", "notes", ["p"]),
    ]
    assert "Comments" not in texts(story)
    assert styled(paragraphs(story)[1], Style.EMPHASIS) == ["climbed"]


AO3 = """<!DOCTYPE html>
<html><head><meta charset="UTF-8"><title>Paper Boats - Quill Ash - Original Work [Archive of Our Own]</title></head>
<body>
<div id="preface">
  <p class="message"><b>Paper Boats</b><br/>Posted originally on the <a href="https://archiveofourown.org/">Archive of Our Own</a> at <a href="https://archiveofourown.org/works/42">https://archiveofourown.org/works/42</a>.</p>
  <div class="meta">
    <dl class="tags">
      <dt>Rating:</dt><dd><a href="#">General Audiences</a></dd>
      <dt>Fandom:</dt><dd><a href="#">Original Work</a></dd>
      <dt>Additional Tags:</dt><dd><a href="#">Rain</a>, <a href="#">Friendship</a></dd>
      <dt>Language:</dt><dd>English</dd>
      <dt>Series:</dt><dd>Part 3 of <a href="#">Small Waters</a></dd>
      <dt>Stats:</dt><dd>Published: 2024-03-01 Completed: 2024-03-08 Words: 120 Chapters: 2/2</dd>
    </dl>
    <h1>Paper Boats</h1>
    <div class="byline">by <a rel="author" href="https://archiveofourown.org/users/quill">Quill Ash</a></div>
    <p>Summary</p>
    <blockquote class="userstuff"><p>Two children race paper boats.</p><p>One sinks.</p></blockquote>
    <p>Notes</p>
    <blockquote class="userstuff"><p>Written for a rainy day.</p></blockquote>
  </div>
</div>
<div id="chapters" class="userstuff">
  <div class="meta group">
    <h2 class="heading">Chapter 1: Launch</h2>
    <p>Chapter Notes</p>
    <blockquote class="userstuff"><p>Short one.</p></blockquote>
  </div>
  <!--chapter content-->
  <div class="userstuff"><h3 class="landmark heading">Chapter Text</h3>
    <p>The gutter ran <em>fast</em>.</p><hr/><p>Both boats spun.</p>
  </div>
  <div class="meta group">
    <h2 class="heading">Chapter 2: Harbour</h2>
    <p>Chapter Notes</p>
    <div class="endnote-link">See the end of the chapter for <a href="#endnotes2">notes</a></div>
  </div>
  <div class="userstuff"><p>Only one boat reached the drain.</p></div>
  <!--/chapter content-->
  <div class="meta" id="endnotes2"><p>Chapter End Notes</p><blockquote class="userstuff"><p>Sorry, boat.</p></blockquote></div>
</div>
<div id="afterword">
  <h2 class="toc-heading">Afterword</h2>
  <div class="meta"><div id="endnotes"><p>End Notes</p><blockquote class="userstuff"><p>Thanks for reading!</p></blockquote></div></div>
  <p class="message">Please <a href="https://archiveofourown.org/works/42/comments/new">drop by the Archive and comment</a>.</p>
</div>
</body></html>
"""


def test_ao3_download_metadata(tmp_path):
    meta = read_text_story(tmp_path, "boats.html", AO3).metadata
    assert meta.title == "Paper Boats"
    assert [p.name for p in meta.authors] == ["Quill Ash"]
    assert meta.description == "Two children race paper boats.\nOne sinks."
    assert meta.tags == ("Original Work", "Rain", "Friendship")
    assert (meta.language, meta.series, meta.series_index) == ("en", "Small Waters", 3.0)
    assert (meta.date, meta.rating, meta.status) == ("2024-03-01", "General Audiences", "complete")
    assert meta.source_url == "https://archiveofourown.org/works/42"


def test_ao3_download_chapters_and_notes(tmp_path):
    story = read_text_story(tmp_path, "boats.html", AO3)
    assert shape(story) == [
        ("Notes", "notes", ["p"]),
        ("Chapter Notes", "notes", ["p"]),
        ("Chapter 1: Launch", "chapter", ["p", "break", "p"]),
        ("Chapter 2: Harbour", "chapter", ["p"]),
        ("Chapter End Notes", "notes", ["p"]),
        ("End Notes", "notes", ["p"]),
    ]
    body = texts(story)
    assert "Chapter Text" not in body and not any("drop by" in t for t in body)
    assert styled(paragraphs(story)[2], Style.EMPHASIS) == ["fast"]


def test_single_chapter_ao3_work_has_one_untitled_chapter(tmp_path):
    single = AO3.split('<div id="chapters"')[0] + (
        '<div id="chapters" class="userstuff"><div class="userstuff"><p>Just one part.</p></div></div></body></html>'
    )
    story = read_text_story(tmp_path, "one.html", single)
    assert [(t, k) for t, k, _ in shape(story)] == [("Notes", "notes"), (None, "chapter")]
    assert texts(story)[-1] == "Just one part."


def test_declared_charset_is_honoured(tmp_path):
    page = '<html><head><meta charset="windows-1252"><title>Caf\u00e9</title></head><body><p>\u201cNa\u00efve\u201d \u2014 caf\u00e9.</p></body></html>'
    story = read_text_story(tmp_path, "cafe.html", page, encoding="cp1252")
    assert story.metadata.title == "Café"
    assert texts(story) == ["“Naïve” — café."]


def test_deeply_nested_markup_keeps_its_text(tmp_path):
    depth = 600
    page = "<html><body>" + "<div><em>" * depth + "deep" + "</em></div>" * depth + "<p>end</p></body></html>"
    story = read_text_story(tmp_path, "deep.html", page)
    assert texts(story) == ["deep", "end"]


def test_markup_nested_beyond_the_parser_limit_is_a_clear_error(tmp_path):
    import pytest

    from storybinder.errors import StorybinderError

    depth = 5000
    with pytest.raises(StorybinderError, match="too deeply"):
        read_text_story(tmp_path, "deeper.html", "<div>" * depth + "x")


def test_no_break_spaces_are_kept(tmp_path):
    story = read_text_story(tmp_path, "nbsp.html", "<p>Mr.&nbsp;Fox said \u00ab&nbsp;oui&nbsp;\u00bb.</p><p>&nbsp;</p>")
    assert texts(story) == ["Mr.\u00a0Fox said \u00ab\u00a0oui\u00a0\u00bb."]


GOOGLE_DOCS = """<html><head><meta content="text/html; charset=UTF-8" http-equiv="content-type">
<style type="text/css">.c1{font-style:italic;color:#000000}.c2{font-weight:700}.c3{text-align:center}
p.c4{font-variant:small-caps} .c9 .c1{font-weight:700} h1{font-size:20pt}</style></head>
<body class="c8"><h1 class="c3" id="h.x"><span>Chapter 1</span></h1>
<p class="c5"><span>She was </span><span class="c1">very</span><span>&nbsp;</span><span class="c2">late</span><span>.</span></p>
<p class="c3"><span>* * *</span></p>
<p class="c4 c3"><span>The End</span></p>
<p class="c5"><span class="c1" style="font-style:normal">Not italic</span></p></body></html>
"""


def test_google_docs_class_styles_survive(tmp_path):
    story = read_text_story(tmp_path, "gdocs.html", GOOGLE_DOCS)
    assert shape(story) == [("Chapter 1", "chapter", ["p", "break", "p", "p"])]
    late, end, plain = paragraphs(story)
    assert late.text == "She was very\u00a0late."
    assert styled(late, Style.EMPHASIS) == ["very"] and styled(late, Style.STRONG) == ["late"]
    assert end.align == "center" and styled(end, Style.SMALL_CAPS) == ["The End"]
    assert not plain.spans


def test_xhtml_with_declaration_and_xml_lang(tmp_path):
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="de"><head><title>Der Hund</title></head>'
        "<body><section><h1>Kapitel 1</h1><p>Der <i>Hund</i> bellt.</p><hr/><p>Ruhe.</p></section></body></html>"
    )
    story = read_text_story(tmp_path, "hund.xhtml", page)
    assert (story.metadata.title, story.metadata.language) == ("Der Hund", "de")
    assert shape(story) == [("Kapitel 1", "chapter", ["p", "break", "p"])]


def test_saved_web_page_takes_its_title_from_the_h1_not_the_site_name(tmp_path):
    page = (
        "<html><head><title>The Long Road | Stories &amp; More</title></head><body>"
        "<h1>The Long Road</h1><h2>Dawn</h2><p>We set out.</p><h2>Dusk</h2><p>We stopped.</p></body></html>"
    )
    story = read_text_story(tmp_path, "road.html", page)
    assert story.metadata.title == "The Long Road"
    assert [(t, k) for t, k, _ in shape(story)] == [("Dawn", "chapter"), ("Dusk", "chapter")]


def test_site_downloads_build_valid_books_with_notes_apart(tmp_path, check_epub):
    from storybinder.pipeline import BuildOptions, build_job
    from storybinder.sources import Job

    from .epub_inspect import NS, open_epub

    for name, page, note in (("boats.html", AO3, "Written for a rainy day."), ("kite.html", FIMFICTION, "My first story!")):
        source = tmp_path / name
        source.write_text(page, encoding="utf-8")
        result = build_job(Job("story", source), BuildOptions(outdir=tmp_path / "out"))
        assert result.ok, result.error
        book = open_epub(check_epub(result.output))
        notes = [d for d in book.spine_docs() if note in "".join(d.itertext())]
        assert len(notes) == 1 and notes[0].xpath("//x:section[@class='notes']", namespaces=NS), name
