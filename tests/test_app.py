"""The UI wiring without a browser: the demo builds, and the chat handler streams
tokens and ends with the verified answer and its verbatim sources."""

from __future__ import annotations

from assistant.ui import present
from assistant.ui.draft_tab import card_choices
from tests.fixtures.fakes import ScriptedChatModel


def test_chat_handler_streams_then_shows_sources(app, indexed):
    n = next(i for i, p in enumerate(indexed.retriever.search("klimaafgift oksekød Aarhus", 5), 1)
             if "30 pct" in p.chunk.text)
    indexed.answerer.chat_model = ScriptedChatModel(replies=[f"Forbruget af oksekød faldt med over 30 pct. [{n}]"])
    ask = app.ask
    updates = list(ask.respond("klimaafgift oksekød Aarhus", [], None))
    final = updates[-1]
    history = final[ask.chatbot]
    # numbered in the order cited (passage n is the first source shown), each [n] a link to its passage
    assert history[-1]["role"] == "assistant" and history[-1]["content"].endswith("[[1]](#udb-src-1-1)")
    assert "kød med over 30 pct." in final[ask.sources] and final[ask.question] == ""
    assert "id='udb-src-1-1'" in final[ask.sources] and "<b>[1] " in final[ask.sources]
    around = final[ask.sources].split("Vis teksten omkring uddraget")[1]
    assert "<mark class='udb-span" in around  # the passage inside its document, marked
    assert len(updates) > 2  # streamed in pieces before the final update
    assert "kød med over 30 pct." in updates[0][ask.sources]  # the passages are on screen before the first token


def test_a_second_reading_is_announced_and_the_first_tries_text_is_taken_back(app, indexed):
    assert indexed.answerer.compressor is not None and indexed.answerer.reread  # the default settings
    indexed.answerer.chat_model = ScriptedChatModel(replies=["Aarhus sparede 5 millioner kroner på oksekød. [1]",
                                                             "Forbruget af oksekød faldt med over 30 pct. [1]"])
    ask = app.ask
    contents = [u[ask.chatbot][-1]["content"] for u in ask.respond("Hvor meget faldt forbruget af oksekød i Aarhus "
                                                                   "efter klimaafgiften?", [], None)]
    reread = [c for c in contents if present.REREAD_NOTE in c]
    assert reread and "5 millioner" not in reread[0]
    assert "30 pct." in contents[-1] and "5 millioner" not in contents[-1]


def test_the_question_shows_at_once_with_danish_stages_and_each_answer_keeps_its_sources(app, indexed):
    from types import SimpleNamespace

    indexed.answerer.chat_model = ScriptedChatModel(replies=["Forbruget af oksekød faldt med over 30 pct. [1]",
                                                             "Forbruget faldt. [1]"])
    ask = app.ask
    shown = ask.show_question("  klimaafgift oksekød Aarhus ", [])
    history = shown[ask.chatbot]
    assert history[-2] == {"role": "user", "content": "klimaafgift oksekød Aarhus"}
    assert "**søger i kilderne …**" in history[-1]["content"] and shown[ask.question] == ""
    contents, updates = [], []
    for update in ask.respond_pending(shown[ask.asked], history, None, {}):  # read each update as it is sent
        updates.append(update)
        contents.append(update[ask.chatbot][-1]["content"])
    assert "✓ søger i kilderne → **læser kilderne …**" in contents[0]
    assert any("**skriver …**" in c for c in contents) and any("**kontrollerer …**" in c for c in contents)
    final = updates[-1]
    assert len(final[ask.chatbot]) == 2  # the pending turn was replaced, not repeated
    first_sources = final[ask.turn_sources]
    assert list(first_sources) == ["1"] and first_sources["1"] == final[ask.sources]
    second = ask.show_question("Hvad er en klimaafgift?", final[ask.chatbot])
    last = list(ask.respond_pending(second[ask.asked], second[ask.chatbot], None, first_sources))[-1]
    assert set(last[ask.turn_sources]) == {"1", "3"}
    assert ask.show_turn(last[ask.turn_sources], SimpleNamespace(index=1)) == first_sources["1"]


