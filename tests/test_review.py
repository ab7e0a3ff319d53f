"""The reviewer's side: edited sentences are re-checked, cited passages are shown in
context with the quoted span marked, and history reads in Danish."""

from __future__ import annotations

import html

from assistant.tenders.review import source_views
from assistant.ui import present_tender as pt
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
    assert any(f.startswith("Ikke underbygget (Dokumentation): Leverandøren skal indsende") for f in checked.flags)


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
    rendered = pt.sources_review_html([view])
    assert "Dokumentet er fjernet fra indekset (citatet står i udgaven, der blev erstattet " in rendered
    assert "Det vises, som kortet gemte det." in rendered


def test_a_new_version_of_a_source_replaces_it_and_its_quotes_say_the_source_changed(indexed, tmp_path):
    """Uploading a file with the same name replaces the document in the index, keeps the old text as an
    earlier version, and a card quoting the old text says so in the review."""
    upload = tmp_path / "politik.md"
    upload.write_text("# Politik\n\nLeverandøren skal tage emballagen retur ved hver levering af varer.\n",
                      encoding="utf-8")
    assert not indexed.indexer.add_files([upload]).failed
    old_text = indexed.catalog.document_text("politik")
    upload.write_text("# Politik\n\nLeverandøren skal tage paller retur én gang om måneden.\n", encoding="utf-8")
    report = indexed.indexer.add_files([upload])
    assert report.updated == ["politik"] and [e.meta.doc_id for e in indexed.catalog.entries()].count("politik") == 1
    [earlier] = indexed.catalog.versions("politik")
    assert earlier.text == old_text and "paller" in indexed.catalog.document_text("politik")
    _, entry = _entry_with_citations(indexed)
    quote = "Leverandøren skal tage emballagen retur ved hver levering af varer."
    card = entry.card.model_copy(update={"citations": [entry.card.citations[0].model_copy(
        update={"doc_id": "politik", "quote": quote})]})
    view = source_views(card, indexed.catalog)[0]
    assert not view.in_index and view.warning.startswith("Kilden er ændret siden citatet (citatet står i udgaven")
    assert "Kilden er ændret siden citatet" in pt.sources_review_html([view])


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


def test_the_reviewer_sees_which_claims_the_quote_covers_and_which_not(indexed):
    from assistant.drafting.cards import CardCitation

    _, entry = _entry_with_citations(indexed)
    chunk = next(p.chunk for p in indexed.retriever.search("klimaafgift oksekød Aarhus", 5)
                 if "okse-" in p.chunk.text)
    card = entry.card.model_copy(update={"citations": [CardCitation(
        n=1, doc_id=chunk.doc_id, title=chunk.title, location=chunk.location, quote=chunk.text,
        chunk_id=chunk.chunk_id)]})
    for text, ok in (("Afgiften har nedbragt forbruget af oksekød med over 30 pct.", True),
                     ("Afgiften har nedbragt forbruget af oksekød med over 37 pct.", False)):
        checked = indexed.rechecker(card, card.model_copy(update={"rationale": text}), "Ida")
        [row] = [s for s in checked.support if s.field == "rationale"]
        assert row.supported is ok and [c.kind for c in row.claims] == ["number"]
        if ok:
            assert "30 pct." in row.evidence and row.claims[0].found
            rendered = pt.sources_review_html(source_views(checked, indexed.catalog))
            assert "udb-evidence" in rendered and "✓ 30 pct." in rendered
        else:
            assert any("tallet 37 pct. står ikke i uddraget" in f for f in row.flags)  # the reason, in Danish
            assert "✗ 37 pct." in pt.card_html(checked)
