"""Rules `spelling.common` and `spelling.unknown`: words that are no words.

`spelling.common` asks the noisy-channel model (cleanup.channel) what a word
outside every dictionary was meant to be, and fixes it when the model is sure
enough (SpellingParams.fix_probability); a likely but less certain correction
is a suggestion. What is never a typo: a word in the curated list or in a
large dictionary (Webster's Second, GCIDE: period spellings, rare adverbs),
a derived or compound form of one, a word wordfreq sees often, a word that
recurs in the story, the project word list and the story's `words`, names
(capitalised inside a sentence), words in hyphenated compounds or with
elision marks (goin', 'em, to-day). Dialect lowers the model's belief in any
correction (people write speech as it sounds on purpose), and short words
are decided by their neighbours like any other.

`spelling.unknown` (off by default): unknown words with no correction in
reach, reported for the author to check.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING

from storybinder.cleanup.channel import (
    MAX_SLIP_LENGTH,
    ErrorModel,
    candidates,
    edit_distance,
    lifts_gain,
    pair_lifts,
    posterior,
    slip_logp,
)
from storybinder.cleanup.dictionary import Lexicon, load_lexicon
from storybinder.cleanup.doubled import unpunctuated
from storybinder.cleanup.engine import Change, Context, Rule
from storybinder.cleanup.letters import LETTERS_TYPICAL
from storybinder.cleanup.irregular_verbs import meant_by, tense_of
from storybinder.cleanup.morphology import (
    SUFFIXES, archaic_verb_form, derivation, drawn_out, inflection_stem, is_british_ise, is_compound,
    is_reduced_function_word,
)
from storybinder.cleanup.stretches import count_words
from storybinder.lazy_pattern import lazy
from storybinder.record import Record

if TYPE_CHECKING:  # (imported where they are made: a story without a suspect word never needs them)
    from storybinder.cleanup.findings import StoryCounts, Suspect, Verdict


class SpellingParams(Record):
    """spelling.common's thresholds and model weights.

    Chosen by leave-one-book-out cross-validation on the DEV set
    (bench/cleanup_cv.py, cost 32: a change must be right 97% of the time);
    the result of each choice is noted beside it.
    (A NamedTuple, not a frozen dataclass: Python 3.11 compiles a dataclass's methods at import, ~0.5 ms.)
    """

    # CV (grid 0.95/0.98 x slip_offset 0.5/1/1.5 x unseen_zipf -1.5/-0.5/0.5): 0.98 chosen
    # for all 15 held-out books; typo precision 0.985, recall 0.452 cross-validated.
    fix_probability: float = 0.98  # apply a correction the model gives at least this chance
    suggest_probability: float = 0.3  # below this, not even a suggestion: a guess, not a finding
    slip_offset: float = 0.5  # moves every slip's log10 probability (ErrorModel.offset); CV: 0.5 in 15/15 folds
    # How much the neighbouring words count (ContextModel.weight). CV: 1.0 until odd words in speech
    # spelt as spoken could be meant (spoken_share, variant_logp); with them 1.6 in 15/15 folds
    # (grid 1/1.3/1.6/1.8 x spoken_share 0.07/0.1/0.15/never: utility 761 -> 811).
    context_weight: float = 1.6
    # ...for a word of the large dictionaries (spelling.realword's listed slips), as it was chosen with them.
    listed_context_weight: float = 1.0
    # ...and how much the pair estimate counts against the word's own frequency when the pairs
    # choose between corrections (ContextModel.mix, which stays 0.5 for their chance against the
    # word as typed). CV (grid 0.5/0.7/0.8/0.9/0.95/0.98): 0.9 in 15/15 folds, typo recall
    # 0.631 -> 0.646 at the same precision; PG proofread books: no applied fix added.
    choice_mix: float = 0.9
    # A word wordfreq has seen, outside every dictionary: its count is partly
    # other words' typos (beeb, tme and wery all have Zipf 1.7-2.2), so it is
    # believed as written only this many decades less often.
    wordfreq_discount: float = 1.0
    # log10 of how much of a word's wordfreq count its candidates' slips are taken to explain
    # (-9: none of it; 0: their frequencies times the slips' chances, as the error model gives them).
    # Only for words outside the large dictionaries (judge). CV (grid 0/0.5/1/2): 0.5 in most
    # folds, the whole set's typo recall 0.661 -> 0.663 at the same precision, but the folds that
    # chose more cost precision (leave-one-book-out over the grid 0.995 -> 0.992). What decided
    # it is text it was not tuned on: held-out typo sets (other books, other misspellings) gain
    # recall at the same precision (0.634 -> 0.639, 0.628 -> 0.631), AO3 and film dialogue two
    # right fixes (amd, appropiate); 22 proofread PG books: no change.
    typo_share: float = 0.5
    # How likely a word nobody writes is as written (names, coinages, dialect); CV: -0.5 in 15/15
    # folds (-1.5 made false fixes of dialect, 0.5 missed plain slips).
    unseen_zipf: float = -0.5
    dialect_bonus: float = 1.5  # ...more likely as written in elided speech (CV: 0.5 cost ~200 in utility)
    derived_bonus: float = 2.0  # ...and in a dictionary word's derived form (knockings)
    # ...and as two dictionary words written as one (toolhouse), where one slip makes another word
    # of it (sometomes). DEV has no such slip, so CV cannot set it; on held-out typo sets 1 fixes a
    # few more (typo_r 0.653 and 0.662 against 0.651 and 0.658 at 2, the same precision), but at 1
    # proofread PG and AO3 text got four wrong fixes (skitting: sitting, handycraft: handicraft);
    # at 2, none.
    compound_bonus: float = 2.0
    known_zipf: float = 4.0  # a word wordfreq sees this often is real, in no dictionary or not
    # How much the word's letters count (cleanup.letters): a word nobody writes is as likely as
    # written as its letters are in English, against a typical word's (LETTERS_TYPICAL).
    letters_weight: float = 1.0
    # How far that typical word's letters move with the length (log10 per letter past seven):
    # 0 makes a long string less likely as written than a short one, 1 (a typical letter's
    # log10) judges the letters only.
    letters_length: float = 0.5
    # A stem this common (Zipf) has all its regular forms in the curated list: an unknown
    # "form" of it (theys, sayed, truely) is no derivation (cleanup.morphology).
    common_stem: float = 5.0
    # How much the story's own habit of words outside the dictionary (dialect, coinages: each
    # used twice or more, lower-case) makes a word used once likelier as written (log10 per decade).
    habit_weight: float = 1.0
    # A paragraph in which this share of the other words is outside the curated list (lower case,
    # not names) is spelt as it is spoken, like one with elisions ("I come heah de night arter"):
    # its odd words may be meant (SpellingParams.variant_logp). 9: never.
    spoken_share: float = 0.1
    # A word in elided speech may be the likeliest correction spelt so on purpose ("two hunderd
    # dollars"): as likely there as that word, times this chance (log10), times the story's habit
    # (habit_weight's log10, this much of it) and its letters' chance against the word's (a spelling
    # meant to be read keeps English letters: hunderd, not dolalrs). CV: variant_logp -5 in 15/15
    # folds (grid -5.5/-5/-4.5/-4 x variant_habit 0.5/1/1.5).
    variant_logp: float = -5.0
    variant_habit: float = 1.0
    # ...and outside speech this much less likely (log10): a period spelling in narration ("at
    # the expence of") is no slip either. CV on DEV prefers -2.5 or none (5 more typos fixed), but
    # -2 keeps Pride and Prejudice's "expence" (ten PG novels: applied spelling fixes 3 -> 2).
    variant_plain: float = -2.0
    # The story as evidence (a cache model): the share of a candidate's chance that comes from how
    # often this story uses it, against wordfreq's count (0: wordfreq alone). CV (grid 0/0.2 x
    # fix_probability 0.9/0.95/0.98): 0.2 in 15/15 folds, utility 734 -> 750, typo recall 0.556 -> 0.58;
    # with by-ear candidates no shorter than the typed word, 0.3/0.4/0.6 -> 758/761/760: 0.4 in 15/15.
    # On ten PG novels it applies one fix, Moby-Dick's "inuendoes", which the book spells
    # "innuendoes" elsewhere.
    story_weight: float = 0.4
    # How much the letters count (letters_weight's penalty) for a word wordfreq has seen, beside
    # one it has not: people's slips (litlle, tme) are in its counts too. CV (grid 0/0.5/1): utility
    # 859 -> 861 at 0.5 and 1, typo recall 0.656 -> 0.659; 1 counts them alike. PG proofread books: one
    # more fix, "knowledgable" (a variant) -> knowledgeable.
    seen_letters: float = 1.0


DEFAULT_PARAMS = SpellingParams()
# Words outside the dictionary used twice or more, per 10,000 words, that double a word's
# chance of being meant (DEV: 0-6 in fourteen books, 98 in Huckleberry Finn).
HABIT_SCALE = 5.0


def params_of(ctx: Context) -> SpellingParams:
    return ctx.tuning.get("spelling", DEFAULT_PARAMS)


# The error model's slip probabilities: a tunable family of their own ("slips").
DEFAULT_SLIPS = ErrorModel()


def slips_of(ctx: Context) -> ErrorModel:
    return ctx.tuning.get("slips", DEFAULT_SLIPS)


_WORD = lazy(r"[a-z]+")
# Elision marks inside speech (goin’, an’, o’, ol’, ’em) make a paragraph dialect.
# A mark after other letters is more often the end of a nested quotation.
# (Written to start with the mark itself: a leading lookbehind makes the scan ten times slower.)
_ELISION = lazy(
    r"[\u2019'](?:(?:(?<=in.)|(?<=an.)|(?<=ol.)|(?<=th.)|(?<=\Wo.))(?![a-zA-Z])|(?<![\w\u2019'].)(?=[a-zA-Z]))",
    re.IGNORECASE,
)
_SENTENCE_START = lazy(r"(?:^|[.!?\u2026:]|[\u201c\u2018\"(\u2014])[\s\u201c\u2018\"(]*$")
# A title's full stop ends no sentence: the capital after it is a name's (Mrs. Anje Brandt).
_TITLE_BEFORE = lazy(r"(?<![A-Za-z])(?:Mr|Mrs|Ms|Dr|St|Prof|Capt|Col|Gen|Lt|Sgt|Rev|Fr|Sr)\.\s+$")

FOREIGN_SHARE = 0.25  # more words than this outside the dictionary: the text is not English

class Suspects(Record):
    """The story's suspect words, and how much its habit of unlisted words raises their chance (log10).

    (A NamedTuple, not a frozen dataclass: made at import in a fifth of the time.)
    """

    words: dict[str, Suspect]
    habit: float = 0.0


# A-Z and a-z kept, every other byte to a space: the words of
# re.findall("[A-Za-z]+", text), found in a fraction of the time. A non-ASCII
# character is several bytes in UTF-8, each over 127, so it separates words as
# in the regex.
_ASCII_LETTERS = bytes(b if 65 <= b <= 90 or 97 <= b <= 122 else 32 for b in range(256))


def _word_counts(ctx: Context) -> tuple[Counter[str], int]:
    """How often the story writes each word ([A-Za-z]+, case kept), and how many words it has; once a run.

    (Only the counts are kept: the list of every word, 3.5 million strings in 19 MB, was held for
    the run, and each pass of the garbage collector that met it went through all of them.)
    """

    def count() -> tuple[Counter[str], int]:
        # İ and the Kelvin sign lower-case to ASCII letters: count them as the letters they look like.
        story = "\n".join(ctx.units).replace("\u0130", "I").replace("\u212a", "K")
        # surrogatepass: a lone surrogate (it is no letter) must not stop the count.
        return count_words(story.encode("utf-8", "surrogatepass").translate(_ASCII_LETTERS).decode("ascii"))

    return ctx.memo("spelling.counted", count)  # type: ignore[return-value]


def words_outside(ctx: Context) -> dict[str, int]:
    """The story's words (case kept) that are not curated, with their counts; once a run (spelling.apostrophe asks too)."""

    def find() -> dict[str, int]:
        counts = _word_counts(ctx)[0]
        # The curated ones in one intersection (in C, once CuratedWords has its set), not a call
        # of CuratedWords.__contains__ for each of the story's distinct words.
        curated = load_lexicon().curated.intersection(counts)
        return {word: n for word, n in counts.items() if word not in curated}

    return ctx.memo("spelling.outside", find)  # type: ignore[return-value]


def unquestioned_once(ctx: Context) -> frozenset[str]:
    """Short words (2-7 letters, lower case) outside the curated list that the story uses once and
    no spelling rule questions (wordfreq sees them often: ar, cn): for spelling.realword's context checks."""
    folded: Counter[str] = Counter()
    for word, n in words_outside(ctx).items():
        if 1 < len(word) < 8:
            folded[word.lower()] += n
    if not folded:
        return frozenset()
    extra = {w.lower() for w in ctx.extra_words}
    curated = load_lexicon().curated
    suspects = _suspects(ctx).words
    return frozenset(
        w for w, n in folded.items() if n == 1 and w not in curated and w not in suspects and w not in extra
    )


def _suspects(ctx: Context) -> Suspects:
    """The story's suspect words (memoised per run, shared by the spelling rules)."""
    return ctx.memo("spelling.suspects", lambda: _find_suspects(ctx))  # type: ignore[return-value]


# Words of the archaic second and third person: a story that uses them makes -est and -eth forms.
_ARCHAIC_REGISTER = ("thou", "thee", "hast", "hath", "doth", "dost", "art")


def _find_suspects(ctx: Context) -> Suspects:
    params = params_of(ctx)
    counted, total = _word_counts(ctx)
    lexicon = load_lexicon()
    curated = lexicon.curated
    # Dictionary words are never suspects: only the others are kept (the
    # words as written are counted in C once, shared with story_counts; a
    # lower-case dictionary word, nearly all of them, drops out here).
    odd = words_outside(ctx)
    outside: Counter[str] = Counter()
    lower_case: Counter[str] = Counter()  # ...and of those, the ones written in lower case
    for word, count in odd.items():
        if word.islower():
            outside[word] += count
            lower_case[word] += count
        else:
            lowered = word.lower()
            if lowered not in curated:
                outside[lowered] += count
    extra = {w.lower() for w in ctx.extra_words}
    hapax = [w for w, c in outside.items() if c == 1 and len(w) > 1 and w not in extra]
    if not hapax:
        return Suspects({})
    if sum(outside.values()) > FOREIGN_SHARE * total:
        return Suspects({})  # not English (or not prose): an English dictionary has nothing to say
    known = params.known_zipf
    habitual = sum(
        c for w, c in lower_case.items()
        if c > 1 and len(w) > 1 and w not in extra and lexicon.zipf(w) < known and not lexicon.is_word(w)
    )
    # (The halves of a contraction split at its apostrophe count too: "didn" and "couldn" are no
    # curated words, and a story's contractions mark the informal speech in which an odd word is
    # often meant. Left out, DEV's typo recall rose 0.663 -> 0.678 but its precision fell 0.995 ->
    # 0.985 and false edits on clean documents rose 0.35 -> 0.53 per 10k words (dialect: "dah jist"
    # -> just); held-out typo sets gained 0.007-0.009 recall at the same precision; 19 AO3 works got
    # 15 more fixes, half of them wrong (thx: the, hmmm: hmm, benefitted: benefited three times);
    # 22 PG books two more, both wrong. With unseen_zipf chosen again by CV (0), DEV scored as now.)
    habit = params.habit_weight * math.log10(1 + 1e4 * habitual / total / HABIT_SCALE)
    zipf_of = lexicon.zipf
    # A story that says thou and hath makes archaic verb forms of any verb (who takest away).
    archaic = any(w in counted or w.capitalize() in counted for w in _ARCHAIC_REGISTER)
    from storybinder.cleanup.findings import Suspect

    suspects: dict[str, Suspect] = {}
    for word in hapax:
        zipf = zipf_of(word)
        if zipf >= known or is_british_ise(word, curated):
            continue
        if is_compound(word, curated):
            # Two words written as one (toolhouse, beechwoods) are meant, unless one slip makes a
            # word of them: "sometomes" (some + tomes) is sometimes, "threefore" therefore. (Not
            # its own plural or singular: "his shirtsleeve" is no slip of shirtsleeves.)
            near = () if lexicon.is_word(word) else tuple(sorted(
                c for c in candidates(word, lexicon)
                if edit_distance(word, c) == 1 and c != word + "s" and word != c + "s"
            ))
            if near:
                suspects[word] = Suspect(word, zipf, False, near, compound=True, letters=lexicon.letters_logp(word))
            continue
        # Speech spelt as it sounds: "a coupla minutes", "never hearda you" are no slips of couple and heard.
        if is_reduced_function_word(word, curated, lexicon.bigram, lexicon.bigram_first):
            continue
        if archaic and archaic_verb_form(word, lexicon.is_word):
            continue
        # A word drawn out as it is said (sooo, heyyy) is meant; a key struck once too often on a
        # double letter can only mean the word without it (wheee is whee, not where).
        drawn = drawn_out(word, lexicon.is_word)
        if drawn == ():
            continue
        if lexicon.is_word(word):
            # A real word, however rare: only spelling.realword may question it,
            # and only as a plain slip of a common word (untill, froom).
            near = drawn or tuple(sorted(c for c in candidates(word, lexicon) if edit_distance(word, c) == 1))
            suspects[word] = Suspect(word, zipf, False, near, listed=True)
            continue
        near = drawn or tuple(sorted(candidates(word, lexicon)))
        root = derivation(word, lexicon.is_word, zipf_of, params.common_stem, zipf > 0)
        stem = None if root is not None else inflection_stem(word, curated)
        inflected = stem is not None
        # A regular form of a rare curated word is as real as a derived one (swash: swashed).
        derived = root is not None or (stem is not None and zipf_of(stem) < params.common_stem)
        # An irregular verb takes no regular ending (caught: caughted is a slip, not a rare form).
        if derived and (meant_by(word) or _misformed(word, root or stem, near, lexicon, params)):
            derived = False
        suspects[word] = Suspect(word, zipf, derived, near, inflected=inflected, letters=lexicon.letters_logp(word))
    return Suspects(suspects, habit)


def _misformed(word: str, own: str | None, near: tuple[str, ...], lexicon: Lexicon, params: SpellingParams) -> bool:
    """Whether a correction is the dictionary's own suffixed form of `own`, the stem `word` is made from
    ("permited": permitted, both of permit): `word` is then a slip of that form, not a form of its own."""
    if own is None or not word.startswith(own[:-1]):
        return False  # (a prefix's variants are period spellings: ungratitude, inclosed)
    curated = lexicon.curated

    def root(w: str) -> str | None:
        return derivation(w, lexicon.is_word, lexicon.zipf, params.common_stem) or inflection_stem(w, curated)

    return any(c in curated and c.startswith(own[:-1]) and root(c) == own for c in near)


def story_counts(ctx: Context) -> StoryCounts:
    """The story's words counted in lower case (memoised)."""

    def count() -> StoryCounts:
        from storybinder.cleanup.findings import StoryCounts

        counted, total = _word_counts(ctx)
        # Counted as written (in C), then lower-cased once per distinct word, not once per word.
        counts: Counter[str] = Counter()
        for word, n in counted.items():
            counts[word.lower()] += n
        return StoryCounts(counts, max(1, total))

    return ctx.memo("spelling.counts", count)  # type: ignore[return-value]


def judge(
    suspect: Suspect, before: str, after: str, dialect: bool, params: SpellingParams, lexicon: Lexicon,
    listed_bonus: float = 0.0, habit: float = 0.0, slips: ErrorModel = DEFAULT_SLIPS,
    story: StoryCounts | None = None, speech: bool = False,
) -> Verdict | None:
    """The likeliest correction of one occurrence and the model's belief in it.

    `listed_bonus` (log10) is how much likelier a word of the large dictionaries is as written;
    `habit` (log10), how much likelier any word is in a story that often writes words no dictionary has;
    `slips`, the error model (its offset is SpellingParams.slip_offset); `story`, the story's word
    counts (SpellingParams.story_weight); `speech`, whether the paragraph elides words as speech does
    (the word may then be a respelling on purpose: SpellingParams.variant_logp).
    """
    if not suspect.candidates:
        return None
    from storybinder.cleanup.findings import ContextModel, Verdict

    errors = slips._replace(offset=params.slip_offset)
    context = ContextModel(weight=params.listed_context_weight if suspect.listed else params.context_weight)
    zipf = lexicon.zipf if story is None or not params.story_weight else story.zipf_with(lexicon, params.story_weight)
    lifts = [pair_lifts(before, c, after, lexicon) for c in suspect.candidates]
    slip = {c: slip_logp(suspect.word, c, errors) for c in suspect.candidates}  # (asked for thrice below)
    plain = [zipf(c) + slip[c] for c in suspect.candidates]
    scores = [(p + lifts_gain(lift, context), c) for p, lift, c in zip(plain, lifts, suspect.candidates)]
    if len(scores) > 1 and params.choice_mix != context.mix:
        # Which correction it is, the pairs tell nearly as they are counted (choice_mix); how
        # likely any correction is against the word as typed, only as smoothed (ContextModel.mix):
        # the corrections' chance together stays, its split between them moves.
        choice = context._replace(mix=params.choice_mix)
        chosen = [(p + lifts_gain(lift, choice), c) for p, lift, c in zip(plain, lifts, suspect.candidates)]
        shift = _log_sum([s for s, _ in scores]) - _log_sum([s for s, _ in chosen])
        scores = [(s + shift, c) for s, c in chosen]
    unseen = params.unseen_zipf
    strange = 0.0
    if not suspect.listed and edit_distance(suspect.word, max(scores)[1]) == 1:
        # Letters stranger than a typical word's make it less likely as written; likelier
        # ones are no evidence (a slip of a word keeps most of its letters). Only against
        # a slip: a word far from any other (Hhrrmph, Wahooa) is written as it sounds.
        typical = LETTERS_TYPICAL - params.letters_length * (len(suspect.word) - 7)
        strange = params.letters_weight * min(0.0, suspect.letters - typical)
        unseen += strange
    as_typed = unseen
    if suspect.zipf > 0:
        # wordfreq counts what people type, slips included: the part of the word's count that
        # its candidates' slips would make (each one's frequency times the slip's chance) is no
        # evidence that anyone meant it ("tme": time x a dropped letter is more than all of it).
        slips = sum(10.0 ** (lexicon.zipf(c) + slip[c]) for c in suspect.candidates)
        # (Not for a word of the large dictionaries: an obsolete form such as "untill" is
        # written on purpose in the books that use it, and only its context may question it.)
        share = 0.0 if suspect.listed else params.typo_share
        meant = 10.0 ** suspect.zipf - slips * 10.0 ** share
        if meant > 0:
            as_typed = max(math.log10(meant) - params.wordfreq_discount + params.seen_letters * strange, unseen)
    as_typed += habit
    if dialect:
        as_typed += params.dialect_bonus
    if suspect.derived:
        as_typed += params.derived_bonus
    if suspect.compound:
        as_typed += params.compound_bonus
    if suspect.listed:
        as_typed += listed_bonus
    if speech or params.variant_plain > -20:  # (below -20: never outside speech)
        # The neighbours favour a respelling as much as the word it respells: only the slip's
        # chance against the respelling's decides between them.
        top, word = max(scores)
        meant_so = top - slip[word] + params.variant_logp + params.variant_habit * habit
        if not speech:
            meant_so += params.variant_plain
        meant_so += min(0.0, suspect.letters - lexicon.letters_logp(word))
        as_typed = max(as_typed, meant_so) + math.log10(1 + 10.0 ** -abs(as_typed - meant_so))
    probability, best = posterior(scores, as_typed)[0]
    if probability < params.suggest_probability:
        return None
    # "ostlers" -> "ostler", "surpliced" -> "surplice": an inflection of a rare
    # word the dictionaries lack, not a slip. A last letter typed twice (lookedd,
    # overr, snubss) is a slip: no suffix repeats the letter it follows. A common word's
    # regular forms are all in the curated list (SpellingParams.common_stem): an unknown
    # one (larged, theys, becaused) is a slip too.
    tail = suspect.word[len(best) :]
    # (An irregular verb's form takes no regular ending: caughted is a slip of caught.)
    regularised = best in meant_by(suspect.word)
    inflected = (
        suspect.word.startswith(best) and tail in SUFFIXES and tail != best[-1:] and lexicon.zipf(best) < params.common_stem
        and not regularised
    )
    # "bitterer" -> "better", "caroused" -> "crossed": a regular inflection of a common word is
    # corrected with certainty only by a single slip (larged -> large), never by ear.
    by_ear = suspect.inflected and edit_distance(suspect.word, best) > 1 and not regularised
    # "knowed" is knew or known, "drawed" drew or drawn ("and drawed breath" follows a had or
    # not): only the participle right after have is sure (have knowed: known).
    unsure_tense = regularised and bool(tense_of(best)) and not (
        tense_of(best) == "participle" and before in _HAVE
    )
    sure = probability >= params.fix_probability and not inflected and not by_ear and not unsure_tense
    return Verdict(best, probability, sure)


_HAVE = frozenset({"have", "has", "had", "having", "ve"})


def _log_sum(scores: list[float]) -> float:
    """log10 of the sum of 10**score over the scores."""
    top = max(scores)
    return top + math.log10(sum(10.0 ** (s - top) for s in scores))


def _match_case(original: str, correction: str) -> str:
    if original[0].isupper():
        return correction[0].upper() + correction[1:]
    return correction


_NEIGHBOUR_BEFORE = lazy(r"([A-Za-z]+) $")
_NEIGHBOUR_AFTER = lazy(r" ([A-Za-z]+)")


def neighbours_of(text: str, start: int, end: int) -> tuple[str, str]:
    """The words right before and after text[start:end], when only a space separates them."""
    b = _NEIGHBOUR_BEFORE.search(text, max(0, start - 30), start)
    a = _NEIGHBOUR_AFTER.match(text, end)
    return (b.group(1).lower() if b else "", a.group(1).lower() if a else "")


def listed_occurrences(ctx: Context) -> Iterator[tuple[int, re.Match[str], Suspect, bool]]:
    """Each once-used word of the large dictionaries that is one slip from a curated word."""
    listed = {w: s for w, s in _suspects(ctx).words.items() if s.listed and s.candidates}
    return _occurrences(ctx, listed)


def story_habit(ctx: Context) -> float:
    """How much the story's habit of words no dictionary has raises each one's chance (log10)."""
    return _suspects(ctx).habit


def _occurrences(ctx: Context, verdicts: dict[str, Suspect]) -> Iterator[tuple[int, re.Match[str], Suspect, bool]]:
    """Each suspect in the text, with whether its paragraph reads as dialect (`verdicts`: some of _suspects')."""
    if not verdicts:
        return
    share = params_of(ctx).spoken_share
    curated = load_lexicon().curated
    suspects = _suspects(ctx).words
    # Which of the story's suspects each unit holds, by its text: asked again by each spelling rule
    # (spelling.common, realword's listed slips), it is looked up for a unit no rule has changed.
    held: dict[str, frozenset[str] | set[str]] = ctx.memo("spelling.held", dict)  # type: ignore[assignment]
    for u, text in enumerate(ctx.units):
        present = held.get(text)
        if present is None:
            lowered = text.lower()
            # prefilter: a suspect word must at least be a substring of the
            # paragraph; splitting it into words costs ten times more.
            # (Only for a few suspects: with many, the loop costs more than it saves.)
            if len(suspects) < 16 and not any(word in lowered for word in suspects):
                present = held[text] = _NONE_HELD
            else:
                # A set intersection per paragraph is far cheaper than one big
                # alternation regex; the regex only runs where a suspect is present.
                # (The words as found, not a set of them: the keys' & looks each one up, 25% faster.)
                present = held[text] = suspects.keys() & _WORD.findall(lowered)
        if not present:
            continue
        present = verdicts.keys() & present
        if not present:
            continue
        found = [
            m
            for m in _ANY_WORD.finditer(text)
            if m.group().lower() in present and _stands_alone(text, m) and _is_plain_word(text, m)
        ]
        if not found:
            continue
        dialect = bool(_ELISION.search(text) or _INNER_ELISION.search(text))
        spoken: _SpokenShare | None = None  # (counted once per unit, and only outside dialect)
        for m in found:
            word = m.group().lower()
            if not dialect and spoken is None:
                spoken = _SpokenShare(text, curated)
            yield u, m, verdicts[word], dialect or spoken is not None and spoken.spelt_as_spoken(word, share, curated)


_NONE_HELD: frozenset[str] = frozenset()


# An elision inside a word that no standard contraction makes (out’n, k’yer, b’longs; not it’s,
# don’t, they’re, we’ve, I’ll, he’d, I’m, o’clock): speech spelt as it sounds.
_INNER_ELISION = lazy(r"[a-z][\u2019'](?!(?:s|t|re|ve|ll|d|m|clock)\b)[a-z]")
_ANY_WORD = lazy(r"[A-Za-z]+")


class _SpokenShare:
    """A paragraph's lower-case words outside the curated list, counted once for all its suspects.

    (Counting them again for each suspect cost a pass over the paragraph per suspect: Molly
    Bloom's monologue in Ulysses is a few paragraphs of thousands of words, and hundreds of suspects.)
    """

    def __init__(self, text: str, curated: frozenset[str]) -> None:
        self.words = _ANY_WORD.findall(text)
        self.odd = sum(1 for w in self.words if len(w) > 1 and w.islower() and w not in curated)

    def spelt_as_spoken(self, word: str, share: float, curated: frozenset[str]) -> bool:
        """Are `share` of the paragraph's words, besides `word` (lower case), lower-case words outside the curated list?"""
        # The paragraph's odd words but `word` itself, wherever it stands as written.
        odd = self.odd - (self.words.count(word) if len(word) > 1 and word not in curated else 0)
        return odd > 0 and odd >= share * len(self.words)


_JOINED = frozenset("'\u2019-") | frozenset("0123456789_")


def _stands_alone(text: str, m: re.Match[str]) -> bool:
    """Not part of an elision, a compound or a longer token (goin', to-day, x2, naïve's "na")."""
    s, e = m.span()
    return not ((s and _joins(text[s - 1])) or (e < len(text) and _joins(text[e])))


def _joins(ch: str) -> bool:
    """Does this character beside a plain word make it part of a longer one?

    A letter beyond ASCII (naïve, café) or an accent put on the letter before does; an
    opening quote or a dash does not: “Woud you mind?” and “—wiht the others” are slips.
    """
    return ch in _JOINED or (not ch.isascii() and (ch.isalpha() or unicodedata.combining(ch) > 0))


def _is_plain_word(text: str, m: re.Match[str]) -> bool:
    token = m.group()
    if any(ch.isupper() for ch in token[1:]):
        return False  # ALL CAPS or CamelCase: shouting, acronyms, names
    if token[0].isupper() and (
        not _SENTENCE_START.search(text, 0, m.start()) or _TITLE_BEFORE.search(text, max(0, m.start() - 8), m.start())
    ):
        return False  # capitalised inside a sentence (or after a title): a name
    if token in _ORDINAL_ENDINGS and _AFTER_NUMBER.search(text, max(0, m.start() - 8), m.start()):
        return False  # "42 nd Street": a number's ending set apart, not "and"
    return not ((m.end() < len(text) and text[m.end()].isdigit()) or (m.start() and text[m.start() - 1].isdigit()))


_ORDINAL_ENDINGS = frozenset(("st", "nd", "rd", "th"))
_AFTER_NUMBER = lazy(r"\d ?\Z")


def _spells_british(ctx: Context) -> bool:
    """Does the story use British -our spellings (colour, honour)? (Memoised.)"""

    def judge_story() -> bool:
        curated = load_lexicon().curated
        return any(
            w.endswith("our") and len(w) > 5 and w.lower()[:-3] + "or" in curated for w in _word_counts(ctx)[0]
        )

    return bool(ctx.memo("spelling.british", judge_story))


def writes_dialect(ctx: Context) -> bool:
    """Does the story spell speech as it sounds (goin’, ’em) in many paragraphs? (Memoised.)"""

    def judge_story() -> bool:
        paragraphs = [t for t, k in zip(ctx.units, ctx.kinds) if k == "para"]
        marked = sum(1 for t in paragraphs if _ELISION.search(t))
        return marked > max(2, len(paragraphs) // 20)

    return bool(ctx.memo("spelling.dialect", judge_story))


def is_dialect_paragraph(text: str) -> bool:
    """Does this paragraph elide words as speech does (goin’, ’em, an’)?"""
    return bool(_ELISION.search(text))


_FOREIGN_NEIGHBOUR = lazy(r"[^\x00-\x7f\s\u2018-\u201d\u2014\u2013\u2026]")


# Whole lower-case words of three letters or more (not the tail of a name, nor the s of it's).
_NEAR_WORDS = lazy(r"(?<![A-Za-z'\u2019-])[a-z]{3,}(?![A-Za-z'\u2019-])")


def _in_foreign_words(text: str, start: int, end: int, lexicon: Lexicon) -> bool:
    """Do two of the lower-case words around it lie outside the curated list (Sur une gamme chromatique)?"""
    lo, hi = max(0, start - 30), min(len(text), end + 30)
    while lo and text[lo - 1].isalpha():  # whole words at the window's edges
        lo -= 1
    while hi < len(text) and text[hi].isalpha():
        hi += 1
    window = text[lo:start] + " " + text[end:hi]
    return sum(1 for w in _NEAR_WORDS.findall(window) if w not in lexicon.curated) >= 2


def _lengthened(word: str, correction: str) -> bool:
    """Is the word the correction with one of its letters drawn out (psshaw: pshaw)?"""
    return len(word) == len(correction) + 1 and any(
        word[k] == word[k - 1] and word[:k] + word[k + 1 :] == correction for k in range(1, len(word))
    )


_EXCLAIMED_BEFORE = lazy(r"(?:^|[.!?\u2026\u2014(]\s*|[\"\u201c\u2018']\s*)$")


def _exclaimed(text: str, start: int, end: int) -> bool:
    """Does the word stand alone as a cry, opening its sentence and followed by "!" (“Psshaw! The branches...”)?"""
    return text[end : end + 1] == "!" and _EXCLAIMED_BEFORE.search(text, max(0, start - 3), start) is not None


def find_misspellings(ctx: Context) -> Iterator[Change]:
    found = _suspects(ctx)
    suspects = {w: s for w, s in found.words.items() if not s.listed}
    if not suspects:
        return
    params = params_of(ctx)
    lexicon = load_lexicon()
    story = story_counts(ctx)
    # (imported here: a story with no word outside the dictionary never needs it, 0.2 ms)
    from storybinder.cleanup.split_words import rejoined

    rejoined_at: set[tuple[int, int]] = set()
    for u, m, suspect, dialect in _occurrences(ctx, suspects):
        text = ctx.units[u]
        halves = rejoined(text, m.start(), m.end(), lexicon)
        if halves is not None:
            # (both halves may be suspects: the word is rejoined once)
            if (u, halves.start) not in rejoined_at:
                rejoined_at.add((u, halves.start))
                yield Change(u, halves.start, halves.end, halves.word, sure=True, confidence=0.99,
                             message="a space typed a letter out of place" if " " in halves.word
                             else "a word split by a space")
            continue
        verdict = judge(suspect, *neighbours_of(text, m.start(), m.end()), dialect or writes_dialect(ctx),
                        params, lexicon, habit=found.habit, slips=slips_of(ctx), story=story,
                        speech=dialect)
        if verdict is None:
            continue
        correction, sure = verdict.correction, verdict.sure
        if (
            sure and correction.endswith("or") and correction[:-2] + "our" in lexicon.curated
            and _spells_british(ctx)
        ):
            sure = False  # an American spelling is no fix in a British text (collor: colour)
        # Names others have used (wordfreq knows them) may start a sentence;
        # a word beside an accented one is likely foreign (partie carrée); a cry
        # drawn out on purpose (“Psshaw! The branches...”) is written as it is said.
        sure = (
            sure
            and not (m.group()[0].isupper() and suspect.zipf > 0)
            and not _FOREIGN_NEIGHBOUR.search(text, max(0, m.start() - 20), min(len(text), m.end() + 20))
            and not _in_foreign_words(text, m.start(), m.end(), lexicon)
            and not (_lengthened(m.group().lower(), correction) and _exclaimed(text, m.start(), m.end()))
            # (and prose written without punctuation spells as the stream runs: "newphew with 2 double yous")
            and not unpunctuated(text)
            and not _variant_spelling(suspect.word, correction, suspect.zipf)
        )
        yield Change(
            u,
            m.start(),
            m.end(),
            _match_case(m.group(), correction),
            sure=sure,
            confidence=round(verdict.probability, 3),
            message="misspelling" if sure else f"misspelling of “{correction}”? ({verdict.probability:.0%})",
        )


# The endings before which spellings vary: a final consonant doubled or not (benefitted,
# benefited), a silent e kept or dropped (knowledgeable, knowledgable).
_VARYING_ENDINGS = ("ed", "ing", "er", "able", "ment")
# ...and how often (Zipf) people must write the other spelling for it to be one, not a slip:
# benefitted 3.0, knowledgable 2.6; DEV's slips of this shape (tendder, dooing) none.
_VARIANT_ZIPF = 2.5


def _variant_spelling(word: str, correction: str, zipf: float) -> bool:
    """Is `word` a spelling of `correction` that varies only where spellings do before a suffix, and common?"""
    if zipf < _VARIANT_ZIPF:
        return False
    for ending in _VARYING_ENDINGS:
        if word.endswith(ending) and correction.endswith(ending):
            a, b = word[: -len(ending)], correction[: -len(ending)]
            doubled = len(a) > 2 and a[:-1] == b and a[-1] == a[-2] and a[-1] not in "aeiou"
            silent_e = a + "e" == b or b + "e" == a
            return doubled or silent_e
    return False


def find_unknown(ctx: Context) -> Iterator[Change]:
    for u, m, suspect, _ in _occurrences(ctx, _suspects(ctx).words):
        if not suspect.candidates and not suspect.listed:
            yield Change(u, m.start(), m.end(), m.group(), sure=False, confidence=0.2,
                         message="word not in the dictionary")


COMMON_RULE = Rule("spelling.common", "fix", find_misspellings, "misspellings one slip from a common word")
UNKNOWN_RULE = Rule("spelling.unknown", "off", find_unknown, "words not in the dictionary")
