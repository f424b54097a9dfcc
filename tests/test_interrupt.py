"""A build killed at any moment (SIGKILL: no cleanup runs) never leaves a broken book behind.

`storybinder build` runs over ~40 generated stories in a real process and is
killed at spread-out moments: while starting, while the first books are
written, in the middle, near the end; serially and with a process pool; into
an empty folder and while --force rebuilds over books already there. After
every kill, each .epub in the output folder must be a complete EPUB (the zip
opens, every CRC checks, mimetype first and stored), an old book may only have
been replaced by a complete new one, temporary files never end in .epub, and
the build state is readable. A last, uninterrupted build finishes the job and
cleans up. Every distinct book seen is validated by EPUBCheck (the session's
one JVM).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from bench.storygen import generate

STATE_FILE = ".storybinder-state.json"
PENDING_DIR = ".storybinder-pending"
STORIES = 40


def assert_complete_epub(path: Path) -> None:
    """The checks a reading system makes before it trusts a file."""
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None, f"{path.name}: a damaged entry"
        first = zf.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED, path.name
        assert zf.read("mimetype") == b"application/epub+zip"
        names = set(zf.namelist())
        assert "META-INF/container.xml" in names and any(n.endswith(".opf") for n in names), path.name
        assert any(n.endswith(".xhtml") and "/ch_" in n for n in names), path.name


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _kill_after(command: list[str], delay: float, cwd: Path) -> int | None:
    """Start the build, SIGKILL its whole process group after `delay` seconds; return its exit code if it finished first."""
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        return process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the pool's workers too
        process.wait()
        return None


def _inspect(out: Path, previous: dict[str, str], complete: dict[str, str], seen: dict[str, Path], keep: Path) -> dict[str, str]:
    """Check the output folder after a kill; return {book name: digest} now there."""
    now: dict[str, str] = {}
    if not out.exists():
        return now
    for entry in out.iterdir():
        if entry.name.endswith(".epub"):
            assert entry.is_file() and not entry.name.startswith("."), f"{entry.name} looks like a temporary file"
            assert_complete_epub(entry)
            digest = _digest(entry)
            # An existing book is either untouched or replaced by a complete one of the same story.
            if entry.name in previous and digest != previous[entry.name]:
                assert entry.name in complete, entry.name
            now[entry.name] = digest
            if digest not in seen:
                copy = keep / f"{len(seen):03d}-{entry.name}"
                shutil.copyfile(entry, copy)
                seen[digest] = copy
        elif entry.name == STATE_FILE:
            json.loads(entry.read_text(encoding="utf-8"))  # replaced atomically: always whole
        elif entry.name == PENDING_DIR:
            # Books are written inside it before their move; whatever is there is
            # complete or a hidden .tmp, never a half-written .epub.
            for leftover in entry.rglob("*"):
                if leftover.name.endswith(".epub"):
                    assert_complete_epub(leftover)
                elif leftover.is_file():
                    assert leftover.name.startswith(".") and leftover.name.endswith(".tmp"), leftover
        else:
            # Bookkeeping (a .tmp being written, the state's journal) is hidden, never *.epub.
            assert entry.name.startswith("."), f"unexpected file {entry.name}"
    return now


@pytest.fixture(scope="module")
def shelf(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("interrupt") / "stories"
    generate(folder, STORIES, seed=11, median_words=6000)
    return folder


def test_killed_builds_leave_only_complete_books(shelf, tmp_path, check_epub):
    base = [sys.executable, "-m", "storybinder.cli", "build", str(shelf), "-o", str(tmp_path / "books")]
    out = tmp_path / "books"
    keep = tmp_path / "seen"
    keep.mkdir()
    sources = {p.name: _digest(p) for p in shelf.iterdir()}

    # A full build first, to learn how long one takes and what every finished book looks like.
    started = time.monotonic()
    finished = subprocess.run([*base, "--jobs", "2"], capture_output=True, text=True, timeout=300)
    duration = time.monotonic() - started
    assert finished.returncode == 0, finished.stderr
    complete = {p.name: _digest(p) for p in out.glob("*.epub")}
    assert len(complete) == STORIES
    seen: dict[str, Path] = {}
    present = _inspect(out, {}, complete, seen, keep)

    rng = random.Random(6)
    runs = [
        # (extra options, start from an empty folder?, fraction of a full build's time)
        (["--jobs", "1", "--force"], False, rng.uniform(0.15, 0.35)),
        (["--jobs", "2", "--force"], False, rng.uniform(0.35, 0.6)),
        (["--jobs", "1"], True, rng.uniform(0.4, 0.7)),
        (["--jobs", "2"], True, rng.uniform(0.6, 0.9)),
        (["--jobs", "1", "--force"], False, rng.uniform(0.7, 0.95)),
        (["--jobs", "2", "--force"], False, rng.uniform(0.05, 0.2)),
    ]
    kills = 0
    for options, fresh, fraction in runs:
        if fresh:
            shutil.rmtree(out)
            present = {}
        code = _kill_after([*base, *options], max(0.05, fraction * duration), cwd=tmp_path)
        kills += code is None
        assert code in (None, 0), f"the build exited {code} on its own"
        present = _inspect(out, present, complete, seen, keep)
        # Rebuilds of unchanged stories are byte-identical, so every book there is a finished one.
        for name, digest in present.items():
            assert complete.get(name) == digest, f"{name}: not the book a full build makes"
    assert kills >= 4, "the builds finished before they could be killed; the corpus is too small for this machine"

    # One build to the end: every book is there and nothing temporary is left.
    final = subprocess.run([*base, "--jobs", "2"], capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr
    assert {p.name: _digest(p) for p in out.glob("*.epub")} == complete
    leftovers = [p.name for p in out.iterdir() if not p.name.endswith(".epub")]
    assert STATE_FILE in leftovers and PENDING_DIR not in leftovers, leftovers
    assert all(name.startswith(".storybinder-state") for name in leftovers), leftovers
    assert not list(out.rglob("*.tmp")), "temporary files left after a complete build"
    assert {p.name: _digest(p) for p in shelf.iterdir()} == sources, "a source changed"
    for copy in seen.values():
        check_epub(copy)


def test_a_book_being_replaced_is_never_missing_or_partial(shelf, tmp_path):
    """Watch one book's path while --force rebuilds it again and again: it is always the whole book."""
    story = tmp_path / "one.txt"
    story.write_text((shelf / "story-00000.txt").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "books"
    command = [sys.executable, "-m", "storybinder.cli", "build", str(story), "-o", str(out)]
    assert subprocess.run(command, capture_output=True, timeout=120).returncode == 0
    book = next(out.glob("*.epub"))
    whole = book.read_bytes()
    process = subprocess.Popen([*command, "--force"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    checks = 0
    while process.poll() is None:
        # Opening by path always finds a file, and always the complete one (rename is atomic).
        assert book.read_bytes() == whole
        checks += 1
    assert process.returncode == 0 and checks > 0
    assert book.read_bytes() == whole


def test_ctrl_c_stops_the_build_quietly_and_cleans_up(shelf, tmp_path):
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it): exit 130, no traceback, no leftovers."""
    out = tmp_path / "books"
    base = [sys.executable, "-m", "storybinder.cli", "build", str(shelf), "-o", str(out)]
    assert subprocess.run([*base, "--jobs", "2"], capture_output=True, timeout=300).returncode == 0
    complete = {p.name: _digest(p) for p in out.glob("*.epub")}
    started = time.monotonic()
    subprocess.run([*base, "--jobs", "1", "--force"], capture_output=True, timeout=300)
    duration = time.monotonic() - started
    interrupted = 0
    for options, fraction in ((["--jobs", "1"], 0.4), (["--jobs", "2"], 0.5), (["--jobs", "1"], 0.8)):
        process = subprocess.Popen(
            [*base, *options, "--force"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            # A test runner may start us with SIGINT ignored; a terminal's child would not be.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        time.sleep(fraction * duration)
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=120)
        assert "Traceback" not in stderr, stderr
        if process.returncode == 0:
            continue  # it finished first
        interrupted += 1
        assert process.returncode in (1, 130), (process.returncode, stderr)
        leftovers = [p.name for p in out.iterdir() if not p.name.endswith(".epub")]
        assert all(name.startswith(".storybinder-state") for name in leftovers), leftovers
        assert {p.name: _digest(p) for p in out.glob("*.epub")} == complete
    assert interrupted >= 2
