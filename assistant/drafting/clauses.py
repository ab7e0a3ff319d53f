"""The vetted clause library: requirement templates we write and check, stored as
JSON data files in corpus/clauses/ and validated against these models."""

from __future__ import annotations

import json
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Area = Literal["miljø og klima", "socialt ansvar", "cirkulær emballage", "kontraktstyring"]
ReqType = Literal["udvælgelse", "mindstekrav", "tildelingskriterium", "kontraktvilkår", "kontraktstyring"]
Ambition = Literal["basis", "udvidet", "frontløber"]
AREAS: tuple[str, ...] = get_args(Area)
TYPES: tuple[str, ...] = get_args(ReqType)
AMBITIONS: tuple[str, ...] = get_args(Ambition)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LegalBasis(_Strict):
    id: str  # e.g. "UBL-46"
    rule: str  # e.g. "Udbudsloven § 46"
    gist: str  # what it allows, in our words
    url: str = ""
    unverified: bool = False


class SourceQuote(_Strict):
    doc_id: str
    quote: str = Field(min_length=20)  # verbatim substring of the indexed document text


class LevelText(_Strict):
    text: str = Field(min_length=30)  # the clause: testable, "Leverandøren skal …", [placeholders]
    documentation: str = Field(min_length=10)  # how the bidder proves it
    follow_up: str = Field(min_length=10)  # checks and remedies in the contract period


class ClauseTemplate(_Strict):
    id: str = Field(pattern=r"^(MK|SA|CE|KS)-[A-Z]{2,5}-\d{2}$")
    title: str
    area: Area
    type: ReqType
    categories: list[str] = Field(min_length=1)  # "alle" means any category
    keywords: list[str] = Field(min_length=2)
    levels: dict[Ambition, LevelText]
    rationale: str = Field(min_length=30)
    legal_basis: list[str] = Field(min_length=1)  # ids into legal_basis.json
    sources: list[SourceQuote] = []
    note: str = ""  # e.g. what is UVERIFICERET
    revised: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")

    @field_validator("levels")
    @classmethod
    def _has_level(cls, value: dict) -> dict:
        if not value:
            raise ValueError("a template needs at least one ambition level")
        return value

    @model_validator(mode="after")
    def _area_prefix(self) -> ClauseTemplate:
        prefix = {"miljø og klima": "MK", "socialt ansvar": "SA", "cirkulær emballage": "CE",
                  "kontraktstyring": "KS"}[self.area]
        if not self.id.startswith(prefix + "-"):
            raise ValueError(f"{self.id}: id must start with {prefix}- for area {self.area}")
        return self


class ClauseLibrary(BaseModel):
    templates: list[ClauseTemplate]
    legal_basis: dict[str, LegalBasis]

    def get(self, template_id: str) -> ClauseTemplate:
        for t in self.templates:
            if t.id == template_id:
                return t
        raise KeyError(template_id)


def load_library(directory: Traversable | None = None) -> ClauseLibrary:
    """Load and cross-check the library; raises ValueError naming the broken file.

    Read through importlib.resources (corpus/clauses/ ships as assistant.resources.clauses).
    """
    directory = directory or resources.files("assistant.resources.clauses")
    basis_rows = json.loads((directory / "legal_basis.json").read_text(encoding="utf-8"))
    legal = {row["id"]: LegalBasis(**row) for row in basis_rows}
    templates: list[ClauseTemplate] = []
    for path in sorted((t for t in directory.iterdir() if t.name.endswith(".json")), key=lambda t: t.name):
        if path.name == "legal_basis.json":
            continue
        for row in json.loads(path.read_text(encoding="utf-8")):
            try:
                templates.append(ClauseTemplate(**row))
            except ValueError as exc:
                raise ValueError(f"{path.name}: {row.get('id', '?')}: {exc}") from exc
    ids = [t.id for t in templates]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ValueError(f"duplicate template ids: {sorted(duplicates)}")
    for t in templates:
        unknown = [b for b in t.legal_basis if b not in legal]
        if unknown:
            raise ValueError(f"{t.id}: unknown legal basis {unknown}")
    return ClauseLibrary(templates=templates, legal_basis=legal)
