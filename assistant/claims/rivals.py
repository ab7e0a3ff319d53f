"""Words the passage says in place of the sentence's own: "pr. styk" where the passage says "pr. kilo", and
"beskæftigelsesområdet" where it says "socialområdet". Each is one word beside a dozen that match, so the
share of shared words never notices it; a reader does at once."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import pairwise

from assistant.claims.extract import plain_words, tokens

# Ways of writing the same basis of a rate, in both languages (an English answer is read against Danish).
_PER_SAME = {"kilo": "kg", "kilogram": "kg", "kilogramme": "kg", "styk": "stk", "stykket": "stk", "piece": "stk",
             "item": "stk", "unit": "stk", "tons": "ton", "tonne": "ton", "året": "år", "year": "år",
             "annum": "år", "måneden": "måned", "month": "måned", "ugen": "uge", "week": "uge", "dagen": "dag",
             "day": "dag"}
# Endings that make nouns of other words: "-isering" is no head of "digitalisering" and "professionalisering".
_DERIVATIONAL = ("ering", "ation", "ighed", "ning", "else", "skab", "ende", "hed")
_HEAD = 5  # letters of a shared last part that make it a word of its own
_MODIFIER = 3


def per_words(text: str) -> set[str]:
    """What a rate is given per: "betales pr. styk" → {"stk"}."""
    return {_PER_SAME.get(b, b) for a, b in pairwise(plain_words(text)) if a in ("pr", "per") and b.isalpha()
            and b != "cent"}


def per_problem(sentence: str, window: str) -> str:
    mine, theirs = per_words(sentence), per_words(window)
    other = sorted(theirs - mine)
    if mine - theirs and other:
        return f"uddraget siger pr. {other[0]}, ikke pr. {sorted(mine - theirs)[0]}"
    return ""


def _shared_head(a: str, b: str) -> str:
    k = 0
    while k < min(len(a), len(b)) and a[-1 - k] == b[-1 - k]:
        k += 1
    return a[len(a) - k:] if k else ""


def _is_head(part: str) -> bool:
    """A word of its own, not a derivational ending with a few letters in front ("alisering")."""
    return not any(part.endswith(e) and len(part) - len(e) < _HEAD for e in _DERIVATIONAL)


def compound_rival(missing: Iterable[str], window_terms: Iterable[str]) -> tuple[str, str] | None:
    """A compound of the sentence the window lacks, where the window has another compound of the same
    last part: (the sentence's term, the window's). Only whole heads of five letters or more count."""
    theirs = sorted(set(window_terms))
    for term in sorted(missing):
        for other in theirs:
            head = _shared_head(term, other)
            if (len(head) >= _HEAD and len(term) - len(head) >= _MODIFIER and len(other) - len(head) >= _MODIFIER
                    and _is_head(head)):
                return term, other
    return None


# Verbs and nouns of a movement, by direction, matched on a word's start (or a compound's last part:
# "CO2-nedbringelse"). Danish only: the English sentence shares no words to compare what moved.
# "mindsk", not "minds": "mindst 30 pct." is a floor, not a fall.
_DOWN = ("reduc", "nedbr", "sænk", "mindsk", "halver", "faldt", "faldet", "falder", "begræns", "minimer")
_UP = ("øge", "øget", "forøg", "steg", "stige", "stiger", "vokse", "vokset", "voksede", "vækst", "vækset")
# Not the full stop: "bl.a." is one; the texts given are single sentences.
_CLAUSE_MARKS = frozenset(",;:()–—")
_REACH = 3


def _direction(word: str) -> str | None:
    last = word.rsplit("-", 1)[-1]
    if last.startswith(_DOWN):
        return "ned"
    if last.startswith(_UP):
        return "op"
    return None


def _moves(text: str, terms_of: Callable[[str], list[str]]) -> list[tuple[str, frozenset[str], tuple[str, ...]]]:
    """Each movement in the text with the content words around it in its clause, as stems and as written:
    what moved, and what made it move ("Økologi reducerer brugen af pesticider" → ned, {økologi, brug,
    pesticid})."""
    toks = tokens(text)
    moves = []
    for i, tok in enumerate(toks):
        direction = _direction(tok.low)
        if direction is None:
            continue
        # "CO2-nedbringelse": the compound's first part is what moved.
        first = tok.low.rsplit("-", 1)[0] if "-" in tok.low else ""
        around: set[str] = set(terms_of(first)) if first else set()
        written: list[str] = [first] if first else []
        for step in (1, -1):
            k, found = i + step, 0
            while 0 <= k < len(toks) and found < _REACH and toks[k].text not in _CLAUSE_MARKS:
                terms = [t for t in terms_of(toks[k].text) if t.isalpha() and _direction(t) is None]
                around.update(terms)
                if terms:
                    written.append(toks[k].low)
                    found += 1
                k += step
        moves.append((direction, frozenset(around), tuple(written)))
    return moves


def moved_rival(sentence: str, passage: Iterable[str], terms_of: Callable[[str], list[str]],
                same: Callable[[frozenset[str], str], bool]) -> str:
    """The passage (its sentences) tells of the same kind of movement of something else only: "reduceret
    plast" does not back "reducerer brugen af pesticider". ``same(terms, term)`` is the checker's own word
    match."""
    theirs = [move for text in passage for move in _moves(text, terms_of)]
    for direction, mine, _ in _moves(sentence, terms_of):
        others = [(around, written) for d, around, written in theirs if d == direction]
        if others and mine and not any(same(around, t) for around, _ in others for t in mine):
            verb = "mindskes" if direction == "ned" else "øges"
            said = ", ".join(dict.fromkeys(w for _, written in others for w in written[:2]))
            return f"uddraget siger ikke, at det, sætningen nævner, {verb}; det siger det om »{said}«"
    return ""
