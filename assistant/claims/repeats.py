"""Near-repeated sentences inside one text: the 1.5B model's habit of saying a clause twice in other words, and a
buyer's edit that pastes a sentence already there. A clause that says the same twice reads as careless in a
tender and can be read as two obligations, so a repeat is flagged on the card and left out of every export."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.claims.sentences import split_sentences
from assistant.search.lexical import DanishAnalyzer

REPEAT_FLAG = "Gentagelse udeladt i eksporten"


def near_repeats(sentences: Sequence[str], analyzer: DanishAnalyzer) -> list[tuple[int, int]]:
    """(later, earlier) index pairs where the later sentence nearly says what the earlier one says: four fifths of
    the shorter one's content words (at least four), or exactly the same content words."""
    pairs: list[tuple[int, int]] = []
    seen: list[set[str]] = []
    for j, sentence in enumerate(sentences):
        terms = set(analyzer.terms(sentence))
        for i, other in enumerate(seen):
            shorter = min(len(terms), len(other))
            if (shorter >= 4 and len(terms & other) >= 0.8 * shorter) or (terms and terms == other):
                pairs.append((j, i))
                break
        seen.append(terms)
    return pairs


def without_repeats(text: str, analyzer: DanishAnalyzer) -> tuple[str, list[str]]:
    """The text with each near-repeated sentence left out (the first saying stays), and the sentences left out."""
    spans = split_sentences(text)
    sentences = [text[a:b] for a, b in spans]
    dropped = {j for j, _ in near_repeats(sentences, analyzer)}
    if not dropped:
        return text, []
    kept = " ".join(s.strip() for k, s in enumerate(sentences) if k not in dropped)
    return kept, [sentences[j].strip() for j in sorted(dropped)]
