"""Does a supported sentence answer the question that was asked?

A sentence can be true to its passage and still answer another question: "27,6 pct." is what Roskilde's
food emissions fell from 2019 to 2022, not from 2023 to 2025; "65 kommuner" is no answer to "hvor mange
regioner"; "29 pct." is no answer to "hvor mange kroner". A near-miss question (a year, a municipality or
a figure the corpus lacks, next to one it has) is refused only if the question's own premises are checked
against the passage that supports the answer, and the kind of answer against the kind of question.

Three checks, each a Danish reason when it fails:
- what the question takes as given (its years, municipalities and figures) stands in that passage;
- a question after an amount ("hvor meget", "how many") is answered with a figure;
- "hvor mange kroner" wants kroner, and "hvor mange regioner" a figure said of regions.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.claims.extract import MONTHS, UNITS, Claim, SentenceClaims, parse
from assistant.claims.match import ALIASES, has_term, is_municipality
from assistant.claims.passage import PassageView
from assistant.search.lexical import DanishAnalyzer
from assistant.text import plain_chemistry

_AMOUNT = (("hvor", "meget"), ("hvor", "mange"), ("hvor", "stor"), ("hvor", "store"), ("hvor", "høj"),
           ("hvor", "lang"), ("how", "much"), ("how", "many"), ("how", "large"), ("how", "big"),
           ("how", "high"), ("how", "long"))
_MONEY = frozenset({"penge", "money"})
_REGION = ("region",)
_STATE = ("stat", "statslig")
_PARTIES = {**dict.fromkeys(("region", "regionen", "regioner", "regionerne", "regions", "regional"), _REGION),
            **dict.fromkeys(("staten", "statens", "state", "state's"), _STATE)}
# After "hvor mange" / "how many": words that are not the thing counted.
_NOT_COUNTED = frozenset("af of the de der som i in gange times er is are var was".split())


@dataclass(frozen=True)
class Asked:
    """What a question takes as given and what kind of answer it wants."""

    amount: bool  # it asks for a figure
    unit: str | None  # the unit it asks in ("hvor mange kroner" → "kr")
    counted: str | None  # the stem of what it counts ("hvor mange regioner" → "region")
    premises: tuple[Claim, ...]  # its own years, municipalities and figures
    # The public bodies it asks about other than the municipalities ("regionerne", "the state"), each with
    # the Danish stems a passage about it would use: "How much do the regions spend" is not answered by what
    # the municipalities spend.
    parties: tuple[tuple[str, tuple[str, ...]], ...] = ()


def asked(question: str, analyzer: DanishAnalyzer) -> Asked:
    question = plain_chemistry(question)
    words = [w.strip("?.,!:;'’\"()").lower() for w in question.split()]
    amount, unit, counted = False, None, None
    for i in range(len(words) - 1):
        if (words[i], words[i + 1]) not in _AMOUNT:
            continue
        amount = True
        following = words[i + 2] if i + 2 < len(words) else ""
        if following in UNITS or following in _MONEY:
            unit = UNITS.get(following, "kr")
        elif words[i + 1] == "mange" or words[i + 1] == "many":
            terms = analyzer.terms(following) if following not in _NOT_COUNTED else []
            counted = terms[0] if terms else None
        break
    claims = parse(question)
    premises = tuple(c for c in claims.claims if c.kind in ("year", "number")
                     or (c.kind == "name" and is_municipality(_municipality_key(c))))
    # English "state" is also a verb ("what does the strategy state"): only "the state" is the party.
    parties = tuple(dict.fromkeys((word, _PARTIES[word]) for i, word in enumerate(words) if word in _PARTIES
                                  and (word not in ("state", "state's") or (i and words[i - 1] == "the"))))
    return Asked(amount, unit, counted, premises, parties)


def _municipality_key(claim: Claim) -> str:
    """The name's key, with an English genitive dropped and an English name in Danish ("Copenhagen")."""
    text = claim.text.lower()
    bare = text[:-2] if text.endswith(("'s", "’s")) else text
    alias = ALIASES.get(bare)
    if alias:
        return alias
    return claim.key.rstrip("'’s") if bare != text else claim.key


def misfit(question: Asked, sentence: SentenceClaims, terms: frozenset[str], passage: PassageView) -> str:
    """Why the supported sentence does not answer the question (Danish), or "" when it does."""
    missing = [c.text for c in question.premises if not _stands_in(c, passage)]
    if missing:
        return f"spørgsmålet nævner {', '.join(missing)}, som uddraget ikke nævner"
    # "31. august" is a date, not an amount: a question after how much is not answered by a deadline.
    figures = [c for c in sentence.claims if c.kind == "number" and (c.counted or "").lower() not in MONTHS]
    if question.amount and not figures:
        return "spørgsmålet spørger efter et tal, og sætningen giver intet"
    if question.unit and not any(c.unit == question.unit for c in figures):
        return f"spørgsmålet spørger efter {question.unit}, og sætningen giver {figures[0].text}"
    if question.counted and not has_term(terms, question.counted, loose=True):
        return "sætningens tal handler om noget andet end det, spørgsmålet tæller"
    said = frozenset().union(passage.heading_terms, *(s.terms for s in passage.sentences))
    absent = [word for word, stems in question.parties if not any(has_term(said, t) for t in stems)]
    if absent:
        return f"spørgsmålet spørger om {', '.join(absent)}, som uddraget ikke nævner"
    return ""


def _stands_in(claim: Claim, passage: PassageView) -> bool:
    said = [c for s in passage.sentences for c in s.parsed.claims]
    if claim.kind == "year":
        return claim.key in passage.heading_years or any(c.kind == "year" and c.key == claim.key for c in said)
    if claim.kind == "number":
        return any(c.kind == "number" and claim.key in (*c.key.split("–"), c.key) for c in said)
    key = _municipality_key(claim)
    named = {m for s in passage.sentences for m in s.municipalities}
    return any(m.startswith(key) or key.startswith(m[:max(4, len(m) - 2)]) for m in named) \
        or key in passage.heading
