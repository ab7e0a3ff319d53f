"""Re-checking a card after a person edits it, and the reviewer's view of its sources.

An edited sentence is never passed off as sourced: unchanged sentences keep their
judgement, new ones are checked against the passages the card already cites
(content-term overlap, every number present), and what fails is flagged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from assistant.claims.checker import ClaimChecker
from assistant.claims.repeats import REPEAT_FLAG, near_repeats
from assistant.claims.sentences import numbers_in, split_sentences
from assistant.drafting.cards import (
    FIELD_LABELS,
    UNSUPPORTED_PREFIX,
    CardField,
    RequirementCard,
    SentenceSupport,
    unsupported_flag,
)
from assistant.drafting.judge import judge_sentence
from assistant.search.catalog import Catalog
from assistant.tenders.tender import SourceDocument
from assistant.text import danish_date
from assistant.types import Passage

CHECKED_FIELDS: tuple[CardField, ...] = ("text", "documentation", "follow_up", "rationale")


@dataclass(frozen=True)
class SourceView:
    """One cited passage as the reviewer sees it: the quote inside its surrounding
    indexed text (start/end are offsets of the quote in ``context``)."""

    n: int
    title: str
    location: str
    doc_id: str
    context: str
    start: int
    end: int
    supports: list[SentenceSupport]  # the card's sentences this passage supports
    in_index: bool = True
    cut_before: bool = False  # context starts inside the document
    cut_after: bool = False
    # Danish, when the quote is not in the current text: the source changed since, or was removed
    warning: str = ""


class CardRechecker:
    def __init__(self, catalog: Catalog, checker: ClaimChecker) -> None:
        self.catalog = catalog
        self.checker = checker

    def __call__(self, before: RequirementCard, after: RequirementCard, who: str) -> RequirementCard:
        chunks = self.catalog.chunks([c.chunk_id for c in before.citations])
        passages = [Passage(chunks[c.chunk_id], 1.0) for c in before.citations if c.chunk_id in chunks]
        number_of = {c.chunk_id: c.n for c in before.citations}
        known_numbers = numbers_in(" ".join(
            [p.chunk.text for p in passages] + [f"{r.rule} {r.gist}" for r in before.legal_basis]
            + [getattr(before, f) for f in CHECKED_FIELDS]))
        old = {(s.field, s.sentence): s for s in before.support}
        support: list[SentenceSupport] = []
        flags = [f for f in before.flags if not f.startswith(UNSUPPORTED_PREFIX)]
        for name in CHECKED_FIELDS:
            value = getattr(after, name)
            if value == getattr(before, name):
                support += [s for s in before.support if s.field == name]
                continue
            checks = {(c.start, c.end): c for c in self.checker.check(value, passages)}
            for start, end in split_sentences(value):
                sentence = value[start:end]
                if (name, sentence) in old:
                    support.append(old[(name, sentence)])
                    continue
                judged = judge_sentence(sentence, checks.get((start, end)), passages, known_numbers)
                sentence_flags = [f"redigeret af {who}", *judged.flags]
                if judged.chunk_id and not judged.flags:
                    support.append(SentenceSupport(field=name, sentence=sentence, supported=True, basis="kilde",
                                                   sources=[number_of[judged.chunk_id]], flags=sentence_flags,
                                                   claims=judged.claims, evidence=judged.evidence))
                else:
                    support.append(SentenceSupport(field=name, sentence=sentence, supported=False, basis="ingen",
                                                   flags=sentence_flags + judged.problems, claims=judged.claims))
        flags += [unsupported_flag(s.field, s.sentence, s.flags) for s in support if not s.supported]
        flags = [f for f in flags if not f.startswith(REPEAT_FLAG)] + self._repeats(after)
        return after.model_copy(update={"support": support, "flags": flags})

    def _repeats(self, card: RequirementCard) -> list[str]:
        """A sentence the edit made a near-repeat of another in its field: flagged now, left out of the export."""
        flags = []
        for name in CHECKED_FIELDS:
            value = getattr(card, name)
            sentences = [value[a:b].strip() for a, b in split_sentences(value)]
            flags += [f"{REPEAT_FLAG} ({FIELD_LABELS[name].lower()}): «{sentences[j]}» siger næsten det samme som "
                      f"«{sentences[i]}»." for j, i in near_repeats(sentences, self.checker.analyzer)]
        return flags


@dataclass(frozen=True)
class QuoteContext:
    """A quote inside its document: the surrounding text, cut at whitespace, and where the quote is in it."""

    text: str
    start: int
    end: int
    cut_before: bool
    cut_after: bool


def quote_context(text: str, quote: str, margin: int) -> QuoteContext | None:
    """The quote with up to ``margin`` characters of its document on each side, or None when the document no
    longer holds it verbatim. The context is cut at whitespace, never inside a word; the quote is untouched."""
    offset = text.find(quote)
    if offset < 0:
        return None
    lo, hi = max(0, offset - margin), min(len(text), offset + len(quote) + margin)
    while 0 < lo < offset and not text[lo - 1].isspace():
        lo += 1
    while offset + len(quote) < hi < len(text) and not text[hi].isspace():
        hi -= 1
    return QuoteContext(text[lo:hi], offset - lo, offset - lo + len(quote), lo > 0, hi < len(text))


class Cited(Protocol):
    """A citation of a card or of an answer: its number, document and verbatim quote."""

    @property
    def n(self) -> int: ...
    @property
    def doc_id(self) -> str: ...
    @property
    def quote(self) -> str: ...


def cited_contexts(catalog: Catalog, citations: Sequence[Cited], margin: int) -> dict[int, QuoteContext | None]:
    """Each citation's quote inside its document (None where the indexed text no longer holds it), each
    document's text read once."""
    texts: dict[str, str] = {}
    found: dict[int, QuoteContext | None] = {}
    for c in citations:
        if c.doc_id not in texts:
            texts[c.doc_id] = catalog.document_text(c.doc_id) or ""
        found[c.n] = quote_context(texts[c.doc_id], c.quote, margin)
    return found


