"""Class-based styling in a page's <style> sheet, moved onto the elements that use it.

Google Docs and some editors export italics, bold and centring as classes
(`.c3{font-style:italic}`), not tags. The sanitiser keeps only inline style
attributes, so before it runs, the declarations of simple class rules
(`.c3`, `p.c4`, `.c3, .c5`) that matter for prose are copied into each
element's `style`. Parsing uses tinycss2; anything but a plain class
selector (descendants, ids, pseudo-classes) is ignored.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_PROSE_PROPERTIES = ("text-align", "font-style", "font-weight", "font-variant", "font-variant-caps", "text-decoration", "text-decoration-line")
_CLASS_SELECTOR = re.compile(r"^(?P<tag>[a-zA-Z][a-zA-Z0-9]*)?\.(?P<cls>[\w-]+)$")


def class_rules(css: str) -> dict[tuple[str | None, str], str]:
    """{(tag or None, class): "prop:value;..."} for the simple class rules in a stylesheet."""
    import tinycss2

    rules: dict[tuple[str | None, str], str] = {}
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue
        declarations = [
            f"{d.lower_name}:{tinycss2.serialize(d.value).strip()}"
            for d in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
            if d.type == "declaration" and d.lower_name in _PROSE_PROPERTIES
        ]
        if not declarations:
            continue
        for selector in tinycss2.serialize(rule.prelude).split(","):
            match = _CLASS_SELECTOR.match(selector.strip())
            if match:
                key = ((match.group("tag") or "").lower() or None, match.group("cls"))
                rules[key] = ";".join(filter(None, [rules.get(key, ""), *declarations]))
    return rules


def inline_class_styles(doc: HtmlElement, extra_css: str = "") -> None:
    """Copy prose-relevant class styling from the page's <style> sheets (and `extra_css`,
    an EPUB's linked stylesheets) into style attributes."""
    css = "\n".join([extra_css, *(style.text or "" for style in doc.iter("style"))])
    rules = cached_class_rules(css) if css.strip() else {}
    if not rules:
        return
    apply_class_rules(doc, rules)


@functools.lru_cache(maxsize=32)
def cached_class_rules(css: str) -> dict[tuple[str | None, str], str]:
    """class_rules, once per stylesheet text: every chapter of a book (and every book
    a tool made) shares one."""
    return class_rules(css)


def apply_class_rules(doc: HtmlElement, rules: dict[tuple[str | None, str], str]) -> None:
    """Set each element's style from the rules its classes match."""
    for element in doc.iter():
        if not isinstance(element.tag, str) or not element.get("class"):
            continue
        tag = element.tag.lower()
        found = [rules.get((t, c)) for c in element.get("class").split() for t in (None, tag)]
        declarations = [d for d in found if d]
        if declarations:
            # The element's own style attribute comes last, so it wins.
            element.set("style", ";".join([*declarations, element.get("style") or ""]).strip(";"))
