"""Quote-first: the sentences of the retrieved passages that bear on the question, verbatim.

For a legal reader the source's own words are the answer; the model's sentence is a convenience that must
earn its place. So before the model writes anything, the sentence (or two) that share most of the
question's terms are taken from the passages, ranked by that share and by the passage's retrieval rank.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.claims.match import has_term
from assistant.claims.passage import view
from assistant.search.lexical import DanishAnalyzer
from assistant.types import Passage, Quote

# A heading or a bullet fragment is no answer.
_MIN_CHARS = 40


def select_quotes(question: str, passages: Sequence[Passage], analyzer: DanishAnalyzer, *, limit: int = 2,
                  min_share: float = 0.5) -> list[Quote]:
    asked = frozenset(analyzer.terms(question))
    if not asked:
        return []
    scored: list[tuple[float, int, Quote]] = []
    for rank, passage in enumerate(passages):
        for s in view(passage, analyzer).sentences:
            if len(s.text) < _MIN_CHARS or s.text.lstrip().startswith("#"):
                continue
            matched = sum(has_term(s.terms, t, loose=True) for t in asked)
            # One shared word ("prisen") is chance; a quote must meet the question on two at least.
            if matched < min(2, len(asked)) or matched / len(asked) < min_share:
                continue
            share = matched / len(asked)
            text = passage.chunk.text[s.start:s.end]
            # The passage's rank breaks near-ties: retrieval has already weighed the whole passage.
            scored.append((share - 0.02 * rank, rank, Quote(rank + 1, text, s.start, s.end)))
    scored.sort(key=lambda item: (-item[0], item[1], item[2].start))
    chosen: list[Quote] = []
    best = scored[0][0] if scored else 0.0
    for score, _, quote in scored:
        if len(chosen) >= limit or score < best * 0.8:
            break
        chosen.append(quote)
    return sorted(chosen, key=lambda q: (q.n, q.start))
