"""storybinder.record: classes made as typing.NamedTuple makes them, without its annotation checks."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from storybinder.record import Record


class Point(Record):
    """A point."""

    x: int
    y: int = 0  # a default
    label: str | None = None

    def moved(self, dx: int) -> Point:
        """The point dx to the right."""
        return self._replace(x=self.x + dx)


class TypedPoint(NamedTuple):
    x: int
    y: int = 0
    label: str | None = None


def test_a_record_behaves_as_the_namedtuple_with_the_same_fields() -> None:
    p = Point(1)
    assert p == (1, 0, None) == TypedPoint(1) and hash(p) == hash(TypedPoint(1))
    assert repr(p) == "Point(x=1, y=0, label=None)" and repr(TypedPoint(1)) == "TypedPoint(x=1, y=0, label=None)"
    assert Point._fields == TypedPoint._fields and Point._field_defaults == TypedPoint._field_defaults
    assert p.moved(2) == Point(3) and Point(1, label="a")._asdict() == {"x": 1, "y": 0, "label": "a"}
    assert Point.__doc__ == "A point." and Point.__module__ == __name__ and Point.__qualname__ == "Point"
    assert list(Point.__annotations__) == ["x", "y", "label"] and isinstance(p, tuple)
    with pytest.raises(AttributeError):
        p.x = 2  # type: ignore[misc]


def test_a_field_without_a_default_after_one_with_a_default_is_refused() -> None:
    with pytest.raises(TypeError):

        class Bad(Record):
            x: int = 0
            y: int

    with pytest.raises(AttributeError):

        class Worse(Record):
            x: int

            def _replace(self, **kwargs: int) -> Worse:
                return self
