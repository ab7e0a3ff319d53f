"""Small text helpers shared by chunking, indexing and retrieval."""

from __future__ import annotations

import re

# A word split over a line (or paragraph) break by the PDF-to-Markdown conversion:
# "økon-\n\nmisk". Only a lowercase continuation counts, so "miljø- og klima" stays.
# "[^\S\n]*\n" (not "\s*\n"): two unbounded whitespace runs around one newline backtrack
# quadratically on a long run of blank lines.
_HYPHEN_BREAK = re.compile(r"(\w)-[^\S\n]*\n\s*(?=[a-zæøå])")
_MARKUP = re.compile(r"<[^>]+>|\*+|_{2,}|`")
_SPACES = re.compile(r"\s+")


def dehyphenate(text: str) -> str:
    return _HYPHEN_BREAK.sub(r"\1", text)


_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")


def plain_chemistry(text: str) -> str:
    """"CO<sub>2</sub>" and "CO₂" as "CO2", so a formula matches however the source or the model writes it.
    Fixed strings only: the text is user material."""
    for tag in ("<sub>", "</sub>", "<sup>", "</sup>"):
        text = text.replace(tag, "")
    return text.translate(_SUBSCRIPTS)


def clean_heading(raw: str) -> str:
    """Heading text for display: without Markdown emphasis or HTML tags."""
    return _SPACES.sub(" ", _MARKUP.sub("", raw)).strip()


def ends_with_hyphen_break(block: str, following: str) -> bool:
    """True when ``block`` ends mid-word and ``following`` continues the word."""
    return bool(re.search(r"\w-$", block.rstrip())) and bool(re.match(r"[a-zæøå]", following.lstrip()))


def danish_int(n: int) -> str:
    """1234567 → "1.234.567" (Danish thousands separator)."""
    return f"{n:,}".replace(",", ".")


def danish_date(seconds: float) -> str:
    """A timestamp as a Danish reader writes the date: 01-12-2026."""
    import time

    return time.strftime("%d-%m-%Y", time.localtime(seconds))
