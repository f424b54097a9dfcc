"""Bad input ends in one clear line, never a traceback, a half-written book or a changed source.

The corpus is generated here: one folder per kind of bad input (empty and
binary files in every format, broken TOML, missing and broken covers, corrupt
Word files, an output folder that cannot exist...). Each is built through the
CLI; the tests check the exit code, that stderr holds one `error:` line naming
the file at fault, that nothing but the build state is left in the output
folder, and that every source file is byte-identical afterwards.
"""

from __future__ import annotations

import hashlib
import io
import random
import struct
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from storybinder.cli import app

GOOD_STORY = "The Lamp Room\n\nBy Wren Hollis\n\nThe lamp was lit at dusk. Nobody came up the stairs.\n\nIt stayed lit.\n"
STATE_FILE = ".storybinder-state.json"


@dataclass(frozen=True)
class Case:
    """One bad input: the build arguments (relative to its folder) and what the error must name."""

    name: str
    args: tuple[str, ...]
    culprit: str  # a file name the error line must contain
    says: str = ""  # a fragment of what is wrong (case-insensitive)


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims `width`x`height` pixels: a few hundred bytes, no real image data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def _jpeg(width: int = 320, height: int = 480) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


def _docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("A real paragraph in a real Word file, long enough to matter.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _zip_of(files: dict[str, bytes]) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def _story_with_sidecar(folder: Path, sidecar: str) -> None:
    (folder / "story.txt").write_text(GOOD_STORY, encoding="utf-8")
    (folder / "story.toml").write_text(sidecar, encoding="utf-8")


def _cover_case(folder: Path, name: str, data: bytes) -> None:
    _story_with_sidecar(folder, f'cover = "{name}"\n')
    (folder / name).write_bytes(data)


def make_corpus(root: Path) -> list[Case]:
    """Write every bad input under `root` (one folder per case) and describe it."""
    rng = random.Random(6)
    noise = bytes(rng.randrange(256) for _ in range(4096))
    cases: list[Case] = []

    def case(name: str, args: tuple[str, ...], culprit: str, says: str = "") -> Path:
        folder = root / name
        folder.mkdir(parents=True)
        cases.append(Case(name, args, culprit, says))
        return folder

    case("empty", ("empty.txt",), "empty.txt", "no text").joinpath("empty.txt").write_bytes(b"")
    case("blank", ("blank.txt",), "blank.txt", "no text").joinpath("blank.txt").write_text(" \n\t\n\n   \n")
    case("unicode-name", ("ünïcödé story.txt",), "ünïcödé story.txt").joinpath("ünïcödé story.txt").write_bytes(b"")
    for suffix in ("txt", "md", "html", "bbcode", "docx"):
        case(f"binary-{suffix}", (f"binary.{suffix}",), f"binary.{suffix}").joinpath(f"binary.{suffix}").write_bytes(noise)
    # Bytes no text encoding reads sensibly: high bytes laced with control codes.
    garbled = bytes(b for i in range(600) for b in (0x80 + i % 128, i % 31 + 1))
    case("undecodable", ("garbled.txt",), "garbled.txt", "not a text file").joinpath("garbled.txt").write_bytes(garbled)
    case("zero-width", ("invisible.txt",), "invisible.txt", "no visible text").joinpath("invisible.txt").write_text(
        "\u200b\n\n\u200b\u2060\n\n\ufeff\n", encoding="utf-8"
    )
    case("html-no-text", ("page.html",), "page.html", "no text").joinpath("page.html").write_text(
        "<html><body><script>alert(1)</script><img src='x.png'></body></html>"
    )
    case("bbcode-no-text", ("tags.bbcode",), "tags.bbcode", "no text").joinpath("tags.bbcode").write_text("[b][/b]\n[hr]\n")

    folder = case("no-stories", ("shelf",), "shelf", "no stories")
    (folder / "shelf").mkdir()
    (folder / "shelf" / "notes.pdf").write_bytes(b"%PDF-1.4 not a story")
    case("missing-source", ("nowhere.txt",), "nowhere.txt", "no such file")

    folder = case("book-missing-story", ("book.toml",), "book.toml", "missing.txt")
    (folder / "book.toml").write_text('[book]\ntitle = "Shelf"\n\n[[story]]\nsource = "missing.txt"\n')
    folder = case("book-malformed", ("book.toml",), "book.toml", "line 4")
    (folder / "book.toml").write_text('[book]\ntitle = "Shelf"\nauthor = [\n[[story]]\nsource = "a.txt"\n')
    folder = case("book-no-stories", ("book.toml",), "book.toml", "[[story]]")
    (folder / "book.toml").write_text('[book]\ntitle = "Shelf"\n')
    folder = case("book-source-not-a-story", ("book.toml",), "notes.pdf", "not a story file")
    (folder / "book.toml").write_text('[[story]]\nsource = "notes.pdf"\n')
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")

    _story_with_sidecar(case("sidecar-malformed", ("story.txt",), "story.toml", "line 2"), 'title = "Lamp"\nauthor = \n')
    _story_with_sidecar(case("sidecar-wrong-type", ("story.txt",), "story.toml", "authors"), "authors = 5\n")
    _story_with_sidecar(case("sidecar-missing-cover", ("story.txt",), "story.toml", "gone.jpg"), 'cover = "gone.jpg"\n')

    _cover_case(case("cover-truncated", ("story.txt",), "cover.jpg", "truncated"), "cover.jpg", _jpeg()[:600])
    _cover_case(case("cover-not-image", ("story.txt",), "cover.png", "not an image"), "cover.png", b"just some words\n")
    _cover_case(case("cover-bomb", ("story.txt",), "bomb.png", "decompression bomb"), "bomb.png", _png_header(100_000, 100_000))
    # Just past Pillow's own limit (89.5 Mpx): a print-size 6000x9000 cover is fine, this is not.
    _cover_case(case("cover-huge", ("story.txt",), "huge.png", "decompression bomb"), "huge.png", _png_header(9500, 9500))
    _cover_case(case("cover-empty", ("story.txt",), "cover.webp"), "cover.webp", b"")

    folder = case("cli-cover-not-image", ("story.txt", "--cover", "art.jpg"), "art.jpg", "not an image")
    (folder / "story.txt").write_text(GOOD_STORY)
    (folder / "art.jpg").write_bytes(b"<svg/>")
    folder = case("cli-cover-missing", ("story.txt", "--cover", "art.jpg"), "art.jpg", "does not exist")
    (folder / "story.txt").write_text(GOOD_STORY)

    folder = case("docx-not-word", ("letter.docx",), "letter.docx", "word")
    (folder / "letter.docx").write_bytes(_zip_of({"hello.txt": b"hi", "mimetype": b"application/zip"}))
    folder = case("docx-truncated", ("cut.docx",), "cut.docx", "word")
    real = _docx()
    (folder / "cut.docx").write_bytes(real[: len(real) // 2])
    folder = case("docx-broken-xml", ("broken.docx",), "broken.docx")
    import zipfile

    with zipfile.ZipFile(io.BytesIO(real)) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"][:300]
    (folder / "broken.docx").write_bytes(_zip_of(parts))

    folder = case("markdown-bad-yaml", ("story.md",), "story.md", "line 3")
    (folder / "story.md").write_text("---\ntitle: [unclosed\nauthor: x\n---\nSome text.\n")
    folder = case("markdown-bad-toml", ("story.md",), "story.md", "toml")
    (folder / "story.md").write_text('+++\ntitle = "x\n+++\nSome text.\n')
    folder = case("markdown-missing-cover", ("story.md",), "story.md", "nope.png")
    (folder / "story.md").write_text("---\ntitle: Lamp\ncover: nope.png\n---\nSome text.\n")

    folder = case("output-under-a-file", ("story.txt", "-o", "story.txt/books"), "story.txt/books", "output folder")
    (folder / "story.txt").write_text(GOOD_STORY)
    return cases


def _hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict[str, Case]]:
    root = tmp_path_factory.mktemp("bad-inputs")
    return root, {c.name: c for c in make_corpus(root)}


def _case_names() -> list[str]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        return [c.name for c in make_corpus(Path(tmp))]


CASE_NAMES = _case_names()


def _output(case: Case, folder: Path, tmp_path: Path) -> tuple[list[str], Path]:
    """The CLI arguments with paths made absolute, and the output folder they name."""
    args = list(case.args)
    if "-o" in args:
        i = args.index("-o") + 1
        args[i] = str(folder / args[i])
        out = Path(args[i])
    else:
        out = tmp_path / "books"
        args += ["-o", str(out)]
    args[0] = str(folder / args[0])
    if "--cover" in args:
        i = args.index("--cover") + 1
        args[i] = str(folder / args[i])
    return args, out


def assert_one_clear_error(stderr: str, case: Case) -> None:
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, stderr
    line = errors[0]
    assert case.culprit in line, f"{case.name}: the error does not name {case.culprit}: {line}"
    assert case.says.lower() in line.lower(), f"{case.name}: expected '{case.says}' in: {line}"
    # One message, not a dump: the error line is all there is besides warnings
    # (and, with --verbose, the one-line cause under it).
    others = [l for l in stderr.splitlines() if l.strip() and not l.startswith(("error:", "warning:", "  detail:"))]
    assert not others, stderr


def assert_no_partial_files(out: Path) -> None:
    if not out.exists() or not out.is_dir():
        return
    leftovers = [p.name for p in out.rglob("*") if p.name != STATE_FILE]
    assert not leftovers, f"files left in {out}: {leftovers}"


@pytest.mark.parametrize("name", CASE_NAMES)
@pytest.mark.parametrize("verbose", [False, True], ids=["plain", "verbose"])
def test_bad_input_is_one_line_naming_the_file(corpus, name, verbose, tmp_path):
    root, cases = corpus
    case = cases[name]
    folder = root / name
    before = _hashes(folder)
    args, out = _output(case, folder, tmp_path)
    result = CliRunner().invoke(app, ["build", *args, "--jobs", "1", *(["--verbose"] if verbose else [])])
    assert result.exit_code == 1, f"{name}: exit {result.exit_code}\n{result.output}"
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert_one_clear_error(result.stderr, case)
    assert_no_partial_files(out)
    assert _hashes(folder) == before, f"{name}: a source file changed"


def test_one_folder_of_every_bad_file_builds_the_good_story_and_names_each_failure(corpus, tmp_path, check_epub):
    root, cases = corpus
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    story_cases = [c for c in cases.values() if len(c.args) == 1 and (root / c.name / c.args[0]).is_file()]
    # Files with the same name go into folders of their own; the batch walks them all.
    for case in story_cases:
        target = shelf / case.name
        target.mkdir()
        for item in (root / case.name).iterdir():
            if item.is_file():
                target.joinpath(item.name).write_bytes(item.read_bytes())
    (shelf / "good.txt").write_text(GOOD_STORY, encoding="utf-8")
    before = _hashes(shelf)
    out = tmp_path / "books"
    result = CliRunner().invoke(app, ["build", str(shelf), "-o", str(out), "--jobs", "2"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == len(story_cases), result.stderr
    for case in story_cases:
        assert any(f"{case.name}/" in line and case.culprit in line for line in errors), (case, result.stderr)
    books = sorted(out.glob("*.epub"))
    assert [b.name for b in books] == ["the-lamp-room.epub"]
    assert sorted(p.name for p in out.iterdir()) == [STATE_FILE, "the-lamp-room.epub"]
    assert _hashes(shelf) == before
    check_epub(books[0])


@pytest.mark.parametrize(
    "command",
    [[sys.executable, "-m", "storybinder.cli"], [str(Path(sys.executable).with_name("storybinder"))]],
    ids=["python-m", "console-script"],
)
@pytest.mark.parametrize("name", ["binary-docx", "cover-bomb", "book-malformed", "output-under-a-file"])
def test_real_process_prints_one_line_and_exits_1(corpus, name, command, tmp_path):
    root, cases = corpus
    case = cases[name]
    folder = root / name
    if not Path(command[0]).exists():
        pytest.skip(f"{command[0]} is not installed")
    before = _hashes(folder)
    args, out = _output(case, folder, tmp_path)
    proc = subprocess.run([*command, "build", *args], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert_one_clear_error(proc.stderr, case)
    assert_no_partial_files(out)
    assert _hashes(folder) == before


def test_a_failed_rebuild_keeps_the_previous_book(tmp_path, check_epub):
    story = tmp_path / "story.txt"
    story.write_text(GOOD_STORY, encoding="utf-8")
    out = tmp_path / "books"
    assert CliRunner().invoke(app, ["build", str(story), "-o", str(out)]).exit_code == 0
    book = out / "the-lamp-room.epub"
    first = book.read_bytes()
    # The story gains a sidecar naming a broken cover: the rebuild fails...
    (tmp_path / "story.toml").write_text('cover = "art.jpg"\n')
    (tmp_path / "art.jpg").write_bytes(_jpeg()[:500])
    result = CliRunner().invoke(app, ["build", str(story), "-o", str(out), "--force"])
    assert result.exit_code == 1 and "art.jpg" in result.stderr
    # ...and the book from before is still there, whole.
    assert book.read_bytes() == first
    assert sorted(p.name for p in out.iterdir()) == [STATE_FILE, book.name]
    check_epub(book)


def test_the_writer_leaves_nothing_behind_when_writing_fails(tmp_path, monkeypatch):
    from storybinder.epub import writer
    from storybinder.errors import StorybinderError
    from storybinder.model import Book, Chapter, Metadata, Paragraph, Person, Story

    book = Book(
        Metadata(title="Lamp", authors=(Person("Wren Hollis"),), language="en"),
        [Story(Metadata(title="Lamp"), [Chapter("One", [Paragraph("Lit at dusk.")])])],
        slug="lamp",
    )
    target = tmp_path / "lamp.epub"
    target.write_bytes(b"the old book")
    real_write = writer._Package.write_to

    def half_then_fail(self, out):
        real_write(self, out)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer._Package, "write_to", half_then_fail)
    with pytest.raises(StorybinderError) as caught:
        writer.write_epub(book, target)
    assert "lamp.epub" in str(caught.value) and "No space left" in str(caught.value)
    assert target.read_bytes() == b"the old book"
    assert [p.name for p in tmp_path.iterdir()] == ["lamp.epub"]


def test_clean_never_touches_the_source_unless_in_place(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text('"Hello," she said... "it\'s late -- isn\'t it?"\n\nThe the lamp was lit.\n', encoding="utf-8")
    original = story.read_bytes()
    runner = CliRunner()
    for options in ([], ["--diff"], ["--json"], ["-o", str(tmp_path / "clean.txt")], ["--report", str(tmp_path / "r.html")]):
        result = runner.invoke(app, ["clean", str(story), *options])
        assert result.exit_code == 0, result.output
        assert story.read_bytes() == original, f"clean {options} changed the source"
    assert (tmp_path / "clean.txt").read_bytes() != original
    result = runner.invoke(app, ["clean", str(story), "--in-place"])
    assert result.exit_code == 0, result.output
    assert story.read_bytes() != original
    assert (tmp_path / "story.txt.bak").read_bytes() == original


@pytest.mark.parametrize("name", ["binary-txt", "empty", "undecodable"])
def test_clean_refuses_bad_files_in_one_line(corpus, name, tmp_path):
    root, cases = corpus
    case = cases[name]
    source = tmp_path / case.args[0]
    source.write_bytes((root / name / case.args[0]).read_bytes())
    before = source.read_bytes()
    result = CliRunner().invoke(app, ["clean", str(source), "--in-place"])
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    if name == "empty":
        assert result.exit_code in (0, 1)  # an empty file cleans to an empty file
    else:
        assert result.exit_code == 1
        assert_one_clear_error(result.stderr, Case(name, case.args, case.culprit))
        assert source.read_bytes() == before
        assert not source.with_name(source.name + ".bak").exists()
