"""The one exception type users see: a message they can act on."""

from __future__ import annotations

from pathlib import Path


class StorybinderError(Exception):
    """A problem with the user's input or environment, reported as one line.

    `path` names the file at fault (when there is one); `hint` says what to do.
    """

    def __init__(self, message: str, path: Path | str | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.hint = hint

    def detail(self) -> str | None:
        """What lies under the message (the low-level cause), for --verbose."""
        cause = self.__cause__ or (None if self.__suppress_context__ else self.__context__)
        return f"{type(cause).__name__}: {cause}" if cause is not None else None

    def __str__(self) -> str:
        text = f"{self.path}: {self.message}" if self.path is not None else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text
