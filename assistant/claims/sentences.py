"""Sentences of a checked text and of a passage, with their offsets.

Regex can only approximate Danish sentence ends: a piece that starts in lower case ("30 pct. i 2023"), with
"§" or after an abbreviation ("jf. § 12") continues the previous sentence, and so does a word split over a
line break in a converted PDF ("okse-" / "kød"). The patterns are linear: no nested quantifiers.
"""

from __future__ import annotations

import re

# After these a full stop does not end the sentence, whatever follows ("jf. § 12", "stk. 2").
ABBREVIATIONS = ("jf.", "stk.", "nr.", "pkt.", "art.", "ca.", "bl.a.", "f.eks.", "fx.", "inkl.", "ekskl.")
# A piece that starts with these continues the previous one: "fra 0-500 kr., med ca. 20 pct." is one
# sentence, though "kr." ends a piece.
_CONTINUING = frozenset("§,;:)")
MARKER = re.compile(r"\[(\d+)\]")
_SENTENCE = re.compile(r"(?:[^.!?\n]|\.(?=\d))+(?:[.!?]|$)(?:[ \t]*\[\d+\])*", re.MULTILINE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_PASSAGE_SENTENCE = re.compile(r"(?:[^.!?\n]|\.(?=\d))+(?:[.!?]|$)", re.MULTILINE)


def _pieces(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """The pattern's matches without surrounding whitespace, leaving out pieces with no word in them."""
    out = []
    for match in pattern.finditer(text):
        start, end = match.start(), match.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if any(ch.isalnum() for ch in text[start:end]):
            out.append((start, end))
    return out


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans of sentences with their trailing markers. A piece starting in lower case ("30 pct. i 2023"),
    with "§" or after an abbreviation ("jf. § 12") continues the previous sentence."""
    spans: list[tuple[int, int]] = []
    for start, end in _pieces(_SENTENCE, text):
        continues = text[start].islower() or text[start] in _CONTINUING or (
            text[start] == "[" and not MARKER.match(text, start)) or (
            bool(spans) and text[spans[-1][0]:spans[-1][1]].lower().endswith(ABBREVIATIONS))
        if spans and continues and "\n" not in text[spans[-1][1]:start]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def numbers_in(text: str) -> set[str]:
    return {n.rstrip(".,") for n in _NUMBER.findall(text)}


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences of a passage. A piece that starts in lower case, with "§" or after an abbreviation
    continues the previous one, and so does a word split over a line break ("okse-" / "kød")."""
    spans: list[tuple[int, int]] = []
    for start, end in _pieces(_PASSAGE_SENTENCE, text):
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
    return text[start].islower() or text[start] in _CONTINUING or before.lower().endswith(ABBREVIATIONS)
