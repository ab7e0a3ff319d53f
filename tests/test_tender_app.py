"""The buyer's and the reviewer's handlers in the Gradio app, without a browser
(the browser flow is in tests/system)."""

from __future__ import annotations

from docx import Document

from tests.fixtures.tenders import build_tender
from tests.test_app import _handler


def test_buyer_creates_edits_and_reorders_and_a_stale_session_is_told(app_module, indexed):
    demo = app_module.create_app(indexed)
    picker, message = _handler(demo, "create_tender")("Rammeaftale om rengøringsartikler 2027", "Testrup Kommune",
                                                      "rengøringsartikler")
    assert message.startswith("✅") and picker["value"]
    assert _handler(demo, "create_tender")("  ", "", "")[1] == "❌ Udbuddet skal have et navn."
    tender_id = build_tender(indexed)
    overview, entries, sections, *_ = _handler(demo, "refresh")(tender_id)
    assert "K3.2" in overview and sections["choices"] == ["Miljøkrav", "Sociale klausuler", "Emballage",
                                                          "Kontraktstyring"]
    entry_id = [value for _, value in entries["choices"]][1]  # K3.1
    title, text, doc, follow, view, opened, status = _handler(demo, "open_entry")(tender_id, entry_id)
    assert "K3.1" in status and opened["version"] == 1
    other_session = dict(opened)
    message, view, opened, overview, picker, *_ = _handler(demo, "save_entry")(
        tender_id, opened, "Ida Indkøber", title, text + " Emballagen skal kunne genanvendes.", doc, follow)
    assert message.startswith("✅ Gemt som version 2") and opened["version"] == 2
    assert picker["value"] == entry_id  # the open requirement stays selected after a save
    message, *_ = _handler(demo, "save_entry")(tender_id, other_session, "Bo", title, "Bos tekst skal gælde.",
                                               doc, follow)
    assert "ændret af en anden" in message
    assert indexed.workspace.entry(entry_id).card.text.endswith("Emballagen skal kunne genanvendes.")
    message, opened, *_ = _handler(demo, "move_down")(tender_id, opened, "Ida Indkøber")
    assert message.startswith("✅")
    overview = _handler(demo, "refresh")(tender_id)[0]
    assert overview.index("Genbrugelig transportemballage") < overview.index("Undgå og reducér emballage")
    message, opened, *_ = _handler(demo, "remove_entry")(tender_id, opened, "Ida Indkøber")
    assert "fjernet" in message and opened is None


def test_reviewer_approves_with_comment_and_exports_approved_only(app_module, indexed):
    demo = app_module.create_app(indexed)
    tender_id = build_tender(indexed)
    review_pick, review_overview = _handler(demo, "review_filter_changed")(tender_id, "udkast")
    entry_id = review_pick["choices"][0][1]
    view, sources, status, comment, reviewing, history = _handler(demo, "open_review")(tender_id, entry_id)
    assert "K1.1" in view and "<mark class='udb-span'>" in sources and status["value"] == "udkast"
    assert "| indkøber | Tilføjet |" in history
    message, *_ = _handler(demo, "save_review")(tender_id, reviewing, "", "godkendt", "OK", "udkast")
    assert "Skriv dit navn" in message
    message, view, reviewing, history, overview, picker = _handler(demo, "save_review")(
        tender_id, reviewing, "Karen Jurist", "godkendt", "Svarer til § 46.", "udkast")
    assert message == "✅ K1.1 er sat til «godkendt»." and "Svarer til § 46." in view
    assert "| Karen Jurist | Status | godkendt: Svarer til § 46. |" in history
    path, message = _handler(demo, "export")(tender_id, "Hele udbuddet", True, True, "Word (.docx)")
    assert message.startswith("✅") and path.endswith("rammeaftale-om-rengoeringsartikler-2027.docx")
    doc = Document(path)
    assert [p.text[:4] for p in doc.paragraphs if p.style.name == "Heading 2"] == ["K1.1"]
    assert doc.tables[-1].rows[1].cells[3].text == "Svarer til § 46."
    path, message = _handler(demo, "export")(tender_id, "Sociale klausuler", True, False, "Markdown (.md)")
    assert path is None and "ingen godkendte krav" in message
