"""Batch builds: parallel = serial, failure isolation, incremental skips, --json, kill and resume, Dask."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bench.storygen import generate
from storybinder.build_cache import JOURNAL_FILE, STATE_FILE, BuildState
from storybinder.cli import app
from storybinder.metadata_defaults import slugify

runner = CliRunner()


def build(*args: str):
    return runner.invoke(app, ["build", *map(str, args)])


def books(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.epub"))}


def json_of(output: str) -> dict:
    """The JSON summary (stdout); CliRunner mixes stderr's error lines in after it."""
    summary, _ = json.JSONDecoder().raw_decode(output)
    return summary


def assert_complete_epub(path: Path) -> None:
    """A whole EPUB: a readable zip whose first entry is the stored mimetype."""
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None, path
        first = zf.infolist()[0]
        assert first.filename == "mimetype" and zf.read(first) == b"application/epub+zip", path
        assert "EPUB/content.opf" in zf.namelist() or any(n.endswith(".opf") for n in zf.namelist()), path


@pytest.fixture
def shelf(tmp_path: Path) -> Path:
    """Twelve short generated stories, two of them sharing a title."""
    folder = tmp_path / "stories"
    generate(folder, 12, seed=5, median_words=300)
    twin = folder / "story-00003.txt"
    text = twin.read_text().splitlines()
    (folder / "twin-of-three.txt").write_text("\n".join(text[:3] + ["", "Other words entirely, a different story.", ""]))
    return folder


def test_parallel_build_gives_the_same_books_as_serial(shelf, tmp_path, check_epub):
    serial = build(shelf, "-o", tmp_path / "serial", "--jobs", "1")
    parallel = build(shelf, "-o", tmp_path / "parallel", "--jobs", "2")
    assert serial.exit_code == 0 and parallel.exit_code == 0, parallel.output
    one, two = books(tmp_path / "serial"), books(tmp_path / "parallel")
    assert len(one) == 13
    assert one == two
    # The same lines too, in job order, whatever order the books finished in.
    assert serial.output == parallel.output.replace(str(tmp_path / "parallel"), str(tmp_path / "serial"))
    for name in sorted(one)[:2]:
        check_epub(tmp_path / "parallel" / name)


def test_stories_with_one_title_get_distinct_files(shelf, tmp_path, check_epub):
    out = tmp_path / "out"
    assert build(shelf, "-o", out).exit_code == 0
    slug = "the-" + (shelf / "story-00003.txt").read_text().splitlines()[0].lower().replace(" ", "-")[4:]
    first, second = out / f"{slug}.epub", out / f"{slug}-2.epub"
    assert first.is_file() and second.is_file()
    assert first.read_bytes() != second.read_bytes()
    check_epub(second)
    # The earlier story (in source order) keeps the plain name on every rebuild.
    (shelf / "twin-of-three.txt").write_text((shelf / "twin-of-three.txt").read_text() + "\nOne more line.\n")
    result = build(shelf, "-o", out)
    assert f"built {second}" in result.output
    assert "Other words" in _text_of(second) and "One more line" in _text_of(second)


def _text_of(epub: Path) -> str:
    with zipfile.ZipFile(epub) as zf:
        return "".join(zf.read(n).decode() for n in zf.namelist() if n.endswith(".xhtml"))


def test_broken_files_are_listed_and_every_good_book_is_built(tmp_path, check_epub):
    folder = tmp_path / "stories"
    generate(folder, 38, seed=9, median_words=200)
    (folder / "empty.txt").write_text("")
    (folder / "bad-sidecar.txt").write_text("A Title\n\nby Someone\n\nSome words here.\n")
    (folder / "bad-sidecar.toml").write_text("title = [unclosed\n")
    out = tmp_path / "out"
    result = build(folder, "-o", out, "--jobs", "2")
    assert result.exit_code == 1
    assert len(list(out.glob("*.epub"))) == 38
    assert "38 books written" in result.output and "2 failed" in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 2
    assert any("empty.txt" in e and "no text" in e for e in errors)
    assert any("bad-sidecar.toml" in e and "TOML" in e for e in errors)
    assert "Traceback" not in result.output
    check_epub(next(out.glob("*.epub")))


