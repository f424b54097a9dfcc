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
JOURNAL_FILE = ".storybinder-state.journal"
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


def _start(command: list[str], cwd: Path | None = None, stderr=subprocess.DEVNULL) -> subprocess.Popen:
    """Start a build in its own process group, with Ctrl-C's default action (a terminal's child has it)."""
    return subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=stderr, text=True, start_new_session=True,
        # A test runner may start us with SIGINT ignored; a terminal's child would not be.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _journal_lines(out: Path) -> int:
    """Books the build has finished and recorded so far (one journal line each)."""
    try:
        return (out / JOURNAL_FILE).read_bytes().count(b"\n")
    except OSError:
        return 0


def _handles_signals(pid: int) -> bool:
    """Has the process put its own SIGTERM handler in place (storybinder's first step)?

    Before that the interpreter itself is starting, and a Ctrl-C there is
    Python's to report, not ours; /proc says which signals a process catches.
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    caught = int(next(line for line in status.splitlines() if line.startswith("SigCgt:")).split()[1], 16)
    return bool(caught >> (signal.SIGTERM - 1) & 1)


def _signal_after(process: subprocess.Popen, out: Path, books: int, signum: int, rng: random.Random) -> bool:
    """Send `signum` to the build's process group once it has finished `books` more books
    (0: as soon as it handles signals, while it is still starting); False if it ended first."""
    baseline = _journal_lines(out)
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        if _handles_signals(process.pid) and _journal_lines(out) - baseline >= books:
            # A little later still, so the moment falls anywhere in the next book.
            time.sleep(rng.uniform(0, 0.01))
            try:
                os.killpg(process.pid, signum)
            except ProcessLookupError:
                return False
            return True
        time.sleep(0.002)
    return False


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


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="watches the build through /proc")
def test_killed_builds_leave_only_complete_books(shelf, tmp_path, check_epub):
    base = [sys.executable, "-m", "storybinder", "build", str(shelf), "-o", str(tmp_path / "books")]
    out = tmp_path / "books"
    keep = tmp_path / "seen"
    keep.mkdir()
    sources = {p.name: _digest(p) for p in shelf.iterdir()}

    # A full build first, to learn what every finished book looks like.
    finished = subprocess.run([*base, "--jobs", "2"], capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    complete = {p.name: _digest(p) for p in out.glob("*.epub")}
    assert len(complete) == STORIES
    seen: dict[str, Path] = {}
    present = _inspect(out, {}, complete, seen, keep)

    # Killed after so many books, not after so many seconds: the same moments
    # however busy the machine is (each kill lands within the next book).
    rng = random.Random(6)
    runs = [
        # (extra options, start from an empty folder?, books finished before the kill)
        (["--jobs", "1", "--force"], False, 8),
        (["--jobs", "2", "--force"], False, 18),
        (["--jobs", "1"], True, 0),  # while starting
        (["--jobs", "2"], True, 1),  # as the first books are written
        (["--jobs", "1", "--force"], False, 34),  # near the end
        (["--jobs", "2", "--force"], False, 0),
    ]
    for options, fresh, books in runs:
        if fresh and out.exists():
            shutil.rmtree(out)
            present = {}
        process = _start([*base, *options], cwd=tmp_path)
        assert _signal_after(process, out, books, signal.SIGKILL, rng), "the build ended before it could be killed"
        process.wait(timeout=60)
        before, present = present, _inspect(out, present, complete, seen, keep)
        assert before.keys() <= present.keys(), "a book that was there is gone"
        # Rebuilds of unchanged stories are byte-identical, so every book there is a finished one.
        for name, digest in present.items():
            assert complete.get(name) == digest, f"{name}: not the book a full build makes"

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
    command = [sys.executable, "-m", "storybinder", "build", str(story), "-o", str(out)]
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


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="watches the build through /proc")
def test_ctrl_c_and_sigterm_stop_the_build_quietly_and_clean_up(shelf, tmp_path):
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) or SIGTERM, at moments from start-up
    to the last book: one line, exit 130 (143), no traceback, no leftovers, the books already there intact."""
    out = tmp_path / "books"
    base = [sys.executable, "-m", "storybinder", "build", str(shelf), "-o", str(out)]
    assert subprocess.run([*base, "--jobs", "2"], capture_output=True, timeout=300).returncode == 0
    complete = {p.name: _digest(p) for p in out.glob("*.epub")}
    rng = random.Random(11)
    cases = [
        # (options, books finished before the signal, signal)
        (["--jobs", "1"], 0, signal.SIGINT),  # still importing
        (["--jobs", "2"], 0, signal.SIGINT),
        (["--jobs", "1"], 3, signal.SIGINT),
        (["--jobs", "2"], 12, signal.SIGINT),
        (["--jobs", "1"], 30, signal.SIGINT),
        (["--jobs", "2"], 25, signal.SIGTERM),
        (["--jobs", "1"], 1, signal.SIGTERM),
        (["--jobs", "2"], STORIES, signal.SIGINT),  # the last book done: saving the state, or already gone
    ]
    for options, books, signum in cases:
        process = _start([*base, *options, "--force"], stderr=subprocess.PIPE)
        sent = _signal_after(process, out, books, signum, rng)
        _, stderr = process.communicate(timeout=120)
        assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
        if books == STORIES and process.returncode == 0:
            continue  # it had finished when the signal came
        assert sent, f"the build ended before the signal ({process.returncode}): {stderr}"
        assert process.returncode == 128 + signum, (process.returncode, stderr)
        assert stderr.rstrip().splitlines()[-1].startswith("storybinder: "), stderr
        leftovers = [p.name for p in out.iterdir() if not p.name.endswith(".epub")]
        assert all(name.startswith(".storybinder-state") for name in leftovers), leftovers
        assert {p.name: _digest(p) for p in out.glob("*.epub")} == complete


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="watches the build through /proc")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_interrupted_batch_keeps_the_books_it_finished(shelf, tmp_path, jobs):
    out = tmp_path / "books"
    base = [sys.executable, "-m", "storybinder", "build", str(shelf), "-o", str(out), "--jobs", jobs]
    process = _start(base, stderr=subprocess.PIPE)
    assert _signal_after(process, out, 10, signal.SIGINT, random.Random(3))
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    kept = {p.name for p in out.glob("*.epub")}
    assert len(kept) >= 10
    again = subprocess.run([*base, "--json"], capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)
    assert summary["skipped"] >= len(kept) and summary["built"] == STORIES - summary["skipped"]


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="watches the process through /proc")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_any_command_stops_with_one_line(tmp_path, signum):
    """`storybinder clean -` waiting for its input, stopped: the same one line and exit code as a build."""
    process = subprocess.Popen(
        [sys.executable, "-m", "storybinder", "clean", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while not _handles_signals(process.pid) and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(0.3)  # on into its imports, or already reading stdin
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + signum, stderr
    assert stderr.strip().splitlines() == [f"storybinder: {'interrupted (Ctrl-C)' if signum == signal.SIGINT else 'stopped (SIGTERM)'}"]


def test_a_signal_inside_an_exec_d_method_keeps_its_exit_code(tmp_path):
    """SIGTERM landing while a dataclass makes its methods (exec of a string, mid-import) still exits 143 under -m."""
    (tmp_path / "signal_in_exec.py").write_text(
        "from storybinder.interrupts import run_interruptible\n"
        "run_interruptible(lambda: exec('import os, signal, time; os.kill(os.getpid(), signal.SIGTERM); time.sleep(5)'))\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    done = subprocess.run([sys.executable, "-m", "signal_in_exec"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 143, done.stderr
    assert done.stderr.strip() == "storybinder: stopped (SIGTERM)"
