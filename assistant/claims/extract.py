"""What a sentence claims, in pieces a passage can be checked against.

Topic overlap is not support: "Madspildet faldt med 30 pct." shares every word but one with "indkøbet af
oksekød faldt med 30 pct.". So a sentence is taken apart into the claims a lawyer would check: each number
with its unit and the words that say what it counts, years, names (municipalities, organisations, labels),
paragraph references, negation, modality and who the subject is. The matcher then looks for each of them
in one short window of the passage.

All patterns here are linear: a token is a run of word characters joined by single separators, so no
pattern can backtrack on user text.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from typing import Literal

ClaimKind = Literal["number", "year", "name", "paragraph"]
Modality = Literal["pligt", "forbud", "mulighed", "anbefaling", "hensigt"]
Party = Literal["kommune", "kl", "leverandør", "kunde", "stat", "region", "producent", "borger"]
Qualifier = Literal["over", "under", "omkring"]

# A token: a word, a number with separators ("400.000", "27,6", "2020-2024", "CO2-udledning"), § or a sign.
TOKEN = re.compile(r"\w+(?:[.,/–-]\w+)*|§+|%|[^\w\s]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_RANGE = re.compile(r"\d+(?:[.,]\d+)*(?:[–-]\d+(?:[.,]\d+)*)+")

SCALES: dict[str, float] = {
    "tusind": 1e3, "thousand": 1e3, "mio": 1e6, "million": 1e6, "millioner": 1e6, "millions": 1e6,
    "mia": 1e9, "milliard": 1e9, "milliarder": 1e9, "billion": 1e9, "billions": 1e9,
}
UNITS = {
    "pct": "pct", "procent": "pct", "%": "pct", "percent": "pct", "procentpoint": "procentpoint",
    "kr": "kr", "kroner": "kr", "krone": "kr", "dkk": "kr",
    "ton": "ton", "tons": "ton", "tonnes": "ton", "tonne": "ton", "kg": "kg", "kilo": "kg",
    "år": "år", "year": "år", "years": "år", "måned": "måned", "måneder": "måned", "month": "måned",
    "months": "måned", "uge": "uge", "uger": "uge", "week": "uge", "weeks": "uge", "dag": "dag",
    "dage": "dag", "day": "dag", "days": "dag", "time": "time", "timer": "time", "hours": "time",
    "cent": "pct", "års": "år", "årig": "år", "årige": "år",
    "km": "km", "kwh": "kwh", "mwh": "mwh", "gange": "gange", "times": "gange",
}
UNIT_NAMES = {"pct": "pct.", "kr": "kr.", "procentpoint": "procentpoint"}
NUMBER_WORDS = {
    "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "syv": 7, "otte": 8, "ni": 9, "ti": 10, "elleve": 11,
    "tolv": 12, "tyve": 20, "halvtreds": 50, "hundrede": 100, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20,
    "fifty": 50, "hundred": 100,
}
# "over 30 pct." is not "knap 30 pct.": the direction of a figure's qualifier is part of the claim.
QUALIFIERS: dict[str, Qualifier] = {
    "over": "over", "mere": "over", "mindst": "over", "godt": "over", "flere": "over", "more": "over",
    "least": "over", "above": "over", "knap": "under", "under": "under", "næsten": "under",
    "mindre": "under", "nearly": "under", "almost": "under", "less": "under", "below": "under",
    "fewer": "under", "ca": "omkring", "cirka": "omkring", "omkring": "omkring", "about": "omkring",
    "around": "omkring", "approximately": "omkring", "roughly": "omkring", "some": "omkring",
}
# Words that make a claim absolute; the passage must say them too ("alle kommuner" is not "65 kommuner").
ABSOLUTES = frozenset("""
    alle samtlige udelukkende alene kun altid aldrig helt hele fuldt primært størstedelen flertallet
    ethvert enhver all every only always entirely solely exclusively completely fully majority
