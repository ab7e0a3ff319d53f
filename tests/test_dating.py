"""A source whose strategy period has ended is named as such, with the date of the newest material."""

from __future__ import annotations

from datetime import date

from assistant.search.dating import dating_notes, period_end
from assistant.types import DocumentMeta


def test_the_period_is_read_from_a_strategy_title_only():
    strategy = DocumentMeta("s", "Fælleskommunal indkøbsstrategi 2020-2024", kind="strategi")
    assert period_end(strategy) == 2024
    assert period_end(DocumentMeta("c", "Casemateriale 2020–2024", kind="casemateriale")) is None
    assert period_end(DocumentMeta("s", "Strategi uden periode", kind="strategi")) is None


def test_a_card_source_from_the_ended_strategy_gets_a_dated_note(indexed):
    notes = dating_notes(["kl-indkoebsstrategi-2020-2024", "kl-sammen-om-indkoeb-og-forbrug-2024"],
                         indexed.catalog, date(2026, 11, 30))
    assert len(notes) == 1
    assert "sluttede i 2024" in notes[0] and "Sammen om indkøb og forbrug" in notes[0] and "2024)" in notes[0]
    assert dating_notes(["kl-indkoebsstrategi-2020-2024"], indexed.catalog, date(2024, 6, 1)) == []
