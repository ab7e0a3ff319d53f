"""Slots: gaps are declared, filled in code from the buyer's words or the tender, shown as «label» while
open, filled by the buyer with history, and approval with open slots needs a confirmation."""

from __future__ import annotations

import io

import pytest
from docx import Document

from assistant.drafting import slots
from assistant.drafting.cards import CardSlot, LegalRef, RequirementCard, SentenceSupport
from assistant.tenders.export import ExportOptions, to_docx, to_markdown
from assistant.tenders.workspace import OpenSlotsError, Workspace, WorkspaceError
from assistant.ui.present import card_html

SLOTS = [CardSlot(id="produkter", label="Omfattede produkter", kind="produkter", hint="Fx rengøringsmidler"),
         CardSlot(id="svarfrist", label="Svarfrist", kind="tal", unit="arbejdsdage", hint="Typisk 5-10")]
TEXT = "Leverandøren skal levere {produkter} med gyldig licens og svare inden {svarfrist} arbejdsdage."


def _card(values: dict[str, str] | None = None) -> RequirementCard:
    filled = slots.prefill(SLOTS, *(("forespørgsel", v) for v in (values or {}).values()))
    text = slots.render(TEXT, filled)
    open_ = [s.label for s in filled if not s.value]
    return RequirementCard(
        id="MK-LBL-01-basis-x", template_id="MK-LBL-01", title="Miljømærkede produkter", area="miljø og klima",
        type="mindstekrav", ambition="basis", category="rengøring", text=text,
        documentation="Licensnummer for hvert produkt.", follow_up="Stikprøver i kontraktperioden.",
        rationale="Mærker er kontrollerbare.",
        legal_basis=[LegalRef(id="UBL-46", rule="Udbudsloven § 46", gist="Mærker.")], citations=[],
        support=[SentenceSupport(field="text", sentence=text, supported=True, basis="skabelon")],
        slots=filled, open_slots=open_, flags=[slots.open_flag(open_)] if open_ else [])


def test_open_slots_render_as_labels_and_nothing_in_brackets():
    card = _card()
    assert "«Omfattede produkter»" in card.text and "«Svarfrist»" in card.text
    assert card.open_slots == ["Omfattede produkter", "Svarfrist"]
    texts = [getattr(card, f) for f in slots.TEXT_FIELDS] + card.flags + [s.sentence for s in card.support]
    assert not any("[" in t or "{" in t for t in texts)


@pytest.mark.parametrize("request_text, products", [
    ("Skriv et mindstekrav til en rammeaftale om rengøringsmidler og håndsæbe til kommunens institutioner",
     "rengøringsmidler"),
    ("Krav om emballage ved levering af kontorartikler.", "kontorartikler"),
    ("Draft a clause for a contract for cleaning products, please", "cleaning products"),
    ("Rammeaftale om rengøringsartikler 2027", "rengøringsartikler"),
    ("Et krav om miljømærker", None),
])
def test_the_products_come_from_the_buyers_words(request_text, products):
    [filled, _] = slots.prefill(SLOTS, ("forespørgsel", request_text))
    assert filled.value == products
    assert slots.subject_of(request_text) == products


def test_a_number_is_filled_only_with_its_unit_and_only_when_unambiguous():
    [_, days] = slots.prefill(SLOTS, ("forespørgsel", "Svar inden 5 arbejdsdage, tak."))
    assert days.value == "5" and days.filled_by == "forespørgsel"
    [_, none] = slots.prefill(SLOTS, ("forespørgsel", "Rammeaftalen løber 5 år og har 30 pct. genanvendt plast."))
    assert none.value is None
    [_, two] = slots.prefill(SLOTS, ("forespørgsel", "Svar inden 5 arbejdsdage eller 10 arbejdsdage."))
    assert two.value is None
    assert slots.numbers_with_unit("mindst 30 % og 40 pct. genanvendt", "pct.") == {"30", "40"}


def test_filling_a_slot_changes_every_field_and_keeps_the_judgement():
    card = slots.fill(_card(), {"svarfrist": " 7 "})
    assert "inden 7 arbejdsdage" in card.text and card.support[0].sentence == card.text
    assert card.support[0].supported and card.open_slots == ["Omfattede produkter"]
    assert any(f.startswith(slots.OPEN_FLAG) and "Svarfrist" not in f for f in card.flags)
    with pytest.raises(ValueError, match="allerede udfyldt"):
        slots.fill(card, {"svarfrist": "8"})
    with pytest.raises(ValueError, match="skal være et tal"):
        slots.fill(_card(), {"svarfrist": "en uge"})
    with pytest.raises(ValueError, match="klammer"):
        slots.fill(_card(), {"produkter": "[X]"})
    with pytest.raises(ValueError, match="ingen felter"):
        slots.fill(_card(), {"pris": "1"})