""".split())
# Superlatives make a claim absolute too ("en af de mest miljøbelastende sektorer" is not "en sektor med
# høj miljøbelastning"); each maps to the one Danish word that stands for its kind, so "betyder mest" and
# "størst betydning" are the same claim.
SUPERLATIVES = {
    **dict.fromkeys("mest størst største højest højeste most largest biggest highest greatest".split(), "størst"),
    **dict.fromkeys("bedst bedste best".split(), "bedst"),
    **dict.fromkeys("vigtigst vigtigste væsentligst væsentligste".split(), "vigtigst"),
    **dict.fromkeys("lavest laveste lowest mindste smallest".split(), "lavest"),
    # A fraction is a figure: "halverer klimaaftrykket", "mere end halvdelen" state an amount the passage
    # must give.
    **dict.fromkeys("halvdelen halvdel halvere halverer halveret halveres halvering half halved halves halving"
                    .split(), "halvdelen"),
    # So is the size of a change: "har nedbragt udledningen markant".
    **dict.fromkeys("markant markante significantly substantially dramatically considerably".split(),
                    "markant"),
    # Not a superlative, but as absolute: "X er afgørende for kvaliteten" is a claim of its own, which a
    # passage naming X and quality does not make.
    **dict.fromkeys("afgørende altafgørende decisive crucial".split(), "afgørende"),
}
NEGATORS = frozenset("ikke ingen intet aldrig hverken ej not no never none neither nor cannot without".split())
# "ikke kun" / "not only" adds, it does not deny.
NOT_NEGATING_NEXT = frozenset("kun blot alene bare udelukkende mindst only just merely least".split())
MODALS: dict[str, Modality] = {
    "skal": "pligt", "must": "pligt", "shall": "pligt", "forpligtet": "pligt",
    "forpligtes": "pligt", "kræves": "pligt", "required": "pligt", "obliged": "pligt",
    "kan": "mulighed", "kunne": "mulighed", "may": "mulighed", "can": "mulighed", "could": "mulighed",
    "mulighed": "mulighed", "muligt": "mulighed", "allowed": "mulighed", "possible": "mulighed",
    "bør": "anbefaling", "burde": "anbefaling", "anbefales": "anbefaling", "anbefaler": "anbefaling",
    "should": "anbefaling", "recommended": "anbefaling", "recommends": "anbefaling",
    "vil": "hensigt", "ønsker": "hensigt", "will": "hensigt", "aims": "hensigt", "aim": "hensigt",
    "intends": "hensigt", "wants": "hensigt", "wish": "hensigt",
}
# To consider, explore or expect a measure is not to take it ("overveje at indføre bestillingsgebyrer"); unlike
# a modal verb it does not clash with "vil" ("vil undersøge muligheder som bestillingsgebyrer").
# What is expected, aimed at or planned is not done: "forventer … at opnå lavere udgifter", "Målet er at
# reducere CO2-udledningen".
TENTATIVE = frozenset("""
    overveje overvejer overvejes afsøge afsøger undersøge undersøger forventningen forventes forventer
    målet sigter planlægger hensigten
    consider considers considering explore explores expects expected aims aim purpose intends plans
""".split())
# Who does or must do something. Matched on a word's start, so "leverandøren", "leverandørens" count.
_PARTIES: tuple[tuple[str, Party], ...] = (
    ("kommune", "kommune"), ("municipalit", "kommune"), ("kl", "kl"), ("local government denmark", "kl"),
    ("leverandør", "leverandør"), ("tilbudsgiver", "leverandør"), ("supplier", "leverandør"),
    ("contractor", "leverandør"), ("bidder", "leverandør"), ("kunde", "kunde"), ("ordregiver", "kunde"),
    ("customer", "kunde"), ("contracting authorit", "kunde"), ("staten", "stat"), ("state", "stat"),
    ("region", "region"), ("borger", "borger"), ("citizen", "borger"),
    # Whole words only: "producentansvaret" is a scheme, not a party.
    ("producenter", "producent"), ("producenten", "producent"), ("producers", "producent"),
)
# Capitalised words that are not names: sentence openers, and words English capitalises.
_NOT_NAMES = frozenset("""
    The A An In On At For By From With This These That Those It Its There Their They We Our You If When
    While Since As Of To And Or But Not No All Each Every Both Some Many Most Only Also However Thus
    Therefore Furthermore Moreover Under Over Between Through After Before During Where Which What How
    Why Who Yes Danish Denmark I Mr Ms Dr
