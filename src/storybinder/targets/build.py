"""`build --target kobo|kindle|azw3`: after the EPUBs are built, write each book's device copy
beside it (NAME.kepub.epub, NAME.kindle.epub, NAME.azw3), remade only when its EPUB is newer."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from ..build_cache import BuildState, job_key
from ..errors import StorybinderError
from ..sources import expand_sources


def built_books(sources: list[Path], outdir: Path) -> list[Path]:
    """The EPUBs the last build of `sources` left in `outdir`, in source order."""
    state = BuildState.load(outdir)
    out = []
    for job in expand_sources(sources):
        record = state.records.get(job_key(job))
        if record is not None and (outdir / record.output).is_file():
            out.append(outdir / record.output)
    return list(dict.fromkeys(out))


def target_path(epub: Path, target: str) -> Path:
    from .kindle import kindle_name
    from .kobo import kepub_name

    return {"kobo": kepub_name, "kindle": kindle_name, "azw3": lambda p: p.with_suffix(".azw3")}[target](epub)


def make_target(epub: Path, target: str) -> Path:
    """Write the `target` copy of one EPUB (unless it is already newer than the EPUB)."""
    out = target_path(epub, target)
    if out.is_file() and out.stat().st_mtime_ns >= epub.stat().st_mtime_ns:
        return out
    if target == "kobo":
        from .kobo import convert

        return convert(epub, out)
    if target == "kindle":
        from .kindle import make_kindle_ready

        return make_kindle_ready(epub, out)
    if target == "azw3":
        return _azw3(epub, out)
    raise StorybinderError(f"unknown target {target!r}")


def _azw3(epub: Path, out: Path) -> Path:
    """calibre's ebook-convert, when it is installed (optional: the EPUB stays the main product)."""
    tool = shutil.which("ebook-convert")
    if tool is None:
        raise StorybinderError("--target azw3 needs calibre's ebook-convert", hint="install calibre, or use --target kindle")
    tmp = out.with_name(f".{out.stem}.tmp.azw3")
    proc = subprocess.run([tool, str(epub), str(tmp)], capture_output=True, text=True, timeout=600)
    if proc.returncode != 0 or not tmp.is_file():
        tmp.unlink(missing_ok=True)
        last = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        raise StorybinderError(f"ebook-convert failed: {last[0]}", path=epub)
    tmp.replace(out)
    return out


def apply_target(target: str, sources: list[Path], outdir: Path, echo: Callable[[str], None]) -> int:
    """Write the device copies of every book of this build; returns how many failed."""
    failed = 0
    for epub in built_books(sources, outdir):
        try:
            out = make_target(epub, target)
        except StorybinderError as exc:
            echo(f"error: {exc}")
            failed += 1
            continue
        echo(f"{target}: {out}")
    return failed
