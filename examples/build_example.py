"""Rebuild examples/tender-rengoering.json from cards drafted by the embedded default.

    python examples/build_example.py CARDS.json

CARDS.json is a list of {"section", "request", "card"} rows that examples/draft_cards.py
writes with the real drafter (the cards are used as drafted). The
script files them into a fresh workspace, applies one buyer edit and the reviews a
legal reviewer gave them, and dumps the tender with the index's document metadata.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from assistant.drafting.cards import RequirementCard
from assistant.tenders.review import source_documents
from assistant.services import Services
from assistant.tenders.tender import DEFAULT_SECTIONS, write_tender
from assistant.tenders.workspace import Workspace

HERE = Path(__file__).resolve().parent
BUYER, LAWYER = "Mette Indkøber", "Jonas Jurist"
REVIEWS = {  # template id -> (status, comment)
    "MK-LBL-01": ("godkendt", "Mærkekravet følger udbudslovens § 46; tilsvarende mærker og anden egnet "
                              "dokumentation accepteres, så ligebehandlingen er sikret."),
    "MK-KEM-01": ("skal rettes", "Angiv grænseværdien pr. produkt, og præcisér, hvordan kandidatlisten "
                                 "opdateres i kontraktperioden. Kilden underbygger kun formålet generelt."),
    "SA-ARB-01": ("godkendt", "Arbejdsklausulen svarer til cirkulæret om arbejdsklausuler; "
                              "kontrol og sanktioner er på plads."),
    "CE-MON-01": ("skal rettes", "Principperne er markeret UVERIFICERET; bekræft kravet mod den officielle "
                                 "tekst, før det bruges."),
    "CE-PLN-01": ("afvist", "En plan for emballagereduktion som tildelingskriterium vejer for lidt på en "
                            "rammeaftale med mange små leverancer; brug et mindstekrav i stedet."),
    "KS-RAP-01": ("godkendt", "Rapporteringen er proportional og knyttet til kontraktens genstand."),
}


def main(cards_file: Path) -> None:
    rows = json.loads(cards_file.read_text(encoding="utf-8"))
    services = Services.build()
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(Path(tmp) / "workspace.sqlite")
        tender_id = ws.create_tender("Rammeaftale om rengøringsartikler 2027", "Testrup Kommune",
                                     "rengøringsartikler", DEFAULT_SECTIONS)
        sections = {s.title: s.section_id for s in ws.sections(tender_id)}
        for row in rows:
            card = RequirementCard.model_validate(row["card"])
            entry_id = ws.add_card(sections[row["section"]], card, BUYER)
            entry = ws.entry(entry_id)
            if card.template_id == "MK-TRP-01":  # the buyer fills in a placeholder: a number with no source
                text = card.text.replace("[kørsel/leverancer]", "levering af rengøringsartikler").replace("[X]", "50")
                if text != card.text:
                    entry = ws.edit_card(entry_id, entry.version, BUYER, {"text": text},
                                         recheck=services.rechecker)
            if card.template_id in REVIEWS:
                status, comment = REVIEWS[card.template_id]
                ws.set_status(entry_id, entry.version, LAWYER, status, comment)
        tender = ws.snapshot(tender_id, source_documents(services.catalog))
        ws.close()
    write_tender(tender, HERE / "tender-rengoering.json")
    print(f"{HERE / 'tender-rengoering.json'}: {sum(len(s.entries) for s in tender.sections)} kort")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
