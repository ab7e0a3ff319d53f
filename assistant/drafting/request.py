"""Reading a drafting request: strip injected instructions, and find the type,
area and product category the buyer asked for in plain Danish or English."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Instructions aimed at the assistant rather than at a requirement. They are removed
# from the request before it reaches retrieval or the model, and the card says so.
_INJECTION = re.compile(
    r"[^.!?\n]*\b(?:ignore|ignorer|ignorér|glem|disregard|forget)\b[^.!?\n]*"
    r"\b(?:instructions?|instruktion(?:er|erne)?|regler|rules|prompt)\b[^.!?\n]*[.!?]?"
    r"|[^.!?\n]*\b(?:system ?prompt|you are now|du er nu|act as|lad som om)\b[^.!?\n]*[.!?]?",
    re.IGNORECASE,
)

TYPE_WORDS = {
    "tildelingskriterium": ("tildelingskriteri", "underkriteri", "award criteri", "evaluering", "point",
                            "beløn", "vægt", "score", "reward", "award"),
    "udvælgelse": ("udvælgelse", "egnethed", "selection criteri", "minimumskrav til egnethed", "referencer",
                   "references", "udelukkelse", "exclusion"),
    "kontraktstyring": ("kontraktstyring", "kontraktopfølgning", "opfølgning", "contract management",
                        "rapportering", "statusmøde", "kpi"),
    "mindstekrav": ("mindstekrav", "minimumskrav", "minimum requirement", "teknisk specifikation"),
    "kontraktvilkår": ("kontraktvilkår", "kontraktkrav", "klausul", "clause", "contract condition"),
}
AREA_WORDS = {
    "cirkulær emballage": ("emballage", "transportemballage", "returemballage", "packaging", "plast",
                           "engangsplast"),
    "socialt ansvar": ("social", "arbejdsklausul", "ilo", "lærling", "elev", "oplæring", "csr",
                       "menneskerettighed", "underleverandør", "ledig", "beskæftigelse", "labour"),
    "kontraktstyring": ("kontraktstyring", "contract management", "kpi", "bod", "ophævelse"),
    "miljø og klima": ("miljø", "klima", "co2", "svanemærk", "miljømærk", "økologi", "energi",
                       "kemikalie", "levetid", "reservedel", "transport", "environment", "climate"),
}
# Buyer words → the category names the clause library uses.
CATEGORY_WORDS = {
    # Products and services are different tenders (LEGAL-REVIEW X4): "rengøringsmidler" are goods,
    # "rengøring af rådhuset" is a service.
    "rengøringsartikler": ("rengøringsartik", "rengøringsmid", "rengøringsprodukt", "rengøringskemi",
                           "cleaning product", "cleaning agent", "cleaning suppl"),
    "rengøringsydelser": ("rengøringsydelse", "rengøringsservice", "rengøring", "cleaning"),
    "kantine og forplejning": ("kantine", "forplejning", "catering", "canteen"),
    "fødevarer": ("fødevare", "mad", "køkken", "food"),
    "it": ("it", "computer", "pc", "hardware", "skærm"),
    "møbler": ("møbel", "møbler", "furniture"),
    "kontorartikler": ("kontorartik", "office supplies", "papir"),
    "bygge og anlæg": ("bygge", "anlæg", "byggeri", "construction", "renovering"),
    "transport": ("transport", "kørsel", "befordring", "bil", "vehicle"),
    "vikarer": ("vikar", "temporary staff"),
    "beskæftigelsesindsatser": ("beskæftigelsesindsats", "jobcenter", "employment service"),
    "tolkning": ("tolk", "interpret"),
    "tekstiler": ("tekstil", "arbejdstøj", "textile", "uniform", "clothing", "workwear"),
    "medicinsk udstyr": ("medicinsk", "hjælpemidl", "sygepleje", "medical"),
    "grønne områder": ("grønne områder", "grønne arealer", "park"),
}

# Words that mark a request as being about procurement at all.
PROCUREMENT_WORDS = (
    "krav", "udbud", "leverandør", "kontrakt", "indkøb", "tilbud", "rammeaftale", "klausul",
    "ordregiver", "tildeling", "mindstekrav", "bod", "emballage", "miljømærk", "arbejdsklausul",
    "requirement", "tender", "procurement", "supplier", "contract", "clause", "criteri",
)


@dataclass(frozen=True)
class ParsedRequest:
    text: str  # the request without injected instructions
    injected: tuple[str, ...] = ()
    type: str | None = None
    area: str | None = None
    category: str | None = None
    procurement_words: tuple[str, ...] = field(default=())


def _first_match(text: str, table: dict[str, tuple[str, ...]]) -> str | None:
    """The first key with a word that starts a word in ``text`` ("bil" matches "bilerne",
    not "mobil"); a compound that only starts with it ("transportemballage") is not it."""
    for key, words in table.items():
        for word in words:
            for match in re.finditer(rf"\b{re.escape(word)}(\w*)", text):
                if not match.group(1).startswith(("emballage", "emballering")):
                    return key
    return None


def parse_request(raw: str) -> ParsedRequest:
    injected = tuple(m.group(0).strip() for m in _INJECTION.finditer(raw) if m.group(0).strip())
    text = _INJECTION.sub(" ", raw)
    text = re.sub(r"\s+", " ", text).strip()
    low = f" {text.lower()} "
    return ParsedRequest(
        text=text,
        injected=injected,
        type=_first_match(low, TYPE_WORDS),
        area=_first_match(low, AREA_WORDS),
        category=_first_match(low, CATEGORY_WORDS),
        procurement_words=tuple(w for w in PROCUREMENT_WORDS if w in low),
    )
