from __future__ import annotations

import sqlite3

import pytest

from assistant.drafting.cards import LegalRef, RequirementCard
from assistant.tenders.workspace import StaleEditError, Workspace, WorkspaceError


def _card(n: int = 1) -> RequirementCard:
    return RequirementCard(
        id=f"CE-RET-01-basis-{n}", template_id="CE-RET-01", title="Genbrugelig transportemballage",
        area="cirkulær emballage", type="kontraktvilkår", ambition="basis", category="rengøring",
        text="Leverandøren skal tage al transportemballage retur.", documentation="Beskrivelse af ordningen.",
        follow_up="Kvartalsvis rapport; påkrav, bod, ophævelse.", rationale="Mindre engangsemballage.",
        legal_basis=[LegalRef(id="UBL-176-1", rule="Udbudsloven § 176, stk. 1", gist="Særlige vilkår.")],
        citations=[], support=[])


@pytest.fixture
def ws(settings):
    workspace = Workspace(settings.database("workspace"))
    yield workspace
    workspace.close()


def test_a_tender_with_sections_and_cards_survives_a_restart(ws, settings):
    tender = ws.create_tender("Rammeaftale om rengøringsartikler 2027", "Testrup Kommune", "rengøring")
    section = ws.add_section(tender, "Emballage")
    first = ws.add_card(section, _card(1), "indkøber")
    ws.add_card(section, _card(2), "indkøber")
    ws.close()
    again = Workspace(settings.database("workspace"))
    try:
        assert again.tenders()[0].name == "Rammeaftale om rengøringsartikler 2027"
        assert [s.title for s in again.sections(tender)] == ["Emballage"]
        entries = again.entries(section)
        assert [e.entry_id for e in entries][0] == first and entries[0].card == _card(1)
        assert again.schema_version == 2
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
        assert workspace.schema_version == 2 and workspace.tenders() == []
    finally:
        workspace.close()


def test_two_sessions_on_the_same_database_cannot_overwrite_each_other(settings):
    # two browser sessions, or two app instances on one PostgreSQL: two connection pools
    alice, bob = Workspace(settings.database("workspace")), Workspace(settings.database("workspace"))
    try:
        section = alice.add_section(alice.create_tender("Udbud", "Kommune", "it"), "Miljøkrav")
        entry_id = alice.add_card(section, _card(), "alice")
        seen_by_bob = bob.entry(entry_id)
        alice.set_status(entry_id, alice.entry(entry_id).version, "alice", "skal rettes", "Mangler frist.")
        with pytest.raises(StaleEditError):
            bob.edit_card(entry_id, seen_by_bob.version, "bob", {"text": "Bobs tekst."})
        with pytest.raises(StaleEditError):
            bob.move(entry_id, seen_by_bob.version, "bob", 0)
        with pytest.raises(StaleEditError):
            bob.remove_card(entry_id, seen_by_bob.version, "bob")
        after = bob.entry(entry_id)
        assert (after.status, after.card.text) == ("skal rettes", _card().text)
    finally:
        alice.close()
        bob.close()


def test_removing_a_card_keeps_its_history_and_closes_the_gap(ws):
    section = ws.add_section(ws.create_tender("Udbud", "Kommune", "it"), "Emballage")
    ids = [ws.add_card(section, _card(n), "a") for n in range(3)]
    ws.remove_card(ids[1], 1, "b")
    assert [(e.entry_id, e.position) for e in ws.entries(section)] == [(ids[0], 0), (ids[2], 1)]
    assert [h.action for h in ws.history(ids[1])] == ["tilføjet", "fjernet"]
    with pytest.raises(WorkspaceError, match="findes ikke"):
        ws.entry(ids[1])


def test_snapshot_numbers_cards_and_import_gives_fresh_ids(ws):
    tender_id = ws.create_tender("Udbud", "Kommune", "rengøring", ("Miljøkrav", "Emballage"))
    sections = ws.sections(tender_id)
    ws.add_card(sections[1].section_id, _card(1), "a")
    second = ws.add_card(sections[1].section_id, _card(2), "a")
    ws.set_status(second, 1, "jurist", "afvist", "Ikke proportionalt.")
    tender = ws.snapshot(tender_id)
    numbers = [(n, e.card.id, e.status) for _, _, entries in tender.numbered() for n, e in entries]
    assert numbers == [("K2.1", _card(1).id, "udkast"), ("K2.2", _card(2).id, "afvist")]
    assert tender.sections[1].entries[1].history[-1].who == "jurist"
    copy = ws.snapshot(ws.import_tender(tender, "import"))
    assert copy.tender_id != tender_id and copy.name == "Udbud"
    assert [e.entry_id for e in copy.sections[1].entries] != [e.entry_id for e in tender.sections[1].entries]
    assert copy.sections[1].entries[1].comment == "Ikke proportionalt."


def test_an_unchanged_edit_is_not_a_new_version_and_empty_fields_are_refused(ws):
    section = ws.add_section(ws.create_tender("Udbud", "Kommune", "it"), "Miljøkrav")
    entry = ws.entry(ws.add_card(section, _card(), "a"))
    assert ws.edit_card(entry.entry_id, 1, "a", {"text": entry.card.text}).version == 1
    with pytest.raises(WorkspaceError, match="ikke være tomt"):
        ws.edit_card(entry.entry_id, 1, "a", {"text": "  "})
    with pytest.raises(WorkspaceError, match="kan ikke redigeres: citations"):
        ws.edit_card(entry.entry_id, 1, "a", {"citations": "[]"})