""".split())
# Denmark's 98 municipalities: a sentence may open with one ("Odenses klimaafgift …"), where a capital
# letter alone does not tell a name from the first word.
MUNICIPALITIES = frozenset("""
    københavn frederiksberg albertslund allerød ballerup bornholm brøndby dragør egedal fredensborg
    frederikssund furesø gentofte gladsaxe glostrup gribskov halsnæs helsingør herlev hillerød hvidovre
    høje-taastrup hørsholm ishøj lyngby-taarbæk rudersdal rødovre tårnby vallensbæk greve guldborgsund
    holbæk kalundborg køge lejre lolland næstved odsherred ringsted roskilde slagelse solrød sorø stevns
    vordingborg assens billund esbjerg fanø faaborg-midtfyn fredericia haderslev kerteminde kolding
    langeland middelfart nordfyn nyborg odense svendborg sønderborg tønder varde vejen vejle ærø aabenraa
    favrskov hedensted herning holstebro horsens ikast-brande lemvig norddjurs odder randers
    ringkøbing-skjern samsø silkeborg skanderborg skive struer syddjurs viborg aarhus brønderslev
    frederikshavn hjørring jammerbugt læsø mariagerfjord morsø rebild thisted vesthimmerland aalborg
    copenhagen
""".split())
MONTHS = frozenset("januar februar marts april maj juni juli august september oktober november december".split())


@dataclass(frozen=True)
class Claim:
    kind: ClaimKind
    text: str  # as written in the sentence, for messages ("30 pct.", "Odense", "§ 12")
    key: str  # what must match: a normalised value, a year, a name's stem or a paragraph number
    unit: str | None = None  # numbers only: "pct", "kr", … or None for a bare count
    about: tuple[str, ...] = ()  # numbers only: the words next to it that say what it counts
    position: int = 0  # token index in the sentence
    qualifier: Qualifier | None = None  # numbers only: "over 30 pct." is "over", "knap 100 mia." is "under"
    counted: str | None = None  # numbers only: the word right after it ("400.000 ansatte" → "ansatte")
    # numbers: the nearest word before it ("køber varer for 700 mio. kr."); years: the day and month before it
    before: str | None = None
    per: str | None = None  # numbers only: a rate's period ("4 gange årligt" → "år")
    moved: bool = False  # numbers only: a change ("faldet med 30 pct."), not a level ("er 30 pct.")


@dataclass(frozen=True)
class Token:
    text: str
    low: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    return [Token(m.group(0), m.group(0).lower(), m.start(), m.end()) for m in TOKEN.finditer(text)]


def number_value(raw: str, english: bool = False, other_convention: bool = True) -> float | None:
    """'400.000' → 400000, '27,6' → 27.6; in English '400,000' → 400000 and '27.6' → 27.6."""
    if not _NUMBER.fullmatch(raw):
        return None
    thousands, decimal = (",", ".") if english else (".", ",")
    parts = raw.split(decimal)
    if len(parts) > 2:
        return None
    whole = parts[0]
    groups = whole.split(thousands)
    if len(groups) > 1 and not all(len(g) == 3 for g in groups[1:]):
        # "1.5" in Danish text, "1,8 million kWh" in an English sentence: the other convention (once).
        return number_value(raw, not english, False) if other_convention and len(groups) == 2 else None
    try:
        return float("".join(groups) + ("." + parts[1] if len(parts) == 2 else ""))
    except ValueError:
        return None


def format_value(value: float) -> str:
    return f"{value:.6g}"


def is_year(raw: str) -> bool:
    return len(raw) == 4 and raw.isdigit() and 1900 <= int(raw) <= 2099


_NAMED_MUNICIPALITY = re.compile(r"[A-ZÆØÅ][\w-]+ Kommunes?")


def subject(text: str) -> Party | None:
    """The party named first: in "Kunden kan opsige aftalen over for leverandøren" that is the customer.
    "Skive Kommune" names a place, not the party "kommunen"."""
    lowered = _NAMED_MUNICIPALITY.sub(" ", text).lower()
    best: tuple[int, Party] | None = None
    for prefix, party in _PARTIES:
        at = _word_start(lowered, prefix)
        if at >= 0 and (best is None or at < best[0]):
            best = (at, party)
    return best[1] if best else None


def parties_in(lowered: str) -> set[Party]:
    return {party for prefix, party in _PARTIES if _word_start(lowered, prefix) >= 0}


def _word_start(lowered: str, prefix: str) -> int:
    at = lowered.find(prefix)
    while at >= 0:
        if (at == 0 or not lowered[at - 1].isalnum()) and (
                prefix != "kl" or at + 2 >= len(lowered) or not lowered[at + 2].isalnum()):
            return at
        at = lowered.find(prefix, at + 1)
    return -1


@dataclass(frozen=True)
class SentenceClaims:
    text: str
    claims: tuple[Claim, ...]
    subject: Party | None
    english: bool


# Function words of English that are not also Danish words ("have", "for", "to" are).
_ENGLISH = frozenset("""
    the and of is are was were in by with that this from has their its been which dates also than more
    into would should could will they what which how did does much many who where why