def test_rebuild_skips_unchanged_books_and_rebuilds_what_changed(shelf, tmp_path):
    out = tmp_path / "out"
    assert build(shelf, "-o", out).exit_code == 0
    assert (out / STATE_FILE).is_file()
    built = books(out)

    again = build(shelf, "-o", out)
    assert again.exit_code == 0
    assert "0 books written" in again.output and "13 up to date" in again.output
    assert books(out) == built

    story = shelf / "story-00001.txt"
    story.write_text(story.read_text() + "\nA new closing line.\n")
    (shelf / "story-00002.toml").write_text('description = "Now with a blurb."\n')
    changed = build(shelf, "-o", out)
    assert "2 books written" in changed.output and "11 up to date" in changed.output

    (shelf.parent / "words.txt").write_text("Quillon\n")  # the project's words: every story is cleaned with them
    assert "13 books written" in build(shelf, "-o", out).output

    assert "13 books written" in build(shelf, "-o", out, "--force").output
    assert "13 books written" in build(shelf, "-o", out, "--language", "fr").output
    assert "13 up to date" in build(shelf, "-o", out, "--language", "fr").output


def test_a_missing_book_or_a_new_cover_rebuilds_only_that_story(shelf, tmp_path):
    out = tmp_path / "out"
    assert build(shelf, "-o", out, "--json").exit_code == 0
    first, second = sorted(out.glob("*.epub"))[:2]
    first.unlink()
    covers = shelf / "covers"
    covers.mkdir()
    from PIL import Image

    Image.new("RGB", (400, 640), (90, 30, 30)).save(covers / f"{second.stem}.jpg")
    result = build(shelf, "-o", out, "--json")
    summary = json_of(result.output)
    rebuilt = sorted(Path(r["output"]).name for r in summary["results"] if r["status"] == "built")
    assert rebuilt == sorted([first.name, second.name])
    assert summary["skipped"] == 11


def test_json_summary(tmp_path):
    folder = tmp_path / "stories"
    generate(folder, 3, seed=2, median_words=200)
    (folder / "empty.txt").write_text("")
    result = build(folder, "-o", tmp_path / "out", "--json")
    assert result.exit_code == 1
    summary = json_of(result.output)
    assert (summary["books"], summary["built"], summary["skipped"], summary["failed"]) == (4, 3, 0, 1)
    assert summary["failures"][0]["source"].endswith("empty.txt")
    statuses = {Path(r["source"]).name: r["status"] for r in summary["results"]}
    assert statuses["empty.txt"] == "failed" and statuses["story-00000.txt"] == "built"
    built = next(r for r in summary["results"] if r["status"] == "built")
    assert Path(built["output"]).is_file() and built["title"] and "quotes.curl" in built["fixes"]
    assert summary["books_per_second"] > 0


