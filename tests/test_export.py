"""The Word, Markdown and JSON exports of a tender built from really drafted cards."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from docx import Document

from assistant.tenders.export import ExportError, ExportOptions, export_file, layout, to_docx, to_json, to_markdown
from assistant.tenders.review import source_documents
from assistant.tenders.tender import Tender
from tests.fixtures.tenders import approve_first, build_tender


@pytest.fixture
def tender(indexed) -> Tender:
    tender_id = build_tender(indexed)
    approve_first(indexed, tender_id)
    return indexed.workspace.snapshot(tender_id, source_documents(indexed.catalog))


def _docx(data: bytes):
    return Document(io.BytesIO(data))


def test_word_export_has_title_headings_numbered_requirements_and_verbatim_source_notes(tender, indexed):
    doc = _docx(to_docx(tender, ExportOptions()))
    paragraphs = [(p.style.name, p.text) for p in doc.paragraphs]
    assert paragraphs[0] == ("Title", "Rammeaftale om rengøringsartikler 2027")
    h1 = [t for s, t in paragraphs if s == "Heading 1"]
    assert h1 == ["1 Miljøkrav", "2 Sociale klausuler", "3 Emballage", "4 Kontraktstyring", "Kildefortegnelse"]
    h2 = [t for s, t in paragraphs if s == "Heading 2"]
    assert [t.split()[0] for t in h2] == ["K1.1", "K3.1", "K3.2", "K4.1"]
    assert h2[0].startswith("K1.1 Miljømærkede rengøringsmidler")
    body = "\n".join(t for _, t in paragraphs)
    card = tender.sections[2].entries[0].card
    assert card.text.split(".")[0] in body
    # Every citation is a numbered note with its document, location and the quote, verbatim.
    notes = [t for _, t in paragraphs if re.match(r"Note \d+\. ", t)]
    citations = [c for s in tender.sections for e in s.entries for c in e.card.citations]
    assert len(notes) == len(citations) > 0
    for number, (note, c) in enumerate(zip(notes, citations), start=1):
        assert note.startswith(f"Note {number}. {c.title}, {c.location}: ") and f"»{c.quote}«" in note
        assert c.quote in indexed.catalog.document_text(c.doc_id)
    # No square brackets outside the verbatim quotes: notes are superscript numbers, gaps are «slots».
    assert not [t for _, t in paragraphs if "[" in t and not t.startswith("Note ")]
    # The metadata table and the per-card facts table
    cells = [[cell.text for cell in row.cells] for row in doc.tables[0].rows]
    assert ["Ordregiver", "Testrup Kommune"] in cells and ["Antal krav", "4"] in cells
    assert ["Gennemgang", "godkendt"] in [[c.text for c in r.cells] for r in doc.tables[1].rows]
    assert "Indkøb med mening – Fælleskommunal indkøbsstrategi 2020-2024 (KL, 2020)" in body


def test_word_export_has_no_macros_links_or_field_codes_and_is_danish(tender):
    data = to_docx(tender, ExportOptions(review_annex=True))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        xml = "".join(z.read(n).decode("utf-8") for n in names if n.endswith(".xml") or n.endswith(".rels"))
    assert not any("vba" in n.lower() for n in names)
    for forbidden in ("<w:hyperlink", "<w:fldSimple", "<w:instrText", "<w:fldChar", "TargetMode=\"External\""):
        assert forbidden not in xml, forbidden
    assert 'w:val="da-DK"' in xml and "macroEnabled" not in xml
    assert "Bæredygtig".lower() in xml.lower() and "ø" in xml


def test_unsupported_sentences_are_marked_in_every_format(tender, indexed):
    entry = tender.sections[0].entries[0]
    indexed.workspace.edit_card(
        entry.entry_id, entry.version, "indkøber",
        {"text": entry.card.text + " Leverandøren skal plante 937 træer om året."}, recheck=indexed.rechecker)
    tender = indexed.workspace.snapshot(tender.tender_id)
    flagged = [s for s in tender.sections[0].entries[0].card.support if not s.supported]
    assert [s.sentence for s in flagged] == ["Leverandøren skal plante 937 træer om året."]
    doc = _docx(to_docx(tender))
    para = next(p for p in doc.paragraphs if "937 træer" in p.text)
    run = next(r for r in para.runs if "937 træer" in r.text)
    assert run.font.highlight_color is not None and "(ikke underbygget)" in para.text
    assert "==Leverandøren skal plante 937 træer om året.== *(ikke underbygget)*" in to_markdown(tender)


def test_approved_only_section_and_review_annex(tender):
    approved = _docx(to_docx(tender, ExportOptions(approved_only=True, review_annex=True)))
    h2 = [p.text for p in approved.paragraphs if p.style.name == "Heading 2"]
    assert len(h2) == 1 and h2[0].startswith("K1.1")
    annex = approved.tables[-1]
    assert [c.text for c in annex.rows[0].cells] == ["Nr.", "Krav", "Status", "Kommentar", "Seneste ændring"]
    assert [c.text for c in annex.rows[1].cells][:4] == ["K1.1", h2[0][5:], "godkendt", "I orden; § 176 passer."]
    # One section, by title or by number: section numbers stay those of the tender.
    for section in ("Emballage", "3"):
        md = to_markdown(tender, ExportOptions(section=section))
        assert "## 3 Emballage" in md and "### K3.1" in md and "### K3.2" in md and "Miljøkrav" not in md
    with pytest.raises(ExportError, match="intet afsnit 'Dyrevelfærd'.*1 Miljøkrav"):
        layout(tender, ExportOptions(section="Dyrevelfærd"))
    with pytest.raises(ExportError, match="ingen godkendte krav"):
        layout(tender, ExportOptions(approved_only=True, section="Emballage"))


def test_json_export_round_trips_through_the_workspace(tender, indexed):
    text = to_json(tender, ExportOptions(approved_only=True))
    again = Tender.model_validate_json(text)
    assert [len(s.entries) for s in again.sections] == [1, 0, 0, 0]
    new_id = indexed.workspace.import_tender(again, "import")
    imported = indexed.workspace.snapshot(new_id)
    assert imported.sections[0].entries[0].card == again.sections[0].entries[0].card
    assert imported.sections[0].entries[0].status == "godkendt"
    history = imported.sections[0].entries[0].history
    assert [(h.action, h.who) for h in history] == [("tilføjet", "indkøber"), ("felter udfyldt", "indkøber"),
                                                    ("status", "jurist"), ("importeret", "import")]
    assert history[:3] == again.sections[0].entries[0].history  # who and when kept exactly


def test_export_file_picks_the_format_from_the_name_and_refuses_others(tender, tmp_path):
    for suffix in (".docx", ".md", ".json"):
        path = export_file(tender, ExportOptions(), tmp_path / f"udbud{suffix}")
        assert path.stat().st_size > 1000
    with pytest.raises(ExportError, match="Ukendt filtype '.pdf'"):
        export_file(tender, ExportOptions(), tmp_path / "udbud.pdf")
    with pytest.raises(ExportError, match="Mappen findes ikke"):
        export_file(tender, ExportOptions(), tmp_path / "mangler" / "udbud.docx")
    assert not list(tmp_path.glob("*.tmp"))


REPEATED = ("Produkterne skal være økologiske og certificeret efter EU's økologiforordning eller tilsvarende. "
            "Det skal være et økologisk alternativ, der er certificeret efter EU's økologiforordning eller "
            "tilsvarende.")


def test_a_sentence_a_buyer_repeats_is_flagged_and_left_out_of_both_exports(indexed):
    tender_id = build_tender(indexed)
    ws = indexed.workspace
    first = next(e for s in ws.snapshot(tender_id).sections for e in s.entries)
    edited = ws.edit_card(first.entry_id, first.version, "Ida", {"text": REPEATED}, recheck=indexed.rechecker)
    assert any(f.startswith("Gentagelse udeladt i eksporten (kravtekst): «Det skal være") for f in edited.card.flags)
    snapshot = ws.snapshot(tender_id, source_documents(indexed.catalog))
    working = to_markdown(snapshot, ExportOptions())
    assert "Produkterne skal være økologiske" in working and "Det skal være et økologisk alternativ" not in \
        working.split("Gentagelse udeladt")[0]
    card = layout(snapshot).cards[0].card
    assert card.text.startswith("Produkterne skal være økologiske") and "alternativ" not in card.text
    assert all("alternativ" not in s.sentence for s in card.support)
    assert sum(f.startswith("Gentagelse udeladt") for f in card.flags) == 1