""".split())


_DANISH = frozenset("og i af til er på med at den det de en et som har fra om ikke kan skal vil sig".split())


def looks_english(words: list[str]) -> bool:
    english = sum(w in _ENGLISH for w in words)
    danish = sum(w in _DANISH for w in words)
    return english > danish and (english >= 2 or danish == 0)


def parse(sentence: str) -> SentenceClaims:
    toks = tokens(sentence)
    words = [t.low for t in toks]
    english = looks_english(words)
    claims = [*_numbers(toks, english), *_paragraphs(toks), *_names(toks, english)]
    return SentenceClaims(sentence, tuple(sorted(claims, key=lambda c: c.position)), subject(sentence), english)


def _numbers(toks: list[Token], english: bool) -> list[Claim]:
    claims: list[Claim] = []
    for i, tok in enumerate(toks):
        if _is_paragraph_number(toks, i):
            continue
        if "/" in tok.text and all(is_year(e) for e in tok.text.split("/")):
            # A school or budget year, "2024/2025": both years are claims.
            claims += [Claim("year", e, e, position=i) for e in tok.text.split("/")]
            continue
        if _RANGE.fullmatch(tok.text):
            ends = re.split(r"[–-]", tok.text)
            if all(is_year(e) for e in ends):
                claims += [Claim("year", e, e, position=i) for e in ends]
                continue
            claims.append(_measure(toks, i, "–".join(ends), english))
        elif is_year(tok.text) and not _unit_after(toks, i):
            claims.append(Claim("year", tok.text, tok.text, position=i, before=_date_before(toks, i)))
        elif _NUMBER.fullmatch(tok.text) or (tok.low in NUMBER_WORDS and not (english and tok.low == "to")):
            claims.append(_measure(toks, i, tok.text, english))
        elif tok.low in ("en", "et", "one", "a") and i + 1 < len(toks) and toks[i + 1].low in SCALES:
            # "en million kr.", "one billion": one of a scale.
            claims.append(replace(_measure(toks, i, "1", english), position=i))
        elif "-" in tok.text and _NUMBER.fullmatch(tok.text.split("-")[0]) and tok.low.split("-")[-1] in UNITS:
            # "a 4-year guarantee", "3-årig garanti": the unit is joined to the figure.
            head, tail = tok.text.split("-")[0], tok.low.split("-")[-1]
            found = _measure(toks, i, head, english)
            unit = UNITS[tail]
            claims.append(replace(found, unit=unit, text=f"{head} {UNIT_NAMES.get(unit, unit)}"))
    return _shared_units(claims, toks)


def _shared_units(claims: list[Claim], toks: list[Token]) -> list[Claim]:
    """"mellem 28 og 52 procent": the first figure takes the unit of the second."""
    out = list(claims)
    for a, (first, second) in enumerate(itertools.pairwise(claims)):
        joined = second.position == first.position + 2 and toks[first.position + 1].low in (
            "og", "til", "and", "to", "eller", "or", "-", "–")
        if first.kind == second.kind == "number" and joined and first.unit is None and second.unit:
            unit = UNIT_NAMES.get(second.unit, second.unit)
            out[a] = replace(first, unit=second.unit, text=f"{first.text} {unit}")
    return out


_ENGLISH_MONTHS = dict(zip("january february march april may june july august september october november december"
                           .split(), "januar februar marts april maj juni juli august september oktober november "
                           "december".split(), strict=True))


# The part of a year a date names: "ultimo 2023" is not "i begyndelsen af 2023".
_PARTS_OF_YEAR = {
    ("primo",): "primo", ("begyndelsen", "af"): "primo", ("starten", "af"): "primo", ("early",): "primo",
    ("beginning", "of"): "primo", ("start", "of"): "primo",
    ("medio",): "medio", ("midten", "af"): "medio", ("mid",): "medio", ("middle", "of"): "medio",
    ("ultimo",): "ultimo", ("slutningen", "af"): "ultimo", ("udgangen", "af"): "ultimo", ("late",): "ultimo",
    ("end", "of"): "ultimo",
}


def _part_of_year(preceding: list[str]) -> str | None:
    for words, part in _PARTS_OF_YEAR.items():
        if tuple(preceding[-len(words):]) == words:
            return part
    return None


def _date_before(toks: list[Token], i: int) -> str | None:
    """The day and month a year completes ("31. august 2024", "31 August 2024", "August 31, 2024"), as
    "31 august": a deadline is its whole date, so "31 August 2025" is not backed by "31. august 2024 … fra
    2025"."""
    k = i - 1
    part = _part_of_year([t.low for t in toks[max(0, i - 3):i]])
    if part:
        return part
    if k >= 0 and toks[k].text == ",":
        k -= 1
    if k >= 1 and toks[k].text.isdigit() and toks[k - 1].low in _ENGLISH_MONTHS:
        return f"{int(toks[k].text)} {_ENGLISH_MONTHS[toks[k - 1].low]}"
    month = _ENGLISH_MONTHS.get(toks[k].low, toks[k].low) if k >= 0 else ""
    if month not in MONTHS:
        return None
    k -= 1
    if k >= 0 and toks[k].text == ".":
        k -= 1
    return f"{int(toks[k].text)} {month}" if k >= 0 and toks[k].text.isdigit() and len(toks[k].text) <= 2 else None


