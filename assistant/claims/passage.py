"""A passage taken apart once: its sentences (with offsets into the chunk's verbatim text), their terms and
claims, and the paragraph each belongs to. The checker looks for a sentence's claims in short windows of
these, so "the same number in the same passage" is not enough: it has to stand where the same thing is
said."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.claims.extract import SentenceClaims, parse
from assistant.search.lexical import DanishAnalyzer
from assistant.text import dehyphenate
from assistant.types import Passage

_SENTENCE = re.compile(r"(?:[^.!?\n]|\.(?=\d))+(?:[.!?]|$)", re.MULTILINE)
# After these a full stop does not end the sentence, whatever follows ("jf. § 12", "stk. 2").
_ABBREVIATIONS = ("jf.", "stk.", "nr.", "pkt.", "art.", "ca.", "bl.a.", "f.eks.", "fx.", "inkl.", "ekskl.")


@dataclass(frozen=True)
class PassageSentence:
    start: int  # offsets in the chunk's verbatim text
    end: int
    text: str  # hyphenation across line breaks undone
    terms: frozenset[str]
    parsed: SentenceClaims
    paragraph: int


@dataclass(frozen=True)
class PassageView:
    passage: Passage
    sentences: tuple[PassageSentence, ...]
    heading_terms: frozenset[str]
    heading: str  # title and heading path, lower case, for names

    def paragraph_text(self, index: int) -> str:
        return " ".join(s.text for s in self.sentences if s.paragraph == index).lower()


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences of a passage. A piece that starts in lower case, with "§" or after an abbreviation
    continues the previous one, and so does a word split over a line break ("okse-" / "kød")."""
    spans: list[tuple[int, int]] = []
    for match in _SENTENCE.finditer(text):
        start, end = match.start(), match.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end or not any(ch.isalnum() for ch in text[start:end]):
            continue
        if spans and _continues(text, spans[-1], start):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _continues(text: str, previous: tuple[int, int], start: int) -> bool:
    gap = text[previous[1]:start]
    before = text[previous[0]:previous[1]]
    if before.endswith("-") and before[-2:-1].isalpha() and text[start].islower():
        return True  # "okse-\n\nkød"
    if "\n" in gap:
        return False
    return text[start].islower() or text[start] == "§" or before.lower().endswith(_ABBREVIATIONS)


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
        plain = dehyphenate(text[start:end])
        sentences.append(PassageSentence(start, end, plain, frozenset(analyzer.terms(plain)), parse(plain),
                                         paragraph))
    heading = " › ".join((passage.chunk.title, *passage.chunk.heading_path))
    return PassageView(passage, tuple(sentences), frozenset(analyzer.terms(heading)), heading.lower())
