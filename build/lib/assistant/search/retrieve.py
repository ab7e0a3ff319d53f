"""Hybrid retrieval: dense (Chroma) + lexical (FTS5 over Danish stems), fused by
weighted reciprocal rank. Both single methods stay callable for the evals."""

from __future__ import annotations

import logging
from typing import Literal

from assistant.search.catalog import Catalog
from assistant.search.embed import Embedder
from assistant.search.vectors import VectorStore
from assistant.settings import Settings
from assistant.types import Passage

log = logging.getLogger(__name__)

Method = Literal["hybrid", "dense", "lexical"]


def fuse(dense: list[tuple[str, float]], lexical: list[tuple[str, float]],
         settings: Settings, lexical_trust: float = 1.0) -> dict[str, float]:
    """Weighted reciprocal-rank fusion of two best-first hit lists.

    ``lexical_trust`` (0..1) scales the lexical side per query: an English
    question over Danish text shares few terms with the index, and its BM25
    hits are noise. Weights were tuned with `python -m evals retrieval` (README).
    A min-max score mix was tried as well and ranked worse on the eval set.
    """
    scores: dict[str, float] = {}
    weighted = ((settings.dense_weight, dense), (settings.lexical_weight * lexical_trust, lexical))
    for weight, hits in weighted:
        for rank, (cid, _) in enumerate(hits, start=1):
            scores[cid] = scores.get(cid, 0.0) + weight / (settings.rrf_k + rank)
    return scores


class Retriever:
    def __init__(self, settings: Settings, embedder: Embedder, catalog: Catalog,
                 vectors: VectorStore) -> None:
        self.settings = settings
        self.embedder = embedder
        self.catalog = catalog
        self.vectors = vectors

    def search(self, query: str, k: int | None = None, *, doc_ids: list[str] | None = None,
               method: Method = "hybrid") -> list[Passage]:
        k = k or self.settings.retrieve_k
        query = query.strip()
        if not query:
            return []
        n = max(self.settings.candidates, k)
        dense: list[tuple[str, float]] = []
        lexical: list[tuple[str, float]] = []
        if method in ("hybrid", "dense"):
            dense = self.vectors.query(self.embedder.embed_query(query), n, doc_ids)
        if method in ("hybrid", "lexical"):
            lexical = self.catalog.lexical_search(query, n, doc_ids)

        trust = 1.0
        if method == "hybrid" and lexical:
            trust = self.catalog.term_coverage(query) ** self.settings.coverage_power
        scores = fuse(dense, lexical, self.settings, trust)
        dense_rank = {cid: r for r, (cid, _) in enumerate(dense, start=1)}
        lexical_rank = {cid: r for r, (cid, _) in enumerate(lexical, start=1)}
        similarity = dict(dense)
        ranked = sorted(scores, key=lambda cid: (-scores[cid], cid))
        # The catalog is the source of truth: a vector whose chunk it does not
        # know (e.g. left over from an interrupted write) is never shown.
        chunks = self.catalog.chunks(ranked[: k * 3])
        passages = []
        for cid in ranked:
            chunk = chunks.get(cid)
            if chunk is None:
                continue
            passages.append(Passage(chunk, scores[cid], dense_rank.get(cid), lexical_rank.get(cid),
                                    similarity.get(cid)))
            if len(passages) == k:
                break
        return passages
