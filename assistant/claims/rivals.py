"""Words the passage says in place of the sentence's own: "pr. styk" where the passage says "pr. kilo", and
"beskæftigelsesområdet" where it says "socialområdet". Each is one word beside a dozen that match, so the
share of shared words never notices it; a reader does at once."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

# Ways of writing the same basis of a rate, in both languages (an English answer is read against Danish).
_PER_SAME = {"kilo": "kg", "kilogram": "kg", "kilogramme": "kg", "styk": "stk", "stykket": "stk", "piece": "stk",
             "item": "stk", "unit": "stk", "tons": "ton", "tonne": "ton", "året": "år", "year": "år",
             "annum": "år", "måneden": "måned", "month": "måned", "ugen": "uge", "week": "uge", "dagen": "dag",
             "day": "dag"}
# Endings that make nouns of other words: "-isering" is no head of "digitalisering" and "professionalisering".
_DERIVATIONAL = ("ering", "ation", "ighed", "ning", "else", "skab", "ende", "hed")
_HEAD = 5  # letters of a shared last part that make it a word of its own
_MODIFIER = 3


def _words(text: str) -> list[str]:
    return [w.strip(".,;:()»«\"'!?").lower() for w in text.split()]


def per_words(text: str) -> set[str]:
    """What a rate is given per: "betales pr. styk" → {"stk"}."""
    return {_PER_SAME.get(b, b) for a, b in pairwise(_words(text)) if a in ("pr", "per") and b.isalpha()
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
