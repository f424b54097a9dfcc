"""Record: a base for NamedTuple classes that skips typing's check of every field's annotation.

`class Swap(Record)` makes the class `class Swap(NamedTuple)` makes (collections.namedtuple,
the defaults, methods and docstring of the body), without typing.NamedTuple's checks: under
`from __future__ import annotations` each annotation is a string, compiled into a ForwardRef
when the class is made, about 15 us a field; the cleaner's 18 records paid it at every start.
Type checkers see typing.NamedTuple itself.
"""

from __future__ import annotations

from collections import namedtuple
from typing import TYPE_CHECKING, Any

# What typing.NamedTuple never copies from the body, and what the body may not define.
_SPECIAL = frozenset({"__module__", "__qualname__", "__annotations__", "__name__"})
_PROHIBITED = frozenset(
    {"__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults", "_make", "_replace",
     "_asdict", "_source"}
)  # fmt: skip


class _RecordMeta(type):
    def __new__(mcs, typename: str, bases: tuple[type, ...], ns: dict[str, Any]) -> Any:
        if not bases:  # Record itself
            return super().__new__(mcs, typename, bases, ns)
        fields = ns.get("__annotations__", {})
        defaults = [name for name in fields if name in ns]
        if defaults != list(fields)[len(fields) - len(defaults) :]:
            raise TypeError(f"{typename}: a field without a default follows one with a default")
        record = namedtuple(typename, list(fields), defaults=[ns[n] for n in defaults], module=ns["__module__"])
        record.__annotations__ = record.__new__.__annotations__ = dict(fields)  # (as written: strings)
        record.__qualname__ = ns.get("__qualname__", typename)
        for key, value in ns.items():
            if key in _PROHIBITED:
                raise AttributeError(f"{typename}: a Record may not define {key}")
            if key not in _SPECIAL and key not in fields:
                setattr(record, key, value)
        return record


if TYPE_CHECKING:
    from typing import NamedTuple as Record
else:

    class Record(metaclass=_RecordMeta):
        """The base: `class Name(Record)` with annotated fields, as with typing.NamedTuple."""
