"""A passage taken apart once: its sentences (with offsets into the chunk's verbatim text), their terms and
claims, and the paragraph each belongs to. The checker looks for a sentence's claims in short windows of
these, so "the same number in the same passage" is not enough: it has to stand where the same thing is
said."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.claims.extract import MUNICIPALITIES, SentenceClaims, parse
from assistant.claims.sentences import sentence_spans
from assistant.claims.stance import Stance, stance
from assistant.search.lexical import DanishAnalyzer
from assistant.text import dehyphenate, plain_chemistry
from assistant.types import Passage

_TOWN_PREFIXES = frozenset(m[:4] for m in MUNICIPALITIES)


@dataclass(frozen=True)
class PassageSentence:
    start: int  # offsets in the chunk's verbatim text
    end: int
    text: str  # hyphenation across line breaks undone
    terms: frozenset[str]
    parsed: SentenceClaims
    paragraph: int
    stance: Stance
    municipalities: tuple[str, ...]  # name keys of the municipalities it names


@dataclass(frozen=True)
class PassageView:
    passage: Passage
    sentences: tuple[PassageSentence, ...]
    heading_terms: frozenset[str]
    heading: str  # title and heading path, lower case, for names
    heading_years: frozenset[str] = frozenset()

    def paragraph_text(self, index: int) -> str:
        return " ".join(s.text for s in self.sentences if s.paragraph == index).lower()


def view(passage: Passage, analyzer: DanishAnalyzer) -> PassageView:
    text = passage.chunk.text
    sentences = []
    paragraph = 0
    cursor = 0
    for start, end in sentence_spans(text):
        gap = text[cursor:start]
        if "\n\n" in gap and not text[:start].rstrip().endswith("-"):
            paragraph += 1
        cursor = end
        plain = plain_chemistry(dehyphenate(text[start:end]))
        parsed = parse(plain)
        towns = tuple(c.key for c in parsed.claims if c.kind == "name" and c.key[:4] in _TOWN_PREFIXES)
        sentences.append(PassageSentence(start, end, plain, frozenset(analyzer.terms(plain)), parsed, paragraph,
                                         stance(plain, analyzer), towns))
    heading = " › ".join((passage.chunk.title, *passage.chunk.heading_path))
    years = frozenset(c.key for c in parse(heading).claims if c.kind == "year")
    return PassageView(passage, tuple(sentences), frozenset(analyzer.terms(heading)), heading.lower(), years)