def test_markers_and_pieces_cut_text_without_regex():
    text = "A «B» c «D»."
    assert slots.markers(text) == ["«B»", "«D»"]
    assert slots.pieces(text) == [("A ", False), ("«B»", True), (" c ", False), ("«D»", True), (".", False)]
    assert slots.markers("«åben") == []


@pytest.fixture
def ws(tmp_path):
    workspace = Workspace(tmp_path / "workspace.sqlite")
    yield workspace
    workspace.close()


def test_the_tender_fills_what_it_answers_and_the_buyer_fills_the_rest(ws):
    section = ws.add_section(ws.create_tender("Rammeaftale om rengøringsartikler 2027", "Testrup", "rengøring"),
                             "Miljøkrav")
    entry = ws.entry(ws.add_card(section, _card(), "indkøber"))
    assert "levere rengøringsartikler med" in entry.card.text and entry.card.open_slots == ["Svarfrist"]
    assert entry.card.slots[0].filled_by == "udbud"
    with pytest.raises(OpenSlotsError, match="før dets åbne felt er udfyldt: «Svarfrist»"):
        ws.set_status(entry.entry_id, entry.version, "jurist", "godkendt")
    filled = ws.fill_slots(entry.entry_id, entry.version, "indkøber", {"Svarfrist": "5"})
    assert filled.card.open_slots == [] and "inden 5 arbejdsdage" in filled.card.text
    assert not any(f.startswith(slots.OPEN_FLAG) for f in filled.card.flags)
    history = ws.history(entry.entry_id)
    assert history[-1].action == "felter udfyldt" and history[-1].detail["felter"] == {"Svarfrist": "5"}
    with pytest.raises(WorkspaceError, match="ingen felter"):
        ws.fill_slots(entry.entry_id, filled.version, "indkøber", {"pris": "1"})


def test_a_card_with_open_slots_cannot_be_approved_nor_come_in_approved(ws):
    tender_id = ws.create_tender("Udbud", "Kommune", "it")
    section = ws.add_section(tender_id, "Miljøkrav")
    entry = ws.entry(ws.add_card(section, _card(), "indkøber"))
    with pytest.raises(OpenSlotsError) as refused:
        ws.set_status(entry.entry_id, entry.version, "jurist", "godkendt", "OK")
    assert refused.value.labels == ["Omfattede produkter", "Svarfrist"]
    assert ws.entry(entry.entry_id).status == "udkast" and len(ws.history(entry.entry_id)) == 1
    # Every other status is the reviewer's to set while slots are open.
    assert ws.set_status(entry.entry_id, entry.version, "jurist", "skal rettes", "Udfyld fristen.").status \
        == "skal rettes"
    # A file written before approval was blocked: its approved card with open slots comes in as a draft.
    snapshot = ws.snapshot(tender_id)
    old = snapshot.sections[0].entries[0].model_copy(update={"status": "godkendt"})
    snapshot.sections[0].entries[0] = old
    imported = ws.snapshot(ws.import_tender(snapshot, "admin")).sections[0].entries[0]
    assert imported.status == "udkast"
    assert ws.history(imported.entry_id)[-1].detail["status"] == {"før": "godkendt", "efter": "udkast"}


def test_editing_away_a_marker_fills_the_slot(ws):
    section = ws.add_section(ws.create_tender("Udbud", "Kommune", "it"), "Miljøkrav")
    entry = ws.entry(ws.add_card(section, _card(), "indkøber"))
    text = entry.card.text.replace("«Svarfrist»", "fem")
    edited = ws.edit_card(entry.entry_id, entry.version, "indkøber", {"text": text})
    assert edited.card.open_slots == ["Omfattede produkter"]


def test_open_slots_are_marked_in_html_word_and_markdown(ws):
    card = _card()
    html = card_html(card)
    assert "<mark class='udb-slot'" in html and "Åbne felter (2)" in html
    section = ws.add_section(ws.create_tender("Udbud", "Kommune", "it"), "Miljøkrav")
    ws.add_card(section, card, "indkøber")
    tender = ws.snapshot(ws.tenders()[0].tender_id)
    doc = Document(io.BytesIO(to_docx(tender, ExportOptions())))
    marked = [r for p in doc.paragraphs for r in p.runs if r.text.startswith("«") and r.font.highlight_color]
    assert {r.text for r in marked} >= {"«Svarfrist»", "«Omfattede produkter»"}
    assert any("Åbne felter (2)" in p.text for p in doc.paragraphs)
    markdown = to_markdown(tender)
    assert "**«Svarfrist»**" in markdown and "Åbne felter (2)" in markdown
