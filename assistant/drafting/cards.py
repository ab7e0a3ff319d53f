"""The requirement card: the typed result of drafting, with its sources and
the support judgement of every sentence (DESIGN.md's `draft --json` shape)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from assistant.drafting.clauses import Ambition, Area, ReqType

SupportBasis = Literal["kilde", "skabelon", "juridisk grundlag", "forespørgsel", "ingen"]
CardField = Literal["text", "documentation", "follow_up", "rationale"]
DraftedBy = Literal["skabelon", "skabelon + sprogmodel"]

# The judged text fields of a card, in reading order, with their Danish labels.
FIELD_LABELS = {"text": "Kravtekst", "documentation": "Dokumentation", "follow_up": "Opfølgning og sanktioner",
                "rationale": "Begrundelse"}
UNSUPPORTED_PREFIX = "Ikke underbygget ("


def unsupported_flag(field: str, sentence: str, flags: list[str]) -> str:
    """The card-level flag a reviewer reads for a sentence no source supports."""
    # The field's Danish label, never its name in the code: a reviewer reads "Kravtekst", not "text".
    why = f" ({'; '.join(flags)})" if flags else ""
    return f"{UNSUPPORTED_PREFIX}{FIELD_LABELS.get(field, field)}): {sentence}{why}"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CardCitation(_Model):
    n: int
    doc_id: str
    title: str
    location: str
    quote: str  # verbatim substring of the indexed document text
    chunk_id: str


class LegalRef(_Model):
    id: str
    rule: str
    gist: str
    unverified: bool = False


class ClaimNote(_Model):
    """One checkable claim of a sentence (a number with its unit, a year, a name, a paragraph) and whether
    the cited passage holds it; ``why`` says, in Danish, what the passage says instead."""

    kind: Literal["number", "year", "name", "paragraph"]
    text: str
    found: bool
    why: str = ""


class SentenceSupport(_Model):
    field: CardField
    sentence: str
    supported: bool
    basis: SupportBasis
    sources: list[int] = []  # citation numbers
    flags: list[str] = []  # e.g. "tal uden kilde: 40 %"
    claims: list[ClaimNote] = []  # checked against the supporting (or nearest) passage
    evidence: str = ""  # the verbatim window of the cited passage that supports the sentence


class CardSlot(_Model):
    """A gap in the clause the buyer must fill (see drafting/slots.py); open while ``value`` is None."""

    id: str
    label: str
    kind: str
    hint: str = ""
    unit: str = ""
    value: str | None = None
    filled_by: Literal["forespørgsel", "udbud", "køber"] | None = None


class RequirementCard(_Model):
    id: str
    template_id: str | None
    title: str
    area: Area
    type: ReqType
    ambition: Ambition
    category: str
    text: str
    documentation: str
    follow_up: str
    rationale: str
    legal_basis: list[LegalRef]
    citations: list[CardCitation]
    support: list[SentenceSupport]
    flags: list[str] = []  # Danish sentences a reviewer must read
    drafted_by: DraftedBy = "skabelon"
    note: str = ""
    slots: list[CardSlot] = []
    open_slots: list[str] = []  # labels of the slots still open, shown as «label» in the text
    template_version: int | None = None


class TemplateOption(_Model):
    """A template that also fits the request, shown beside a card so the buyer can switch to it."""

    template_id: str
    title: str
    area: Area
    type: ReqType
    why: str  # Danish: the buyer's words it shares, its area and type


class DraftResult(_Model):
    requirements: list[RequirementCard]
    refusal: str | None = None
    notes: list[str] = []
    # per card id: the next-best templates for the part of the request that card answers
    alternatives: dict[str, list[TemplateOption]] = {}
