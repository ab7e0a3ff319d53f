"""The shipped example tender is real: it reads, its quotes are verbatim in the
corpus, and it exports in every format."""

from __future__ import annotations

import io

from docx import Document

from assistant.settings import ROOT
from assistant.tenders.export import ExportOptions, export_bytes, to_docx, to_markdown
from assistant.tenders.tender import STATUSES, read_tender

EXAMPLE = ROOT / "examples" / "tender-rengoering.json"


def test_the_example_has_several_sections_and_every_status():
    tender = read_tender(EXAMPLE)
    assert tender.name == "Rammeaftale om rengøringsartikler 2027"
    assert [s.title for s in tender.sections if s.entries] == [
        "Miljøkrav", "Sociale klausuler", "Emballage", "Kontraktstyring", "Tildeling"]
    assert {e.status for s in tender.sections for e in s.entries} == set(STATUSES)
    assert all(e.history and e.history[0].who for s in tender.sections for e in s.entries)


def test_the_example_has_no_gap_the_tender_answers_and_no_bracket_text():
    """Library v2: every gap is a slot; the buyer filled what the tender decides, and the one slot left open
    (the substance list) is the one the lawyer's comment asks for."""
    tender = read_tender(EXAMPLE)
    entries = [e for s in tender.sections for e in s.entries]
    assert not any(c in getattr(e.card, f) for e in entries for f in ("title", "text", "documentation",
                                                                      "follow_up", "rationale") for c in "[]")
    assert [(e.card.template_id, e.card.open_slots) for e in entries if e.card.open_slots] == [
        ("MK-KEM-01", ["Navngivne stoffer til kontrol"])]
    kem = next(e for e in entries if e.card.template_id == "MK-KEM-01")
    assert kem.status == "skal rettes" and "stofferne" in kem.comment
    assert all(s.value for e in entries if e.status == "godkendt" for s in e.card.slots)


def test_every_quote_in_the_example_is_verbatim_in_the_indexed_corpus(indexed):
    tender = read_tender(EXAMPLE)
    citations = [c for s in tender.sections for e in s.entries for c in e.card.citations]
    assert len(citations) >= 8
    for c in citations:
        assert c.quote in indexed.catalog.document_text(c.doc_id), (c.doc_id, c.quote[:60])


def test_the_example_exports_with_its_reviews():
    tender = read_tender(EXAMPLE)
    doc = Document(io.BytesIO(to_docx(tender, ExportOptions(review_annex=True))))
    numbers = [p.text.split()[0] for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert numbers == ["K1.1", "K1.2", "K1.3", "K2.1", "K2.2", "K3.1", "K3.2", "K4.1", "K4.2", "K4.3", "K5.1"]
    statuses = [row.cells[2].text for row in doc.tables[-1].rows[1:]]
    assert statuses.count("godkendt") == 6 and "afvist" in statuses
    approved = to_markdown(tender, ExportOptions(approved_only=True))
    assert approved.count("\n### K") == 6 and "### K2.1" in approved


def test_the_example_makes_a_bidder_version_of_its_approved_requirements():
    tender = read_tender(EXAMPLE)
    doc = Document(io.BytesIO(export_bytes(tender, ExportOptions(bidder=True), ".docx")))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert len(headings) == 6 and headings[0].startswith("K1.1 Miljømærkede rengøringsmidler")
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "Kildenoter" not in body and "«" not in body and "[" not in body