def test_a_change_that_fails_halfway_leaves_the_card_and_history_as_they_were(ws):
    section = ws.add_section(ws.create_tender("Udbud", "Kommune", "it"), "Miljøkrav")
    entry = ws.entry(ws.add_card(section, _card(), "a"))

    def crashing_recheck(before, after, who):
        raise RuntimeError("strømmen gik")

    with pytest.raises(RuntimeError):
        ws.edit_card(entry.entry_id, 1, "a", {"text": "Leverandøren skal noget nyt."}, recheck=crashing_recheck)
    assert ws.entry(entry.entry_id) == entry
    assert [h.action for h in ws.history(entry.entry_id)] == ["tilføjet"]


def test_editing_a_reviewed_card_sends_it_back_to_udkast(ws):
    section = ws.add_section(ws.create_tender("Udbud", "Kommune", "it"), "Miljøkrav")
    entry_id = ws.add_card(section, _card(), "indkøber")
    approved = ws.set_status(entry_id, 1, "jurist", "godkendt", "OK.")
    edited = ws.edit_card(entry_id, approved.version, "indkøber", {"text": "Leverandøren skal tage paller retur."})
    assert edited.status == "udkast" and edited.comment == "OK."
    assert ws.history(entry_id)[-1].detail["status"] == {"før": "godkendt", "efter": "udkast"}
    moved = ws.entry(entry_id)
    ws.set_status(entry_id, moved.version, "jurist", "godkendt")
    ws.move(entry_id, moved.version + 1, "indkøber", 0)
    assert ws.entry(entry_id).status == "godkendt"  # moving does not change the wording


def test_a_removed_card_is_put_back_where_it_was_with_status_and_history(ws):
    tender = ws.create_tender("Udbud", "Kommune", "rengøring")
    section = ws.add_section(tender, "Emballage")
    first, second, third = (ws.add_card(section, _card(n), "indkøber") for n in (1, 2, 3))
    approved = ws.set_status(second, 1, "jurist", "godkendt", "I orden.")
    ws.remove_card(second, approved.version, "indkøber")
    assert [e.entry_id for e in ws.entries(section)] == [first, third]
    restored = ws.restore_card(second, "indkøber")
    assert [e.entry_id for e in ws.entries(section)] == [first, second, third]
    assert (restored.status, restored.comment, restored.card) == ("godkendt", "I orden.", _card(2))
    assert [h.action for h in ws.history(second)] == ["tilføjet", "status", "fjernet", "gendannet"]
    assert restored.version == 4
    with pytest.raises(WorkspaceError, match="står allerede i udbuddet"):
        ws.restore_card(second, "indkøber")
    with pytest.raises(WorkspaceError, match="ingen fjernelse at fortryde"):
        ws.restore_card("ukendt", "indkøber")


def test_the_last_text_edit_can_be_undone_and_only_the_last_change(ws):
    tender = ws.create_tender("Udbud", "Kommune", "rengøring")
    entry_id = ws.add_card(ws.add_section(tender, "Emballage"), _card(), "indkøber")
    edited = ws.edit_card(entry_id, 1, "Mette", {"text": "Leverandøren skal tage paller retur.",
                                                 "title": "Paller retur"})
    undone = ws.undo_edit(entry_id, edited.version, "Mette")
    assert (undone.card.text, undone.card.title) == (_card().text, _card().title) and undone.version == 3
    assert [h.action for h in ws.history(entry_id)] == ["tilføjet", "redigeret", "fortrudt"]
    with pytest.raises(WorkspaceError, match="intet at fortryde"):
        ws.undo_edit(entry_id, undone.version, "Mette")  # an undo is not undone by pressing again


def test_simultaneous_edits_of_one_version_from_two_instances_let_exactly_one_through(settings):
    """The check of the version and the write are one step for every writer: on SQLite BEGIN IMMEDIATE, on
    PostgreSQL an advisory lock (without it, both of two simultaneous edits would pass the check)."""
    from concurrent.futures import ThreadPoolExecutor

    instances = [Workspace(settings.database("workspace")) for _ in range(2)]
    try:
        section = instances[0].add_section(instances[0].create_tender("Udbud", "Kommune", "it"), "Miljøkrav")
        entry_id = instances[0].add_card(section, _card(), "a")

        def edit(n: int) -> str:
            try:
                instances[n % 2].edit_card(entry_id, 1, f"bruger {n}", {"text": f"Tekst nummer {n}."})
                return "ok"
            except StaleEditError:
                return "stale"

        with ThreadPoolExecutor(8) as pool:
            outcomes = list(pool.map(edit, range(8)))
        assert sorted(outcomes) == ["ok"] + ["stale"] * 7
        assert [h.action for h in instances[1].history(entry_id)] == ["tilføjet", "redigeret"]
        assert instances[1].entry(entry_id).version == 2
    finally:
        for ws in instances:
            ws.close()
