"""What an English figure counts, in the Danish corpus's words.

An English sentence shares no words with a Danish passage, so "10 per cent of emissions" could take the
figure of "ca. 10 pct. af forbruget". The nouns that say what a figure counts in this corpus (emissions,
invoices, services, goods …) are few; each has the Danish stems it is written with here. A Danish stem
may stand inside a compound ("elforbruget", "CO2-udledningen"), so it is looked for as a part of a word.
Only what is counted is listed, not who counts it: "municipality" says whose figure it is, and the
passage often names that party far from the figure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

_CLAUSE_END = frozenset(",;:.!?()")
_UNIT_WORDS = frozenset("per cent percent % million billion tonnes tons kwh mwh kilo kilos".split())

_GLOSSES: dict[str, tuple[str, ...]] = {
    "emission": ("udled", "emission"),
    "invoice": ("faktura",),
    "service": ("tjeneste", "ydelse", "service"),
    "goods": ("vare",),
    "purchase": ("indkøb", "køb"),
    "purchasing": ("indkøb", "køb"),
    "procurement": ("indkøb", "udbud"),
    "consumption": ("forbrug",),
    "electricity": ("elforbrug", "elektricitet", "strøm"),
    "heating": ("varme",),
    "heat": ("varme",),
    "employee": ("ansat", "medarbejder"),
    "staff": ("ansat", "medarbejder", "personale"),
    "goal": ("mål",),
    "target": ("mål",),
    "order": ("ordre", "bestilling"),
    "saving": ("besparelse", "sparet", "spare"),
    "turnover": ("omsætning",),
    "revenue": ("omsætning", "indtægt", "provenu"),
    "cost": ("omkostning", "udgift", "pris"),
    "spending": ("udgift", "forbrug", "køb"),
    "expenditure": ("udgift", "forbrug"),
    "expense": ("udgift",),
    "price": ("pris",),
    "furniture": ("møbel", "møbler", "inventar"),
    "packaging": ("emballage",),
    "waste": ("affald", "spild"),
    "meat": ("kød",),
    "beef": ("oksekød", "okse"),
    "food": ("fødevare", "mad", "måltid"),
    "plastic": ("plast",),
    "agreement": ("aftale",),
    "contract": ("kontrakt", "aftale"),
    "tender": ("udbud",),
    "task": ("opgave",),
    "interpreting": ("tolk",),
    "child": ("børn", "barn"),
    "children": ("børn", "barn"),
    "pupil": ("elev",),
    "apprentice": ("elev", "lærling"),
    "trainee": ("elev", "lærling", "praktik"),
    "shoe": ("sko",),
    "cover": ("sko", "overtræk"),
    "product": ("produkt", "vare"),
    "supply": ("vare", "artikel", "forbrug", "kuglepen", "papir", "kontor"),
    "supplies": ("vare", "artikel", "forbrug", "kuglepen", "papir", "kontor"),
    "label": ("mærke",),
    "kilo": ("kilo", "kg"),
    "placement": ("plads", "ophold"),
    "energy": ("energi", "elforbrug", "varme"),
    "fuel": ("brændstof", "diesel", "benzin"),
    "vehicle": ("køretøj", "bil"),
    "car": ("bil",),
    "trip": ("tur", "kørsel", "rejse"),
    "flight": ("fly",),
}


def _base(word: str) -> str:
    """An English noun without its plural ending: "emissions", "invoices", "supplies" as listed."""
    w = word.lower().strip("'’")
    if w in _GLOSSES:
        return w
    for cut in ("ies", "es", "s"):
        if w.endswith(cut) and w[:-len(cut)] + ("y" if cut == "ies" else "") in _GLOSSES:
            return w[:-len(cut)] + ("y" if cut == "ies" else "")
    return w


# Words between a figure and the "of" / "on" that introduces what it counts: "200 million a year on services".
_PASS = frozenset("a an the per year years annually month week its their total kr dkk".split())


def counted(words: Sequence[str], position: int, reach: int = 6) -> list[str]:
    """What the figure at ``position`` may count: the noun after "of" / "on" right after it ("10 per cent of
    emissions", "200 million a year on services"), or else any listed noun before it in its clause
    ("reduced its spending on employment services by 29 per cent": spending or services)."""
    k = position + 1
    while k < len(words) and k <= position + reach and words[k].lower() in _PASS | _UNIT_WORDS:
        k += 1
    if k < len(words) and words[k].lower() in ("of", "on"):
        for word in words[k + 1:k + 1 + reach]:
            if word in _CLAUSE_END:
                break
            if _base(word) in _GLOSSES:
                return [word]
    found = []
    k = position - 1
    while k >= 0 and position - k <= reach and words[k] not in _CLAUSE_END:
        if _base(words[k]) in _GLOSSES:
            found.append(words[k])
        k -= 1
    return found


def rendered(english: str, danish_words: Iterable[str]) -> bool:
    """Whether one of ``danish_words`` says what ``english`` says (as a word or a part of a compound)."""
    stems = _GLOSSES[_base(english)]
    return any(stem in w.lower() for w in danish_words for stem in stems)
