"""Run the real `storybinder review STORY --no-browser` process and find its address."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

START_SECONDS = 120  # the first cleaning loads the lexicon; a loaded CI machine is slow



@contextmanager
def review_process(source: Path, *args: str, cwd: Path | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """Start the review of `source`; yields (the URL it printed, the process), stops it at the end."""
    command = [sys.executable, "-c", "from storybinder.cli import main; main()", "review", str(source), "--no-browser", *args]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd, env=env)
    try:
        url = _first_url(process)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(20)


def _first_url(process: subprocess.Popen) -> str:
    deadline = time.monotonic() + START_SECONDS
    assert process.stdout is not None
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        line = process.stdout.readline()
        if not line:
            err = process.stderr.read() if process.stderr else ""
            raise AssertionError(f"storybinder review ended without an address: {err}")
        if line.startswith("http://"):
            assert line.strip() == line.rstrip("\n") and " " not in line.strip(), line  # the URL alone on a line
            return line.strip()
    raise AssertionError("storybinder review printed no address in time")


def split_url(url: str) -> tuple[str, str]:
    """(base URL, token) of the address the review printed."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}", parts.query.removeprefix("token=")