def test_upload_handler_reports_danish_errors_and_keeps_the_index(app, indexed, tmp_path):
    docs = app.documents
    bad = tmp_path / "ødelagt.pdf"
    bad.write_bytes(b"%PDF-1.7 broken")
    before = indexed.catalog.count_chunks()
    out = docs.upload([str(bad)], progress=lambda *a, **k: None)
    message, documents = out[docs.status], out[docs.documents]
    assert "❌ ødelagt.pdf" in message and "beskadiget" in message
    assert indexed.catalog.count_chunks() == before and "Sammen om indkøb" in documents


def test_a_large_upload_is_listed_at_once_and_embedded_by_the_tab_in_the_background(app, indexed, tmp_path):
    docs = app.documents
    indexed.settings.embed_defer_over_chunks = 1
    path = tmp_path / "emballagepolitik.md"
    path.write_text("# Emballagepolitik\n\n" + "\n\n".join(
        f"## Afsnit {i}\n\n" + "Testrup Kommune stiller krav om genbrugelig emballage i rammeaftalen. " * 12
        for i in range(4)), encoding="utf-8")
    out = docs.upload([str(path)], progress=lambda *a, **k: None)
    assert "Indekseret til ordsøgning: emballagepolitik" in out[docs.status]
    assert docs.embedding is not None
    docs.embedding.join(timeout=60)
    ids = indexed.catalog.chunk_ids("emballagepolitik")
    assert len(ids) > 1 and indexed.vectors.existing(ids) == set(ids)
    assert "venter" not in docs.documents_table()


def test_the_documents_table_shows_what_still_waits_for_its_vectors(app, indexed, tmp_path):
    path = tmp_path / "emballagepolitik.md"
    path.write_text("# Emballagepolitik\n\n" + "\n\n".join(
        f"## Afsnit {i}\n\n" + "Testrup Kommune stiller krav om genbrugelig emballage i rammeaftalen. " * 12
        for i in range(4)), encoding="utf-8")
    indexed.indexer.add_files([path], defer_over=1)
    waiting = len(indexed.catalog.chunk_ids("emballagepolitik"))
    assert indexed.indexer.waiting_for_vectors() == {"emballagepolitik": waiting}
    row = next(r for r in app.documents.documents_table().splitlines() if "`emballagepolitik`" in r)
    assert f"| {waiting} (søgning på betydning: {waiting} venter) |" in row
    indexed.indexer.embed_missing()
    assert indexed.indexer.waiting_for_vectors() == {}


def test_sources_are_shown_as_text_escaped_and_the_quote_stays_verbatim(indexed):
    from assistant.types import Answer, Citation

    quote = "## Afsnit\n\nKrav <b>fed</b> & **stjerner** <script>x</script> okse-\n\nkød\nny linje"
    citation = Citation(1, "d", "Titel", "Afsnit", quote, "c")
    html = present.sources_html(Answer("q", "Svar [1]", (citation,), (), True))
    assert "Afsnit\n\nKrav fed &amp; stjerner x oksekød ny linje" in html
    shown = html.split("<blockquote class='udb-quote'>")[1]
    assert "<b>" not in shown and "<script>" not in shown and "**" not in shown and "##" not in shown
    assert citation.quote == quote  # display only


