"""Load Markdown/TXT, PDF and DOCX files into Documents, keeping headings and pages.

Every failure is a LoadError with one Danish sentence a user can act on: ``load_file`` is the one
boundary where whatever pypdf, python-docx/lxml, zipfile/zlib, json or decoding raise is turned into
that sentence. Budgets (``LoadLimits``) are enforced while loading, text is parsed in linear time (no
backtracking patterns on document text), and nothing here writes anywhere, so a failed load can never
damage the index. ``isolate.py`` runs this in a child process with a wall-clock and memory limit.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import logging
import re
import unicodedata
import zipfile
import zlib
from pathlib import Path
from typing import Any

from assistant.errors import LoadError
from assistant.ingest.load_guard import LoadLimits, check_text_sanity, magic_kind, plausible_title, too_many_chars
from assistant.ingest.ocr import OCR_HEADING, ocr_pages
from assistant.text import clean_heading
from assistant.types import Document, DocumentMeta, PageSpan, Section

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".md", ".markdown", ".txt"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | {".pdf", ".docx"}
# A heading longer than this is not a heading; capping it keeps clean_heading linear on hostile lines.
_MAX_HEADING_CHARS = 300
_META_FIELDS = ("title", "publisher", "year", "kind", "note")

__all__ = ["LoadError", "LoadLimits", "doc_id_for", "load_file", "markdown_sections", "read_meta"]


def doc_id_for(path: Path) -> str:
    stem = unicodedata.normalize("NFKD", path.stem.lower())
    stem = stem.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    slug = re.sub(r"[^a-z0-9]+", "-", stem.encode("ascii", "ignore").decode()).strip("-")
    return slug or "dokument"


def read_meta(path: Path) -> dict[str, str]:
    """Metadata sidecar ``<file>.meta.json`` (title, publisher, year, kind, note).

    A sidecar is user input too: anything but a small JSON object of strings and numbers is refused
    with a sentence naming the sidecar, and only its own file fails.
    """
    sidecar = path.with_name(path.name + ".meta.json")
    if not sidecar.is_file():
        return {}
    if sidecar.stat().st_size > 64 * 1024:
        raise LoadError(f"Metadatafilen {sidecar.name} er for stor (over 64 KB) til at være metadata.")
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise LoadError(f"Metadatafilen {sidecar.name} er ikke gyldig JSON ({exc.msg}).") from exc
    except (UnicodeDecodeError, RecursionError) as exc:
        raise LoadError(f"Metadatafilen {sidecar.name} er ikke gyldig UTF-8-JSON.") from exc
    if not isinstance(data, dict):
        raise LoadError(f"Metadatafilen {sidecar.name} skal være et JSON-objekt med fx \"title\" og "
                        f"\"year\", ikke {type(data).__name__}.")
    meta: dict[str, str] = {}
    for key in _META_FIELDS:
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise LoadError(f"Metadatafilen {sidecar.name}: feltet \"{key}\" skal være tekst eller et tal.")
        meta[key] = str(value).strip()[:500]
    return meta


def load_file(path: Path, limits: LoadLimits | None = None, *, doc_id: str | None = None) -> Document:
    """Load one file within ``limits``; any failure is a LoadError naming the file."""
    limits = limits or LoadLimits()
    try:
        return _load(path, limits, doc_id)
    except LoadError:
        raise
    except MemoryError as exc:
        raise LoadError(f"Filen {path.name} kræver mere hukommelse at læse, end et dokument må bruge "
                        "(indstillingen UDB_LOAD_MEMORY_MB); den er ikke indlæst.") from exc
    except RecursionError as exc:
        raise LoadError(f"Filen {path.name} er indlejret for dybt til at kunne læses; "
                        "den er sandsynligvis beskadiget eller konstrueret.") from exc
    except Exception as exc:  # the one boundary: a traceback reaching a user is a bug
        log.warning("unexpected error loading %s", path, exc_info=True)
        raise LoadError(f"Filen {path.name} kunne ikke læses ({type(exc).__name__}); den er "
                        "sandsynligvis beskadiget. Gem den igen fra det program, der lavede den.") from exc


def _load(path: Path, limits: LoadLimits, doc_id: str | None) -> Document:
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
    if size > limits.max_mb * 1024 * 1024:
        raise LoadError(
            f"Filen {name} fylder {size / 1024 / 1024:.1f} MB; grænsen er {limits.max_mb:g} MB "
            "(indstillingen UDB_MAX_FILE_MB)."
        )
    data = path.read_bytes()
    meta = read_meta(path)
    did = doc_id or doc_id_for(path)

    if suffix == ".pdf":
        text, sections, pages, title = _load_pdf(data, name, limits)
    elif suffix == ".docx":
        text, sections, pages, title = _load_docx(data, name, limits)
    else:
        text, sections, pages, title = _load_text(data, name, limits)

    if not text.strip():
        hint = ""
        if suffix == ".pdf":
            hint = (" Er den scannet, fandt OCR ingen læsbar tekst i den; scan den igen med 300 dpi." if limits.ocr
                    else " Er den scannet (uden tekstlag), så slå OCR til (UDB_OCR), eller kør OCR på den først.")
        raise LoadError(f"Filen {name} indeholder ingen tekst, der kan indekseres.{hint}")
    check_text_sanity(text, name)

    document_meta = DocumentMeta(
        doc_id=did,
        title=meta.get("title") or plausible_title(title) or path.stem,
        publisher=meta.get("publisher", ""),
        year=meta.get("year", ""),
        kind=meta.get("kind", ""),
        source=name,
        note=meta.get("note", ""),
    )
    return Document(
        meta=document_meta,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        sections=tuple(sections),
        pages=tuple(pages),
    )


def _load_text(data: bytes, name: str, limits: LoadLimits) -> tuple[str, list[Section], list[PageSpan], str]:
    text = _decode_text(data, name, limits)
    if len(text) > limits.max_chars:
        raise too_many_chars(name, limits)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    sections = markdown_sections(text)
    title = next((s.heading_path[0] for s in sections if s.heading_path), "")
    return text, sections, [], title


def _decode_text(data: bytes, name: str, limits: LoadLimits) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a byte-order mark (Windows Notepad)
        if len(data) > limits.max_chars * 4:
            raise too_many_chars(name, limits)
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise LoadError(f"Filen {name} er ikke gyldig UTF-16-tekst. Gem den som UTF-8, og prøv igen.") from exc
    kind = magic_kind(data)
    if kind:
        raise LoadError(f"Filen {name} er {kind}, ikke en tekstfil, selv om navnet siger det.")
    if b"\x00" in data[:4096]:
        raise LoadError(f"Filen {name} er ikke en tekstfil, selv om navnet siger det (den indeholder "
                        "nul-tegn; er den gemt som UTF-16 uden byte-order-mærke? Gem den som UTF-8).")
    if len(data) > limits.max_chars * 4:  # even 4-byte UTF-8 characters would exceed the budget
        raise too_many_chars(name, limits)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older Danish Windows files are often cp1252; decoding them keeps æøå readable.
        log.info("%s is not UTF-8; read as cp1252", name)
        return data.decode("cp1252", errors="replace")


def _heading(line: str) -> tuple[int, str] | None:
    """(level, text) when ``line`` is an ATX heading ("## Tekst ##"), in linear time.

    Replaces the pattern ``^(#{1,6})[ \\t]+(.+?)[ \\t#]*$``, whose lazy group followed by a starred
    class backtracks quadratically on a long line of spaces.
    """
    level = len(line) - len(line.lstrip("#"))
    if not 1 <= level <= 6 or len(line) == level or line[level] not in " \t":
        return None
    body = line[level:].strip(" \t").rstrip(" \t#")
    return (level, body[:_MAX_HEADING_CHARS]) if body else None


def markdown_sections(text: str) -> list[Section]:
    """Sections from Markdown '#' headings; a heading's own line belongs to its section."""
    heads: list[tuple[int, int, str]] = []
    offset = 0
    for line in text.split("\n"):
        if line.startswith("#"):
            found = _heading(line)
            if found:
                heading = clean_heading(found[1])
                if heading:
                    heads.append((offset, found[0], heading))
        offset += len(line) + 1
    return sections_from_headings(heads, len(text))


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


def _open_pdf(data: bytes, name: str, limits: LoadLimits) -> Any:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        # Many "protected" PDFs only restrict printing and open with an empty password.
        try:
            opened = reader.decrypt("")
        except NotImplementedError as exc:
            raise LoadError(f"Filen {name} er krypteret med en metode, vi ikke kan åbne. Gem en udgave "
                            "uden kryptering og prøv igen.") from exc
        if not opened:
            raise LoadError(
                f"Filen {name} er krypteret med adgangskode. Gem en udgave uden adgangskode og prøv igen."
            )
    count = len(reader.pages)
    if count > limits.max_pages:
        raise LoadError(f"Filen {name} har {count} sider; grænsen er {limits.max_pages} "
                        "(indstillingen UDB_MAX_PDF_PAGES).")
    return reader


# A page with fewer extracted characters than this has no real text layer (a scan, maybe with a stamp).
_SCANNED_PAGE_CHARS = 20


def _has_image(page: Any) -> bool:
    """Whether a page draws an image (or a form that may hold one): only such a page can be a scan. A blank
    page is never sent to OCR."""
    try:
        xobjects = page["/Resources"].get_object().get("/XObject")
        if not xobjects:
            return False
        return any(x.get_object().get("/Subtype") in ("/Image", "/Form") for x in xobjects.get_object().values())
    except Exception:  # an odd resource dictionary: let OCR decide
        return True


def _pdf_pages(reader: Any, name: str, limits: LoadLimits,
               data: bytes = b"") -> tuple[str, list[PageSpan], set[int]]:
    """The text of every page, scanned pages read by OCR; returns (text, page spans, the OCR'd page numbers)."""
    texts: list[str] = []
    total = 0
    for page in reader.pages:
        texts.append((page.extract_text() or "").strip())
        total += len(texts[-1])
        if total > limits.max_chars:  # checked per page, so extraction stops here
            raise too_many_chars(name, limits)
    scanned = [n for n, t in enumerate(texts, start=1)
               if len(t) < _SCANNED_PAGE_CHARS and _has_image(reader.pages[n - 1])]
    ocr: set[int] = set()
    if scanned and limits.ocr and data:
        if len(scanned) > limits.ocr_max_pages:
            raise LoadError(f"Filen {name} har {len(scanned)} scannede sider uden tekstlag; OCR klarer højst "
                            f"{limits.ocr_max_pages} sider pr. fil (indstillingen UDB_OCR_MAX_PAGES). Del filen op.")
        for number, text in ocr_pages(data, scanned, name).items():
            if len(text) >= _SCANNED_PAGE_CHARS:
                texts[number - 1] = text
                ocr.add(number)
    parts: list[str] = []
    pages: list[PageSpan] = []
    offset = 0
    for number, page_text in enumerate(texts, start=1):
        if parts:
            parts.append("\n\n")
            offset += 2
        parts.append(page_text)
        pages.append(PageSpan(offset, offset + len(page_text), number))
        offset += len(page_text)
    if offset > limits.max_chars:
        raise too_many_chars(name, limits)
    return "".join(parts), pages, ocr


def _load_pdf(data: bytes, name: str, limits: LoadLimits) -> tuple[str, list[Section], list[PageSpan], str]:
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    if not data.startswith(b"%PDF"):
        raise LoadError(f"Filen {name} er ikke en gyldig PDF (forkert filhoved).")
    damaged = f"Filen {name} er beskadiget og kan ikke læses som PDF."
    try:
        reader = _open_pdf(data, name, limits)
        text, pages, ocr = _pdf_pages(reader, name, limits, data)
        title = str(reader.metadata.title).strip() if reader.metadata and reader.metadata.title else ""
    except LoadError:
        raise
    except FileNotDecryptedError as exc:
        raise LoadError(f"Filen {name} er krypteret med adgangskode. Gem en udgave uden adgangskode og "
                        "prøv igen.") from exc
    except NotImplementedError as exc:
        raise LoadError(f"Filen {name} bruger en PDF-funktion, vi ikke kan læse ({exc}). Udskriv den til en "
                        "ny PDF, og prøv igen.") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AttributeError, IndexError,
            AssertionError, zlib.error) as exc:
        raise LoadError(damaged) from exc
    except Exception as exc:  # pypdf raises many internal types on broken files
        if exc.__class__.__module__.startswith("pypdf"):
            raise LoadError(damaged) from exc
        raise
    # One section per page, so no chunk straddles a page break and every location names exactly one page;
    # an OCR'd page says so in its location ("Scannet side, tekst genkendt med OCR › side 3").
    starts = [p.start for p in pages] + [len(text)]
    sections = [Section(a, b, (OCR_HEADING,) if page.page in ocr else ())
                for (a, b), page in zip(itertools.pairwise(starts), pages, strict=True) if b > a]
    return text, sections, pages, title


