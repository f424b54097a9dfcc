"""NAME.review.toml beside the story: read, written (atomically) and where it lives.

The file is meant to be read and diffed: one `[[decision]]` table per
decision, keys always in the same order, the words kept as one list.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..errors import StorybinderError
from .decisions import ACTIONS, Decision, Decisions
from .paths import SUFFIX, find_review, review_path  # noqa: F401 (where they were first)

HEADER = (
    "# Decisions on the cleaner's changes to {name}, made with `storybinder review`.\n"
    "# `storybinder build` and `storybinder clean` apply them. Delete a [[decision]] to be asked again.\n"
)
_FIELDS = ("rule", "original", "proposed", "action", "text", "before", "after", "everywhere")


def load_decisions(path: Path) -> Decisions:
    """Read a decisions file; a mistake in it is one error naming the file and the entry."""
    from ..manifest import load_toml

    return decisions_from_mapping(load_toml(path), path)


def decisions_from_mapping(data: dict[str, Any], origin: Path) -> Decisions:
    """Check and turn a parsed decisions file into Decisions."""
    words = data.get("words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise StorybinderError("`words` must be a list of strings", path=origin)
    entries = data.get("decision", [])
    if not isinstance(entries, list):
        raise StorybinderError("`decision` must be an array of tables ([[decision]])", path=origin)
    items = []
    for n, entry in enumerate(entries, start=1):
        where = f"decision {n}"
        if not isinstance(entry, dict):
            raise StorybinderError(f"{where} is not a table", path=origin)
        unknown = sorted(set(entry) - set(_FIELDS))
        if unknown:
            raise StorybinderError(f"{where} has unknown keys: {', '.join(unknown)}", path=origin)
        for key in ("rule", "original", "action"):
            if key not in entry:
                raise StorybinderError(f"{where} has no `{key}`", path=origin)
        for key in _FIELDS[:-1]:
            if key in entry and not isinstance(entry[key], str):
                raise StorybinderError(f"{where}: `{key}` must be a string", path=origin)
        if entry["action"] not in ACTIONS:
            raise StorybinderError(
                f"{where}: action must be one of {', '.join(ACTIONS)}, not {entry['action']!r}", path=origin
            )
        everywhere = entry.get("everywhere", False)
        if not isinstance(everywhere, bool):
            raise StorybinderError(f"{where}: `everywhere` must be true or false", path=origin)
        items.append(Decision(
            rule=entry["rule"], original=entry["original"], proposed=entry.get("proposed", ""),
            action=entry["action"], text=entry.get("text", ""), before=entry.get("before", ""),
            after=entry.get("after", ""), everywhere=everywhere,
        ))
    return Decisions(tuple(items), tuple(dict.fromkeys(words)))


def decisions_toml(decisions: Decisions, story_name: str) -> str:
    """The decisions as the TOML text of the file (stable key order: diffs show only what changed)."""
    out = [HEADER.format(name=story_name.replace("\n", " "))]
    out.append(f"words = [{', '.join(toml_string(w) for w in decisions.words)}]\n")
    for d in decisions.items:
        out.append("\n[[decision]]\n")
        for key in _FIELDS:
            value = getattr(d, key)
            if key == "everywhere":
                if value:
                    out.append("everywhere = true\n")
            elif value or key in ("rule", "original", "action"):
                if key == "text" and d.action != "edit":
                    continue
                if key in ("before", "after") and d.everywhere:
                    continue
                out.append(f"{key} = {toml_string(value)}\n")
    return "".join(out)


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(value: str) -> str:
    """A TOML basic string: escapes for quotes, backslashes and control characters, the rest as typed."""
    parts = []
    for ch in value:
        if ch in _ESCAPES:
            parts.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            parts.append(f"\\u{ord(ch):04X}")
        else:
            parts.append(ch)
    return '"' + "".join(parts) + '"'


def save_decisions(path: Path, decisions: Decisions, story_name: str) -> None:
    """Write the decisions file atomically (temp file beside it, then rename)."""
    data = decisions_toml(decisions, story_name).encode("utf-8")
    tmp = path.with_name(f".{path.name}.{os.urandom(4).hex()}.tmp")
    try:
        with open(tmp, "xb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StorybinderError(f"cannot write the decisions: {exc.strerror or exc}", path=path) from None
