"""Project Gutenberg-shaped books written for the tests (our own words, PG's layout).

The header, markers and licence follow the shapes PG has used (the current
`*** START OF THE PROJECT GUTENBERG EBOOK ... ***`, the 2000s `THIS PROJECT`
form, the 1990s `*END*THE SMALL PRINT!`); the stories are ours.
"""

from __future__ import annotations

from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "stories" / "the-lamplighters-almanac.txt"


def modern_text() -> str:
    """A PG plain-text book in the current header form, UTF-8 with a BOM (the stories/ sample)."""
    return SAMPLE.read_text(encoding="utf-8")


def _cut(text: str) -> tuple[str, str, str]:
    """(header, body, licence) of the sample at its markers."""
    start = text.index("ALMANAC ***\n") + len("ALMANAC ***\n")
    end = text.index("*** END OF THE PROJECT")
    return text[:start], text[start:end], text[end:]


HEADER, BODY, LICENCE = _cut(modern_text())
# The chapters alone (for the other shapes below): from the first chapter heading on.
BODY = "\n\n\n\nCHAPTER I.\n" + BODY.split("\nCHAPTER I.\n", 1)[1]


def old_style_text() -> str:
    """The 1990s form: the licence (ending in `*END*THE SMALL PRINT!`) first, then the book."""
    return (
        "**The Project Gutenberg Etext of The Lamplighter's Almanac, by Maren Holt**\n"
        "******This file should be named lamp10.txt or lamp10.zip******\n\n"
        "The oldest files open with their licence, and the book comes after it.\n\n"
        "The Lamplighter's Almanac\n\nMarch, 1994  [Etext #90210]\n\n"
        "**The Legal Small Print**\n\n"
        "This sample may be copied and shared as you like.\n\n"
        "*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*\n\n\n\n"
        "                       THE LAMPLIGHTER'S ALMANAC\n\n"
        "                              Maren Holt\n"
        + BODY
        + "\n\nEnd of Project Gutenberg's The Lamplighter's Almanac, by Maren Holt\n"
    )


def latin1_text() -> bytes:
    """A 2000s `-8.txt` file: ISO-8859-1 bytes, accented title and text."""
    text = f"""The Project Gutenberg EBook of Café Lumière, by Aurélie Brun

Ce livre est un exemple écrit pour les tests de storybinder.

Title: Café Lumière

Author: Aurélie Brun

Release Date: November 10, 2013 [EBook #90211]

Language: French

Character set encoding: ISO-8859-1

*** START OF THIS PROJECT GUTENBERG EBOOK CAFÉ LUMIÈRE ***




Produced by Test Volunteers




CHAPITRE I.


Le café était plein, et la serveuse, très pressée, répétait à chacun
qu'il fallait attendre. Élise attendait depuis une heure déjà, le nez
contre la vitre, et regardait tomber la neige sur la place.



CHAPITRE II.


Quand le garçon apporta enfin le chocolat, il était froid; mais Élise
était si contente qu'elle le but sans rien dire, et laissa un sou de
plus sur la table, à côté de la tasse.

End of the Project Gutenberg EBook of Café Lumière, by Aurélie Brun

*** END OF THIS PROJECT GUTENBERG EBOOK CAFÉ LUMIÈRE ***
"""
    return text.encode("iso-8859-1")


STORY_TITLES = ("The Weaver's Bargain", "A Lantern for the Ferryman", "The Clock That Ran Backwards")


def collection_text(sections: int = 2) -> str:
    """A collection of three stories, each a title line followed by section numerals, no contents list."""
    numerals = ["I.", "II.", "III.", "IV."]
    parts = [HEADER.split("*** START")[0].replace("The Lamplighter's Almanac", "Tales from the Ferry Road")
             .replace("A Winter in Three Streets", "Three Stories"),
             "*** START OF THE PROJECT GUTENBERG EBOOK TALES FROM THE FERRY ROAD ***\n\n\n\n",
             "TALES FROM THE FERRY ROAD\n\nby Maren Holt\n\n\n\n"]
    for n, title in enumerate(STORY_TITLES, start=1):
        parts.append(f"\n\n\n{title}\n\n\n")
        for s in range(sections):
            parts.append(f"{numerals[s]}\n\n")
            parts.append(
                f"This is part {s + 1} of story {n}. The river ran grey under the ferry and the\n"
                "ferryman counted the fares twice, because once was never enough for a\n"
                "man who had been cheated by a weaver in his youth.\n\n"
                "He said little and noticed much, and the passengers liked him for it.\n\n\n"
            )
    parts.append(LICENCE.replace("THE LAMPLIGHTER'S ALMANAC", "TALES FROM THE FERRY ROAD"))
    return "".join(parts)


def numbered_collection_text() -> str:
    """The current shape of a collection: a contents list of `I. Title` entries, each story headed
    `I. TITLE` in capitals, its sections `I.`, `II.` (a section "II." is not story II)."""
    numerals = ["I.", "II.", "III."]
    contents = "".join(f"   {numerals[n]:<6} {title}\n" for n, title in enumerate(STORY_TITLES))
    parts = [
        HEADER.split("*** START")[0].replace("The Lamplighter's Almanac", "Tales from the Ferry Road"),
        "*** START OF THE PROJECT GUTENBERG EBOOK TALES FROM THE FERRY ROAD ***\n\n\n\n",
        "Tales from the Ferry Road\n\nby Maren Holt\n\n\nContents\n\n" + contents + "\n\n\n",
    ]
    for n, title in enumerate(STORY_TITLES):
        parts.append(f"\n\n\n{numerals[n]} {title.upper()}\n\n\n")
        for s in range(2):
            parts.append(
                f"{numerals[s]}\n\nThe ferryman told the {title.lower()} story in parts, and this was\n"
                f"part {s + 1}; the passengers listened and the river ran on under the boat.\n\n\n"
            )
    parts.append(LICENCE)
    return "".join(parts)


