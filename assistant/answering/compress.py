"""The passages as the model reads them: only the sentences that bear on the question.

On two CPU cores the model's cost is reading its prompt, not writing (about 40 tokens/s; five whole
700-character passages are some 1,300 tokens, a quarter of a minute before the first word). Most of a
passage is context the question does not need. Each passage keeps its best sentences, ranked by the
question's words they share (loose Danish matching) and, where an embedder is given, by their dense
similarity to the question, so an English question over Danish text still finds its sentence. The
top-ranked passage keeps more than the others. The sentences keep their order and are joined with " … ",
so the model never reads two sentences as one.

Only the prompt is shortened: quotes, citations and the claim checker work on the whole passages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.claims.checker import cosine
from assistant.claims.extract import looks_english
from assistant.claims.match import has_term
from assistant.claims.passage import view
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


@dataclass(frozen=True)
class Excerpt:
    passage: Passage
    text: str  # what the model reads for this passage
    spans: tuple[tuple[int, int], ...]  # the kept sentences, offsets in the chunk's verbatim text


def _rrf(rank: int, k: int = 5) -> float:
    return 1.0 / (k + rank)


class Compressor:
    def __init__(self, analyzer: DanishAnalyzer, embedder: Embedder | None = None, *,
                 top_chars: int = 600, other_chars: int = 300) -> None:
        self.analyzer = analyzer
        self.embedder = embedder
        self.top_chars = top_chars
        self.other_chars = other_chars

    def excerpts(self, question: str, passages: Sequence[Passage]) -> list[Excerpt]:
        lowered = question.lower()
        words = _WORD.findall(lowered)
        if self.embedder is None and words and (words[0] in _ENGLISH_OPENERS or looks_english(words)):
            # Shared words pick nothing across languages; without sentence vectors the model reads it all.
            return [Excerpt(p, p.chunk.text.strip(), ((0, len(p.chunk.text)),)) for p in passages]
        asked = frozenset(self.analyzer.terms(question))
        amount = any(cue in lowered for cue in _AMOUNT)
        views = [view(p, self.analyzer) for p in passages]
        # Headings and bullet stubs carry no answer; the passage header already names title and section.
        candidates = [[s for s in v.sentences if len(s.text) >= 25 and not s.text.lstrip().startswith("#")]
                      for v in views]
        dense = self._dense(question, candidates)
        out = []
        for rank, (passage, sentences) in enumerate(zip(passages, candidates, strict=True)):
            budget = self.top_chars if rank == 0 else self.other_chars
            if not sentences or len(passage.chunk.text) <= budget:
                out.append(Excerpt(passage, passage.chunk.text.strip(), ((0, len(passage.chunk.text)),)))
                continue
            lexical = [sum(has_term(s.terms, t, loose=True) for t in asked)
                       + (amount and any(c.kind == "number" for c in s.parsed.claims)) for s in sentences]
            # Tied sentences share a rank; a sentence sharing no word gets nothing from this side.
            score = {i: _rrf(sum(other > lexical[i] for other in lexical)) if lexical[i] else 0.0
                     for i in range(len(sentences))}
            if dense is not None:
                sims = dense[rank]
                for r, i in enumerate(sorted(range(len(sentences)), key=lambda i: -sims[i])):
                    score[i] += _rrf(r)
            elif not any(lexical):
                # No shared word and no embedder: the passage's opening is the best guess.
                score = {i: -i for i in range(len(sentences))}
            kept: list[int] = []
            used = 0
            for i in sorted(score, key=lambda i: (-score[i], i)):
                size = len(sentences[i].text) + len(GAP)
                if kept and used + size > budget:
                    continue
                kept.append(i)
                used += size
            kept.sort()
            text = GAP.join(sentences[i].text for i in kept)
            out.append(Excerpt(passage, text, tuple((sentences[i].start, sentences[i].end) for i in kept)))
        return out

    def _dense(self, question: str, candidates: list[list]) -> list[list[float]] | None:
        if self.embedder is None:
            return None
        texts = [s.text for sentences in candidates for s in sentences]
        if not texts:
            return None
        query = self.embedder.embed_query(question)
        vectors = iter(self.embedder.embed_passages(texts))
        return [[cosine(query, next(vectors)) for _ in sentences] for sentences in candidates]
