"""The udbudsversion a tenderer receives: approved requirements only, nothing internal, page numbers, and
never an open slot."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document

from assistant.tenders.export import ExportError, ExportOptions, export_bytes
from assistant.tenders.review import source_documents
from tests.fixtures.tenders import build_tender

INTERNAL = ("Kildenoter", "Kildefortegnelse", "ikke underbygget", "Juridisk grundlag", "Opmærksomhedspunkter",
            "Gennemgang", "UVERIFICERET", "Begrundelse", "udkast", "Ambitionsniveau", "«")


def _approve(indexed, tender_id, *, fill: bool):
    ws = indexed.workspace
    tender = ws.snapshot(tender_id)
    entry = tender.sections[0].entries[0]
    if fill and any(not s.value for s in entry.card.slots):
        entry = ws.fill_slots(entry.entry_id, entry.version, "indkøber",
                              {s.id: "10" for s in entry.card.slots if not s.value})
    if fill:
        ws.set_status(entry.entry_id, entry.version, "jurist", "godkendt", "I orden.")
        return ws.snapshot(tender_id, source_documents(indexed.catalog)), entry
    # Approval is refused while slots are open; a file from before that rule can still hold such a card.
    tender = ws.snapshot(tender_id, source_documents(indexed.catalog))
    tender.sections[0].entries[0] = tender.sections[0].entries[0].model_copy(update={"status": "godkendt"})
    return tender, entry


def test_the_bidder_version_holds_only_approved_requirements_and_nothing_internal(indexed):
    tender, entry = _approve(indexed, build_tender(indexed), fill=True)
    data = export_bytes(tender, ExportOptions(bidder=True, review_annex=True), ".docx")
    doc = Document(io.BytesIO(data))
    paragraphs = [(p.style.name, p.text) for p in doc.paragraphs]
    assert paragraphs[0] == ("Title", "Rammeaftale om rengøringsartikler 2027")
    assert [t for s, t in paragraphs if s == "Heading 1"] == ["1 Miljøkrav"]  # empty sections are left out
    h2 = [t for s, t in paragraphs if s == "Heading 2"]
    assert h2 == [f"K1.1 {entry.card.title}"]
    body = "\n".join(t for _, t in paragraphs)
    card = tender.sections[0].entries[0].card
    assert card.text in body and card.documentation in body and card.follow_up in body
    assert "Type: Mindstekrav" in body and card.rationale not in body
    for word in INTERNAL:
        assert word not in body, word
    assert not doc.tables
    footer = doc.sections[0].footer.paragraphs[0].text
    assert "Testrup Kommune" in footer and "Side" in footer
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/footer1.xml").decode()
    assert 'w:instr="PAGE"' in xml and 'w:instr="NUMPAGES"' in xml
    markdown = export_bytes(tender, ExportOptions(bidder=True), ".md").decode()
    assert "### K1.1" in markdown and "Kildenoter" not in markdown and card.text in markdown


def test_an_open_slot_stops_the_bidder_version_and_is_named(indexed):
    tender, entry = _approve(indexed, build_tender(indexed), fill=False)
    open_labels = [s.label for s in tender.sections[0].entries[0].card.slots if not s.value]
    assert open_labels, "the fixture's first template should have an open slot"
    with pytest.raises(ExportError, match="åbne felter") as err:
        export_bytes(tender, ExportOptions(bidder=True), ".docx")
    assert "K1.1" in str(err.value) and all(f"«{label}»" in str(err.value) for label in open_labels)


def test_nothing_approved_and_json_are_refused_in_danish(indexed):
    tender = indexed.workspace.snapshot(build_tender(indexed))
    with pytest.raises(ExportError, match="ingen godkendte krav"):
        export_bytes(tender, ExportOptions(bidder=True), ".docx")
    with pytest.raises(ExportError, match="Word"):
        export_bytes(tender, ExportOptions(bidder=True), ".json")


def test_a_bracket_gap_from_before_slots_also_stops_it(indexed):
    tender, entry = _approve(indexed, build_tender(indexed), fill=True)
    entry = indexed.workspace.entry(entry.entry_id)
    indexed.workspace.edit_card(entry.entry_id, entry.version, "indkøber",
                                {"documentation": entry.card.documentation + " Svarfristen er [X] dage."})
    entry = indexed.workspace.entry(entry.entry_id)
    indexed.workspace.set_status(entry.entry_id, entry.version, "jurist", "godkendt", "")
    with pytest.raises(ExportError, match=r"K1\.1 .*»\[X\]«"):
        export_bytes(indexed.workspace.snapshot(tender.tender_id), ExportOptions(bidder=True), ".md")
