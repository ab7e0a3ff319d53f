"""Rebuild examples/tender-rengoering.json from cards drafted by the embedded default.

    python examples/build_example.py CARDS.json

CARDS.json is a list of {"section", "request", "card"} rows that examples/draft_cards.py
writes with the real drafter (the cards are used as drafted). The
script files them into a fresh workspace (the tender's name fills the products), fills the open slots the
buyer decides (FILLS), applies a procurement lawyer's reviews, and dumps the tender with the index's
document metadata.
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
# The buyer's own values for open slots (template id -> slot id -> value); the products come from the
# tender's name when the cards are filed, so the tender answers no slot by hand that it already answers.
FILLS = {
    "MK-LBL-01": {"svarfrist": "10", "undtagne_produkttyper": "bilag 4 (undtagne produkttyper)",
                  "doseringsbilag": "bilag 5 (doseringsanvisninger)"},
    "MK-KEM-01": {"svarfrist": "10", "udskiftningsfrist": "20", "meddelelsesfrist": "10",
                  "erklaering": "bilag 6 (stoferklæring)"},
    "MK-TRP-01": {"fossilfri_andel": "80", "vognparksbilag": "bilag 7", "nulemission_andel": "50",
                  "indfasningsdato": "1. januar 2028", "omraade": "Testrup Kommunes geografiske område"},
    "MK-LOG-02": {"leveringer": "2", "akutvarer": "bilag 8 (akutvarer)", "leveringsplan": "bilag 9"},
    "SA-ARB-01": {"dokfrist": "10", "stikproeve_andel": "10", "bilag_revisor": "bilag 10 (revisorerklæring)"},
    "SA-ILO-01": {"bilag_erklaering": "bilag 11", "redegoerelse_frist": "10", "fabriksliste_frist": "20",
                  "audit_andel": "20"},
    "SA-CSR-01": {"redegoerelse_frist": "20", "bilag_csr": "bilag 11 (CSR-bilag)",
                  "hoejrisiko": "palmeolie og tensider baseret på palmekerneolie", "kaedeled": "råvareleddet"},
    "CE-MON-01": {"svarfrist": "10", "bilag_emballagespec": "bilag 13 (emballagespecifikation)"},
    "CE-GPL-01": {"vaegt": "10", "nedre_andel": "0", "oevre_andel": "50", "svarfrist": "10",
                  "bilag_tilbudsliste": "bilag 2 (tilbudsliste)"},
    "KS-EVA-01": {"vaegt_pris": "60", "vaegt_kvalitet": "30", "vaegt_baeredygtighed": "10", "prisspaend": "50",
                  "kvalitetsforhold": "leveringssikkerhed, sortimentets bredde og kundeservice",
                  "baeredygtighedsforhold": "andelen af genanvendt plast i emballagen",
                  "bilag_besvarelse": "3"},
    "KS-RAP-01": {"rapport_frist": "20", "bilag_rapport": "12", "revisor_noegletal": "andelen af miljømærkede varer"},
    "KS-SAN-01": {"afhjaelpningsfrist": "10", "handlingsplan_frist": "10", "antal_paakrav": "3",
                  "gentagelsesperiode": "12", "udskiftningsfrist": "20"},
    "KS-BOD-01": {"bod_dokumentation": "500", "bod_leverance": "1000", "bodsloft": "25"},
}
# A procurement lawyer's review (template id -> status, comment), written for this tender: a framework
# agreement for cleaning products (goods) with deliveries to the municipality's institutions.
REVIEWS = {
    "MK-LBL-01": ("godkendt", "Mærkekravet hviler på § 46: tilsvarende mærker og anden passende dokumentation efter "
                              "stk. 4, nr. 1 og 2, og § 48 accepteres, og produktgrupperne er afgrænset til "
                              "rammeaftalens sortiment. Afvisningen af ukonditionsmæssige tilbud er korrekt angivet."),
    "MK-KEM-01": ("skal rettes", "Feltet med de navngivne stoffer er ikke udfyldt, og uden listen kan kravet hverken "
                                 "kontrolleres eller prissættes. Angiv stofferne i bilaget, og beskriv, hvordan nye "
                                 "stoffer på kandidatlisten håndteres i kontraktperioden."),
    "MK-TRP-01": ("godkendt", "Et kontraktvilkår efter § 176 om leverancerne under aftalen, ikke om leverandørens "
                              "samlede vognpark. Kontrollér før udbuddet, om kontrakten er omfattet af reglerne om "
                              "renere køretøjer."),
    "MK-LOG-02": ("godkendt", "Et kontraktvilkår efter § 176 om leverancerne under aftalen; loftet over leveringer er "
                              "proportionalt, når akutvarer er undtaget i bilaget."),
    "SA-ARB-01": ("skal rettes", "Rammeaftalen er et vareindkøb. Arbejdsklausulen er kun proportional for arbejde, der "
                                 "udføres i Danmark ved levering og kørsel til institutionerne; skriv den afgrænsning "
                                 "ind i kravteksten, og begrund den i udbudsmaterialet."),
    "SA-ILO-01": ("godkendt", "Kravet er knyttet til de leverede produkter og ikke til en generel virksomhedspolitik; "
                              "OECD's retningslinjer og FN's principper står korrekt som vejledning, ikke som retsgrundlag."),
    "CE-GEN-01": ("skal rettes", "Principperne for cirkulær emballage er UVERIFICERET i vores kilder; bekræft andelene "
                                 "mod den officielle tekst og mod markedet (markedsdialog), før kravet bruges."),
    "CE-MON-01": ("skal rettes", "Principperne for cirkulær emballage er UVERIFICERET i vores kilder; bekræft kravet mod "
                                 "den officielle tekst, før det bruges."),
    "CE-GPL-01": ("godkendt", "Underkriteriet har vægt, pointmodel og ankerpunkter (§§ 160 og 165), og det tilbudte "
                              "bliver et kontraktvilkår. Vægten på 10 pct. står i rimeligt forhold til emballagens "
                              "betydning for aftalen."),
    "KS-RAP-01": ("godkendt", "Rapporteringen er knyttet til kontraktens genstand, og fristen er proportional."),
    "KS-SAN-01": ("godkendt", "Sanktionerne står ét sted, og kravene i de øvrige afsnit henviser hertil. Påkrav er "
                              "korrekt ikke en betingelse for ophævelse ved uafhjælpelig væsentlig misligholdelse."),
    "KS-BOD-01": ("afvist", "Et samlet bodsloft på 25 pct. af omsætningen er ikke proportionalt på en rammeaftale af "
                            "denne størrelse og vil blive prissat af tilbudsgiverne; brug 10-15 pct. Forholdet til "
                            "erstatning er korrekt beskrevet."),
}


def main(cards_file: Path) -> None:
    rows = json.loads(cards_file.read_text(encoding="utf-8"))
    services = Services.build()
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(Path(tmp) / "workspace.sqlite")
        tender_id = ws.create_tender("Rammeaftale om rengøringsartikler 2027", "Testrup Kommune",
                                     "rengøringsartikler", DEFAULT_SECTIONS)
        sections = {s.title: s.section_id for s in ws.sections(tender_id)}
        sections["Tildeling"] = ws.add_section(tender_id, "Tildeling")
        for row in rows:
            card = RequirementCard.model_validate(row["card"])
            entry_id = ws.add_card(sections[row["section"]], card, BUYER)
            entry = ws.entry(entry_id)
            fills = {k: v for k, v in FILLS.get(card.template_id, {}).items()
                     if any(s.id == k and not s.value for s in entry.card.slots)}
            if fills:
                entry = ws.fill_slots(entry_id, entry.version, BUYER, fills)
            if card.template_id in REVIEWS:
                status, comment = REVIEWS[card.template_id]
                ws.set_status(entry_id, entry.version, LAWYER, status, comment)
        tender = ws.snapshot(tender_id, source_documents(services.catalog))
        ws.close()
    write_tender(tender, HERE / "tender-rengoering.json")
    print(f"{HERE / 'tender-rengoering.json'}: {sum(len(s.entries) for s in tender.sections)} kort")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
