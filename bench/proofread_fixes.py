"""What the cleaner changes in proofread books, where nearly every word is already right.

    .venv/bin/python bench/proofread_fixes.py BOOK.txt [BOOK.txt ...] [--show 20]
    .venv/bin/python bench/proofread_fixes.py ~/pg-novels/            # every .txt/.html/.epub in it

Each book is read the way `storybinder build` reads it (Project Gutenberg
books through the PG reader) and cleaned with the default rules. Every
applied change to words (not typography: no curled quote or dash is counted)
is a change to a text its editors already proofread, so nearly all of them
are the cleaner's mistakes: the figure to keep near zero. The books are not
in the repository (Project Gutenberg texts, fetched by whoever runs this);
the issue tracker's notes say which were used.

The last line is `summary: books=N words=W word_fixes=F per_10k=R`, then
`by rule: ...`. `--show N` prints up to N changes per book with their context.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from storybinder.cleanup import clean_story
from storybinder.cleanup.report import typography_rules
from storybinder.readers import read_story

SUFFIXES = (".txt", ".html", ".htm", ".xhtml", ".epub")


def books(paths: list[Path]) -> list[Path]:
    """The files named, and every book-like file in the folders named."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES)
        else:
            found.append(path)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", type=Path, help="books, or folders of books")
    parser.add_argument("--show", type=int, default=0, help="print up to N applied word changes per book")
    args = parser.parse_args(argv)
    typography = typography_rules()
    total_words = 0
    by_rule: Counter[str] = Counter()
    for path in books(args.paths):
        story = read_story(path)
        words = sum(len(getattr(b, "text", "").split()) for c in story.chapters for b in c.blocks)
        result = clean_story(story)
        fixes = [(e, ctx) for e, ctx in zip(result.edits, result.contexts) if e.applied and e.rule not in typography]
        rules = Counter(e.rule for e, _ in fixes)
        total_words += words
        by_rule.update(rules)
        per = 10_000 * len(fixes) / max(words, 1)
        print(f"{path.name}: {words} words, {len(fixes)} word fixes ({per:.2f} per 10k) {dict(rules.most_common())}")
        for edit, (left, right) in fixes[: args.show]:
            before = left[-40:].replace("\n", " ")
            after = right[:30].replace("\n", " ")
            print(f"    {edit.rule:28} …{before}[{edit.before!r} -> {edit.after!r}]{after}…")
    fixes_total = sum(by_rule.values())
    print(
        f"summary: books={len(books(args.paths))} words={total_words} word_fixes={fixes_total} "
        f"per_10k={10_000 * fixes_total / max(total_words, 1):.2f}"
    )
    print("by rule: " + ", ".join(f"{rule} {n}" for rule, n in by_rule.most_common()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
