"""The cleanup rules' tunable parameters, passed down from CleanOptions to each rule.

A family of rules with thresholds declares them as one NamedTuple (immutable
and hashable like a frozen dataclass, and made at import for a fraction of its
cost: Python 3.11 compiles a dataclass's methods on every run) whose
defaults were chosen by leave-one-book-out cross-validation on the development
set (`bench/cleanup_cv.py`), and registers it in `cleanup.TUNABLES` under the
family's name. A run carries a `Tuning`: the defaults, unless the caller (the
cross-validation harness, a test) overrides some fields. No rule keeps a
module-level threshold that a caller cannot reach.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from storybinder.errors import StorybinderError
from storybinder.record import Record

P = TypeVar("P")


class Tuning(Record):
    """Parameter objects by family name; a family that is absent uses its defaults.

    (A NamedTuple, not a frozen dataclass: made at import in a fifth of the time.)
    """

    # (family, parameters) pairs: a tuple keeps Tuning, and so CleanOptions, hashable.
    families: tuple[tuple[str, Any], ...] = ()

    def get(self, family: str, default: P) -> P:
        """The family's parameters (`default`, the class's own defaults, when not overridden)."""
        for name, params in self.families:
            if name == family:
                return params  # type: ignore[no-any-return]
        return default


def parse_value(text: str, current: Any) -> Any:
    """A command-line value as the type of the field's current value."""
    if isinstance(current, bool):
        if text.lower() in ("1", "true", "yes", "on"):
            return True
        if text.lower() in ("0", "false", "no", "off"):
            return False
        raise StorybinderError(f"not a yes/no value: {text!r}")
    try:
        return type(current)(text)
    except ValueError:
        raise StorybinderError(f"not a {type(current).__name__}: {text!r}") from None


def with_overrides(tunables: Mapping[str, type], overrides: Mapping[str, Any]) -> Tuning:
    """A Tuning from `{"family.field": value}` (values may be strings, converted to the field's type)."""
    fields_by_family: dict[str, dict[str, Any]] = {}
    for key, value in overrides.items():
        family, _, name = key.partition(".")
        cls = tunables.get(family)
        if cls is None or not name:
            raise StorybinderError(
                f"unknown tunable {key!r}", hint=f"families are: {', '.join(sorted(tunables))}"
            )
        names = cls._fields  # type: ignore[attr-defined]
        if name not in names:
            raise StorybinderError(f"unknown tunable {key!r}", hint=f"{family} has: {', '.join(names)}")
        default = getattr(cls(), name)
        fields_by_family.setdefault(family, {})[name] = parse_value(value, default) if isinstance(value, str) else value
    return Tuning(tuple((family, tunables[family](**values)) for family, values in sorted(fields_by_family.items())))
