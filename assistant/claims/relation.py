"""What a named party did: "developed by POGI and SKI" is not backed by "Principperne anvendes af POGI og
SKI", though every name and the topic match (an English answer once said so, and was shown as supported).

A few verbs that tell the roles of the parties a procurement text names apart, in families that mean the
same in English and Danish. A sentence that uses exactly one family binds it to the names it gives; the
passage's sentences that name the same party must then use that family, or at least no other one of the
list (a verb outside the list proves nothing either way, so it is let through: this is a check for a
swapped role, not a paraphrase judge).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

# Each family: English forms (whole words or two-word phrases; "used" but not "useful") and Danish stems
# (prefixes: "anvend" is anvender, anvendes, anvendt). Danish "brugte" is left out: "brugte møbler" are
# second-hand furniture, not something a party used.
_FAMILIES: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    "udviklet": (frozenset("develop developed develops developing drafted created creates devised designed "
                           "drew_up drawn_up".split()), ("udvikl", "udarbejd", "udform")),
    "anvendt": (frozenset("use used uses using applied applies apply employ employed employs".split()),
                ("anvend", "benytt", "bruger", "bruges", "brugt")),
    "præsenteret": (frozenset("presented presents introduced launched".split()), ("præsenter", "lancer")),
    "anbefalet": (frozenset("recommend recommended recommends".split()), ("anbefal",)),
    "finansieret": (frozenset("funded financed paid_for".split()), ("finansier",)),
}


def families(text: str) -> set[str]:
    """The families a text uses, word by word."""
    words = [w.strip(".,;:()»«\"'!?") for w in text.lower().split()]
    pairs = {f"{a}_{b}" for a, b in pairwise(words)}
    return {family for family, (english, danish) in _FAMILIES.items()
            if english & (set(words) | pairs) or any(w.startswith(danish) for w in words)}


def role_problems(sentence: str, names: Iterable[tuple[str, tuple[str, ...]]],
                  window: Iterable[str]) -> list[str]:
    """Why the window does not say that the named parties did what the sentence says they did, in Danish.

    ``names`` holds each name as written and the lower-case forms it may have in the passage (an English
    name's Danish form); ``window`` the passage's sentences that may hold them."""
    names = list(names)
    mine = families(sentence) if names else set()
    if len(mine) != 1:
        return []
    [family] = mine
    texts = [t.lower() for t in window]
    for name, forms in names:
        theirs = set().union(*(families(t) for t in texts if any(f in t for f in forms)))
        if theirs and family not in theirs:
            return [f"uddraget siger om »{name}«: {' og '.join(sorted(theirs))}, ikke {family}"]
    return []
