"""The vetted clause library: requirement templates we write and check, stored as
JSON data files in corpus/clauses/ and validated against these models."""

from __future__ import annotations

import json
import re
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


# The paragraphs a requirement of each type must rest on (FACTS.md §5: the basis follows the stage).
STAGE_BASIS: dict[str, frozenset[str]] = {
    "mindstekrav": frozenset({"UBL-40-48", "UBL-46"}),
    "tildelingskriterium": frozenset({"UBL-162"}),
    "kontraktvilkår": frozenset({"UBL-176-1", "UBL-176-2", "UBL-177"}),
    "kontraktstyring": frozenset({"UBL-176-1", "UBL-176-2", "UBL-177"}),
    "udvælgelse": frozenset({"UBL-140", "UBL-157", "UBL-137"}),
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


BasisKind = Literal["lov", "bekendtgørelse", "vejledning"]
SlotKind = Literal["tal", "tekst", "produkter", "dato", "bilag"]
SLOT = re.compile(r"\{([a-z][a-z0-9_]*)\}")  # "{svarfrist}": a declared slot, filled by the buyer or from the request


class LegalBasis(_Strict):
    id: str  # e.g. "UBL-46"
    rule: str  # e.g. "Udbudsloven § 46"
    gist: str  # what it allows, in our words
    url: str = ""
    unverified: bool = False
    # Soft law (OECD, UNGP, the labour-clause circular for municipalities, KL strategies) is guidance a
    # card may mention, never its legal basis (FACTS.md §5).
    kind: BasisKind = "lov"
    stages: list[ReqType] = []  # the requirement types this paragraph is a basis for; [] = any (e.g. § 2)


class SourceQuote(_Strict):
    doc_id: str
    quote: str = Field(min_length=20)  # verbatim substring of the indexed document text
    supports: str = Field(min_length=15)  # one line, Danish: what in the clause this quote really supports


class Slot(_Strict):
    """A gap the buyer must fill, declared instead of a stray "[X]"."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=3)  # Danish, shown as «label» while the slot is open
    kind: SlotKind
    hint: str = Field(min_length=5)  # Danish: what a sensible value looks like
    unit: str = ""  # e.g. "arbejdsdage", "pct.": lets drafting fill "5 arbejdsdage" from the request


class Scope(_Strict):
    product_groups: list[str] = Field(min_length=1)
    cpv: list[str] = []  # CPV main codes, "90919200-4"
    cpv_unverified: bool = True  # the codes were not checked against the CPV regulation's list

    @field_validator("cpv")
    @classmethod
    def _cpv_shape(cls, value: list[str]) -> list[str]:
        for code in value:
            if not re.fullmatch(r"\d{8}-\d", code):
                raise ValueError(f"CPV code {code!r} is not 8 digits, a hyphen and a check digit")
        return value


class LabelRef(_Strict):
    name: str  # "Svanemærket"
    criteria: str = ""  # criteria document and version, e.g. "Rengøringsmidler, version 6"
    equivalent_accepted: Literal[True] = True  # § 46, stk. 3: an equivalent label is always accepted


class Guidance(_Strict):
    when: str = Field(min_length=20)  # when a buyer uses this template
    market: str = Field(min_length=10)  # market maturity and whether a market dialogue is advised
    pitfalls: str = Field(min_length=10)  # what goes wrong, proportionality, equal treatment
    lcc: str = ""  # life-cycle-cost note where it matters


class Change(_Strict):
    version: int = Field(ge=1)
    date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    change: str = Field(min_length=5)


class LevelText(_Strict):
    text: str = Field(min_length=30)  # the clause: testable, "Leverandøren skal …", {slots}
    documentation: str = Field(min_length=10)  # what the bidder submits with the tender
    on_request: str = ""  # what the buyer may ask for before award or contract start
    follow_up: str = Field(min_length=10)  # checks during the contract; sanctions only by reference


class ClauseTemplate(_Strict):
    id: str = Field(pattern=r"^(MK|SA|CE|KS)-[A-Z]{2,5}-\d{2}$")
    title: str
    area: Area
    type: ReqType
    categories: list[str] = Field(min_length=1)  # "alle" means any category
    keywords: list[str] = Field(min_length=2)
    scope: Scope
    levels: dict[Ambition, LevelText]
    slots: list[Slot] = []
    labels: list[LabelRef] = []
    rationale: str = Field(min_length=30)
    legal_basis: list[str] = Field(min_length=1)  # ids into legal_basis.json (statute only)
    guidance_refs: list[str] = []  # soft-law ids into legal_basis.json
    guidance: Guidance
    mandatory_law: str = ""  # set where the law itself requires the clause (e.g. the trainee duty)
    related: list[str] = []  # ids of templates a buyer should consider with this one
    sources: list[SourceQuote] = []
    note: str = ""  # e.g. what is UVERIFICERET
    version: int = Field(ge=1)
    changelog: list[Change] = Field(min_length=1)

    @field_validator("levels")
    @classmethod
    def _has_level(cls, value: dict) -> dict:
        if not value:
            raise ValueError("a template needs at least one ambition level")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ClauseTemplate:
        prefix = {"miljø og klima": "MK", "socialt ansvar": "SA", "cirkulær emballage": "CE",
                  "kontraktstyring": "KS"}[self.area]
        if not self.id.startswith(prefix + "-"):
            raise ValueError(f"{self.id}: id must start with {prefix}- for area {self.area}")
        if self.changelog[-1].version != self.version:
            raise ValueError(f"{self.id}: version {self.version} has no changelog line")
        declared = [s.id for s in self.slots]
        if len(set(declared)) != len(declared) or len({s.label for s in self.slots}) != len(declared):
            raise ValueError(f"{self.id}: slot ids and labels must be unique")
        used = {m for text in self.texts() for m in SLOT.findall(text)}
        if used - set(declared):
            raise ValueError(f"{self.id}: undeclared slots {sorted(used - set(declared))}")
        if set(declared) - used:
            raise ValueError(f"{self.id}: declared slots never used {sorted(set(declared) - used)}")
        return self

    @property
    def revised(self) -> str:
        return self.changelog[-1].date

    def texts(self) -> list[str]:
        """Every text a card can show, for the checks that must hold in all of them."""
        out = [self.title, self.rationale]
        for level in self.levels.values():
            out += [level.text, level.documentation, level.on_request, level.follow_up]
        return out


class ClauseLibrary(BaseModel):
    templates: list[ClauseTemplate]
    legal_basis: dict[str, LegalBasis]

    def basis_problems(self, req_type: str, basis_ids: list[str]) -> list[str]:
        """Why a requirement of ``req_type`` may not rest on ``basis_ids`` (empty when it may), in Danish."""
        problems = []
        if not set(basis_ids) & STAGE_BASIS.get(req_type, frozenset()):
            problems.append(f"et {req_type} skal hvile på en af {', '.join(sorted(STAGE_BASIS[req_type]))}")
        for ref in basis_ids:
            basis = self.legal_basis.get(ref)
            if basis is None:
                problems.append(f"ukendt grundlag {ref}")
            elif basis.kind == "vejledning":
                problems.append(f"{basis.rule} er vejledning, ikke retsgrundlag")
            elif basis.stages and req_type not in basis.stages:
                problems.append(f"{basis.rule} er ikke grundlag for et {req_type}")
        return problems

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
        unknown = [b for b in [*t.legal_basis, *t.guidance_refs] if b not in legal]
        if unknown:
            raise ValueError(f"{t.id}: unknown legal basis {unknown}")
        soft = [b for b in t.legal_basis if legal[b].kind == "vejledning"]
        if soft:
            raise ValueError(f"{t.id}: soft law {soft} belongs in guidance_refs, not legal_basis")

    return ClauseLibrary(templates=templates, legal_basis=legal)
