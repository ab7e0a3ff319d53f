"""The buyer's and the reviewer's handlers in the Gradio app, without a browser
(the browser flow is in tests/realmodel/test_real_browser.py)."""

from __future__ import annotations

import html

from docx import Document

from assistant.ui import present_tender as pt
from assistant.ui.export_tab import BIDDER
from tests.fixtures.tenders import build_tender


def test_buyer_creates_edits_and_reorders_and_a_stale_session_is_told(app, indexed):
    t, views = app.tender, app.views
    out = t.create_tender("Rammeaftale om rengøringsartikler 2027", "Testrup Kommune", "rengøringsartikler")
    assert out[t.create_status].startswith("✅") and out[app.header.tender_pick]["value"]
    assert t.create_tender("  ", "", "")[t.create_status] == "❌ Udbuddet skal have et navn."
    tender_id = build_tender(indexed)
    out = t.refresh(tender_id)
    assert "K3.2" in out[views.overview] and out[views.target_section]["choices"] == [
        "Miljøkrav", "Sociale klausuler", "Emballage", "Kontraktstyring"]
    entry_id = [value for _, value in out[views.entry_pick]["choices"]][1]  # K3.1
    out = t.open_entry(tender_id, entry_id)
    opened = out[t.opened]
    assert "K3.1" in out[t.entry_status] and opened["version"] == 1
    title, text, doc, follow = out[t.edit_title], out[t.edit_text], out[t.edit_doc], out[t.edit_follow]
    other_session = dict(opened)
    out = t.save_entry(tender_id, opened, "Ida Indkøber", title, text + " Emballagen skal kunne genanvendes.",
                       doc, follow)
    opened = out[t.opened]
    assert out[t.entry_status].startswith("✅ Gemt som version 2") and opened["version"] == 2
    assert out[views.entry_pick]["value"] == entry_id  # the open requirement stays selected after a save
    out = t.save_entry(tender_id, other_session, "Bo", title, "Bos tekst skal gælde.", doc, follow)
    assert "ændret af en anden" in out[t.entry_status] and t.opened not in out
    assert indexed.workspace.entry(entry_id).card.text.endswith("Emballagen skal kunne genanvendes.")
    out = t.move_down(tender_id, opened, "Ida Indkøber")
    assert out[t.entry_status].startswith("✅")
    opened = out[t.opened]
    overview = t.refresh(tender_id)[views.overview]
    moved, other = indexed.workspace.entry(entry_id).card.title, indexed.workspace.snapshot(tender_id) \
        .sections[2].entries[0].card.title
    assert overview.index(html.escape(other)) < overview.index(html.escape(moved))
    out = t.remove_entry(tender_id, opened, "Ida Indkøber")
    assert "fjernet" in out[t.entry_status] and out[t.opened] is None
    assert out[t.undo_button]["interactive"] and out[t.undo]["kind"] == "fjernet"
    out = t.undo_last(tender_id, out[t.undo], "Ida Indkøber")  # undo the removal: back in its place
    assert "sat ind igen" in out[t.entry_status] and not out[t.undo_button]["interactive"]
    assert indexed.workspace.entry(entry_id).card.title == moved and out[t.opened]["entry_id"] == entry_id
    opened = out[t.opened]
    current = indexed.workspace.entry(entry_id).card
    out = t.save_entry(tender_id, opened, "Ida Indkøber", "Ny overskrift", current.text, current.documentation,
                       current.follow_up)
    assert "Fortryd" in out[t.entry_status] and out[t.undo]["kind"] == "redigeret"
    out = t.undo_last(tender_id, out[t.undo], "Ida Indkøber")
    assert "er fortrudt" in out[t.entry_status] and indexed.workspace.entry(entry_id).card.title == moved
    assert "Redigering fortrudt" in pt.history_markdown(indexed.workspace.history(entry_id))
    assert "card_id" not in pt.history_markdown(indexed.workspace.history(entry_id))  # no internal names


