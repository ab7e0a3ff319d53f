"""The tender as one self-contained document: what `tenders dump` writes, what
`export TENDER.json` reads, and what every exporter renders.

The workspace (SQLite) is where tenders live and change; this model is the
snapshot that travels: sections in order, each card with its review status,
comment and history, plus the metadata of every cited document so an export
needs no index.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, ValidationError

from assistant.drafting.cards import RequirementCard

ReviewStatus = Literal["udkast", "godkendt", "skal rettes", "afvist"]
STATUSES: tuple[str, ...] = get_args(ReviewStatus)
FORMAT: Literal["udbudsassistent/udbud"] = "udbudsassistent/udbud"

# The four sections a new tender starts with, and where a drafted card goes by default.
DEFAULT_SECTIONS: tuple[str, ...] = ("Miljøkrav", "Sociale klausuler", "Emballage", "Kontraktstyring")
SECTION_FOR_AREA = {"miljø og klima": "Miljøkrav", "socialt ansvar": "Sociale klausuler",
                    "cirkulær emballage": "Emballage", "kontraktstyring": "Kontraktstyring"}


class TenderFileError(ValueError):
    """The file is not a readable tender; ``str(err)`` is a Danish sentence."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HistoryRecord(_Model):
    version: int
    who: str
    at: datetime  # written as ISO 8601 with offset; a malformed time is refused on read
    action: str
    detail: dict


class TenderEntry(_Model):
    card: RequirementCard
    status: ReviewStatus = "udkast"
    comment: str = ""
    version: int = 1
    entry_id: str | None = None
    history: list[HistoryRecord] = []


class TenderSection(_Model):
    title: str
    entries: list[TenderEntry] = []


class SourceDocument(_Model):
    doc_id: str
    title: str
    publisher: str = ""
    year: str = ""


class Tender(_Model):
    format: Literal["udbudsassistent/udbud"] = FORMAT
    schema_version: Literal[1] = 1
    tender_id: str | None = None
    name: str
    organisation: str
    category: str
    created_at: str = ""
    sections: list[TenderSection]
    documents: list[SourceDocument] = []

    def numbered(self) -> list[tuple[str, TenderSection, list[tuple[str, TenderEntry]]]]:
        """Sections and cards with their numbers: section n gives "n" and its cards "Kn.1", "Kn.2" …"""
        return [(str(s_no), section, [(f"K{s_no}.{c_no}", entry)
                                      for c_no, entry in enumerate(section.entries, start=1)])
                for s_no, section in enumerate(self.sections, start=1)]

    def document(self, doc_id: str, fallback_title: str) -> SourceDocument:
        return next((d for d in self.documents if d.doc_id == doc_id),
                    SourceDocument(doc_id=doc_id, title=fallback_title))


def read_tender(path: Path) -> Tender:
    """Read a tender JSON file, with a Danish error for every way it can be wrong."""
    if not path.is_file():
        raise TenderFileError(f"Filen findes ikke: {path}")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise TenderFileError(f"{path.name} er ikke en tekstfil i UTF-8.") from None
    except json.JSONDecodeError as exc:
        raise TenderFileError(f"{path.name} er ikke gyldig JSON (linje {exc.lineno}, kolonne {exc.colno}).") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise TenderFileError(f"{path.name} er ikke en udbudsfil fra Udbudsassistent "
                              f"(feltet \"format\" skal være \"{FORMAT}\").")
    try:
        return Tender.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(roden)"
        raise TenderFileError(f"{path.name} har et ugyldigt felt ved {where}: {first['msg']} "
                              f"({exc.error_count()} fejl i alt).") from None


def write_tender(tender: Tender, path: Path) -> None:
    path.write_text(tender.model_dump_json(indent=2) + "\n", encoding="utf-8")