def _unit_after(toks: list[Token], i: int) -> bool:
    j = i + 1
    while j < len(toks) and (toks[j].text == "." or toks[j].low in SCALES):
        j += 1
    return j < len(toks) and toks[j].low in UNITS


def _measure(toks: list[Token], i: int, raw: str, english: bool) -> Claim:
    """A number with its scale ("100 mia."), unit ("kr.", "pct.") and the words around it."""
    parts = [NUMBER_WORDS.get(p.lower()) or number_value(p, english) for p in raw.split("–")]
    scale, scale_word, unit, unit_word, j = 1.0, "", None, "", i + 1
    while j < len(toks) and (toks[j].text == "." or toks[j].low in SCALES or toks[j].low in UNITS
                             or (toks[j].low == "per" and j + 1 < len(toks) and toks[j + 1].low == "cent")):
        if toks[j].low == "per":
            pass  # "per cent": the unit is the next word
        elif toks[j].low in SCALES:
            scale, scale_word = SCALES[toks[j].low], toks[j].text
        elif toks[j].low in UNITS and unit is None:
            unit, unit_word = UNITS[toks[j].low], toks[j].text
        j += 1
    # "DKK 20 million", "kr. 500": the unit written before the number.
    if unit is None and i > 0 and toks[i - 1].low in ("dkk", "kr"):
        unit, unit_word = "kr", toks[i - 1].text
    key = "–".join(format_value((p or 0.0) * scale) for p in parts)
    written = " ".join(w for w in (raw, scale_word, UNIT_NAMES.get(unit or "", unit_word)) if w)
    return Claim("number", written, key, unit, _around(toks, i, j), i, _qualifier(toks, i), _counted(toks, i, j),
                 _before(toks, i), _per(toks, j), _moved(toks, i))


