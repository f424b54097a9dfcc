"""Pinned npm packages for the browser and client tests: `npm ci` of a test folder's
package.json + package-lock.json into a cache dir keyed by their hash (never into the
repository), and the CI rule that a missing tool fails instead of skipping."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def unavailable(reason: str):
    """Skip locally; in CI (CI=true) a missing tool is a failure."""
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(f"cannot run in CI: {reason}")
    pytest.skip(reason)


def chromium() -> str | None:
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


def cache_root() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "storybinder"


def install_modules(package_dir: Path, marker: str, *, ignore_scripts: bool = False) -> Path:
    """The folder holding node_modules for `package_dir`'s lock file (installed on first use);
    `marker` is a package whose presence means the install is complete."""
    if not (shutil.which("node") and shutil.which("npm")):
        unavailable("node/npm not found (Debian: apt-get install nodejs npm)")
    files = ("package.json", "package-lock.json")
    digest = hashlib.sha256(b"".join((package_dir / f).read_bytes() for f in files))
    target = cache_root() / f"{package_dir.name.replace('_', '-')}-{digest.hexdigest()[:12]}"
    if (target / "node_modules" / marker).is_dir():
        return target
    staging = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for f in files:
        shutil.copy(package_dir / f, staging / f)
    env = {**os.environ, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1", "PUPPETEER_SKIP_DOWNLOAD": "1"}
    command = ["npm", "ci", "--no-audit", "--no-fund", "--omit=dev", "--loglevel=error"]
    if ignore_scripts:
        command.append("--ignore-scripts")
    proc = subprocess.run(command, cwd=staging, env=env, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        pytest.fail(f"npm ci of {package_dir / 'package.json'} failed:\n{proc.stderr[-2000:]}")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target
