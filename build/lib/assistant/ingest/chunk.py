"""Structure-aware chunking: sections → paragraphs/lists → sentences.

Invariant: ``chunk.text == document.text[chunk.start:chunk.end]``. Chunks never
cross a heading, so each one has a single heading path to show as its location.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from assistant.text import ends_with_hyphen_break
from assistant.types import Chunk, Document

_BLANK = re.compile(r"\n[ \t\u00a0]*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+(?=\S)")
_HEADING_LINE = re.compile(r"^\s*#{1,6}\s")

CHUNKER_VERSION = "structure-v1"


@dataclass(frozen=True)
class ChunkConfig:
    max_chars: int = 700
    min_chars: int = 120

    @property
    def signature(self) -> str:
        return f"{CHUNKER_VERSION}:{self.max_chars}:{self.min_chars}"


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def _blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Paragraph-level spans; a word hyphenated across a blank line stays in one block."""
    spans: list[tuple[int, int]] = []
    cursor = start
    for sep in _BLANK.finditer(text, start, end):
        span = _trimmed(text, cursor, sep.start())
        if span:
            spans.append(span)
        cursor = sep.end()
    span = _trimmed(text, cursor, end)
    if span:
        spans.append(span)
    merged: list[tuple[int, int]] = []
    for span in spans:
        # Spans are trimmed, so the last and first few characters decide; slicing the whole growing
        # block here was quadratic on a file of hyphenated one-word paragraphs.
        if merged and ends_with_hyphen_break(text[max(merged[-1][0], merged[-1][1] - 4):merged[-1][1]],
                                             text[span[0]:span[0] + 4]):
            merged[-1] = (merged[-1][0], span[1])
        else:
            merged.append(span)
    return merged


def _split_long(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Split one over-long block at sentence ends, then at spaces as a last resort."""
    cuts = [start] + [m.start() for m in _SENTENCE_END.finditer(text, start, end)] + [end]
    pieces: list[tuple[int, int]] = []
    piece_start = start
    for prev, cut in itertools.pairwise(cuts):
        if cut - piece_start > limit and prev > piece_start:
            pieces.append((piece_start, prev))
            piece_start = prev
    pieces.append((piece_start, end))
    result: list[tuple[int, int]] = []
    for s, e in pieces:
        while e - s > limit * 1.5:
            cut = text.rfind(" ", s, s + limit)
            cut = cut if cut > s else s + limit
            result.append((s, cut))
            s = cut
        result.append((s, e))
    return [span for s, e in result if (span := _trimmed(text, s, e))]


def _is_heading_only(text: str) -> bool:
    return all(_HEADING_LINE.match(line) or not line.strip() for line in text.splitlines())


def chunk_document(doc: Document, config: ChunkConfig = ChunkConfig()) -> list[Chunk]:
    spans: list[tuple[int, int]] = []
    sections = doc.sections or ()
    bounds = [(s.start, s.end) for s in sections] or [(0, len(doc.text))]
    for sec_start, sec_end in bounds:
        current: tuple[int, int] | None = None
        section_spans: list[tuple[int, int]] = []
        for b_start, b_end in _blocks(doc.text, sec_start, sec_end):
            pieces = (
                _split_long(doc.text, b_start, b_end, config.max_chars)
                if b_end - b_start > config.max_chars
                else [(b_start, b_end)]
            )
            for p_start, p_end in pieces:
                if current and p_end - current[0] <= config.max_chars:
                    current = (current[0], p_end)
                else:
                    if current:
                        section_spans.append(current)
                    current = (p_start, p_end)
        if current:
            section_spans.append(current)
        # A short tail is worth more joined to its neighbour than alone.
        if (len(section_spans) > 1
                and section_spans[-1][1] - section_spans[-1][0] < config.min_chars
                and section_spans[-1][1] - section_spans[-2][0] <= config.max_chars * 1.5):
            tail = section_spans.pop()
            section_spans[-1] = (section_spans[-1][0], tail[1])
        spans.extend(section_spans)

    chunks: list[Chunk] = []
    for start, end in spans:
        text = doc.text[start:end]
        if _is_heading_only(text):
            continue  # the heading still appears in the heading path of what follows
        seq = len(chunks)
        chunks.append(Chunk(
            chunk_id=f"{doc.sha256[:16]}-{seq:04d}",
            doc_id=doc.doc_id,
            title=doc.meta.title,
            seq=seq,
            start=start,
            end=end,
            text=text,
            heading_path=doc.heading_path_at(start),
            page=doc.page_at(start),
        ))
    return chunks