def _qualifier(toks: list[Token], i: int) -> Qualifier | None:
    """The word before the number ("over", "knap", "ca."), or two before ("mere end", "more than")."""
    for k in (i - 1, i - 2):
        if k >= 0 and toks[k].low in QUALIFIERS:
            if toks[k].low in ("mere", "mindre", "more", "less", "flere", "fewer") and k != i - 2:
                continue  # "mere" alone before a number is not "mere end"
            return QUALIFIERS[toks[k].low]
        if k >= 0 and toks[k].text != ".":
            if k == i - 1 and toks[k].low in ("end", "than", "at"):
                continue
            break
    return None


# Adjectives that stand between a number and what it counts ("12 forskellige verdensmål").
_ADJECTIVES = frozenset("""
    ny nye nyt forskellige store stor små lille mange flere andre øvrige samlede hele første sidste
    udvalgte konkrete fælles new different other large small several various
""".split())
# Words that join a number to the clause without saying what it is about.
_LINKS = frozenset("""
    af i på for med til fra om ved over under end op mod ca cirka knap godt mindst næsten omkring
    of in on for with to from by about around over under than at least nearly almost some
""".split())
_PERIODS = {"årligt": "år", "året": "år", "år": "år", "annually": "år", "year": "år", "yearly": "år",
            "månedligt": "måned", "måneden": "måned", "måned": "måned", "month": "måned", "monthly": "måned",
            "ugentligt": "uge", "ugen": "uge", "uge": "uge", "week": "uge", "weekly": "uge",
            "dagligt": "dag", "dagen": "dag", "dag": "dag", "day": "dag", "daily": "dag"}


_COPULAS = frozenset("er var blev is are was were".split())
_SUBSET_OPENERS = frozenset("hvor heraf deraf hvoraf which whom".split())


def _counted(toks: list[Token], i: int, j: int) -> str | None:
    """The noun right after a number and its unit, past "af"/"of", an article and one adjective at most."""
    k = j
    if k + 1 < len(toks) and toks[k].low in _COPULAS and i > 0 and toks[i - 1].low in _SUBSET_OPENERS:
        # "8 medarbejdere, hvor 2 er fuldtidsansatte": the 2 count full-time staff, not staff.
        k += 1
    if k < len(toks) and toks[k].low in ("af", "of", "i", "in"):
        k += 1
    if k < len(toks) and toks[k].low in ("de", "den", "det", "the"):
        k += 1
    if k + 1 < len(toks) and toks[k].low in _ADJECTIVES and _wordlike(toks[k + 1].text):
        k += 1
    if k < len(toks) and _wordlike(toks[k].text) and not toks[k].text[:1].isupper() \
            and toks[k].low not in _PERIODS:
        return toks[k].low
    return None


