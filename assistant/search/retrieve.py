"""Hybrid retrieval: dense (Chroma) + lexical (FTS5 over Danish stems), fused by
weighted reciprocal rank. Both single methods stay callable for the evals."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

from assistant.search.catalog import Catalog
from assistant.search.embed import Embedder
from assistant.search.vectors import VectorStore
from assistant.settings import Settings
from assistant.types import Passage

log = logging.getLogger(__name__)

Method = Literal["hybrid", "dense", "lexical"]


@dataclass(frozen=True)
class RetrievalConfig:
    k: int = 5
    candidates: int = 30
    rrf_k: int = 60
    dense_weight: float = 1.0
    lexical_weight: float = 0.7
    coverage_power: float = 2.0  # lexical weight × (share of query terms the index knows) ** power

    @classmethod
    def from_settings(cls, settings: Settings) -> RetrievalConfig:
        return cls(k=settings.retrieve_k, candidates=settings.candidates, rrf_k=settings.rrf_k,
                   dense_weight=settings.dense_weight, lexical_weight=settings.lexical_weight,
                   coverage_power=settings.coverage_power)


def fuse(dense: list[tuple[str, float]], lexical: list[tuple[str, float]],
         config: RetrievalConfig, lexical_trust: float = 1.0) -> dict[str, float]:
    """Weighted reciprocal-rank fusion of two best-first hit lists.

    ``lexical_trust`` (0..1) scales the lexical side per query: an English
    question over Danish text shares few terms with the index, and its BM25
    hits are noise. Weights were tuned with `python -m evals retrieval` (README).
    A min-max score mix was tried as well and ranked worse on the eval set.
    """
    scores: dict[str, float] = {}
    weighted = ((config.dense_weight, dense), (config.lexical_weight * lexical_trust, lexical))
    for weight, hits in weighted:
        for rank, (cid, _) in enumerate(hits, start=1):
            scores[cid] = scores.get(cid, 0.0) + weight / (config.rrf_k + rank)
    return scores


class Retriever:
    def __init__(self, config: RetrievalConfig, embedder: Embedder, catalog: Catalog,
                 vectors: VectorStore) -> None:
        self.config = config
        self.embedder = embedder
        self.catalog = catalog
        self.vectors = vectors

    def _without_vector(self, lexical: list[tuple[str, float]]) -> set[str]:
        if not lexical or self.vectors.count() >= self.catalog.count_chunks():
            return set()  # the usual case, two counts: every chunk has its vector
        ids = [cid for cid, _ in lexical]
        return set(ids) - self.vectors.existing(ids)

    def search(self, query: str, k: int | None = None, *, doc_ids: list[str] | None = None,
               method: Method = "hybrid") -> list[Passage]:
        k = k or self.config.k
        query = query.strip()
        if not query:
            return []
        n = max(self.config.candidates, k)
        dense: list[tuple[str, float]] = []
        lexical: list[tuple[str, float]] = []
        if method in ("hybrid", "dense"):
            dense = self.vectors.query(self.embedder.embed_query(query), n, doc_ids)
        if method in ("hybrid", "lexical"):
            lexical = self.catalog.lexical_search(query, n, doc_ids)

        trust = 1.0
        if method == "hybrid" and lexical:
            trust = self.catalog.term_coverage(query) ** self.config.coverage_power
        scores = fuse(dense, lexical, self.config, trust)
        dense_rank = {cid: r for r, (cid, _) in enumerate(dense, start=1)}
        lexical_rank = {cid: r for r, (cid, _) in enumerate(lexical, start=1)}
        if method == "hybrid":
            # A large upload is word-searchable before its vectors exist (Indexer.add_files, defer_over); its
            # chunks would lose every fusion to chunks both sides find, so until then the dense side is
            # assumed to rank them as the lexical side does.
            for cid in self._without_vector(lexical):
                scores[cid] += self.config.dense_weight / (self.config.rrf_k + lexical_rank[cid])
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
