"""A passage as a reader sees it in the chat's source panel: no Markdown markup (`## …`, `**…**`, tags),
words split over a line break joined again ("okse-\\n\\nkød" → "oksekød"), lines of a paragraph run
together, list items as bullets. The stored text and every quote stay verbatim; this is display only, so
each shown character keeps the offset of the character it shows, and a highlight given in offsets of the
verbatim text lands on the same words. One pass over the text, no regular expressions."""

from __future__ import annotations

import html
from collections.abc import Sequence


def readable(text: str) -> tuple[str, list[int]]:
    """The display text and, per display character, its offset in ``text``."""
    out: list[str] = []
    where: list[int] = []

    def emit(chars: str, at: int) -> None:
        for ch in chars:
            out.append(ch)
            where.append(at)

    lines = _lines(text)
    pending_break = ""  # what separates the previous line from the next: " ", "\n" or "\n\n"
    joined = False  # the previous line ended in a broken word: nothing goes between, not even a blank line
    for k, (start, line) in enumerate(lines):
        stripped = line.lstrip()
        if not stripped:
            if out and not joined:
                pending_break = "\n\n"
            continue
        at = start + len(line) - len(stripped)
        body_start, bullet = _prefix(stripped)
        if out and pending_break:
            emit("\n" if bullet and pending_break == " " else pending_break, at)
        if bullet:
            emit("• ", at)
        end = len(stripped)
        joined = _continues(stripped, lines[k + 1:])
        if joined:
            end -= 1  # drop the hyphen; the word goes on at the next line
        _emit_inline(stripped, body_start, end, at, emit)
        heading = body_start > 0 and not bullet
        pending_break = "" if joined else ("\n" if heading or bullet else " ")
    return "".join(out), where


def highlight_readable(text: str, marks: Sequence[tuple[int, int, str]] = ()) -> str:
    """``text`` made readable and escaped, with each (start, end, css class) span of the verbatim text
    marked on the characters that show it."""
    shown, where = readable(text)
    pieces = []
    current: tuple[str, ...] = ()
    buffer: list[str] = []
    for ch, at in zip(shown, where, strict=True):
        classes = tuple(c for a, b, c in marks if a <= at < b)
        if classes != current:
            pieces.append(_wrap("".join(buffer), current))
            buffer, current = [], classes
        buffer.append(ch)
    pieces.append(_wrap("".join(buffer), current))
    return "".join(pieces)


def _wrap(piece: str, classes: tuple[str, ...]) -> str:
    escaped = html.escape(piece)
    return f"<mark class='{' '.join(dict.fromkeys(classes))}'>{escaped}</mark>" if classes and piece else escaped


def _lines(text: str) -> list[tuple[int, str]]:
    lines, start = [], 0
    while start <= len(text):
        end = text.find("\n", start)
        if end < 0:
            lines.append((start, text[start:]))
            break
        lines.append((start, text[start:end]))
        start = end + 1
    return lines


def _prefix(line: str) -> tuple[int, bool]:
    """Where the words of a line begin after heading marks ("## ") or a list mark ("- ", "* ")."""
    i = 0
    while i < len(line) and line[i] == "#":
        i += 1
    if i and i < len(line) and line[i] == " ":
        return i + 1, False
    if line[:2] in ("- ", "* ", "• "):
        return 2, True
    return 0, False


def _continues(line: str, following: list[tuple[int, str]]) -> bool:
    """A word broken by a hyphen at the end of the line and continued in lower case on the next one."""
    if len(line) < 2 or line[-1] != "-" or not line[-2].isalpha():
        return False
    nxt = next((rest.lstrip() for _, rest in following if rest.strip()), "")
    return bool(nxt) and nxt[0].islower()


def _emit_inline(line: str, start: int, end: int, at: int, emit) -> None:  # type: ignore[no-untyped-def]
    """The characters of one line without emphasis marks and tags, spaces collapsed."""
    i = start
    last_space = False
    while i < end:
        ch = line[i]
        if ch in "*`" or (ch == "_" and line[i:i + 2] == "__"):
            i += 2 if line[i:i + 2] in ("**", "__") else 1
            continue
        if ch == "<":
            close = line.find(">", i, min(end, i + 40))
            if close > i:  # an HTML tag such as <sub>: its text stays, the tag goes
                i = close + 1
                continue
        if ch.isspace():
            if not last_space:
                emit(" ", at + i)
            last_space = True
            i += 1
            continue
        emit(ch, at + i)
        last_space = False
        i += 1
