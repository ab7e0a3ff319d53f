"""Chroma as the dense index, always with our own embedding function.

Chroma's default embedding function downloads an ONNX model on first use and
fails offline, so every collection is created and opened with an adapter around
our Embedder; we also pass embeddings explicitly, so the adapter is a safety net.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

import chromadb
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.config import Settings as ChromaSettings
from chromadb.utils.embedding_functions import register_embedding_function

from assistant.search.embed import Embedder
from assistant.settings import Settings

log = logging.getLogger(__name__)


class _UnboundEmbedder:
    """Stand-in Chroma builds from the stored config; we always pass the real one."""

    def __init__(self, name: str) -> None:
        self.name = name

    def embed_passages(self, texts: Any) -> Any:
        raise RuntimeError(f"embedder {self.name} is not bound; open the collection through VectorStore")

    embed_query = embed_passages


@register_embedding_function
class EmbedderFunction(EmbeddingFunction[Documents]):
    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder

    def __call__(self, input: Documents) -> Embeddings:
        return cast(Embeddings, self._embedder.embed_passages(list(input)))

    def embed_query(self, input: Documents) -> Embeddings:
        return cast(Embeddings, [self._embedder.embed_query(t) for t in input])

    @staticmethod
    def name() -> str:
        return "udbudsassistent-embedder"

    def get_config(self) -> dict[str, Any]:
        return {"embedder": self._embedder.name}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> EmbedderFunction:
        return EmbedderFunction(cast(Embedder, _UnboundEmbedder(str(config.get("embedder", "?")))))

    def is_legacy(self) -> bool:
        return False


@dataclass(frozen=True)
class VectorConfig:
    directory: Path  # for the embedded (persistent) mode
    mode: Literal["persistent", "http"] = "persistent"
    host: str = "127.0.0.1"
    port: int = 8000
    collection: str = "corpus"

    @classmethod
    def from_settings(cls, settings: Settings) -> VectorConfig:
        return cls(directory=settings.chroma_dir, mode=settings.chroma_mode, host=settings.chroma_host,
                   port=settings.chroma_port, collection=settings.collection)


class VectorStore:
    REWRITES = 2

    def __init__(self, config: VectorConfig, embedder: Embedder) -> None:
        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        if config.mode == "http":
            self._client = chromadb.HttpClient(host=config.host, port=config.port, settings=chroma_settings)
        else:
            config.directory.mkdir(parents=True, exist_ok=True)
            self._client = chromadb.PersistentClient(path=str(config.directory), settings=chroma_settings)
        # One collection per embedder: vectors from different models never mix.
        name = re.sub(r"[^a-zA-Z0-9._-]", "-", f"{config.collection}-{embedder.name}")[:60]
        # Chroma's stubs want numpy arrays where it accepts plain lists; we pass lists of floats.
        self._collection: Any = self._client.get_or_create_collection(
            name=name,
            embedding_function=cast(Any, EmbedderFunction(embedder)),
            # A corpus of thousands of chunks needs no approximation: a wide search
            # beam makes the neighbour lists effectively exact and repeatable.
            configuration={"hnsw": {"space": "cosine", "ef_construction": 200, "ef_search": 200}},
        )

    def upsert(self, ids: list[str], embeddings: list[list[float]], doc_ids: list[str]) -> None:
        """Write the vectors, then make sure a search can find them.

        Chroma 1.5's local store now and then keeps a written record for ``get`` but not for
        ``query`` (about 1 upload in 10 in our tests; chroma-core/chroma#7758 reports the same on
        1.5.9): the new document is then invisible to dense search. Writing the lost records
        again makes them searchable. HNSW is approximate, so a record can also stay out of reach
        for good (many near-identical vectors); that is logged, the file stays indexed (its text
        is still found by the lexical side), and `python -m assistant check` counts it.
        """
        if not ids:
            return
        pending = list(range(len(ids)))
        for attempt in range(1 + self.REWRITES):
            self._collection.upsert(ids=[ids[i] for i in pending],
                                    embeddings=[embeddings[i] for i in pending],
                                    metadatas=[{"doc_id": doc_ids[i]} for i in pending])
            lost = self.unsearchable([ids[i] for i in pending], [embeddings[i] for i in pending],
                                     [doc_ids[i] for i in pending])
            if not lost:
                return
            log.warning("Chroma lost %d of %d written vectors for search%s", len(lost), len(pending),
                        "; writing them again" if attempt < self.REWRITES else "; they stay unreachable")
            pending = [i for i in pending if ids[i] in lost]

    def lost_for_search(self, ids: list[str]) -> tuple[list[str], list[list[float]], list[str]]:
        """Of the stored ``ids``, those a query cannot find, with their stored vectors and documents."""
        if not ids:
            return [], [], []
        got = self._collection.get(ids=ids, include=["embeddings", "metadatas"])
        rows = [(cid, [float(x) for x in emb], str(meta["doc_id"]))
                for cid, emb, meta in zip(got["ids"], got["embeddings"], got["metadatas"], strict=True)]
        lost = self.unsearchable([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])
        kept = [r for r in rows if r[0] in lost]
        return [r[0] for r in kept], [r[1] for r in kept], [r[2] for r in kept]

    def unsearchable(self, ids: list[str], embeddings: list[list[float]], doc_ids: list[str]) -> set[str]:
        """The ids a query within their document does not return (one filtered query per document).

        A zero vector (a text with no word the embedder knows) has no cosine to anything, so no search ever
        finds it; it is not counted, nor used as the query. Nor is a vector whose twin (the same vector, a
        repeated text) the query did return: a search finds that text either way."""
        by_doc: dict[str, list[int]] = {}
        for i, doc_id in enumerate(doc_ids):
            if any(embeddings[i]):
                by_doc.setdefault(doc_id, []).append(i)
        lost: set[str] = set()
        for doc_id, rows in by_doc.items():
            stored = len(self._collection.get(where={"doc_id": doc_id}, include=[])["ids"])
            result = self._collection.query(query_embeddings=[embeddings[rows[0]]], n_results=max(1, stored),
                                            where={"doc_id": doc_id}, include=["embeddings"])
            found = set(result["ids"][0])
            twins = {tuple(round(float(x), 5) for x in e) for e in result["embeddings"][0]}
            lost.update(ids[i] for i in rows
                        if ids[i] not in found and tuple(round(x, 5) for x in embeddings[i]) not in twins)
        return lost

    def delete(self, ids: list[str]) -> None:
        if ids:
            self._collection.delete(ids=ids)

    def existing(self, ids: list[str]) -> set[str]:
        if not ids:
            return set()
        return set(self._collection.get(ids=ids, include=[])["ids"])

    def count(self) -> int:
        return self._collection.count()

    def all_ids(self, page: int = 5_000) -> set[str]:
        """Every id in the collection (paged, so a large index is not fetched in one response)."""
        ids: set[str] = set()
        offset = 0
        while True:
            got = self._collection.get(include=[], limit=page, offset=offset)["ids"]
            ids.update(got)
            if len(got) < page:
                return ids
            offset += page

    def query(self, embedding: list[float], limit: int,
              doc_ids: list[str] | None = None) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity) best first."""
        if limit <= 0 or self.count() == 0:
            return []
        where = None
        if doc_ids:
            where = {"doc_id": doc_ids[0]} if len(doc_ids) == 1 else {"doc_id": {"$in": list(doc_ids)}}
        result = self._collection.query(query_embeddings=[embedding], n_results=min(limit, self.count()),
                                        where=where, include=["distances"])
        return [(cid, 1.0 - dist) for cid, dist in zip(result["ids"][0], result["distances"][0], strict=False)]
