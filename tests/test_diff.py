"""The reviewer's history shows every changed word of an edit, however long the field."""

from __future__ import annotations

from assistant.tenders.diff import Piece, as_text, compact, word_diff
from assistant.tenders.workspace import Workspace
from assistant.ui import present_tender as pt
from tests.test_workspace import _card

LONG = ("Leverandøren skal senest 10 arbejdsdage efter anmodning fremsende dokumentation for, at de leverede "
        "produkter lever op til kravet. Dokumentationen kan være et gyldigt licensnummer eller en teknisk "
        "dokumentation fra producenten, der viser, at kriterierne er opfyldt.")


def test_a_changed_figure_and_an_added_sentence_are_both_shown():
    after = LONG.replace("10 arbejdsdage", "5 arbejdsdage") + " Kunden kan foretage stikprøver."
    pieces = word_diff(LONG, after)
    assert Piece("del", "10") in pieces and Piece("ins", "5") in pieces
    assert Piece("ins", "Kunden kan foretage stikprøver.") in pieces
    text = as_text(compact(pieces))
    assert "[-10-] {+5+}" in text and text.endswith("{+Kunden kan foretage stikprøver.+}")
    assert "…" in text and len(text) < len(LONG)  # the unchanged middle is shortened, not the change


def test_identical_texts_have_no_change_and_whitespace_is_not_one():
    assert [p.op for p in word_diff(LONG, LONG.replace(" ", "  "))] == ["same"]


def test_the_history_in_the_review_tab_and_the_terminal_shows_the_whole_edit(tmp_path):
    ws = Workspace(tmp_path / "workspace.sqlite")
    try:
        section = ws.add_section(ws.create_tender("Udbud", "Kommune", "it"), "Miljøkrav")
        entry = ws.entry(ws.add_card(section, _card(), "indkøber"))
        ws.edit_card(entry.entry_id, entry.version, "indkøber", {"documentation": LONG})
        edited = ws.entry(entry.entry_id)
        ws.edit_card(edited.entry_id, edited.version, "jurist", {"documentation": LONG + " Kunden kan foretage stikprøver."})
        history = ws.history(entry.entry_id)
        table = pt.history_markdown(history)
        assert "<ins class='udb-ins'>Kunden kan foretage stikprøver.</ins>" in table
        assert "<details><summary>Hele teksten</summary>" in table and "kriterierne er opfyldt." in table
        assert "{+Kunden kan foretage stikprøver.+}" in pt.history_text(history)
    finally:
        ws.close()
