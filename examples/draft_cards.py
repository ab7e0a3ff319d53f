"""Draft the example tender's cards with the embedded default (about a minute per card):

    python examples/draft_cards.py && python examples/build_example.py examples/cards-drafted.json
"""
import json, sys, time
from pathlib import Path
from assistant.services import Services
from assistant.drafting.draft import DraftOptions

REQUESTS = [
    ("Miljøkrav", "Mindstekrav om miljømærkede rengøringsmidler i en rammeaftale om rengøringsartikler", dict(type="mindstekrav")),
    ("Miljøkrav", "Krav om at rengøringsartiklerne ikke indeholder stoffer fra REACH-kandidatlisten", dict(type="mindstekrav")),
    ("Miljøkrav", "Fossilfri levering af rengøringsartikler til kommunens institutioner", dict(type="kontraktvilkår")),
    ("Sociale klausuler", "Arbejdsklausul for chauffører og lagerpersonale, der leverer rengøringsartikler til kommunen", dict(type="kontraktvilkår")),
    ("Sociale klausuler", "Krav om due diligence og ILO's konventioner i leverandørkæden for rengøringsartikler", dict(type="kontraktvilkår")),
    ("Emballage", "Skriv et mindstekrav om emballage til en rammeaftale om rengøringsartikler", dict(type="mindstekrav")),
    ("Emballage", "Tildelingskriterium om genanvendt plast i emballagen til rengøringsmidler", dict(type="tildelingskriterium")),
    ("Tildeling", "Evalueringsmodel for bedste forhold mellem pris og kvalitet på rammeaftalen", dict(type="tildelingskriterium")),
    ("Kontraktstyring", "Kvartalsvis rapportering og statusmøder om bæredygtighed på rammeaftalen", dict(type="kontraktstyring")),
    ("Kontraktstyring", "Påkrav, bod og ophævelse ved misligholdelse af kontraktens krav", dict(type="kontraktvilkår")),
    ("Kontraktstyring", "Graduerede bodssatser med loft ved manglende overholdelse af miljø- og sociale krav", dict(type="kontraktvilkår")),
]
OUT = Path(__file__).resolve().parent / "cards-drafted.json"
s = Services.build()
out = []
for section, req, opts in REQUESTS:
    t = time.time()
    r = s.drafter.draft(req, DraftOptions(category="rengøringsartikler", max_cards=1, **opts))
    print(section, req, "->", [c.template_id for c in r.requirements], r.refusal, f"{time.time()-t:.0f}s", file=sys.stderr, flush=True)
    for c in r.requirements:
        out.append({"section": section, "request": req, "card": c.model_dump()})
    json.dump(out, open(OUT, "w"), ensure_ascii=False, indent=1)
