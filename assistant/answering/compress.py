"""The passages as the model reads them: only the few sentences that bear on the question.

On two CPU cores the model's cost is reading its prompt, not writing (about 60 tokens/s; five whole
700-character passages are some 1,300 tokens, twenty seconds before the first word). A question is
almost always answered by one or two sentences, so the sentences of all retrieved passages compete for
one small budget (600 characters by default, some 270 tokens): each is scored by the question's words it
shares (loose Danish matching; a question after an amount also wants a figure) plus a prior for its
passage's retrieval rank. An English question over Danish text shares no words with it, so there the
sentences are scored by their dense similarity to the question instead (the embedder, about 0.5 s). The
kept sentences stay in their passage's order and are joined with " … ", so the model never reads two
sentences as one; a passage that keeps nothing is left out of the prompt but keeps its number.

Only the prompt is shortened: quotes, citations and the claim checker work on the whole passages.
`python -m evals compression` measures how often the sentence holding the evidence survives.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.claims.checker import cosine
from assistant.claims.extract import looks_english
from assistant.claims.match import has_term
from assistant.claims.passage import PassageSentence, view
from assistant.search.embed import Embedder
from assistant.search.lexical import DanishAnalyzer
from assistant.types import Passage

GAP = " … "
_WORD = re.compile(r"[a-zæøå]+")
_ENGLISH_OPENERS = frozenset("how what which who whom whose when where why does did do is are can should".split())
# A question after an amount is answered by a sentence with a number in it, whatever its other words.
_AMOUNT = ("hvor meget", "hvor mange", "hvor stor", "hvor høj", "hvor lang", "hvor tit", "hvor ofte", "hvilke tre",
           "how much", "how many", "how large", "how big", "how high", "how long", "how often", "what share",
           "what percentage", "which three", "value", "beløb", "andel", "besparelse")
_DENSE_SCALE = 20.0
_MIN_SENTENCE = 25  # shorter "sentences" are headings and bullet stubs; the block header names the section


@dataclass(frozen=True)
class Excerpt:
    passage: Passage
    text: str  # what the model reads for this passage ("" when none of its sentences made the budget)
    spans: tuple[tuple[int, int], ...]  # the kept sentences, offsets in the chunk's verbatim text


def is_english(question: str) -> bool:
    words = _WORD.findall(question.lower())
    return bool(words) and (words[0] in _ENGLISH_OPENERS or looks_english(words))


class Compressor:
    def __init__(self, analyzer: DanishAnalyzer, embedder: Embedder | None = None, *,
                 budget_chars: int = 600, rank_prior: float = 0.6) -> None:
        self.analyzer = analyzer
        self.embedder = embedder
        self.budget_chars = budget_chars
        # Added to a sentence's score as prior / (1 + passage rank): between sentences that share as many
        # of the question's words, the better-ranked passage wins (chosen on the compression eval: 0.3 lost
        # evidence, 1.0 no better than 0.6).
        self.rank_prior = rank_prior

    def excerpts(self, question: str, passages: Sequence[Passage]) -> list[Excerpt]:
        """One excerpt per passage, in the passages' order (the model's [n] is the passage's number)."""
        return self.readings(question, passages)[0]

    def readings(self, question: str, passages: Sequence[Passage]) -> tuple[list[Excerpt], list[Excerpt]]:
        """The short reading (the best sentences of all passages under one budget) and the wide one, for a
        second try when the short one's answer is withheld: each passage keeps its own best sentences, the
        budget for the first and half of it for each other (the reading of 2026-11-30, slower to read but
        answering other questions than the short one). Sentences are scored once for both."""
        english = is_english(question)
        candidates = [(rank, s) for rank, p in enumerate(passages) for s in view(p, self.analyzer).sentences
                      if len(s.text) >= _MIN_SENTENCE and not s.text.lstrip().startswith("#")]
        if (english and self.embedder is None) or not candidates:
            # Shared words pick nothing across languages without sentence vectors, and passages of headings
            # and stubs have no sentence to pick: the model reads them whole.
            whole = [Excerpt(p, p.chunk.text.strip(), ((0, len(p.chunk.text)),)) for p in passages]
            return whole, whole
        fit = self._dense(question, candidates) if english else self._lexical(question, candidates)
        scored = sorted(((fit[i] + self.rank_prior / (1 + rank), rank, s.start, i)
                         for i, (rank, s) in enumerate(candidates)), key=lambda t: (-t[0], t[1], t[2]))
        short = self._kept(scored, candidates, lambda rank: self.budget_chars, shared=True)
        wide = self._kept(scored, candidates, lambda rank: self.budget_chars // (1 if rank == 0 else 2),
                          shared=False)
        return _excerpts(passages, short), _excerpts(passages, wide)

    @staticmethod
    def _kept(scored: list[tuple[float, int, int, int]], candidates: list[tuple[int, PassageSentence]],
              budget: Callable[[int], int], *, shared: bool) -> dict[int, list[PassageSentence]]:
        """The best sentences that fit: under one budget for all passages (``shared``) or one per passage."""
        kept: dict[int, list[PassageSentence]] = {}
        used: dict[int, int] = {}
        for _, rank, _, i in scored:
            sentence = candidates[i][1]
            size = len(sentence.text) + len(GAP)
            key = -1 if shared else rank
            if used.get(key, 0) and used[key] + size > budget(rank):
                continue  # a shorter sentence further down may still fit
            kept.setdefault(rank, []).append(sentence)
            used[key] = used.get(key, 0) + size
        return kept

    def _lexical(self, question: str, candidates: list[tuple[int, PassageSentence]]) -> list[float]:
        asked = frozenset(self.analyzer.terms(question))
        amount = any(cue in question.lower() for cue in _AMOUNT)
        return [(sum(has_term(s.terms, t, loose=True) for t in asked)
                 + (amount and any(c.kind == "number" for c in s.parsed.claims))) / max(1, len(asked))
                for _, s in candidates]

    def _dense(self, question: str, candidates: list[tuple[int, PassageSentence]]) -> list[float]:
        if self.embedder is None:  # excerpts() reads whole passages then; this keeps the type checker honest
            return [0.0] * len(candidates)
        query = self.embedder.embed_query(question)
        vectors = self.embedder.embed_passages([s.text for _, s in candidates])
        # e5's cosines between sentences on one topic differ by hundredths; scaled so the rank prior weighs
        # as little against them as the compression eval found best (0.03 / (1 + rank) in cosine units).
        return [_DENSE_SCALE * cosine(query, v) for v in vectors]


def _excerpts(passages: Sequence[Passage], kept: dict[int, list[PassageSentence]]) -> list[Excerpt]:
    out = []
    for rank, passage in enumerate(passages):
        sentences = sorted(kept.get(rank, ()), key=lambda s: s.start)
        out.append(Excerpt(passage, GAP.join(s.text for s in sentences), tuple((s.start, s.end) for s in sentences)))
    return out