_DOCX_HEADING = re.compile(r"^(?:heading|overskrift)\s*(\d)$", re.IGNORECASE)


_WORD_MAIN = b"wordprocessingml.document.main+xml"
_MACRO_MAIN = b"ms-word.document.macroEnabled.main+xml"
_ENCRYPTED_OOXML = "EncryptionInfo".encode("utf-16-le")


def _check_docx_package(data: bytes, name: str, limits: LoadLimits) -> bool:
    """Refuse what is not a plain Word document, and inflate every member once within the budget
    (a zip bomb stops at the budget, a corrupt deflate stream or CRC is found here).

    Returns whether the body holds an ``altChunk`` (imported HTML/RTF that has no text of its own).
    """
    if not zipfile.is_zipfile(io.BytesIO(data)):
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            if _ENCRYPTED_OOXML in data:
                raise LoadError(f"Filen {name} er krypteret med adgangskode. Gem en udgave uden adgangskode "
                                "og prøv igen.")
            raise LoadError(f"Filen {name} er i det gamle .doc-format. Gem den som almindelig .docx i Word.")
        raise LoadError(f"Filen {name} er beskadiget og kan ikke læses som Word-dokument.")
    budget = int(limits.max_expanded_mb * 1024 * 1024)
    too_big = LoadError(f"Filen {name} pakker sig ud til mere end {limits.max_expanded_mb:g} MB "
                        "(indstillingen UDB_MAX_EXPANDED_MB); den er ikke indlæst.")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        if len(infos) > 5_000:
            raise LoadError(f"Filen {name} indeholder {len(infos)} dele; et Word-dokument har langt færre.")
        if sum(i.file_size for i in infos) > budget:
            raise too_big
        names = {i.filename for i in infos}
        if "[Content_Types].xml" not in names:
            raise LoadError(f"Filen {name} er beskadiget og kan ikke læses som Word-dokument.")
        content_types = zf.read("[Content_Types].xml")
        if _MACRO_MAIN in content_types:
            raise LoadError(f"Filen {name} er et Word-dokument med makroer (.docm). Gem det som almindelig "
                            ".docx uden makroer, og prøv igen.")
        if _WORD_MAIN not in content_types:
            raise LoadError(f"Filen {name} er ikke et Word-dokument (måske et regneark eller en præsentation "
                            "med forkert filendelse).")
        expanded = 0
        alt_chunk = False
        for info in infos:
            with zf.open(info) as member:
                while block := member.read(1 << 20):
                    expanded += len(block)
                    if expanded > budget:
                        raise too_big
                    if info.filename == "word/document.xml" and b"altChunk" in block:
                        alt_chunk = True
    return alt_chunk


def _load_docx(data: bytes, name: str, limits: LoadLimits) -> tuple[str, list[Section], list[PageSpan], str]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from lxml import etree

    try:
        alt_chunk = _check_docx_package(data, name, limits)
        document = docx.Document(io.BytesIO(data))
    except LoadError:
        raise
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, zlib.error, EOFError,
            etree.XMLSyntaxError, NotImplementedError) as exc:
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
            heads.append((offset, level, clean_heading(block[:_MAX_HEADING_CHARS])))
        parts.append(block)
        offset += len(block)
        if offset > limits.max_chars:
            raise too_many_chars(name, limits)

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
    if alt_chunk and len(text.strip()) < 200:
        raise LoadError(f"Filen {name} har sit indhold indlejret som importeret HTML eller RTF (altChunk), "
                        "som ikke kan læses som tekst. Åbn den i Word, gem den som .docx igen, og prøv igen.")

    sections = sections_from_headings(heads, len(text))
    title = (document.core_properties.title or "").strip() or (heads[0][2] if heads else "")
    return text, sections, [], title
