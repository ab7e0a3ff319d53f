"""Budgets and sanity checks for loading untrusted files.

Bytes on disk say little about work: a 1.5 MB DOCX can inflate to 1.5 GB, an 82 KB PDF can keep text
extraction busy for minutes, 19 MB of plain text becomes 30,000 chunks. So every budget here is
enforced while loading (per page, per zip member, per decoded text), each error names the limit and
the setting that raises it, and random bytes are refused before they become "searchable text".
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from assistant.errors import LoadError
from assistant.text import danish_int


@dataclass(frozen=True)
class LoadLimits:
    """What one file may cost. Defaults fit a 300-page strategy document with room to spare."""

    max_mb: float = 20.0  # bytes on disk (UDB_MAX_FILE_MB)
    max_pages: int = 300  # PDF pages (UDB_MAX_PDF_PAGES)
    max_chars: int = 2_500_000  # extracted characters (UDB_MAX_DOC_CHARS)
    max_chunks: int = 5_000  # chunks to embed (UDB_MAX_DOC_CHUNKS)
    max_expanded_mb: float = 200.0  # what a DOCX's zip members inflate to (UDB_MAX_EXPANDED_MB)
    ocr: bool = True  # read scanned PDF pages with tesseract (UDB_OCR)
    ocr_max_pages: int = 30  # scanned pages one file may have (UDB_OCR_MAX_PAGES): OCR takes seconds a page

    @classmethod
    def from_settings(cls, settings: Any) -> LoadLimits:
        return cls(max_mb=settings.max_file_mb, max_pages=settings.max_pdf_pages,
                   max_chars=settings.max_doc_chars, max_chunks=settings.max_doc_chunks,
                   max_expanded_mb=settings.max_expanded_mb, ocr=settings.ocr, ocr_max_pages=settings.ocr_max_pages)


def too_many_chars(name: str, limits: LoadLimits) -> LoadError:
    return LoadError(f"Filen {name} giver mere end {danish_int(limits.max_chars)} tegn tekst, som er "
                     "grænsen (indstillingen UDB_MAX_DOC_CHARS); del dokumentet op, eller hæv grænsen.")


# Magic numbers of files that are never text, whatever their name says.
_MAGIC = [
    (b"\x7fELF", "et program (ELF)"), (b"MZ", "et Windows-program"), (b"PK\x03\x04", "et zip-arkiv"),
    (b"\x1f\x8b", "et gzip-arkiv"), (b"7z\xbc\xaf\x27\x1c", "et 7z-arkiv"), (b"Rar!", "et rar-arkiv"),
    (b"%PDF", "en PDF"), (b"\xd0\xcf\x11\xe0", "et gammelt Office-dokument"), (b"\x89PNG", "et billede (PNG)"),
    (b"\xff\xd8\xff", "et billede (JPEG)"), (b"GIF8", "et billede (GIF)"), (b"BZh", "et bzip2-arkiv"),
    (b"\xfd7zXZ", "et xz-arkiv"), (b"SQLite format 3", "en database (SQLite)"),
]


def magic_kind(data: bytes) -> str | None:
    """What a file really is when its first bytes name a binary format (else None)."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            # "MZ" also starts ordinary words; a real executable has its PE header offset right after.
            if magic == b"MZ" and (len(data) < 64 or b"This program" not in data[:512]):
                continue
            return kind
    return None


_WINDOW = 4096
_BAD_CATEGORIES = {"Cc", "Cs", "Co", "Cn"}
_WHITESPACE_CONTROLS = set("\t\n\r\f\v")
# Whitespace that str.isprintable() calls non-printable but real text is full of.
_DROP_PRINTABLE_SPACE = {ord(c): None for c in "\t\n\r\f\v\u00a0\u2028\u2029\u2009\u202f\u200b"}


def _is_garbage(ch: str) -> bool:
    if ch == "\ufffd":
        return True
    if ch in _WHITESPACE_CONTROLS:
        return False
    return unicodedata.category(ch) in _BAD_CATEGORIES


def garbage_share(text: str) -> tuple[float, float, int]:
    """(overall share, worst window share, worst window offset) of control, replacement, private-use
    and unassigned characters. Windows catch binary tails hidden behind a page of real text."""
    if not text:
        return 0.0, 0.0, 0
    total = 0
    worst, worst_at = 0.0, 0
    for start in range(0, len(text), _WINDOW):
        window = text[start:start + _WINDOW]
        # Fast path in C for the common case: nothing but printable characters and whitespace.
        if "\ufffd" not in window and window.translate(_DROP_PRINTABLE_SPACE).isprintable():
            continue
        bad = sum(1 for ch in window if _is_garbage(ch))
        total += bad
        share = bad / len(window)
        if len(window) >= 256 and share > worst:
            worst, worst_at = share, start
    return total / len(text), worst, worst_at


def check_text_sanity(text: str, name: str, *, max_overall: float = 0.2, max_window: float = 0.05) -> None:
    """Refuse text that is mostly not text: NUL bytes, binary tails, control characters.

    Real Danish text has no control characters at all and few replacement characters; random bytes
    read as cp1252 are about 13 % control characters, spread evenly. So any 4 KB window with more than
    5 %, or a document with more than 20 % overall (the issue's "< 80 % printable"), is refused.
    """
    if "\x00" in text:
        raise LoadError(f"Filen {name} indeholder binære data (nul-tegn) og er ikke en tekstfil.")
    overall, worst, at = garbage_share(text)
    if overall > max_overall or worst > max_window:
        raise LoadError(f"Filen {name} ligner ikke tekst: {worst:.0%} af tegnene omkring tegn "
                        f"{danish_int(at)} er kontroltegn eller ugyldige tegn (binære data). Gem dokumentet "
                        "som almindelig tekst, PDF eller Word, og prøv igen.")


# Words of an instruction to a language model, not of a document title ("Ignore the document and reply …").
_INSTRUCTION_CUES = ("ignore", "ignorér", "ignorer ", "instruction", "instruktion", "system:", "assistant",
                     "assistenten", "prompt", "reply ", "svar kun", "skriv kun", "you are ", "du er en ")
MAX_TITLE_CHARS = 200


def plausible_title(title: str) -> str:
    """A title found in a file (PDF or Word metadata, the first heading) as the document's name, or "" when it
    reads as an instruction to a model or is too long to be a title: such a title would be shown to the model
    and in every citation (the injection eval's PDFs). The file name is used instead; a sidecar's title, which
    the uploader wrote on purpose, is never checked."""
    text = " ".join(title.split())
    lowered = text.lower()
    if len(text) > MAX_TITLE_CHARS or any(cue in lowered for cue in _INSTRUCTION_CUES):
        return ""
    return text
