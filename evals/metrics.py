"""Metrics as plain functions returning (value, reason)."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.types import Chunk


@dataclass(frozen=True)
class Gold:
    doc_id: str
    start: int
    end: int


def is_hit(chunk: Chunk, gold: Gold) -> bool:
    """A chunk answers the question if it holds at least half of the evidence span."""
    if chunk.doc_id != gold.doc_id:
        return False
    overlap = min(chunk.end, gold.end) - max(chunk.start, gold.start)
    return overlap >= (gold.end - gold.start) / 2


def first_hit_rank(chunks: list[Chunk], gold: Gold) -> int | None:
    return next((rank for rank, c in enumerate(chunks, start=1) if is_hit(c, gold)), None)


def recall_at(rank: int | None, k: int) -> tuple[float, str]:
    if rank is None:
        return 0.0, "evidence not retrieved"
    return (1.0, f"hit at rank {rank}") if rank <= k else (0.0, f"hit only at rank {rank}")


def reciprocal_rank(rank: int | None) -> tuple[float, str]:
    return (0.0, "no hit") if rank is None else (1.0 / rank, f"rank {rank}")