def test_draft_edit_and_add_to_tender_handlers(app, indexed):
    indexed.drafter.chat_model = ScriptedChatModel(replies=["ikke json"])
    indexed.drafter.min_template_similarity = 0.15
    d = app.draft
    steps = list(d.draft("Skriv et mindstekrav om emballage til rengøringsartikler", "Automatisk", "udvidet", "", 2))
    progress = [u[d.cards_view] for u in steps[:-1]]
    # real progress: the plan, then each card by number, the finished card shown under the next one's bar
    assert "Finder de skabeloner" in progress[0] and "Kort 1 af 2" in progress[1] and "Kort 2 af 2" in progress[2]
    assert progress[2].count("udb-card") == 1
    out = steps[-1]
    html, cards = out[d.cards_view], out[d.cards_state]
    assert len(cards) == 2 and "udb-card" in html and "Kilder" in html
    assert "Andre skabeloner, der kan passe" in html and cards[0]["id"] not in html  # no internal ids on screen
    others = out[d.alternatives_state][cards[0]["id"]]
    assert len(others) == 3 and all(o["template_id"] not in {c["template_id"] for c in cards} for o in others)
    switched = list(d.switch_template(cards[0]["id"], others[0]["template_id"], cards, out[d.alternatives_state],
                                      out[d.request_state], "Automatisk", ""))[-1]
    new_cards = switched[d.cards_state]
    assert new_cards[0]["template_id"] == others[0]["template_id"] and new_cards[1] == cards[1]
    assert switched[d.card_pick]["value"] == new_cards[0]["id"]
    card_id = cards[0]["id"]
    out = d.pick(card_id, cards)
    assert out[d.edit_box] == cards[0]["text"] and out[d.target_section]["value"] == "Emballage"
    out = d.save_edit(card_id, "Leverandøren skal bruge 937 returkasser.", cards, "Ida")
    html, cards = out[d.cards_view], out[d.cards_state]
    assert cards[0]["text"] == "Leverandøren skal bruge 937 returkasser." and "udb-flag" in html
    assert any("redigeret af Ida" in f and "tal uden kilde: 937" in f for f in cards[0]["flags"])
    tender_id = indexed.workspace.create_tender("Udbud", "Kommune", "rengøring", ("Emballage",))
    out = d.add_to_tender(card_id, cards, tender_id, "Emballage", "Ida")
    assert out[d.add_status].startswith("✅") and "K1.1" in out[app.views.overview]
    assert "Skriv dit navn" in d.add_to_tender(card_id, cards, tender_id, "Emballage", "")[d.add_status]
    again = d.add_to_tender(card_id, cards, tender_id, "Emballage", "Ida")[d.add_status]
    assert again.startswith("❌") and "allerede i udbuddet som K1.1" in again
    assert len(indexed.workspace.snapshot(tender_id).sections[0].entries) == 1
    labels = [label for label, _ in card_choices(cards)]
    assert labels[0].startswith(f"1. {cards[0]['title']} (") and all("-" not in label[:3] for label in labels)



def test_documents_tab_shows_chunks_corrects_metadata_and_removes_only_uploads(app, indexed, tmp_path):
    docs, catalog = app.documents, indexed.catalog
    corpus_doc = catalog.entries()[0].meta
    out = docs.pick(corpus_doc.doc_id)
    assert out[docs.title_box] == corpus_doc.title and "udb-chunk" in out[docs.chunks_view]
    assert "tekststykker" in out[docs.doc_message]
    assert "Året skal skrives" in docs.save_meta(corpus_doc.doc_id, "Titel", "KL", "20x4", "")[docs.doc_message]
    assert "titel" in docs.save_meta(corpus_doc.doc_id, "  ", "KL", "2024", "")[docs.doc_message]
    out = docs.save_meta(corpus_doc.doc_id, "  Rettet   titel ", "KL", "2020–2024", "strategi")
    assert out[docs.doc_message].startswith("✅") and "Rettet titel" in out[docs.documents]
    meta = catalog.entry(corpus_doc.doc_id).meta
    assert (meta.title, meta.year, meta.kind) == ("Rettet titel", "2020–2024", "strategi")
    chunk_id = catalog.chunk_ids(corpus_doc.doc_id)[0]
    assert catalog.chunks([chunk_id])[chunk_id].title == "Rettet titel"  # citations use it at once
    # A corpus document is not removed here: the next `index` would bring it back.
    out = docs.remove(corpus_doc.doc_id, True)
    assert "korpusset" in out[docs.doc_message] and catalog.entry(corpus_doc.doc_id) is not None
    upload = tmp_path / "notat.txt"
    upload.write_text("Notat om indkøb af kaffe. Leverandøren skal levere fairtrade-kaffe.", encoding="utf-8")
    before = catalog.count_chunks()
    docs.upload([str(upload)], progress=lambda *a, **k: None)
    uploaded = next(e.meta.doc_id for e in catalog.entries() if e.meta.source == "notat.txt")
    assert "Sæt flueben" in docs.remove(uploaded, False)[docs.doc_message]
    out = docs.remove(uploaded, True)
    assert out[docs.doc_message].startswith("✅") and catalog.entry(uploaded) is None
    assert catalog.count_chunks() == before and out[docs.confirm_remove] is False


