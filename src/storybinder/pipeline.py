"""The build pipeline: read -> clean -> complete metadata -> cover -> write.

`prepare_book` turns one job (a story or a book.toml) into a Book ready to write;
`build_job` also writes it and never raises for a user's mistake: the result
carries the error, so one bad file never stops a batch.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Union

from .errors import StorybinderError
from .manifest import load_sidecar
from .metadata_defaults import (
    PLACEHOLDER_AUTHOR,
    complete_story_metadata,
    default_language,
    fallback_author,
    fallback_title,
    slugify,
    sort_names,
    stable_identifier,
)
from .model import Book, Cover, Edit, Heading, Metadata, Paragraph, Person, Story, Verse
from .readers import read_stories, read_story
from .sources import Job

if TYPE_CHECKING:
    from .cleanup import CleanResult
    from .review.story_decisions import StoryDecisions

COVER_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


@dataclass(frozen=True)
class BuildOptions:
    """What the user asked for; `overrides` is the command-line metadata layer."""

    outdir: Path = Path("books")
    overrides: Metadata = field(default_factory=Metadata)
    clean: bool = True
    cover_dirs: tuple[Path, ...] = ()
    report_dir: Path | None = None  # write REPORT_DIR/SLUG.html with every cleanup edit


@dataclass
class BuildResult:
    """What happened to one job: the book written, or the error that stopped it."""

    source: Path
    output: Path | None = None
    title: str | None = None
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the readers chose, for the user (Story.notes)
    edits: list[Edit] = field(default_factory=list)
    error: str | None = None
    slug: str | None = None
    cover_source: Path | None = None  # the image file the cover came from (None: drawn)
    slug_cover: Path | None = None  # what the covers/<slug>.* lookup found (a batch records it)
    report: Path | None = None  # the edit report written, when one was asked for
    detail: str | None = None  # the low-level cause of `error`, shown with --verbose
    new_chapters: list[str] = field(default_factory=list)  # against the book's earlier copy
    changed_chapters: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class PreparedBook:
    """A Book ready to write, with the edits cleaning made to its stories."""

    book: Book
    edits: list[Edit]
    cover_source: Path | None = None
    contexts: list[tuple[str, str]] = field(default_factory=list)  # text around each edit, for reports
    slug_cover: Path | None = None  # covers/<slug>.* as found, used or not


def build_job(
    job: Job,
    options: BuildOptions,
    output: Path | None = None,
    report: Path | None = None,
    previous: Path | None = None,
    existing: frozenset[str] | None = None,
) -> BuildResult:
    """Build one job into options.outdir, or into `output` when given (a batch's
    scratch file, see write_epub), its edit report (if asked for) into `report`
    or REPORT_DIR/SLUG.html; user errors end up in result.error.

    `previous` is the book's earlier copy (else OUTDIR/SLUG.epub, if there is
    one and, in a batch, it is among the `existing` names OUTDIR held when the
    batch started): the same story keeps its identifier, and the result says
    which chapters are new or changed.
    """
    result = BuildResult(source=job.path)
    try:
        prepared = prepare_book(job, options, result.warnings.append)
        name = f"{prepared.book.slug}.epub"
        if previous is None and (existing is None or name in existing):
            previous = options.outdir / name
        before = None
        if previous is not None:
            # Only a book with an earlier copy to compare imports updates (a batch's
            # first build of a story, or a fresh output folder, has none).
            from .updates import keep_identifier, read_parts

            before = read_parts(previous)
            prepared.book = keep_identifier(prepared.book, before)
        result.title = prepared.book.metadata.title
        result.notes = [note for story in prepared.book.stories for note in story.notes]
        result.edits = prepared.edits
        result.slug = prepared.book.slug
        result.cover_source = prepared.cover_source
        result.slug_cover = prepared.slug_cover
        if output is None:
            result.output = write_book(prepared.book, options.outdir)
        else:
            from .epub import write_epub

            result.output = write_epub(prepared.book, output, scratch=True)
        if before is not None:
            from .updates import chapter_changes, read_parts

            changes = chapter_changes(before, read_parts(result.output))
            result.new_chapters, result.changed_chapters = changes.new, changes.changed
        if options.report_dir is not None and options.clean:
            result.report = write_edit_report(prepared, report or options.report_dir / f"{result.slug}.html")
    except StorybinderError as exc:
        result.error = str(exc) if exc.path else f"{job.path}: {exc}"
        result.detail = exc.detail()
    return result


def write_edit_report(prepared: PreparedBook, path: Path) -> Path:
    """Write the edit report (e.g. REPORT_DIR/SLUG.html): every change cleaning made, highlighted in context."""
    from .report_html import write_report

    ensure_output_folder(path.parent)
    write_report(path, prepared.book.metadata.title or prepared.book.slug, prepared.edits, prepared.contexts)
    return path


def write_book(book: Book, outdir: Path) -> Path:
    """Write the book as OUTDIR/SLUG.epub (atomically) and return the path."""
    from .epub import write_epub

    ensure_output_folder(outdir)
    return write_epub(book, outdir / f"{book.slug}.epub")


def ensure_output_folder(outdir: Path) -> None:
    """Create `outdir` if needed; a StorybinderError naming it when it cannot be."""
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorybinderError(
            f"cannot create the output folder: {exc.strerror or exc}", path=outdir, hint="choose another with -o"
        ) from None
    if not os.access(outdir, os.W_OK | os.X_OK):
        raise StorybinderError("cannot write to the output folder", path=outdir, hint="choose another with -o")


def prepare_book(job: Job, options: BuildOptions, warn) -> PreparedBook:
    """Read, clean and complete one job into a Book (no file is written)."""
    if job.kind == "book":
        from .book_spec import load_book_spec  # (a story build never needs it: see book_spec.py)

        spec = load_book_spec(job.path, warn)
        return bind_stories([(e.source, e.overrides) for e in spec.entries], spec.metadata, job.path, options, warn)
    book_meta, stories = read_stories(job.path)
    if len(stories) > 1:
        # An anthology EPUB (ours, or one with stories in its contents): rebuilt as one.
        sources = [(job.path, Metadata(), story) for story in stories]
        return bind_stories(sources, book_meta or Metadata(), job.path, options, warn)
    story, edits, contexts = _load_story(job.path, Metadata(), options, warn, stories[0])
    story = replace(story, metadata=story.metadata.merged(options.overrides))
    story = complete_story_metadata(story, warn)
    meta = story.metadata
    slug = slugify(meta.title or job.path.stem)
    cover, cover_source, slug_cover = choose_cover(meta, slug, cover_search_dirs(job.path, options), warn, job.path)
    return PreparedBook(Book(meta, [story], cover, slug=slug), edits, cover_source, contexts, slug_cover)


def _load_story(
    path: Path, overrides: Metadata, options: BuildOptions, warn, story: Story | None = None,
    review: StoryDecisions | None = None,
) -> tuple[Story, list[Edit], list[tuple[str, str]]]:
    """Read a story (unless given, read already), layer its sidecar and overrides, and clean it if asked.

    `review`: the decisions of the story's source, when the caller reports the
    stale ones itself (an anthology EPUB's stories share one file); else they
    are loaded here and their stale ones warned about.
    """
    story = read_with_sidecar(path, overrides, warn, story)
    if not options.clean:
        return story, [], []
    own = review is None
    if review is None:
        from .review.paths import find_review

        if find_review(path) is not None:  # (without one, the decisions model is not even imported)
            from .review.story_decisions import story_decisions

            review = story_decisions(path)
    # The text around each edit is kept only for the edit report.
    result = clean_read_story(story, path, review, with_contexts=options.report_dir is not None)
    if own and review is not None:
        for line in review.stale_warnings():
            warn(line)
    meta, meta_edits, meta_contexts = clean_metadata_typography(result.story.metadata)
    story = replace(result.story, metadata=meta)
    return story, meta_edits + list(result.edits), meta_contexts + list(result.contexts)


def read_with_sidecar(path: Path, overrides: Metadata, warn, story: Story | None = None) -> Story:
    """A story (read unless given) with its sidecar and the overrides layered on its metadata."""
    if story is None:
        story = read_story(path)
    for warning in story.warnings:
        warn(warning)
    if not has_text(story):
        raise StorybinderError("the story has no visible text (only invisible characters)", path=path)
    meta = story.metadata.merged(load_sidecar(path, warn)).merged(overrides)
    return replace(story, metadata=meta, warnings=[])


def clean_read_story(
    story: Story, path: Path, review: StoryDecisions | None, *, with_contexts: bool
) -> CleanResult:
    """Clean a story read from `path` as a build does: the project's words.txt and the author's decisions (if any)."""
    from .cleanup import CleanOptions, clean_story
    from .cleanup.words import find_project_words, load_word_list

    # The story's own `words` are added by clean_story; the project's words.txt here.
    words_file = find_project_words(path)
    words = load_word_list(words_file) if words_file else frozenset()
    options = CleanOptions(words=words)
    result = clean_story(story, review.options(options) if review else options, with_contexts=with_contexts)
    if not has_text(result.story):
        raise StorybinderError("the story has no text left after cleaning (only invisible characters)", path=path)
    return result


# Titles and blurbs get the typography rules only: curly quotes, dashes and
# ellipses, never spelling changes to a name the author chose.
_METADATA_RULES = ("unicode", "whitespace", "dashes", "ellipsis", "quotes.curl")
_METADATA_FIELDS = ("title", "subtitle", "description")


def clean_metadata_typography(meta: Metadata) -> tuple[Metadata, list[Edit], list[tuple[str, str]]]:
    """Curl quotes and set dashes and ellipses in the title, subtitle and description."""
    from .cleanup import CleanOptions, clean_text_in_context

    options = CleanOptions(rules=_METADATA_RULES)
    changes: dict[str, str] = {}
    edits: list[Edit] = []
    contexts: list[tuple[str, str]] = []
    for name in _METADATA_FIELDS:
        value = getattr(meta, name)
        if not value:
            continue
        cleaned, field_edits, field_contexts = clean_text_in_context(value, options)
        if cleaned != value:
            changes[name] = cleaned
        # Located at chapter -1: the book's metadata, not a chapter's text.
        edits += [replace(e, chapter=-1, block=-1, message=f"{e.message} (in the {name})".strip()) for e in field_edits]
        contexts += field_contexts
    return replace(meta, **changes), edits, contexts


def has_text(story: Story) -> bool:
    """Whether any paragraph or heading holds a visible character."""
    return any(
        isinstance(block, (Paragraph, Heading, Verse)) and any(map(_visible, block.text))
        for chapter in story.chapters
        for block in chapter.blocks
    )


def _visible(char: str) -> bool:
    # Not a space, control, format mark (zero-width space, BOM), surrogate or unassigned.
    return not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Cn")


BoundSource = Union[tuple[Path, Metadata], tuple[Path, Metadata, Story]]


def bind_stories(sources: list[BoundSource], book_meta: Metadata, origin: Path, options: BuildOptions, warn) -> PreparedBook:
    """Read, clean and complete several stories into one anthology Book.

    Each source is (path, overrides) or (path, overrides, story read already);
    an EPUB that is itself an anthology gives all its stories. `origin` (a
    book.toml, or the first story) names the book in messages and is where
    covers/ is looked for.
    """
    stories: list[Story] = []
    edits: list[Edit] = []
    contexts: list[tuple[str, str]] = []
    from .review.story_decisions import StoryDecisions, story_decisions

    reviews: dict[Path, StoryDecisions] = {}
    for source in sources:
        path, overrides = source[0], source[1]
        given = [source[2]] if len(source) == 3 else read_stories(path)[1]
        if options.clean and path not in reviews:
            reviews[path] = story_decisions(path)
        for read in given:
            story, story_edits, story_contexts = _load_story(path, overrides, options, warn, read, reviews.get(path))
            stories.append(complete_story_metadata(story, warn))
            edits += story_edits
            contexts += story_contexts
    for review in reviews.values():  # after every story of a source: they share its decisions
        for line in review.stale_warnings():
            warn(line)
    meta = book_meta
    if options.clean:
        meta, book_edits, book_contexts = clean_metadata_typography(meta)
        edits, contexts = book_edits + edits, book_contexts + contexts
    meta = meta.merged(options.overrides)
    if not meta.authors:
        meta = replace(meta, authors=_all_authors(stories))
    folder = origin.parent if origin.is_file() else origin
    meta = fallback_title(meta, folder, warn)
    meta = fallback_author(meta, origin, warn)
    meta = stable_identifier(sort_names(default_language(meta)), stories)
    slug = slugify(meta.title or folder.name)
    cover, cover_source, slug_cover = choose_cover(meta, slug, cover_search_dirs(origin, options), warn, origin)
    return PreparedBook(
        Book(meta, stories, cover, slug=slug, anthology=True), edits, cover_source, contexts, slug_cover
    )


def _all_authors(stories: list[Story]) -> tuple[Person, ...]:
    """Every story's authors, once each, in reading order."""
    seen: dict[str, Person] = {}
    for story in stories:
        for person in story.metadata.authors:
            # A story's "Unknown Author" placeholder is not a name to credit the book to.
            if person.name != PLACEHOLDER_AUTHOR:
                seen.setdefault(person.name, person)
    return tuple(seen.values())


def cover_search_dirs(source: Path, options: BuildOptions) -> list[Path]:
    """Where covers/<slug>.* is looked for, nearest first."""
    # covers/ beside the story, beside its folder (stories/ and covers/ are
    # siblings in a project), then in the working directory.
    folder = source.parent
    return [*options.cover_dirs, folder / "covers", folder.parent / "covers", Path.cwd() / "covers"]


def find_cover_file(slug: str, dirs: list[Path]) -> Path | None:
    """The first covers/<slug>.jpg|png|webp found in `dirs`."""
    for folder in dirs:
        if not folder.is_dir():
            continue  # one look instead of one a suffix: most stories have no covers/ beside them
        for suffix in COVER_SUFFIXES:
            candidate = folder / f"{slug}{suffix}"
            if candidate.is_file():
                return candidate
    return None


def choose_cover(
    meta: Metadata, slug: str, dirs: list[Path], warn, source: Path | None = None
) -> tuple[Cover, Path | None, Path | None]:
    """The book's cover, the image file it came from (None when drawn or embedded), and
    what covers/<slug>.* found (a batch rebuilds the book when that changes).

    A cover file named in metadata wins, then covers/<slug>.*, then the image
    that came inside the story file (an EPUB's), then a drawn one.
    """
    from .covers import draw_cover, embedded_cover, load_cover

    slug_cover = find_cover_file(slug, dirs)
    path = meta.cover or slug_cover
    if path is not None:
        return load_cover(path), path, slug_cover
    if meta.cover_image is not None:
        try:
            return embedded_cover(meta.cover_image), None, slug_cover
        except StorybinderError as exc:
            warn(f"{source or slug}: {exc}; drawing a cover instead")
    return draw_cover(meta.title or "Untitled", [p.name for p in meta.authors], meta.subtitle), None, slug_cover
