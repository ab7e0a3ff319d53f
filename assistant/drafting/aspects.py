"""The aspects a drafting request names ("økologi, sæson og madspild"; "holder længe og kan repareres"):
one card per aspect unless the buyer asks for one requirement, plus the set a buyer expects for some
requests (a social clause for construction: the labour clause and trainees).

The request is user text: it is cut with str methods only, never a regular expression.
"""

from __future__ import annotations

import itertools

# Joins between aspects. Commas and semicolons also end an aspect; full stops end a sentence.
_JOINS = {"og", "samt", "and", "plus", "eller", "or", "også", "both", "både"}
_REQUIREMENT_NOUNS = {"krav", "kravet", "mindstekrav", "kontraktvilkår", "kontraktkrav", "tildelingskriterium",
                      "udvælgelseskriterium", "klausul", "vilkår", "requirement", "clause", "criterion",
                      "condition"}
_ONE = {"et", "ét", "en", "én", "a", "one", "single", "ene"}
MAX_ASPECTS = 4

# Requests where a buyer expects a set, not one clause: (area, category) → template ids, in order.
EXPECTED_SETS: dict[tuple[str, str], tuple[str, ...]] = {
    ("socialt ansvar", "bygge og anlæg"): ("SA-ARB-01", "SA-ELV-01"),
}


def asks_for_one(text: str) -> bool:
    """"Skriv et mindstekrav …", "a clause …": the buyer wants one requirement."""
    words = [w.strip(",.;:!?()\"'").lower() for w in text.split()]
    return any(a in _ONE and b in _REQUIREMENT_NOUNS for a, b in itertools.pairwise(words))


def split_aspects(text: str) -> list[str]:
    """The request cut at sentence ends, commas, semicolons and joining words ("og", "and"); a short
    single word joins the phrase before. The first piece is often context ("Vi køber nye kontorstole"):
    the drafter keeps a piece only if it leads to a template of its own."""
    pieces: list[str] = []
    current: list[str] = []

    def close() -> None:
        if len(current) >= 2 or (current and len(current[0]) >= 5):
            pieces.append(" ".join(current))  # "lærlinge" is an aspect on its own
        elif current and pieces:
            pieces[-1] += " " + current[0]  # "… og el" stays with the phrase before
        current.clear()

    for raw in text.split():
        word = raw.strip("()\"'")
        bare = word.rstrip(".,;:!?-–")
        if bare.lower() in _JOINS or not bare:
            close()
            continue
        current.append(bare)
        if word != bare:
            close()
    close()
    return pieces