def _wait_until_gone(group: int) -> None:
    """Until every process of the group has died (a worker in a system call dies a moment later)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.01)


def test_killed_batch_leaves_no_partial_book_and_the_rerun_finishes(tmp_path, check_epub):
    folder = tmp_path / "stories"
    generate(folder, 120, seed=3, median_words=300)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "storybinder.cli", "build", str(folder), "-o", str(out), "--jobs", "2"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    journal = out / JOURNAL_FILE
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline and len(BuildState.load(out).records) < 3:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)  # the whole batch, workers too
    process.wait()
    _wait_until_gone(process.pid)
    assert journal.is_file(), "the batch finished or recorded nothing before the kill"
    done = len(BuildState.load(out).records)
    assert 3 <= done < 120
    for epub in out.glob("*.epub"):
        assert_complete_epub(epub)
    assert not list(out.glob("*.tmp")) and not list(out.glob(".*.tmp"))

    result = build(folder, "-o", out)
    assert result.exit_code == 0, result.output
    assert f"{done} up to date" in result.output
    final = sorted(out.glob("*.epub"))
    assert len(final) == 120
    for epub in final:
        assert_complete_epub(epub)
    assert not (out / ".storybinder-pending").exists()
    assert (out / STATE_FILE).is_file() and not journal.exists()
    for epub in final[:2] + final[-2:]:
        check_epub(epub)


def test_dask_local_cluster_builds_the_same_books(shelf, tmp_path, check_epub):
    distributed = pytest.importorskip("dask.distributed")
    serial = build(shelf, "-o", tmp_path / "serial", "--jobs", "1")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        result = build(shelf, "-o", tmp_path / "dask", "--dask", cluster.scheduler_address)
    assert result.exit_code == 0, result.output
    assert books(tmp_path / "dask") == books(tmp_path / "serial")
    assert result.output.replace(str(tmp_path / "dask"), str(tmp_path / "serial")) == serial.output
    check_epub(sorted((tmp_path / "dask").glob("*.epub"))[0])



def test_a_5_mb_novel_in_one_file_builds(tmp_path, check_epub):
    from bench.storygen import novel

    story = novel(tmp_path / "novel", 5.0)
    assert story.path.stat().st_size >= 4_900_000
    result = build(story.path, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    book = tmp_path / "out" / "the-long-weather.epub"
    assert_complete_epub(book)
    text = _text_of(book)
    assert "Chapter 1:" in text and f"Chapter {round(story.words / 2500)}:" in text
    check_epub(book)


def test_a_story_that_kills_its_worker_fails_alone(tmp_path, monkeypatch, check_epub):
    import storybinder.batch

    real_build_job = storybinder.batch.build_job

    def build_or_die(job, *args):
        # What a segfault or the out-of-memory killer does to a worker.
        if job.path.name == "story-00004.txt":
            os._exit(9)
        return real_build_job(job, *args)

    # Workers are forked from this process, so they inherit the stand-in.
    monkeypatch.setattr(storybinder.batch, "build_job", build_or_die)
    folder = tmp_path / "stories"
    generate(folder, 10, seed=4, median_words=150)
    out = tmp_path / "out"
    result = build(folder, "-o", out, "--jobs", "2")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "story-00004.txt" in errors[0] and "worker process died" in errors[0]
    built = sorted(out.glob("*.epub"))
    assert len(built) == 9
    check_epub(built[0])


def test_a_retitled_story_replaces_its_old_book(tmp_path, check_epub):
    folder = tmp_path / "stories"
    first, second = generate(folder, 2, seed=6, median_words=150)
    out = tmp_path / "out"
    assert build(folder, "-o", out).exit_code == 0
    (folder / "story-00000.toml").write_text('title = "A Brand New Title"\n')
    result = build(folder, "-o", out)
    assert "1 book written" in result.output and "1 up to date" in result.output
    after = sorted(p.name for p in out.glob("*.epub"))
    assert after == sorted(["a-brand-new-title.epub", f"{slugify(second.title)}.epub"])
    assert slugify(first.title) != "a-brand-new-title"
    check_epub(out / "a-brand-new-title.epub")


def test_leftovers_of_killed_builds_go_but_a_running_build_keeps_its_own(tmp_path):
    folder = tmp_path / "stories"
    generate(folder, 1, seed=8, median_words=100)
    out = tmp_path / "out"
    dead = out / ".storybinder-pending" / "999999999" / "0"  # no such process
    alive = out / ".storybinder-pending" / "1" / "0"  # pid 1 always runs
    for folder_ in (dead, alive):
        folder_.mkdir(parents=True)
        (folder_ / ".half-written.epub.tmp").write_bytes(b"PK")
    assert build(folder, "-o", out).exit_code == 0
    assert not dead.parent.exists()
    assert (alive / ".half-written.epub.tmp").is_file()


def test_edit_reports_are_written_and_a_missing_one_rebuilds_its_book(tmp_path, capsys, check_epub):
    from storybinder.build_command import run_build
    from storybinder.model import Metadata

    folder = tmp_path / "stories"
    stories = generate(folder, 3, seed=10, median_words=150)
    out, reports = tmp_path / "out", tmp_path / "reports"

    def run() -> str:
        assert run_build([folder], out, Metadata(), clean=True, verbose=False, jobs=2, report_dir=reports) == 0
        return capsys.readouterr().out

    run()
    pages = sorted(reports.glob("*.html"))
    assert [p.stem for p in pages] == sorted(slugify(s.title) for s in stories)
    assert "3 up to date" in run()
    pages[0].unlink()
    again = run()
    assert "1 book written" in again and "2 up to date" in again
    assert pages[0].is_file()
    check_epub(out / f"{pages[0].stem}.epub")


def test_two_books_with_one_title_get_a_report_each(tmp_path, capsys, check_epub):
    from storybinder.build_command import run_build
    from storybinder.model import Metadata

    folder = tmp_path / "stories"
    folder.mkdir()
    for name, fruit in (("a.md", "Apples"), ("b.md", "Bananas")):
        (folder / name).write_text(f'---\ntitle: Twin\nauthor: Ann Example\n---\n\n"{fruit}," she said.\n', encoding="utf-8")
    out, reports = tmp_path / "out", tmp_path / "reports"
    assert run_build([folder], out, Metadata(), clean=True, verbose=False, jobs=2, report_dir=reports) == 0
    capsys.readouterr()

    assert sorted(p.name for p in out.glob("*.epub")) == ["twin-2.epub", "twin.epub"]
    # Each book's report is named like the book and tells of that book's edits.
    assert "Apples" in (reports / "twin.html").read_text(encoding="utf-8")
    assert "Bananas" in (reports / "twin-2.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in reports.iterdir()) == ["twin-2.html", "twin.html"]
    # Both reports present: nothing to rebuild.
    assert run_build([folder], out, Metadata(), clean=True, verbose=False, jobs=2, report_dir=reports) == 0
    assert "2 up to date" in capsys.readouterr().out
    check_epub(out / "twin-2.epub")