def _before(toks: list[Token], i: int) -> str | None:
    """The nearest word before the number that is not a link ("for", "med", "over") or a movement
    ("faldet", "reduceret"): in "køber varer for 700 mio. kr." that is "varer"."""
    for k in range(i - 1, max(-1, i - 6), -1):
        text = toks[k].text
        if text in (",", ";", ":", "(", ")") or (not _wordlike(text) and text != "."):
            return None
        low = toks[k].low
        if text == "." or low in _LINKS or low in MOVEMENTS or low in _LEVEL_VERBS or low in _FILLERS \
                or low in MODALS or low in _PERIODS or low in UNITS or _municipality(text):
            continue
        return low if not text[:1].isupper() or k == 0 else None
    return None


# Verbs of movement say how a figure changed, not what it measures.
MOVEMENTS = frozenset("""
    faldet faldt falder steget steg stiger reduceret reducerede reducere nedbragt nedbragte nedbringe
    øget øgede øge sænket sænkede mindsket halveret vokset voksede vækset reducering stigning fald
    fell dropped rose increased decreased reduced cut grew grown risen
""".split())
# Verbs that carry no meaning of their own next to a figure ("er 30 pct.", "udgør 200 mio. kr.").
_LEVEL_VERBS = frozenset("er var har blev udgør udgjorde bliver is are was were has have amounts".split())
# Words before a number that say nothing about what it counts.
_FILLERS = frozenset("hvoraf heraf hvor som der de den det alle hver hvert the a an each every".split())


def _moved(toks: list[Token], i: int) -> bool:
    words = 0
    for k in range(i - 1, -1, -1):
        if toks[k].text in (",", ";", ":", "(", ")") or words >= 8:
            return False
        if toks[k].low in MOVEMENTS:
            return True
        words += toks[k].text.isalnum()
    return False


def _per(toks: list[Token], j: int) -> str | None:
    """The period of a rate right after the unit: "4 gange årligt", "om måneden", "pr. uge", "a year"."""
    for k in range(j, min(len(toks), j + 3)):
        low = toks[k].low
        if low in _PERIODS:
            return _PERIODS[low]
        if low not in ("om", "pr", "per", "a", "each", "every", "."):
            return None
    return None


def _around(toks: list[Token], i: int, j: int) -> tuple[str, ...]:
    """Words after the number (what it counts: "20 målsætninger", "30 pct. af indkøbet") and before it
    ("CO2-udledningen er faldet med 27,6 pct."), within the clause. Names are left out: they are claims
    of their own, checked where the case is named."""
    def plain(k: int) -> bool:
        # A capital opening a sentence or a list item ("- Driftsbesparelse på ca. 90.000 kr.") is no name.
        text = toks[k].text
        opens = k == 0 or toks[k - 1].text in _ITEM_OPENERS
        return _wordlike(text) and (opens or not text[:1].isupper()) and not _municipality(text)

    after: list[str] = []
    for k in range(j, min(len(toks), j + 6)):
        if toks[k].text in (",", ";", ":", "(", ")"):
            break
        if plain(k):
            after.append(toks[k].low)
    before: list[str] = []
    for k in range(i - 1, max(-1, i - 8), -1):
        # A figure in parentheses annotates what stands before them: "Bæredygtig energi (mål 7)".
        if toks[k].text == "(" and not before[1:]:
            continue
        if toks[k].text in (",", ";", ":", "(", ")"):
            break
        if plain(k):
            before.append(toks[k].low)
    return tuple(after[:4] + before[::-1])


_ITEM_OPENERS = frozenset(".:!?-•*")
# Before a capitalised first word that is still no name: an item opener, a parenthesis or a quote.
_NAME_OPENERS = _ITEM_OPENERS | frozenset('("“')


def plain_words(text: str) -> list[str]:
    """The text's words in order, lower-case, without the punctuation around them."""
    return [w.strip(".,;:()»«\"'!?").lower() for w in text.split()]


def _wordlike(text: str) -> bool:
    return text.replace("-", "").isalnum() and not text.replace("-", "").isdigit()


