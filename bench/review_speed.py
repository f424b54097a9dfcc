"""How fast the review page opens and reacts for a long novel with many changes (headless Chromium).

Writes a synthetic novel (bench/storygen.py, about 150,000 words) with typos
the cleaner fixes or suggests (each misspelling used once, so none passes for
the author's own word) and doubled words, starts `storybinder review` on it
(the real process), and measures in Debian's Chromium through Playwright:

- served: navigation start to the last byte of the page (the server lists and renders it);
- parsed: to the DOM parsed; open: to the page's script ready, its first items on screen and
  usable (performance.now() in the page); complete: to the rest of each long rule listed too;
- react: a key press (j, then r) to the item's new state on screen (j is local; r is
  posted and saved beside the story);
- preview: the decision to the chapter preview showing it (the story cleaned again).

    .venv/bin/python bench/review_speed.py [--words 150000] [--changes 2000] [--rounds 5]

Prints one line per figure (median and worst of the rounds). Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.storygen import story_text  # noqa: E402


def _typos(word: str) -> list[str]:
    """Misspellings of `word` a person makes: two letters swapped, one dropped, one doubled."""
    out = []
    for i in range(1, len(word) - 1):
        out.append(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
        out.append(word[:i] + word[i + 1 :])
        out.append(word[:i] + word[i] + word[i:])
    return [t for t in out if t != word]


def typo_novel(folder: Path, words: int = 150_000, changes: int = 2150, *, seed: int = 11) -> Path:
    """A novel of about `words` words with about `changes` typos and doubled words in it (a third doubled)."""
    rng = random.Random(seed)
    text = story_text(rng, "The Long Weather", "Halvard Nim", words)
    tokens = text.split(" ")
    used: set[str] = set()
    made = 0
    candidates = [i for i, t in enumerate(tokens) if re.fullmatch(r"[A-Za-z]{5,}[.,]?", t)]
    rng.shuffle(candidates)
    for i in candidates:
        if made >= changes:
            break
        word = tokens[i].rstrip(".,")
        tail = tokens[i][len(word):]
        if made % 3 == 2 and not tail and word.islower():
            tokens[i] = f"{word} {word}"  # a doubled word
            made += 1
            continue
        fresh = [t for t in _typos(word) if t.lower() not in used]
        if not fresh:  # every misspelling of it used: doubled instead
            if not tail and word.islower():
                tokens[i] = f"{word} {word}"
                made += 1
            continue
        typo = rng.choice(fresh)
        used.add(typo.lower())
        tokens[i] = typo + tail
        made += 1
    path = folder / "the-long-weather.txt"
    path.write_text(" ".join(tokens), encoding="utf-8")
    return path


def measure(page, url: str, rounds: int = 5) -> dict[str, list[float]]:
    """Open the review at `url` `rounds` times and time opening, reacting and the preview (ms)."""
    figures: dict[str, list[float]] = {"served": [], "parsed": [], "open": [], "complete": [], "react_j": [], "react_r": [], "preview": []}
    for _ in range(rounds):
        page.goto(url)
        page.wait_for_selector('#review[data-ready="1"]')
        page.wait_for_selector('#review[data-complete="1"]')
        timing = page.evaluate("""() => { const t = performance.getEntriesByType('navigation')[0];
            const d = document.getElementById('review').dataset;
            return [t.responseEnd, t.domInteractive, Number(d.readyAt), Number(d.completeAt || d.readyAt)]; }""")
        for name, value in zip(("served", "parsed", "open", "complete"), timing):
            figures[name].append(value)
        page.evaluate("""() => { window.__t = {}; document.addEventListener('review:preview', () => {
            window.__t.preview = performance.now(); }, {once: false}); }""")
        start = page.evaluate("performance.now()")
        page.keyboard.press("j")
        page.wait_for_selector("li.item.current")
        figures["react_j"].append(page.evaluate("performance.now()") - start)
        page.wait_for_function("() => document.getElementById('review').dataset.previewVersion !== undefined")
        item = page.locator("li.item.current")
        start = page.evaluate("performance.now()")
        page.keyboard.press("r")
        item.and_(page.locator(".rejected")).wait_for()
        figures["react_r"].append(page.evaluate("performance.now()") - start)
        page.wait_for_function("start => (window.__t.preview || 0) > start", arg=start, timeout=60_000)
        figures["preview"].append(page.evaluate("window.__t.preview") - start)
        page.keyboard.press("u")  # undo: the next round decides the same item again
        page.wait_for_selector("li.item.current:not(.rejected)")
        page.wait_for_function("() => document.getElementById('review').dataset.pending === '0'")
    return figures


def report(figures: dict[str, list[float]], items: int) -> list[str]:
    lines = [f"review page, {items} listed changes:"]
    for name, values in figures.items():
        lines.append(f"  {name:8} median {statistics.median(values):7.0f} ms   worst {max(values):7.0f} ms   ({len(values)} rounds)")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=150_000)
    parser.add_argument("--changes", type=int, default=2150, help="typos and doubled words put in (about 2,000 are listed)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from tests.review_helpers import review_process

    with tempfile.TemporaryDirectory() as tmp:
        novel = typo_novel(Path(tmp), args.words, args.changes)
        started = time.perf_counter()
        with review_process(novel) as (url, _), sync_playwright() as playwright:
            print(f"server ready (read + clean + list) in {time.perf_counter() - started:.1f} s")
            browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            figures = measure(page, url, args.rounds)
            items = page.locator("li.item").count()
            browser.close()
    print("\n".join(report(figures, items)))


if __name__ == "__main__":
    main()
