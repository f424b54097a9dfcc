"""Golden cases for quotes.curl: straight quotes and apostrophes to curly ones."""

from __future__ import annotations

import pytest

from storybinder.cleanup import CleanOptions, clean_text


def run_rule(rule: str, text: str) -> str:
    return clean_text(text, CleanOptions(rules=[rule]))[0]

LD, RD, LS, RS = "\u201c\u201d\u2018\u2019"

CASES = [
    # Plain dialogue with a speech tag.
    ('"Hello," she said.', f"{LD}Hello,{RD} she said."),
    # Contractions and possessives.
    ("Don't touch Anne's hat.", f"Don{RS}t touch Anne{RS}s hat."),
    # Leading elisions are apostrophes, not opening quotes.
    ("'Tis true, give 'em rock 'n' roll from the '90s.", f"{RS}Tis true, give {RS}em rock {RS}n{RS} roll from the {RS}90s."),
    # Trailing elision (dialect).
    ("We're goin' home.", f"We{RS}re goin{RS} home."),
    # Nested quotation inside dialogue.
    ("\"He said, 'Go away.'\"", f"{LD}He said, {LS}Go away.{RS}{RD}"),
    # A quote right after a dash, and a quote closing after a dash.
    ('He cried\u2014"Stop!"', f"He cried\u2014{LD}Stop!{RD}"),
    ('"I was going\u2014" she began.', f"{LD}I was going\u2014{RD} she began."),
    # A quote after an ellipsis.
    ('"Well\u2026" he said.', f"{LD}Well\u2026{RD} he said."),
    # Mixed input: a straight quote among curly ones follows the curly state.
    (f'{LD}Yes,{RD} she said. "No."', f"{LD}Yes,{RD} she said. {LD}No.{RD}"),
    # A quoted word that ends in s, and a plural possessive.
    ("She said 'yes' twice, to the boys' delight.", f"She said {LS}yes{RS} twice, to the boys{RS} delight."),
    # A weak elision with no closing mark is an apostrophe.
    ("I went 'round the back.", f"I went {RS}round the back."),
    # Speech spelt as it sounds ends words on elisions (roun', fo', o'): no quotation closes on
    # them, so the marks before words are elisions too, known or not ('uz, 'spec, 'long).
    (
        "\"I 'uz hungry, en 'spec to git roun' de place by fo' in de mawnin'.\"",
        f"{LD}I {RS}uz hungry, en {RS}spec to git roun{RS} de place by fo{RS} in de mawnin{RS}.{RD}",
    ),
    # ...but a quoted title after a capital closes, whatever elisions stand near it.
    (
        "\"Now he sang. 'Fifteen Men' was his song, and I heard it comin' out.\"",
        f"{LD}Now he sang. {LS}Fifteen Men{RS} was his song, and I heard it comin{RS} out.{RD}",
    ),
    # Feet and inches are primes, inside a quotation too; never half-curled quotes.
    ("He was 6' 2\" tall.", "He was 6\u2032 2\u2033 tall."),
    ('"She stood 5\'9" in her boots."', f"{LD}She stood 5\u20329\u2033 in her boots.{RD}"),
    ('A 12" record and a 27" monitor.', "A 12\u2033 record and a 27\u2033 monitor."),
    # ...but a quotation that ends on a number closes.
    ('"We met in 1999." she said.', f"{LD}We met in 1999.{RD} she said."),
    ('"Count to 10"', f"{LD}Count to 10{RD}"),
    # Letters quoted one at a time; ’n’ and ’a’ are elisions all the same.
    ("Mark them 'X', 'Y' and 'Z'.", f"Mark them {LS}X{RS}, {LS}Y{RS} and {LS}Z{RS}."),
    ("Fish 'n' chips, he might 'a' said.", f"Fish {RS}n{RS} chips, he might {RS}a{RS} said."),
    # A quotation that opens on punctuation or on an elision.
    ("The sign said '#3' in red.", f"The sign said {LS}#3{RS} in red."),
    ("He wrote '...and so on' at the end.", f"He wrote {LS}...and so on{RS} at the end."),
    ("''Twas ever thus,' she sighed.", f"{LS}{RS}Twas ever thus,{RS} she sighed."),
    # A single quotation that ends after a double one inside it.
    ("'She told me, \"Wait here.\"' I waited.", f"{LS}She told me, {LD}Wait here.{RD}{RS} I waited."),
    # `tis` and `twas` without their apostrophe get it.
    ("Twas a cold night, and tis colder now.", f"{RS}Twas a cold night, and {RS}tis colder now."),
    ("An artist, Curtis, said this.", "An artist, Curtis, said this."),
    # A double mark with nothing after it to open closes.
    ('Done."~', f"Done.{RD}~"),
    ('"~', f"{RD}~"),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_curl(before: str, after: str) -> None:
    assert run_rule("quotes.curl", before) == after


def test_quote_next_to_italics_in_a_story_curls_and_keeps_spans() -> None:
    from storybinder.cleanup import CleanOptions, clean_story
    from storybinder.model import Chapter, Metadata, Paragraph, Span, Story, Style

    text = '"Never," she said.'
    para = Paragraph(text, spans=(Span(1, 6, Style.EMPHASIS),))
    story = Story(Metadata(), [Chapter("Chapter 1", [para])])
    result = clean_story(story, CleanOptions(rules=["quotes.curl"]))
    out = result.story.chapters[0].blocks[0]
    assert out.text == f"{LD}Never,{RD} she said."
    assert out.text[out.spans[0].start : out.spans[0].end] == "Never"
    assert story.chapters[0].blocks[0].text == text  # the input story is untouched


def test_many_edits_in_one_paragraph_keep_every_span_on_its_words() -> None:
    from storybinder.cleanup import clean_story
    from storybinder.model import Chapter, Metadata, Paragraph, Span, Story, Style

    text = "\"Go on...\" said 'Tom' -- \"now!\""
    bold = text.index("said")
    now = text.index("now")
    spans = (Span(1, 3, Style.EMPHASIS), Span(bold, bold + 4, Style.STRONG), Span(now, now + 3, Style.EMPHASIS))
    story = Story(Metadata(), [Chapter(None, [Paragraph(text, spans=spans)])])
    out = clean_story(story).story.chapters[0].blocks[0]
    assert out.text == f"{LD}Go on\u2026{RD} said {LS}Tom{RS} \u2014 {LD}now!{RD}"
    assert [out.text[s.start : s.end] for s in out.spans] == ["Go", "said", "now"]
