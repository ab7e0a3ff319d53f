from __future__ import annotations

import sqlite3

import pytest

from assistant.cards import LegalRef, RequirementCard
from assistant.workspace import StaleEditError, Workspace, WorkspaceError


def _card(n: int = 1) -> RequirementCard:
    return RequirementCard(
        id=f"CE-RET-01-basis-{n}", template_id="CE-RET-01", title="Genbrugelig transportemballage",
        area="cirkulær emballage", type="kontraktvilkår", ambition="basis", category="rengøring",
        text="Leverandøren skal tage al transportemballage retur.", documentation="Beskrivelse af ordningen.",
        follow_up="Kvartalsvis rapport; påkrav, bod, ophævelse.", rationale="Mindre engangsemballage.",
        legal_basis=[LegalRef(id="UBL-176-1", rule="Udbudsloven § 176, stk. 1", gist="Særlige vilkår.")],
        citations=[], support=[])


@pytest.fixture
def ws(tmp_path):
    workspace = Workspace(tmp_path / "workspace.sqlite")
    yield workspace
    workspace.close()


def test_a_tender_with_sections_and_cards_survives_a_restart(ws, tmp_path):
    tender = ws.create_tender("Rammeaftale om rengøringsartikler 2027", "Testrup Kommune", "rengøring")
    section = ws.add_section(tender, "Emballage")
    first = ws.add_card(section, _card(1), "indkøber")
    ws.add_card(section, _card(2), "indkøber")
    ws.close()
    again = Workspace(tmp_path / "workspace.sqlite")
    try:
        assert again.tenders()[0]["name"] == "Rammeaftale om rengøringsartikler 2027"
        assert [s["title"] for s in again.sections(tender)] == ["Emballage"]
        entries = again.entries(section)
        assert [e.entry_id for e in entries][0] == first and entries[0].card == _card(1)
        assert again.schema_version == 1
    finally:
        again.close()


def test_a_stale_edit_is_refused_and_nothing_is_overwritten(ws):
    section = ws.add_section(ws.create_tender("Udbud", "Kommune", "it"), "Miljøkrav")
    entry = ws.entry(ws.add_card(section, _card(), "a"))
    alice = ws.edit_card(entry.entry_id, entry.version, "alice", {"text": "Leverandøren skal tage paller retur."})
    with pytest.raises(StaleEditError, match="ændret af en anden"):
        ws.edit_card(entry.entry_id, entry.version, "bob", {"text": "Bobs tekst."})
    assert ws.entry(entry.entry_id).card.text == "Leverandøren skal tage paller retur."
    assert alice.version == entry.version + 1


def test_review_status_filter_and_history_with_who_and_when(ws):
    section = ws.add_section(ws.create_tender("Udbud", "Kommune", "it"), "Sociale klausuler")
    e1 = ws.entry(ws.add_card(section, _card(1), "indkøber"))
    ws.add_card(section, _card(2), "indkøber")
    approved = ws.set_status(e1.entry_id, e1.version, "jurist", "godkendt", "OK i forhold til § 176.")
    assert [e.entry_id for e in ws.entries(section, status="godkendt")] == [e1.entry_id]
    assert len(ws.entries(section, status="udkast")) == 1
    history = ws.history(e1.entry_id)
    assert [(h.action, h.who) for h in history] == [("tilføjet", "indkøber"), ("status", "jurist")]
    assert history[-1].detail == {"status": "godkendt", "kommentar": "OK i forhold til § 176."}
    assert approved.comment == "OK i forhold til § 176." and history[-1].at > 0
    with pytest.raises(WorkspaceError, match="Ukendt status"):
        ws.set_status(e1.entry_id, approved.version, "jurist", "måske")


def test_cards_can_be_reordered(ws):
    section = ws.add_section(ws.create_tender("Udbud", "Kommune", "it"), "Kontraktstyring")
    ids = [ws.add_card(section, _card(n), "a") for n in range(3)]
    ws.move(ids[2], 1, "a", 0)
    assert [e.entry_id for e in ws.entries(section)] == [ids[2], ids[0], ids[1]]


def test_an_old_database_is_migrated_forward(tmp_path):
    path = tmp_path / "old.sqlite"
    sqlite3.connect(path).close()  # an empty file at user_version 0
    workspace = Workspace(path)
    try:
        assert workspace.schema_version == 1 and workspace.tenders() == []
    finally:
        workspace.close()
