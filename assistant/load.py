"""Load Markdown/TXT, PDF and DOCX files into Documents, keeping headings and pages.

Every failure is a LoadError with one Danish sentence a user can act on; nothing
here writes anywhere, so a failed load can never damage the index.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import unicodedata
import zipfile
from pathlib import Path

from assistant.text import clean_heading
from assistant.types import Document, DocumentMeta, PageSpan, Section

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".md", ".markdown", ".txt"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | {".pdf", ".docx"}
_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


class LoadError(ValueError):
    """A file that cannot be indexed; ``str(err)`` is a Danish sentence for the user."""


def doc_id_for(path: Path) -> str:
    stem = unicodedata.normalize("NFKD", path.stem.lower())
    stem = stem.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    slug = re.sub(r"[^a-z0-9]+", "-", stem.encode("ascii", "ignore").decode()).strip("-")
    return slug or "dokument"


def read_meta(path: Path) -> dict:
    """Metadata sidecar ``<file>.meta.json`` (title, publisher, year, kind, note)."""
    sidecar = path.with_name(path.name + ".meta.json")
    if not sidecar.is_file():
        return {}
    try:
        return json.loads(sidecar.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise LoadError(f"Metadatafilen {sidecar.name} er ikke gyldig JSON ({exc.msg}).") from exc


def load_file(path: Path, *, max_mb: float = 20.0, max_pages: int = 300,
              doc_id: str | None = None) -> Document:
    name = path.name
    if not path.is_file():
        raise LoadError(f"Filen {name} findes ikke.")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError(
            f"Filtypen '{suffix or 'ukendt'}' ({name}) understøttes ikke. "
            "Brug PDF, DOCX, Markdown eller TXT."
        )
    size = path.stat().st_size
    if size == 0:
        raise LoadError(f"Filen {name} er tom.")
    if size > max_mb * 1024 * 1024:
        raise LoadError(
            f"Filen {name} fylder {size / 1024 / 1024:.1f} MB; grænsen er {max_mb:g} MB."
        )
    data = path.read_bytes()
    meta = read_meta(path)
    did = doc_id or doc_id_for(path)

    if suffix == ".pdf":
        text, sections, pages, title = _load_pdf(data, name, max_pages)
    elif suffix == ".docx":
        text, sections, pages, title = _load_docx(data, name)
    else:
        text, sections, pages, title = _load_text(data, name)

    if not text.strip():
        hint = " Er det en scannet PDF uden tekstlag? Kør OCR først." if suffix == ".pdf" else ""
        raise LoadError(f"Filen {name} indeholder ingen tekst, der kan indekseres.{hint}")

    document_meta = DocumentMeta(
        doc_id=did,
        title=meta.get("title") or title or path.stem,
        publisher=str(meta.get("publisher", "")),
        year=str(meta.get("year", "")),
        kind=str(meta.get("kind", "")),
        source=name,
        note=str(meta.get("note", "")),
    )
    return Document(
        meta=document_meta,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        sections=tuple(sections),
        pages=tuple(pages),
    )


def _load_text(data: bytes, name: str) -> tuple[str, list[Section], list[PageSpan], str]:
    if b"\x00" in data[:4096]:
        raise LoadError(f"Filen {name} er ikke en tekstfil, selv om navnet siger det.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older Danish Windows files are often cp1252; decoding them keeps æøå readable.
        text = data.decode("cp1252", errors="replace")
        log.info("%s is not UTF-8; read as cp1252", name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    sections = markdown_sections(text)
    title = next((s.heading_path[0] for s in sections if s.heading_path), "")
    return text, sections, [], title


def markdown_sections(text: str) -> list[Section]:
    """Sections from Markdown '#' headings; a heading's own line belongs to its section."""
    heads = [
        (m.start(), len(m.group(1)), clean_heading(m.group(2)))
        for m in _MD_HEADING.finditer(text)
    ]
    return sections_from_headings([h for h in heads if h[2]], len(text))


