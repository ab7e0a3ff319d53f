"""What a list names: "Fødevarer, energi og transport er de tre mest miljøbelastende sektorer" is not backed
by "fødevarer, bolig- og transportsektoren er de tre mest miljøbelastende sektorer", though five of its six
words stand there. Each member of an enumeration ("A, B og C") is a claim that the passage names it.

Only a single-word member is read, between commas and the closing "og" / "eller" / "samt" / "and" / "or",
so "økologi, sæson og madspild" is a list of three and "løn- og arbejdsvilkår" is none: a hyphen-ended
first part ("bolig-") is the passage's own shorthand, and its word is the compound it shares a head with.
"""

from __future__ import annotations

from assistant.claims.extract import Token, tokens

_CLOSERS = frozenset("og eller samt and or".split())


def members(text: str) -> list[str]:
    """The single-word members of each enumeration of three or more in ``text``, as written."""
    toks = tokens(text)
    found: list[str] = []
    i = 0
    while i < len(toks):
        run, end = _run(toks, i)
        if len(run) >= 3:
            found += run
        # A list that started later inside this run would end where this one ended, and fail or hold alike.
        i = max(i + 1, end)
    return found


def _run(toks: list[Token], i: int) -> tuple[list[str], int]:
    """The list that starts at token i (word (, word)+ closer word, all of them plain words), and the index
    after the last token it read."""
    if not _word(toks, i):
        return [], i + 1
    run = [toks[i].text]
    j = i + 1
    while j + 1 < len(toks) and toks[j].text == "," and _word(toks, j + 1):
        run.append(toks[j + 1].text)
        j += 2
    if len(run) >= 2 and j + 1 < len(toks) and toks[j].low in _CLOSERS and _word(toks, j + 1):
        return [*run, toks[j + 1].text], j + 2
    return [], j


def _word(toks: list[Token], k: int) -> bool:
    text = toks[k].text
    return text.isalpha() and text.lower() not in _CLOSERS
