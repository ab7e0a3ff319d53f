"""Typed values passed between pipeline stages. Each one carries its source."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class Section:
    """A span of the document text under one heading path."""

    start: int
    end: int
    heading_path: tuple[str, ...]


@dataclass(frozen=True)
class PageSpan:
    start: int
    end: int
    page: int  # 1-based, as printed in a PDF viewer


@dataclass(frozen=True)
class DocumentMeta:
    doc_id: str
    title: str
    publisher: str = ""
    year: str = ""
    kind: str = ""
    source: str = ""  # file name the document was loaded from
    note: str = ""  # e.g. "Vores resumé; ikke den officielle tekst"


@dataclass(frozen=True)
class Document:
    meta: DocumentMeta
    text: str  # the loaded text; every chunk and quote is an exact substring of it
    sha256: str  # of the original file bytes
    sections: tuple[Section, ...] = ()
    pages: tuple[PageSpan, ...] = ()

    @property
    def doc_id(self) -> str:
        return self.meta.doc_id

    # Sections and pages are sorted and disjoint; bisect keeps chunking linear-logarithmic even for
    # a hostile file with a heading on every line (a linear scan per chunk was quadratic).
    @cached_property
    def _section_starts(self) -> list[int]:
        return [s.start for s in self.sections]

    @cached_property
    def _page_starts(self) -> list[int]:
        return [p.start for p in self.pages]

    def heading_path_at(self, offset: int) -> tuple[str, ...]:
        i = bisect_right(self._section_starts, offset) - 1
        if i >= 0 and self.sections[i].start <= offset < self.sections[i].end:
            return self.sections[i].heading_path
        return ()

    def page_at(self, offset: int) -> int | None:
        i = bisect_right(self._page_starts, offset) - 1
        if i >= 0 and self.pages[i].start <= offset < self.pages[i].end:
            return self.pages[i].page
        return None


def format_location(heading_path: tuple[str, ...], page: int | None) -> str:
    parts = []
    if heading_path:
        parts.append(" › ".join(heading_path))
    if page is not None:
        parts.append(f"side {page}")
    return "; ".join(parts) or "dokumentets start"


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    doc_id: str
    title: str
    seq: int
    start: int
    end: int
    text: str  # == document.text[start:end]
    heading_path: tuple[str, ...] = ()
    page: int | None = None

    @property
    def location(self) -> str:
        return format_location(self.heading_path, self.page)

    def index_text(self) -> str:
        """What the embedder and lexical index see: context header + text with
        line-break hyphenation undone ("okse-\\n\\nkød" → "oksekød"). The quoted
        text stays untouched."""
        from assistant.text import dehyphenate

        header = " › ".join((self.title, *self.heading_path))
        return f"{header}\n{dehyphenate(self.text)}"


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with how it was found."""

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None
    dense_similarity: float | None = None


@dataclass(frozen=True)
class Citation:
    n: int
    doc_id: str
    title: str
    location: str
    quote: str
    chunk_id: str

    def as_json(self) -> dict:
        return {
            "n": self.n,
            "doc_id": self.doc_id,
            "title": self.title,
            "location": self.location,
            "quote": self.quote,
        }


@dataclass(frozen=True)
class Quote:
    """A sentence of a retrieved passage that bears on the question, shown verbatim before the model
    writes anything. ``start``/``end`` are offsets in the passage's chunk text (``text`` is that slice)."""

    n: int  # the passage (1-based), as cited with [n]
    text: str
    start: int
    end: int

    def as_json(self) -> dict:
        return {"n": self.n, "quote": self.text}


@dataclass(frozen=True)
class SupportNote:
    """How one sentence of an answer is backed by the passages."""

    sentence: str
    sources: tuple[int, ...]  # citation numbers that support it
    supported: bool
    missing_numbers: tuple[str, ...] = ()
    model_cited: tuple[int, ...] = ()
    problems: tuple[str, ...] = ()  # why no passage supports it, in Danish

    def as_json(self) -> dict:
        return {"sentence": self.sentence, "sources": list(self.sources), "supported": self.supported,
                "missing_numbers": list(self.missing_numbers), "problems": list(self.problems)}


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    citations: tuple[Citation, ...]
    passages: tuple[Passage, ...]
    answered: bool  # False when the sources do not cover the question
    dropped_markers: tuple[int, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    support: tuple[SupportNote, ...] = field(default=())
    quotes: tuple[Quote, ...] = field(default=())  # the sources' own sentences, shown first

    def as_json(self) -> dict:
        return {
            "answer": self.text,
            "quotes": [q.as_json() for q in self.quotes],
            "citations": [c.as_json() for c in self.citations],
            "answered": self.answered,
            "support": [s.as_json() for s in self.support],
            "warnings": list(self.warnings),
        }