def test_reviewer_approves_with_comment_and_exports_approved_only(app, indexed):
    r, e = app.review, app.export
    tender_id = build_tender(indexed)
    out = r.filter_changed(tender_id, "udkast")
    entry_id = out[r.review_pick]["choices"][0][1]
    out = r.open_review(tender_id, entry_id)
    assert "K1.1" in out[r.review_view] and "<mark class='udb-span'>" in out[r.review_sources]
    assert out[r.review_status]["value"] == "udkast" and "| indkøber | Tilføjet |" in out[r.history_view]
    reviewing = out[r.reviewing]
    assert "Skriv dit navn" in r.save_review(tender_id, reviewing, "", "godkendt", "OK", "udkast")[r.review_message]
    open_slots = indexed.workspace.entry(entry_id).card.open_slots
    assert open_slots and "<mark class='udb-slot'" in r.open_review(tender_id, entry_id)[r.review_view]
    out = r.save_review(tender_id, reviewing, "Karen Jurist", "godkendt", "Svarer til § 46.", "udkast")
    assert out[r.review_message].startswith("❌ Kravet kan ikke godkendes, før dets ")
    assert all(f"«{label}»" in out[r.review_message] for label in open_slots) and "«Udbud»" in out[r.review_message]
    assert indexed.workspace.entry(entry_id).status == "udkast"
    entry = indexed.workspace.entry(entry_id)
    indexed.workspace.fill_slots(entry_id, entry.version, "indkøber", dict.fromkeys(open_slots, "10"))
    reviewing = r.open_review(tender_id, entry_id)[r.reviewing]
    out = r.save_review(tender_id, reviewing, "Karen Jurist", "godkendt", "Svarer til § 46.", "udkast")
    assert out[r.review_message] == "✅ K1.1 er sat til «godkendt»." and "Svarer til § 46." in out[r.review_view]
    assert "| Karen Jurist | Status | godkendt: Svarer til § 46. |" in out[r.history_view]
    out = e.export(tender_id, "Hele udbuddet", True, True, "Word (.docx)")
    path = out[e.file_view]["value"]
    assert out[e.message].startswith("✅") and path.endswith("rammeaftale-om-rengoeringsartikler-2027.docx")
    doc = Document(path)
    assert [p.text[:4] for p in doc.paragraphs if p.style.name == "Heading 2"] == ["K1.1"]
    assert doc.tables[-1].rows[1].cells[3].text == "Svarer til § 46."
    out = e.export(tender_id, "Sociale klausuler", True, False, "Markdown (.md)")
    assert out[e.file_view]["value"] is None and not out[e.file_view]["visible"] and "ingen godkendte krav" in out[e.message]
    # The bidder's version of the approved requirement (it could only be approved with its slots filled).
    out = e.export(tender_id, "Hele udbuddet", False, True, "Word (.docx)", BIDDER)
    assert out[e.file_view]["value"].endswith("-udbudsversion.docx") and out[e.message].startswith("✅")


def test_undo_never_undoes_someone_elses_later_edit(app, indexed):
    t = app.tender
    tender_id = build_tender(indexed)
    entry = next(e for s in indexed.workspace.snapshot(tender_id).sections for e in s.entries)
    opened = t.open_entry(tender_id, entry.entry_id)[t.opened]
    c = entry.card
    mine = t.save_entry(tender_id, opened, "Ida", "Min overskrift", c.text, c.documentation, c.follow_up)
    current = indexed.workspace.entry(entry.entry_id)
    indexed.workspace.edit_card(entry.entry_id, current.version, "Bo", {"title": "Bos overskrift"})
    out = t.undo_last(tender_id, mine[t.undo], "Ida")
    assert "ændret af en anden" in out[t.entry_status]
    assert indexed.workspace.entry(entry.entry_id).card.title == "Bos overskrift"