def sections_from_headings(heads: list[tuple[int, int, str]], length: int) -> list[Section]:
    """Turn (offset, level, heading) marks into consecutive sections with heading paths."""
    stack: list[tuple[int, str]] = []
    starts: list[tuple[int, tuple[str, ...]]] = [(0, ())]
    for start, level, heading in heads:
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, heading))
        starts.append((start, tuple(h for _, h in stack)))
    sections = []
    for i, (start, path) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else length
        if end > start:
            sections.append(Section(start, end, path))
    return sections


def _load_pdf(data: bytes, name: str, max_pages: int) -> tuple[str, list[Section], list[PageSpan], str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.startswith(b"%PDF"):
        raise LoadError(f"Filen {name} er ikke en gyldig PDF (forkert filhoved).")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Many "protected" PDFs only restrict printing and open with an empty password.
            if not reader.decrypt(""):
                raise LoadError(
                    f"Filen {name} er krypteret med adgangskode. Gem en udgave uden kryptering og prøv igen."
                )
        count = len(reader.pages)
        if count > max_pages:
            raise LoadError(f"Filen {name} har {count} sider; grænsen er {max_pages}.")
        parts: list[str] = []
        pages: list[PageSpan] = []
        offset = 0
        for number, page in enumerate(reader.pages, start=1):
            page_text = (page.extract_text() or "").strip()
            if parts:
                parts.append("\n\n")
                offset += 2
            parts.append(page_text)
            pages.append(PageSpan(offset, offset + len(page_text), number))
            offset += len(page_text)
        title = ""
        if reader.metadata and reader.metadata.title:
            title = str(reader.metadata.title).strip()
    except LoadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise LoadError(f"Filen {name} er beskadiget og kan ikke læses som PDF.") from exc
    except Exception as exc:  # pypdf raises many internal types on broken files
        if exc.__class__.__module__.startswith("pypdf"):
            raise LoadError(f"Filen {name} er beskadiget og kan ikke læses som PDF.") from exc
        raise
    text = "".join(parts)
    # One section per page, so no chunk straddles a page break and every
    # location names exactly one page.
    starts = [p.start for p in pages] + [len(text)]
    sections = [Section(a, b, ()) for a, b in zip(starts, starts[1:]) if b > a]
    return text, sections, pages, title


_DOCX_HEADING = re.compile(r"^(?:heading|overskrift)\s*(\d)$", re.IGNORECASE)


def _load_docx(data: bytes, name: str) -> tuple[str, list[Section], list[PageSpan], str]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    if not zipfile.is_zipfile(io.BytesIO(data)):
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise LoadError(
                f"Filen {name} er krypteret eller i det gamle .doc-format. Gem den som almindelig .docx."
            )
        raise LoadError(f"Filen {name} er beskadiget og kan ikke læses som Word-dokument.")
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise LoadError(f"Filen {name} er beskadiget og kan ikke læses som Word-dokument.") from exc

    parts: list[str] = []
    heads: list[tuple[int, int, str]] = []  # (offset, level, heading)
    offset = 0

    def emit(block: str, level: int | None = None) -> None:
        nonlocal offset
        if not block.strip():
            return
        if parts:
            parts.append("\n\n")
            offset += 2
        if level is not None:
            heads.append((offset, level, clean_heading(block)))
        parts.append(block)
        offset += len(block)

    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            style = (item.style.name if item.style is not None else "") or ""
            match = _DOCX_HEADING.match(style.strip())
            level = int(match.group(1)) if match else (0 if style.lower() == "title" else None)
            emit(item.text, level)
        elif isinstance(item, Table):
            rows = [" | ".join(cell.text.strip() for cell in row.cells) for row in item.rows]
            emit("\n".join(r for r in rows if r.strip(" |")))
    text = "".join(parts)

    sections = sections_from_headings(heads, len(text))
    title = (document.core_properties.title or "").strip() or (heads[0][2] if heads else "")
    return text, sections, [], title
