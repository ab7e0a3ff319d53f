"""One judgement of a card sentence, shared by drafting (``Drafter``) and re-checking a person's edit
(``tenders.review.CardRechecker``): which passage supports it, and which of its numbers and § references
nothing vouches for."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.claims.checker import SentenceCheck
from assistant.claims.sentences import numbers_in
from assistant.drafting.cards import ClaimNote
from assistant.types import Passage

PARAGRAPH = re.compile(r"§+\s*(\d+)")


@dataclass
class Judgement:
    chunk_id: str | None  # the passage that supports the sentence, if any
    flags: list[str] = field(default_factory=list)  # "tal uden kilde: …", "lovhenvisning uden for …"
    claims: list[ClaimNote] = field(default_factory=list)
    evidence: str = ""  # the supporting window, verbatim
    problems: list[str] = field(default_factory=list)  # why the nearest passage does not support it


def judge_sentence(sentence: str, check: SentenceCheck | None, passages: list[Passage], known_numbers: set[str],
                   allowed_paragraphs: set[str] | None = None) -> Judgement:
    """A number counts as sourced when the card's template, legal basis or request has it, or the
    supporting passage does; with ``allowed_paragraphs`` a § outside the card's legal basis is flagged."""
    chunk = passages[check.support[0] - 1].chunk if check and check.supported else None
    judged = Judgement(chunk.chunk_id if chunk else None)
    if check is not None:
        judged.claims = [ClaimNote(kind=r.claim.kind, text=r.claim.text, found=r.found, why=r.why)
                         for r in check.claims]
        judged.problems = list(check.problems)
        if chunk is not None and check.span:
            judged.evidence = chunk.text[check.span[0]:check.span[1]]
    unknown = numbers_in(sentence) - known_numbers - (numbers_in(chunk.text) if chunk else set())
    if unknown:
        judged.flags.append(f"tal uden kilde: {', '.join(sorted(unknown))}")
    if allowed_paragraphs is not None:
        bad = set(PARAGRAPH.findall(sentence)) - allowed_paragraphs
        if bad:
            judged.flags.append("lovhenvisning uden for kortets juridiske grundlag: § " + ", ".join(sorted(bad)))
    return judged
