"""Sentence-level support checks: does each sentence of an answer follow from the
passage it cites?

A small local model often cites the wrong excerpt number, forgets a marker or
adds a number of its own. We do not trust its markers blindly: every sentence is
scored against every passage (content-term overlap, plus dense similarity for
cross-language answers), numbers must occur in the supporting passage, and the
marker is set to the passage that actually supports the sentence. A sentence no
passage supports is flagged, never shown as sourced.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.claims.match import ClaimResult
from assistant.search.embed import Embedder
from assistant.search.lexical import DanishAnalyzer
from assistant.text import dehyphenate
from assistant.types import Passage

log = logging.getLogger(__name__)

MARKER = re.compile(r"\[(\d+)\]")
_SENTENCE = re.compile(r"(?:[^.!?\n]|\.(?=\d))+(?:[.!?]|$)(?:[ \t]*\[\d+\])*", re.MULTILINE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"\b[A-ZÆØÅ][A-Za-zÆØÅæøå-]+")


@dataclass(frozen=True)
class SentenceCheck:
    start: int  # span of the sentence (markers included) in the checked text
    end: int
    sentence: str  # without markers
    cited: tuple[int, ...]  # markers the model wrote (1-based)
    support: tuple[int, ...]  # passages that support it (1-based), best first
    score: float  # support score of the best passage, 0..1
    missing_numbers: tuple[str, ...]  # numbers found in no supporting passage
    missing_names: tuple[str, ...] = ()  # names the question asks about, absent from the passage
    problems: tuple[str, ...] = ()  # why the nearest passage does not support it, in Danish
    claims: tuple[ClaimResult, ...] = ()  # each claim, found or not, in the supporting (or nearest) passage
    span: tuple[int, int] | None = None  # the window of that passage's chunk text that was compared
    nearest: int | None = None  # that passage (1-based)

    @property
    def supported(self) -> bool:
        return bool(self.support) and not self.missing_numbers and not self.missing_names and not self.problems


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans of sentences with their trailing markers. A piece starting in lower case
    ("30 pct. i 2023") continues the previous sentence: the best a regex can do."""
    spans: list[tuple[int, int]] = []
    for match in _SENTENCE.finditer(text):
        start, end = match.start(), match.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end or not re.search(r"\w", text[start:end]):
            continue
        continues = text[start].islower() or (text[start] == "[" and not MARKER.match(text, start))
        if spans and continues and "\n" not in text[spans[-1][1]:start]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def numbers_in(text: str) -> set[str]:
    return {n.rstrip(".,") for n in _NUMBER.findall(text)}


_ENGLISH = frozenset("the and of is are was were to in by with for that this from has have".split())


def _looks_english(sentence: str) -> bool:
    """Dense similarity is a weak judge (related Danish text scores ~0.8 too), so it is
    only asked for sentences written in English, where shared terms cannot work."""
    words = re.findall(r"[a-z]+", sentence.lower())
    return sum(w in _ENGLISH for w in words) >= 2


def _names(text: str) -> set[str]:
    return {m.group(0).lower() for m in _NAME.finditer(text)}


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=False))
    na = math.sqrt(sum(x * x for x in a)) or 1.0
    nb = math.sqrt(sum(y * y for y in b)) or 1.0
    return dot / (na * nb)


class SupportChecker:
    def __init__(self, analyzer: DanishAnalyzer, embedder: Embedder | None = None, *,
                 min_overlap: float = 0.5, min_similarity: float = 0.82) -> None:
        self.analyzer = analyzer
        self.embedder = embedder
        self.min_overlap = min_overlap
        self.min_similarity = min_similarity

    def check(self, text: str, passages: list[Passage], question: str = "") -> list[SentenceCheck]:
        spans = split_sentences(text)
        bodies = [dehyphenate(p.chunk.text) for p in passages]
        passage_terms = [set(self.analyzer.terms(b)) | set(self.analyzer.terms(p.chunk.title))
                         for b, p in zip(bodies, passages, strict=False)]
        passage_numbers = [numbers_in(b) for b in bodies]
        question_numbers = numbers_in(question)
        # Only what a sentence adds to the question needs a source: an answer that
        # merely restates the question ("Tærskelværdien i 2025 er …") must not pass
        # on the question's own words.
        question_terms = set(self.analyzer.terms(question))
        # "Hvor meget sparede Esbjerg …?" answered with Randers' figures must fail: a
        # name the question asks about has to stand in the passage that supports it.
        question_names = _names(question[1:]) if question else set()
        vectors = None
        results = []
        for start, end in spans:
            raw = text[start:end]
            plain = re.sub(r"\s+([.,;:!?])", r"\1", MARKER.sub("", raw)).strip()
            cited = tuple(int(n) for n in MARKER.findall(raw))
            terms = set(self.analyzer.terms(plain)) - question_terms
            numbers = numbers_in(plain) - question_numbers
            if not terms and not numbers:
                results.append(SentenceCheck(start, end, plain, cited, (), 0.0, ()))
                continue
            if terms:
                scores = [len(terms & pt) / len(terms) for pt in passage_terms]
            else:
                # Only numbers are new ("… er 2025."): the passage must at least be about
                # what the question asks, or any passage with that number would do.
                scores = [len(question_terms & pt) / max(len(question_terms), 1) for pt in passage_terms]
            if self.embedder is not None and max(scores, default=0.0) < self.min_overlap \
                    and _looks_english(plain):
                # Cross-language answers share few terms with Danish passages: ask the
                # multilingual embedder instead, scaled so its threshold maps to min_overlap.
                if vectors is None:
                    vectors = self.embedder.embed_passages([p.chunk.index_text() for p in passages])
                query = self.embedder.embed_query(plain)
                for i, vec in enumerate(vectors):
                    sim = cosine(query, vec)
                    if sim >= self.min_similarity:
                        scores[i] = max(scores[i], self.min_overlap)
            # Best support first; on a tie, the passage the model cited.
            ranked = sorted(range(len(passages)), key=lambda i: (-scores[i], i + 1 not in cited, i))
            support = tuple(i + 1 for i in ranked if scores[i] >= self.min_overlap)
            holders = tuple(n for n in support if numbers <= passage_numbers[n - 1])
            if numbers and holders:
                support = holders
            found = set().union(*(passage_numbers[n - 1] for n in support)) if support else set()
            missing = tuple(sorted(numbers - found))
            names = {n for n in _names(plain) if any(n.startswith(q[:5]) for q in question_names)}
            if support and names:
                text_of = (bodies[support[0] - 1] + " " + passages[support[0] - 1].chunk.title).lower()
                missing_names = tuple(sorted(n for n in names if n[:5] not in text_of))
            else:
                missing_names = ()
            best = scores[support[0] - 1] if support else max(scores, default=0.0)
            results.append(SentenceCheck(start, end, plain, cited, support, round(best, 3), missing,
                                         missing_names))
        return results