def test_the_browser_remembers_name_and_tender_but_not_a_deleted_tender(app, indexed):
    from assistant.ui.app import remember, restored

    tender_id = indexed.workspace.create_tender("Udbud", "Kommune", "it", ("Miljøkrav",))
    saved = remember("  Karen Jurist ", tender_id)
    out = restored(indexed, app.header, saved)
    assert out[app.header.who] == "Karen Jurist" and out[app.header.tender_pick]["value"] == tender_id
    out = restored(indexed, app.header, {"who": "Karen", "tender": "slettet-id"})
    assert "value" not in out[app.header.tender_pick]
    assert restored(indexed, app.header, None)[app.header.who] == {"__type__": "update"}


def test_sources_are_numbered_in_the_order_cited_and_markers_link_to_them():
    from assistant.types import Answer, Citation

    cites = (Citation(2, "a", "A", "s. 1", "Tekst a [sic].", "c2"), Citation(4, "b", "B", "s. 2", "Tekst b.", "c4"))
    answer = Answer("q", "Først [4]. Så [2] og [4].", cites, (), True)
    assert present.cited_order(answer) == {4: 1, 2: 2}
    shown = present.answer_markdown(answer, turn=3)
    assert shown == "Først [[1]](#udb-src-3-1). Så [[2]](#udb-src-3-2) og [[1]](#udb-src-3-1)."
    html = present.sources_html(answer, turn=3)
    assert html.index("id='udb-src-3-1'") < html.index("<b>[1] B</b>") < html.index("<b>[2] A</b>")
    assert present.answer_markdown(answer) == "Først [4]. Så [2] og [4]."  # the CLI and API keep passage numbers


def test_the_conversation_is_kept_for_a_reload_and_old_sources_go_first_when_it_is_large(app):
    from assistant.ui import ask_tab

    chat = [{"role": "user", "content": "Spørgsmål"}, {"role": "assistant", "content": [{"type": "text", "text": "Svar"}]},
            {"role": "user", "content": "Igen"}, {"role": "assistant", "content": "Svar 2"}]
    big = "x" * (ask_tab.SAVED_CHAT_CHARS // 2 + 10)
    saved = ask_tab.saved_chat(chat, {"1": big, "3": big})
    assert [m["content"] for m in saved["chat"]] == ["Spørgsmål", "Svar", "Igen", "Svar 2"]
    assert list(saved["sources"]) == ["3"]  # the older answer's sources went first
    out = app.ask.restored(saved)
    assert out[app.ask.chatbot] == saved["chat"] and out[app.ask.sources] == big
    assert app.ask.restored(None) == {} and app.ask.restored({"chat": "nonsense"}) == {}


def test_the_queue_runs_one_model_event_on_the_laptop_and_the_model_servers_slots_when_remote(app, indexed,
                                                                                             monkeypatch):
    from assistant.ui.app import launch

    limits: list[int] = []

    class Launched:
        def launch(self, **kwargs):
            return None

    def queue(default_concurrency_limit):
        limits.append(default_concurrency_limit)
        return Launched()

    monkeypatch.setattr(app.demo, "queue", queue)
    launch(app)
    indexed.settings.llm, indexed.settings.llm_parallel = "openai", 6
    launch(app)
    assert limits == [1, 6]
