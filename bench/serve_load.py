"""Load on `storybinder serve` (127.0.0.1 only, bounded): rounds of 200 concurrent requests,
downloads and feeds mixed, against a real server process; prints per round the wall time,
requests per second, latency percentiles, errors and the server's resident memory.

    python bench/serve_load.py                 # the sample stories, built into a temp folder
    python bench/serve_load.py --dir books --rounds 10 --concurrent 200
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def burst(url: str, paths: list[str], concurrent: int) -> tuple[list[float], int]:
    limits = httpx.Limits(max_connections=concurrent, max_keepalive_connections=concurrent)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:
        async def one(path: str) -> tuple[float, bool]:
            start = time.perf_counter()
            try:
                response = await client.get(path)
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            return time.perf_counter() - start, ok
        results = await asyncio.gather(*(one(p) for p in paths))
    return [t for t, _ in results], sum(1 for _, ok in results if not ok)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, help="a folder of EPUBs (default: the samples, built now)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrent", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        folder = args.dir
        if folder is None:
            folder = scratch / "books"
            subprocess.run([sys.executable, "-c", "from storybinder.cli import main; main()", "build",
                            str(REPO / "stories"), "-o", str(folder)], check=True, capture_output=True, cwd=REPO)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = {**os.environ, "XDG_CACHE_HOME": str(scratch / "cache")}
        server = subprocess.Popen([sys.executable, "-c", "from storybinder.cli import main; main()", "serve",
                                   str(folder), "--port", str(port)], env=env, stdout=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(150):
                try:
                    httpx.get(url + "/opds", timeout=2)
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            books = [f"/books/{p.relative_to(folder).as_posix()}" for p in sorted(folder.rglob("*.epub"))]
            feeds = ["/opds", "/opds/new", "/opds/titles", "/opds/v2/new", "/opds/search?q=the", "/", "/titles"]
            mix = books + feeds
            paths = [mix[i % len(mix)] for i in range(args.concurrent)]
            print(f"{len(books)} books, {args.concurrent} concurrent requests a round ({len(books)} downloads and "
                  f"{len(feeds)} feeds/pages in turn)")
            print("round  wall s  req/s  p50 ms  p95 ms  max ms  errors  server RSS MB")
            for n in range(1, args.rounds + 1):
                start = time.perf_counter()
                times, errors = asyncio.run(burst(url, paths, args.concurrent))
                wall = time.perf_counter() - start
                q = statistics.quantiles(times, n=20)
                print(f"{n:5}  {wall:6.2f}  {len(times) / wall:5.0f}  {statistics.median(times) * 1000:6.0f}  "
                      f"{q[18] * 1000:6.0f}  {max(times) * 1000:6.0f}  {errors:6}  {rss_mb(server.pid):13.1f}")
        finally:
            server.terminate()
            server.wait(20)


if __name__ == "__main__":
    main()
