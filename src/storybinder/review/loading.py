"""Open a review: the stories of one source (a story, a story folder, a book.toml), read once.

Decisions are made on the cleaned Story, so any input format can be reviewed;
an anthology's stories are sections of one list, each with its own
decisions beside its own source.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import StorybinderError
from ..book_spec import load_book_spec
from ..model import Metadata
from ..pipeline import clean_read_story, read_with_sidecar
from ..readers import read_stories
from ..sources import BOOK_FILE, is_story_folder
from .session import DecisionFile, ReviewedStory, ReviewSession, decision_file_for


def load_review(source: Path, warn) -> ReviewSession:
    """The review of `source`: its stories read with their sidecars, their decisions loaded."""
    if not source.exists():
        raise StorybinderError("no such file or folder", path=source)
    if source.is_dir() and not is_story_folder(source):
        raise StorybinderError(
            "review one story (a file or a chapter folder) or one book.toml at a time", path=source,
            hint="name the story file, e.g. storybinder review stories/my-story.txt",
        )
    title = None
    if source.is_file() and source.name == BOOK_FILE:
        spec = load_book_spec(source, warn)
        entries = [(e.source, e.overrides) for e in spec.entries]
        title = spec.metadata.title
    else:
        entries = [(source, Metadata())]
    files: dict[Path, DecisionFile] = {}
    stories: list[ReviewedStory] = []
    for path, overrides in entries:
        _, read = read_stories(path)
        for story in read:
            story = read_with_sidecar(path, overrides, warn, story)
            file = files.get(path)
            if file is None:
                file = files[path] = decision_file_for(path, path.name)
            label = story.metadata.title or path.stem
            stories.append(ReviewedStory(path, story, label, file))
    if title is None:
        title = stories[0].label if len(stories) == 1 else source.stem
    return ReviewSession(stories, title, _clean)


def _clean(story, path, review):
    # The text around each edit is what the page shows it in.
    return clean_read_story(story, path, review, with_contexts=True)
