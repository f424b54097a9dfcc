"""English irregular verbs, and the pasts a writer makes of them by the regular rule ("sayed", "caughted").

A child's or a hurried writer's past of an irregular verb takes the regular
ending: `sayed` for said, `knowed` for known, and a past marked twice,
`caughted` and `upsetted`. Letter by letter they are two or more edits from
the word meant, so the spelling model would not reach it (said is no slip of
sayed); this table gives the spelling model (cleanup.channel) those
corrections as a kind of slip of their own.

The verbs are the common irregular ones of present-day English. Verbs whose
regular past is standard too (learned, dreamed, burned, kneeled, lighted,
dived, proved) are not here, and a made form that is itself a word the
dictionary lists (founded, wounded, ringed, felled, sawed) is never a suspect
in the first place.
"""

from __future__ import annotations

from functools import cache

# base, past, participle (the participle "-" when it is the past).
_VERBS = """
arise arose arisen|awake awoke awoken|bear bore borne|beat beat beaten|become became become
begin began begun|bend bent -|bet bet -|bind bound -|bite bit bitten|bleed bled -|blow blew blown
break broke broken|breed bred -|bring brought -|build built -|burst burst -|buy bought -
catch caught -|choose chose chosen|cling clung -|come came come|cost cost -|creep crept -|cut cut -
deal dealt -|dig dug -|do did done|draw drew drawn|drink drank drunk|drive drove driven|eat ate eaten
fall fell fallen|feed fed -|feel felt -|fight fought -|find found -|flee fled -|fling flung -
fly flew flown|forbid forbade forbidden|forget forgot forgotten|forgive forgave forgiven
forsake forsook forsaken|freeze froze frozen|get got -|give gave given|go went gone|grind ground -
grow grew grown|hang hung -|hear heard -|hide hid hidden|hit hit -|hold held -|hurt hurt -|keep kept -
know knew known|lay laid -|lead led -|leave left -|lend lent -|let let -|lose lost -|make made -
mean meant -|meet met -|mistake mistook mistaken|overcome overcame overcome|pay paid -|put put -
quit quit -|read read -|ride rode ridden|ring rang rung|rise rose risen|run ran run|say said -
see saw seen|seek sought -|sell sold -|send sent -|set set -|shake shook shaken|shoot shot -
shrink shrank shrunk|shut shut -|sing sang sung|sink sank sunk|sit sat -|sleep slept -|slide slid -
sling slung -|slink slunk -|speak spoke spoken|spend spent -|spin spun -|spit spat -|split split -
spread spread -|spring sprang sprung|stand stood -|steal stole stolen|stick stuck -|sting stung -
stink stank stunk|stride strode stridden|strike struck -|string strung -|swear swore sworn
sweep swept -|swim swam swum|swing swung -|take took taken|teach taught -|tear tore torn|tell told -
think thought -|throw threw thrown|tread trod trodden|understand understood -|undertake undertook undertaken
upset upset -|wear wore worn|weep wept -|win won -|withdraw withdrew withdrawn|withhold withheld -
wring wrung -|write wrote written
"""


def _stems(word: str) -> set[str]:
    """What the regular rule may have made `word` of: +ed, +d after e, a doubled last consonant, y to ied."""
    if not word.endswith("ed"):
        return set()
    stems = {word[:-2], word[:-1]}  # knowed, caughted; after an e, gived
    if len(word) > 4 and word[-3] == word[-4]:
        stems.add(word[:-3])  # a doubled consonant (runned, upsetted)
    if word.endswith("ied"):
        stems.add(word[:-3] + "y")  # (flied)
    stems.discard("")
    return stems


def _made_by_rule(word: str, stem: str) -> bool:
    """Is `word` what the regular rule makes of `stem`?"""
    if word == stem + "ed":
        return True
    if word == stem + "d":
        return stem.endswith("e")
    if word == stem + stem[-1] + "ed":
        return stem[-1] not in "aeiouwy"
    return word == stem[:-1] + "ied" and stem.endswith("y") and len(stem) > 1 and stem[-2] not in "aeiou"


@cache
def _verbs() -> tuple[tuple[str, str, str], ...]:
    """(base, past, participle) of each verb in the table."""
    rows = []
    for entry in _VERBS.replace("\n", "|").split("|"):
        if entry:
            base, past, participle = entry.split()
            rows.append((base, past, past if participle == "-" else participle))
    return tuple(rows)


@cache
def _forms() -> tuple[dict[str, tuple[str, str]], frozenset[str]]:
    """Each verb by its base (past, participle), and the pasts (one lookup a stem, no forms made)."""
    verbs = _verbs()
    return {base: (past, participle) for base, past, participle in verbs}, frozenset(past for _, past, _ in verbs)


def meant_by(word: str) -> tuple[str, ...]:
    """The irregular forms that `word` (lower case) is a regular-rule past of ("sayed": said), or ()."""
    if not word.endswith("d"):
        return ()
    bases, pasts = _forms()
    meant: set[str] = set()
    for stem in _stems(word):
        if not _made_by_rule(word, stem):
            continue
        # The base made regular (sayed, knowed): the past or the participle was meant.
        if stem in bases:
            meant.update(bases[stem])
        # The past marked again (caughted, upsetted): the past was meant.
        if stem in pasts:
            meant.add(stem)
    meant.discard(word)
    return tuple(sorted(meant))


def tense_of(form: str) -> str:
    """"past" or "participle" for a form whose verb's past and participle differ (drew, drawn), else ""."""
    return _tenses().get(form, "")


@cache
def _tenses() -> dict[str, str]:
    tenses: dict[str, str] = {}
    for _, past, participle in _verbs():
        if participle != past:
            tenses[past] = "past"
            tenses[participle] = "participle"
    return tenses