def _is_paragraph_number(toks: list[Token], i: int) -> bool:
    prev = toks[i - 1].low if i > 0 else ""
    prev2 = toks[i - 2].low if i > 1 else ""
    return prev.startswith("§") or prev in ("artikel", "article", "art", "section", "sections") or (
        prev == "." and prev2 in ("stk", "nr", "art"))


def _law_before(toks: list[Token], i: int) -> str | None:
    """The law a paragraph is of, where the words right before it name one: "servicelovens § 85", "barnets
    lov § 32", "udbudsloven § 176". Its stem, so "udbudslovens" and "udbudsloven" meet."""
    k = i - 1
    while k >= 0 and (toks[k].low.startswith("§") or toks[k].text == "."):
        k -= 1
    if k < 0:
        return None
    word = toks[k].low
    if word in ("lov", "loven", "lovens") and k >= 1 and toks[k - 1].text.isalpha():
        return f"{toks[k - 1].low.rstrip('s')} lov"
    if "lov" in word[3:] and word.isalpha():
        return word[:word.index("lov", 3)] + "lov"
    return None


def _paragraphs(toks: list[Token]) -> list[Claim]:
    claims: list[Claim] = []
    for i, tok in enumerate(toks):
        if not _NUMBER.fullmatch(tok.text.split("-")[0]) or not _is_paragraph_number(toks, i):
            continue
        prev = toks[i - 1].low
        label = "§" if prev.startswith("§") else toks[i - 2].low if prev == "." else prev
        label = {"article": "artikel", "art": "artikel", "section": "§", "sections": "§"}.get(label, label)
        claims.append(Claim("paragraph", f"{label} {tok.text}", f"{label} {tok.text}", position=i,
                            before=_law_before(toks, i)))
    return claims


def _names(toks: list[Token], english: bool = False) -> list[Claim]:
    """Proper names: capitalised words not at the start of a sentence, acronyms anywhere, and a capitalised
    first word followed by "Kommune"/"Region" ("Aarhus Kommune")."""
    claims: list[Claim] = []
    for i, tok in enumerate(toks):
        text = tok.text.rstrip("'’")
        if not text[:1].isupper() or text in _NOT_NAMES or text.lower() in MONTHS or text.lower() in UNITS:
            continue
        if "-" in text and text.split("-")[-1][:1].islower():
            continue  # a compound noun ("CO2-udledningen"), not a name
        acronym = len(text) >= 2 and text.replace("-", "").isupper() and text.isalnum()
        first = i == 0 or toks[i - 1].text in _NAME_OPENERS
        followed = i + 1 < len(toks) and toks[i + 1].low in ("kommune", "kommunes", "region", "municipality")
        if first and not (acronym or followed or _municipality(text) or _authority(text)):
            continue
        if english and not (acronym or _municipality(text)):
            continue  # English capitalises titles ("City Council"); the Danish passage will not have them
        if text.lower() in ("kommune", "kommunes", "region") and i > 0 and toks[i - 1].text[:1].isupper():
            continue  # the "Kommune" of "Aarhus Kommune" is part of the name already claimed
        claims.append(Claim("name", text, name_key(text), position=i))
    return claims


# A Danish authority is a name even where it opens the sentence: "Miljøstyrelsens vejledning …".
_AUTHORITY_ENDINGS = ("styrelse", "styrelsen", "styrelsens", "ministeriet", "ministeriets")


def _authority(word: str) -> bool:
    return word.lower().endswith(_AUTHORITY_ENDINGS)


def _municipality(word: str) -> bool:
    low = word.lower()
    return low in MUNICIPALITIES or (low.endswith("s") and low[:-1] in MUNICIPALITIES)


def name_key(name: str) -> str:
    """Compare names on their start, so "Københavns", "København" and "Aarhus'" meet."""
    low = name.lower().rstrip("'’s") if len(name) > 4 else name.lower()
    return low[:max(4, len(low) - 2)] if len(low) > 5 else low
