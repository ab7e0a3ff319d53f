"""A cause or a result is a claim of its own. "Krav om danske løn- og arbejdsvilkår forhindrer social
dumping" says more than "Kommunerne kan stille krav om danske løn- og arbejdsvilkår": it says what the
requirement does. Card rationale is written this way ("Kravet sikrer, at …", "… fordi …"), so a sentence
that states a cause, a result or a proof is backed only by a window that states one too."""

from __future__ import annotations

from collections.abc import Iterable

from assistant.claims.extract import plain_words

# Words by which a sentence says that one thing causes, prevents, proves or results in another. Not "led":
# it is Danish too ("som led i").
CAUSAL = frozenset("""
    fordi skyldes skyldtes takket forhindrer forhindrede forhindret forebygger forebyggede forebygget
    dokumenteret dokumenterer dokumentere medfører medførte medført resulterer resulterede resulteret
    fører førte ført bevirker bevirkede bevirket viser viste sikrer sikrede garanterer
    because thanks prevents prevented documented proves proved proven results resulted leads
    causes caused ensures ensured shows showed
""".split())
# What a window may say it with: the same words, and those that tell a consequence or a means.
_BACKING = CAUSAL | frozenset("""
    derfor derved dermed således hvilket resultatet resultat resultater effekt effekten effekter bidrager
    bidrog bidraget betyder betød betydet idet grundet følge sikre sikret sikres gevinst gevinster
    da therefore thus hence result effect since
""".split())


def causal_word(words: Iterable[str]) -> str:
    """The first word by which the sentence states a cause or a result, or ""."""
    return next((w for w in words if w in CAUSAL), "")


def cause_problem(sentence: str, window: str) -> str:
    word = causal_word(plain_words(sentence))
    if not word or set(plain_words(window)) & _BACKING:
        return ""
    return f"sætningen siger, at noget virker eller skyldes noget (»{word}«); det siger uddraget ikke"