def source_views(card: RequirementCard, catalog: Catalog, margin: int = 350) -> list[SourceView]:
    """Each citation inside its surrounding indexed text, so the reviewer sees the context.

    The quote is found verbatim in the document's indexed text; a quote that is no
    longer there (the document was removed or changed) is shown as the card stored
    it, with ``in_index`` False, never re-typed.
    """
    contexts = cited_contexts(catalog, card.citations, margin)
    views = []
    for c in card.citations:
        found = contexts[c.n]
        supports = [s for s in card.support if c.n in s.sources]
        if found is None:
            views.append(SourceView(c.n, c.title, c.location, c.doc_id, c.quote, 0, len(c.quote), supports, False,
                                    warning=quote_warning(catalog, c.doc_id, c.quote,
                                                          catalog.entry(c.doc_id) is not None)))
            continue
        views.append(SourceView(c.n, c.title, c.location, c.doc_id, found.text, found.start, found.end, supports,
                                True, found.cut_before, found.cut_after))
    return views


def quote_warning(catalog: Catalog, doc_id: str, quote: str, indexed: bool) -> str:
    """Why a quote is not in the indexed text, in Danish: the source changed since it was quoted (and in which
    earlier version it stands), or the document was removed."""
    earlier = next((v for v in catalog.versions(doc_id) if quote in v.text), None)
    when = f" (citatet står i udgaven, der blev erstattet {danish_date(earlier.replaced_at)})" if earlier else ""
    if indexed:
        return f"Kilden er ændret siden citatet{when}; kontrollér, om kravet stadig passer til den nye udgave."
    return f"Dokumentet er fjernet fra indekset{when}."


def source_documents(catalog: Catalog) -> list[SourceDocument]:
    """Title, publisher and year of every indexed document, for a tender's list of sources."""
    return [SourceDocument(doc_id=e.meta.doc_id, title=e.meta.title, publisher=e.meta.publisher, year=e.meta.year)
            for e in catalog.entries()]
