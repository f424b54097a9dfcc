"""`storybinder build` end to end, through typer's runner, on seeds and samples."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from storybinder.cli import app

from .conftest import REPO, SEEDS
from .epub_inspect import NS, open_epub

runner = CliRunner()
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds not beside the checkout")

SEED_NAMES = ["000_a7de477af8023ed2", "001_b463226724b1ed2d", "002_1e4d20ba7a460879"]


def run(*args: str):
    result = runner.invoke(app, list(args))
    return result


@pytest.fixture(scope="session")
def seed_books(tmp_path_factory, epubcheck_books):
    """The three seeds built alone and as one anthology, all queued for EPUBCheck."""
    if not SEEDS.is_dir():
        pytest.skip("shared/seeds not beside the checkout")
    work = tmp_path_factory.mktemp("seeds")
    for name in SEED_NAMES:
        shutil.copy(SEEDS / f"{name}.txt", work / f"{name}.txt")
    (work / "book.toml").write_text(
        '[book]\ntitle = "Three Seeds"\neditor = "Test Editor"\n'
        + "".join(f'\n[[story]]\nsource = "{n}.txt"\n' for n in SEED_NAMES)
    )
    out = work / "books"
    result = run("build", str(work), "-o", str(out))
    assert result.exit_code == 0, result.output
    books = sorted(out.glob("*.epub"))
    assert len(books) == 4, [b.name for b in books]
    epubcheck_books.add_all(books)
    return {b.stem: b for b in books}, result.output


def test_seed_000_title_and_author(seed_books):
    books, _ = seed_books
    book = open_epub(books["my-greatest-failure"])
    assert book.title == "My Greatest Failure"
    assert book.creators == ["TwilightSparkle3562"]


def test_seed_descriptions_go_to_the_opf_not_the_body(seed_books):
    books, _ = seed_books
    starts = {
        "my-greatest-failure": "Ever since he had left Twilight",
        "everything-including-the-stars-is-falling": "It",
        "002-1e4d20ba7a460879": "Everyone experiences failures",
    }
    for slug, start in starts.items():
        book = open_epub(books[slug])
        assert book.description.startswith(start), (slug, book.description[:60])
        first_sentence = book.description.split(".")[0]
        chapters = [d for d in book.spine_docs() if d.xpath("//x:section[@class='chapter'] | //x:body", namespaces=NS)]
        body = "\n".join("".join(d.itertext()) for d in chapters[3:]) if len(chapters) > 3 else ""
        assert first_sentence[:40] not in body, slug


def test_seed_001_chapter_heading_and_notes_apart(seed_books):
    books, _ = seed_books
    book = open_epub(books["everything-including-the-stars-is-falling"])
    docs = book.spine_docs()
    chapter = next(d for d in docs if "Twilight Sparkle struggled" in "".join(d.itertext()))
    headings = ["".join(h.itertext()).strip() for h in chapter.xpath("//x:h1 | //x:h2", namespaces=NS)]
    assert "Everything, Including the Stars, Is Falling" in headings
    assert "In several stories" not in "".join(chapter.itertext())
    notes = next(d for d in docs if "In several stories" in "".join(d.itertext()))
    assert notes is not chapter
    assert notes.xpath("//x:section[@class='notes']", namespaces=NS)
    assert "Author" in " ".join(book.toc_titles())


def test_seed_002_scene_breaks_are_visible_separators(seed_books):
    books, _ = seed_books
    book = open_epub(books["002-1e4d20ba7a460879"])
    chapter = next(d for d in book.spine_docs() if "Just one spark" in "".join(d.itertext()))
    breaks = chapter.xpath("//*[@role='separator']", namespaces=NS)
    assert len(breaks) == 3
    assert all("".join(b.itertext()).strip() for b in breaks), "a break must show something on Kindle"


def test_every_seed_book_has_cover_nav_ncx_and_accessibility(seed_books):
    books, _ = seed_books
    for path in books.values():
        book = open_epub(path)
        items = book.manifest().values()
        assert any("cover-image" in i.get("properties", "") for i in items), path.name
        assert book.meta("//opf:meta[@name='cover']/@content"), path.name
        assert any("nav" in i.get("properties", "").split() for i in items)
        assert any(i["media-type"] == "application/x-dtbncx+xml" for i in items)
        for prop in ("schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
                     "schema:accessibilityHazard", "schema:accessibilitySummary"):
            assert book.property(prop), (path.name, prop)
        assert book.meta("//dc:language/text()")


def test_seed_anthology_nests_stories_and_credits_authors(seed_books):
    books, _ = seed_books
    book = open_epub(books["three-seeds"])
    assert book.title == "Three Seeds"
    assert "TwilightSparkle3562" in book.creators
    toc = book.nav().xpath("//x:nav[@epub:type='toc']/x:ol", namespaces=NS)[0]
    top = toc.xpath("./x:li", namespaces=NS)
    labels = [" ".join("".join(li.xpath("./x:a", namespaces=NS)[0].itertext()).split()) for li in top]
    for title in ("My Greatest Failure", "Everything, Including the Stars, Is Falling"):
        assert title in labels
    nested = [li for li in top if li.xpath("./x:ol", namespaces=NS)]
    # 001 has a chapter and its author's notes: they nest under the story.
    assert nested and "Author" in "".join(nested[0].xpath("./x:ol", namespaces=NS)[0].itertext())


def test_rebuild_is_byte_identical(seed_books, tmp_path):
    books, _ = seed_books
    out = tmp_path / "again"
    work = next(iter(books.values())).parent.parent
    result = run("build", str(work / f"{SEED_NAMES[0]}.txt"), "-o", str(out))
    assert result.exit_code == 0, result.output
    again = out / "my-greatest-failure.epub"
    assert again.read_bytes() == books["my-greatest-failure"].read_bytes()


def test_build_with_no_arguments_builds_the_samples(sample_books):
    assert {"the-lighthouse-keepers-cat", "letters-from-the-orchard", "the-clockmakers-apprentice", "small-hours"} <= set(sample_books)


def test_sample_with_cover_art_uses_it(sample_books):
    book = open_epub(sample_books["the-lighthouse-keepers-cat"])
    cover = next(i for i in book.manifest().values() if "cover-image" in i.get("properties", ""))
    assert cover["media-type"] == "image/jpeg"
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(book.read(book.href_path(cover["href"]))))
    assert image.size[0] <= 1600 and image.size[1] <= 2560
    assert book.creators == ["Wren Halloway"]


def test_sample_series_and_sidecar_metadata(sample_books):
    book = open_epub(sample_books["letters-from-the-orchard"])
    assert book.title == "Letters from the Orchard"
    assert book.meta("//opf:meta[@name='calibre:series']/@content") == ["Small Hours"]
    assert book.property("belongs-to-collection") == ["Small Hours"]
    assert book.toc_titles()[:2] == ["The First Letter", "The Second Letter"] or "The First Letter" in book.toc_titles()


def test_cli_overrides_win(tmp_path):
    out = tmp_path / "out"
    story = REPO / "stories" / "the-clockmakers-apprentice.txt"
    result = run("build", str(story), "-o", str(out), "--title", "Override", "--author", "Someone Else",
                 "--language", "de", "--series", "Other", "--series-index", "7", "--no-clean")
    assert result.exit_code == 0, result.output
    book = open_epub(out / "override.epub")
    assert book.title == "Override"
    assert book.creators == ["Someone Else"]
    assert book.meta("//dc:language/text()") == ["de"]
    assert book.meta("//opf:meta[@name='calibre:series_index']/@content") in (["7"], ["7.0"])


def test_missing_source_is_one_line_error():
    result = run("build", "no/such/story.txt")
    assert result.exit_code == 1
    assert "no/such/story.txt" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_folder_without_stories_is_an_error(tmp_path):
    result = run("build", str(tmp_path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "no stories found" in result.output


def test_bad_file_is_reported_and_the_rest_still_build(tmp_path, check_epub):
    (tmp_path / "good.txt").write_text("“Good One”\nBy A Writer\nA fine line of prose.\nAnother fine line.\n")
    (tmp_path / "empty.txt").write_text("\n \n")
    out = tmp_path / "out"
    result = run("build", str(tmp_path), "-o", str(out))
    assert result.exit_code == 1
    assert "empty.txt" in result.output and "no text" in result.output
    assert "Traceback" not in result.output
    check_epub(out / "good-one.epub")
    assert [p.name for p in out.glob("*.epub")] == ["good-one.epub"]
    leftovers = [p.name for p in out.iterdir() if not p.name.endswith(".epub") and not p.name.startswith(".storybinder")]
    assert leftovers == [], "no temporary or partial files stay behind"


def test_version_and_help():
    assert run("--version").output.startswith("storybinder ")
    for command in ([], ["build"], ["clean"]):
        result = run(*command, "--help")
        assert result.exit_code == 0 and "Usage" in result.output


def test_titles_and_descriptions_get_typography_and_a_report(tmp_path, check_epub):
    story = tmp_path / "s.txt"
    story.write_text("\u201cThe Keeper's Cat\u201d\nBy A Writer\nShe said \"hi\" -- and left...\nThen she came back.\n")
    (tmp_path / "s.toml").write_text('description = "A \\"small\\" tale -- of cats..."\n')
    out, reports = tmp_path / "out", tmp_path / "reports"
    from storybinder.pipeline import BuildOptions, build_job
    from storybinder.sources import Job

    result = build_job(Job("story", story), BuildOptions(outdir=out, report_dir=reports))
    assert result.ok, result.error
    book = open_epub(check_epub(result.output))
    assert book.title == "The Keeper\u2019s Cat"
    assert book.description == "A \u201csmall\u201d tale \u2014 of cats\u2026"
    report = (reports / "the-keepers-cat.html").read_text()
    assert "metadata" in report and "<ins>\u201c</ins>" in report


def test_report_option_and_words_txt_is_not_a_story(tmp_path, check_epub):
    (tmp_path / "words.txt").write_text("# names the cleaner must keep\nZorblat\n")
    (tmp_path / "tale.txt").write_text("“Tale”\nBy A Writer\nZorblat said \"hello\" to the the crowd.\nZorblat left.\n")
    out, reports = tmp_path / "out", tmp_path / "reports"
    result = run("build", str(tmp_path), "-o", str(out), "--report", str(reports))
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.glob("*.epub")] == ["tale.epub"]
    book = open_epub(check_epub(out / "tale.epub"))
    assert "Zorblat said “hello” to the crowd." in book.body_text()
    report = (reports / "tale.html").read_text()
    assert "spelling.doubled" in report and "quotes.curl" in report


def test_verbose_shows_the_cause_of_a_failure(tmp_path):
    (tmp_path / "s.txt").write_text("A line of prose.\nAnother line.\n")
    (tmp_path / "s.toml").write_text('cover = "bad.png"\n')
    (tmp_path / "bad.png").write_text("not an image")
    plain = run("build", str(tmp_path), "-o", str(tmp_path / "a"))
    verbose = run("build", str(tmp_path), "-o", str(tmp_path / "b"), "--verbose")
    assert plain.exit_code == verbose.exit_code == 1
    assert "bad.png" in plain.output and "detail:" not in plain.output
    assert "detail: UnidentifiedImageError" in verbose.output
    assert "Traceback" not in verbose.output