def html_edition() -> str:
    """The current PG HTML edition's shape: pg-header with the machine header, pg-footer with the licence."""
    return """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>The Lamplighter's Almanac | Project Gutenberg</title></head>
<body>
<section class="pg-boilerplate pgheader" id="pg-header" lang="en">
<h2 id="pg-header-heading">The Project Gutenberg eBook of <span id="pg-title-no-subtitle">The Lamplighter's Almanac</span></h2>
<div>This sample is shaped like a Project Gutenberg ebook; the story is storybinder's own.</div>
<div class="container" id="pg-machine-header">
<p><strong>Title</strong>: The Lamplighter's Almanac</p>
<div id="pg-header-authlist"><p><strong>Author</strong>: Maren Holt</p></div>
<p><strong>Release date</strong>: March 3, 2009 [eBook #90210]<br>Most recently updated: January 2, 2024</p>
<p><strong>Language</strong>: English</p>
</div>
<div id="pg-start-separator"><span>*** START OF THE PROJECT GUTENBERG EBOOK THE LAMPLIGHTER'S ALMANAC ***</span></div>
</section>
<div class="figcenter"><img src="images/cover.jpg" alt="Cover"><p class="caption">The lamplighter at his ladder.</p></div>
<h1>The Lamplighter's Almanac</h1>
<h2>by Maren Holt</h2>
<h2>Contents</h2>
<table>
<tr><td><a href="#ch1">CHAPTER I. The Frost Fair</a></td></tr>
<tr><td><a href="#ch2">CHAPTER II. A Ladder in Bell Street</a></td></tr>
<tr><td><a href="#ch3">CHAPTER III. The Song of the Wick</a></td></tr>
</table>
<h2 id="ch1">CHAPTER I.<br>The Frost Fair</h2>
<p><span class="pagenum">[Pg 1]</span>Every lamp in Tanner's Row was lit by half past four, and Oskar
Lind was proud of it.</p>
<p>The booths were a beautiful muddle of striped canvas and smoke.</p>
<h2 id="ch2">CHAPTER II.<br>A Ladder in Bell Street</h2>
<div class="transnote"><p>Transcriber's Note: Bell Street is spelled with a capital S throughout.</p></div>
<p>The ladder in Bell Street had a cracked rung, the fourth from the top.</p>
<p>“You have missed one,” she said.</p>
<h2 id="ch3">CHAPTER III.<br>The Song of the Wick</h2>
<p>Oskar wrote her song in his notebook:</p>
<div class="poem"><div class="stanza">
<span class="i0">“Light the lamp in Tanner’s Row,<br></span>
<span class="i2">Light the lamp in Bell,<br></span>
<span class="i0">Light the one above the baker’s<br></span>
<span class="i2">Where the loaves are sold as well;<br></span>
</div><div class="stanza">
<span class="i0">Carry fire up the ladder,<br></span>
<span class="i2">Carry it down the street,<br></span>
<span class="i0">And never mind the cracked rung<br></span>
<span class="i2">Or the snow upon your feet.”<br></span>
</div></div>
<p>“That is not a very good song,” said Oskar.</p>
<section class="pg-boilerplate pgheader" id="pg-footer" lang="en">
<div id="pg-end-separator"><span>*** END OF THE PROJECT GUTENBERG EBOOK THE LAMPLIGHTER'S ALMANAC ***</span></div>
<h2 id="pg-footer-heading">THE FULL PROJECT GUTENBERG LICENSE</h2>
<p>A licence follows the book here in every Project Gutenberg edition.</p>
</section>
</body>
</html>
"""


def letters_and_numbered_chapters_text(letters: int = 2, chapters: int = 3) -> str:
    """A novel in letters then chapters numbered in digits (`Letter 1`, `Chapter 1`), its contents
    list one indented block: the digit after "Chapter" is the chapter's number, not a page number."""
    heads = [f"Letter {n}" for n in range(1, letters + 1)] + [f"Chapter {n}" for n in range(1, chapters + 1)]
    parts = [
        HEADER.split("*** START")[0].replace("The Lamplighter's Almanac", "The Ice Letters"),
        "*** START OF THE PROJECT GUTENBERG EBOOK THE ICE LETTERS ***\n\n\n\n",
        "The Ice Letters\n\nby Maren Holt\n\n\n CONTENTS\n\n" + "".join(f" {h}\n" for h in heads) + "\n\n\n\n",
    ]
    for head in heads:
        parts.append(
            f"{head}\n\n\nThe ship lay in the ice another week, and the captain wrote it all down\n"
            "for his sister at home, who would read it a year later by a warm fire.\n\n"
            "The crew played cards and did not speak of the thaw.\n\n\n\n"
        )
    parts.append(LICENCE.replace("THE LAMPLIGHTER'S ALMANAC", "THE ICE LETTERS"))
    return "".join(parts)


def headless_text() -> str:
    """A copy whose owner cut PG's header off (as many copies on the web are), keeping the
    chapters, a wrapped `End of the Project Gutenberg EBook of TITLE, by AUTHOR` line and the licence."""
    return (
        BODY
        + "\n\n\n\nEnd of the Project Gutenberg EBook of The Lamplighter's Almanac, A Winter\nin Three Streets, by Maren Holt\n\n"
        + LICENCE
    )
