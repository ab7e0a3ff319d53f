"""The reviewer's side: edited sentences are re-checked, cited passages are shown in
context with the quoted span marked, and history reads in Danish."""

from __future__ import annotations

import html

from assistant.ui import present_tender as pt
from assistant.tenders.review import source_views
from tests.fixtures.tenders import build_tender


def _entry_with_citations(services):
    tender = services.workspace.snapshot(build_tender(services))
    return tender, next(e for s in tender.sections for e in s.entries if e.card.citations)


def test_an_edited_sentence_taken_from_a_cited_passage_counts_as_sourced(indexed):
    tender, entry = _entry_with_citations(indexed)
    quote = entry.card.citations[0].quote
    sentence = next(s.strip() for s in quote.replace("\n", " ").split(". ") if len(s.split()) > 6)
    sentence = sentence.rstrip(".") + "."
    before = entry.card
    after = before.model_copy(update={"rationale": sentence})
    checked = indexed.rechecker(before, after, "Ida")
    [row] = [s for s in checked.support if s.field == "rationale"]
    assert row.supported and row.basis == "kilde" and row.sources and "redigeret af Ida" in row.flags
    # Unedited fields keep their earlier judgement untouched.
    assert [s for s in checked.support if s.field == "text"] == [s for s in before.support if s.field == "text"]


def test_an_invented_sentence_is_flagged_not_sourced(indexed):
    _, entry = _entry_with_citations(indexed)
    after = entry.card.model_copy(update={"documentation": "Leverandøren skal indsende et regnskab for Mars."})
    checked = indexed.rechecker(entry.card, after, "Ida")
    [row] = [s for s in checked.support if s.field == "documentation"]
    assert not row.supported and row.basis == "ingen"
    assert any(f.startswith("Ikke underbygget (documentation): Leverandøren skal indsende") for f in checked.flags)


def test_source_views_mark_the_verbatim_quote_in_its_context(indexed):
    _, entry = _entry_with_citations(indexed)
    views = source_views(entry.card, indexed.catalog)
    assert len(views) == len(entry.card.citations)
    for view, citation in zip(views, entry.card.citations):
        assert view.in_index and view.context[view.start:view.end] == citation.quote
        assert view.context in indexed.catalog.document_text(citation.doc_id)
    rendered = pt.sources_review_html(views)
    assert f"<mark class='udb-span'>{html.escape(entry.card.citations[0].quote)}</mark>" in rendered


def test_a_quote_whose_document_was_removed_is_shown_as_stored_with_a_warning(indexed):
    _, entry = _entry_with_citations(indexed)
    indexed.catalog.remove_document(entry.card.citations[0].doc_id)
    view = source_views(entry.card, indexed.catalog)[0]
    assert not view.in_index and view.context == entry.card.citations[0].quote
    assert "findes ikke længere i indekset" in pt.sources_review_html([view])


def test_overview_and_history_are_danish_and_filter_by_status(indexed):
    tender_id = build_tender(indexed)
    ws = indexed.workspace
    tender = ws.snapshot(tender_id)
    first = tender.sections[0].entries[0]
    ws.set_status(first.entry_id, first.version, "Karen Jurist", "skal rettes", "Frist | mangler")
    tender = ws.snapshot(tender_id)
    assert [label for label, _ in pt.entry_choices(tender, "skal rettes")] == [
        f"K1.1 · {first.card.title} · skal rettes"]
    assert len(pt.entry_choices(tender)) == 4
    overview = pt.tender_html(tender, "skal rettes")
    assert "K1.1" in overview and "K3.1" not in overview
    history = pt.history_markdown(ws.history(first.entry_id))
    assert "| Karen Jurist | Status | skal rettes: Frist \\| mangler |" in history
    assert "| indkøber | Tilføjet |" in history
