"""Word-level differences between two versions of a card's text, for the reviewer's history: an added
sentence or a changed figure must be visible, however long the field is (issue 17: before/after cut at
80 characters hid exactly that)."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

Op = Literal["same", "del", "ins"]


@dataclass(frozen=True)
class Piece:
    op: Op
    text: str


def word_diff(before: str, after: str) -> list[Piece]:
    """The two texts as runs of unchanged, removed and added words (whitespace normalised). A replaced
    run is given as its removal followed by its addition."""
    old, new = before.split(), after.split()
    pieces: list[Piece] = []
    for tag, a, b, c, d in SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", " ".join(old[a:b])))
            continue
        if b > a:
            pieces.append(Piece("del", " ".join(old[a:b])))
        if d > c:
            pieces.append(Piece("ins", " ".join(new[c:d])))
    return pieces


def compact(pieces: list[Piece], context: int = 6) -> list[Piece]:
    """Unchanged runs shortened to ``context`` words on each side of a change, so a one-word edit in a
    long field reads as one line."""
    out: list[Piece] = []
    for i, p in enumerate(pieces):
        if p.op != "same":
            out.append(p)
            continue
        words = p.text.split()
        after_change = words[:context] if i > 0 else []  # what follows the previous change
        before_change = words[-context:] if i < len(pieces) - 1 else []  # what leads to the next one
        if len(words) <= len(after_change) + len(before_change) + 1:
            out.append(p)
        else:
            out.append(Piece("same", " ".join([*after_change, "…", *before_change])))
    return out


def as_text(pieces: list[Piece]) -> str:
    """For a terminal: removed words as [-…-], added words as {+…+}."""
    marks = {"same": "{}", "del": "[-{}-]", "ins": "{{+{}+}}"}
    return " ".join(marks[p.op].format(p.text) for p in pieces)
