"""Gradio UI: wires the assistant library to a chat, a sources panel and an upload tab.

Run with `python app.py` (or `make run`). Handlers only call the library.
"""

from __future__ import annotations

import contextlib
import html
import logging
import os
import re
import tempfile
from pathlib import Path

from assistant.ui import present
from assistant.ui import present_tender as pt
from assistant.answering.answer import Final, Retrieved, Token
from assistant.drafting.cards import RequirementCard
from assistant.drafting.clauses import AMBITIONS, TYPES
from assistant.drafting.draft import DraftOptions
from assistant.tenders.export import ExportError, ExportOptions, export_file
from assistant.drafting.request import CATEGORY_WORDS
from assistant.tenders.review import source_documents, source_views
from assistant.services import Services
from assistant.tenders.tender import DEFAULT_SECTIONS, SECTION_FOR_AREA, STATUSES
from assistant.tenders.workspace import WorkspaceError

log = logging.getLogger(__name__)

CSS = """
.udb-source {border-left: 3px solid #1f6f5c; padding: 4px 10px; margin-bottom: 12px;}
.udb-source-loc {color: #555; font-size: 0.9em;}
.udb-quote {white-space: pre-wrap; margin: 6px 0 0 0; font-size: 0.95em;}
.udb-muted {color: #666;}
.udb-card {border: 1px solid #cfd8d3; border-radius: 8px; padding: 10px 16px; margin-bottom: 16px;}
.udb-fields th {text-align: left; vertical-align: top; width: 11em; padding-right: 10px;}
.udb-flag {background: #fff0c2; border-bottom: 2px solid #d9a400;}
.udb-flags li {color: #7a4b00;}
.udb-status {color: white; border-radius: 10px; padding: 1px 8px; font-size: 0.85em; white-space: nowrap;}
.udb-overview {width: 100%;}
.udb-overview td, .udb-overview th {padding: 3px 8px; text-align: left; vertical-align: top;}
mark.udb-span {background: #c8f0dc; border-bottom: 2px solid #1f6f5c; padding: 0 1px;}
.udb-supports li {font-size: 0.9em;}
"""
AUTO = "Automatisk"
WHOLE_TENDER = "Hele udbuddet"
EXPORT_FORMATS = {"Word (.docx)": ".docx", "Markdown (.md)": ".md", "JSON (.json)": ".json"}

EXAMPLES = [
    "Hvor meget faldt Aarhus' forbrug af oksekød efter klimaafgiften?",
    "Hvad er formålet med de tværkommunale principper for cirkulær emballage?",
    "How does Fredensborg work with contract management?",
]


def create_app(services: Services):
    import gradio as gr

    # The self-test runs once here (a child process), so a runtime that would crash the server
    # leaves the app up with search, tenders and export, and the model tabs saying why.
    model_problem = services.model_problem()

    def doc_choices() -> list[tuple[str, str]]:
        return [(e.meta.title, e.meta.doc_id) for e in services.catalog.entries()]

    def respond(message: str, history: list[dict], doc_ids: list[str] | None):
        message = (message or "").strip()
        if not message:
            yield history, present.sources_html(None), ""
            return
        history = list(history or []) + [{"role": "user", "content": message},
                                         {"role": "assistant", "content": ""}]
        if services.catalog.count_chunks() == 0:
            history[-1]["content"] = "Indekset er tomt. Upload dokumenter under fanen Dokumenter."
            yield history, present.sources_html(None), ""
            return
        if model_problem:
            # Search needs no model: show the passages that bear on the question, and say why no answer.
            passages = services.retriever.search(message, services.settings.retrieve_k, doc_ids=doc_ids or None)
            history[-1]["content"] = f"⚠️ {model_problem}\n\nSøgningen virker: de mest relevante passager " \
                                     "står under Kilder."
            yield history, present.passages_html(passages), ""
            return
        streamed = ""
        for event in services.answerer.stream(message, doc_ids or None):
            if isinstance(event, Retrieved):
                # Sources first: what the answer will draw on is on screen while the model reads it.
                history[-1]["content"] = "_Læser kilderne og skriver svaret …_"
                yield history, present.passages_html(list(event.passages), pending=True), ""
            elif isinstance(event, Token):
                streamed += event.text
                history[-1]["content"] = streamed
                yield history, present.sources_html(None, pending=True), ""
            elif isinstance(event, Final):
                history[-1]["content"] = present.answer_markdown(event.answer)
                yield history, present.sources_html(event.answer), ""

    def upload(files, progress=gr.Progress()):
        paths = [f if isinstance(f, str) else f.name for f in (files or [])]
        if not paths:
            return "Vælg en eller flere filer (PDF, DOCX, Markdown eller TXT).", \
                present.documents_markdown(services.catalog.entries()), gr.update()

        def report(done: int, total: int, what: str) -> None:
            progress(done / max(total, 1), desc=f"Indekserer {what}: {done}/{total} tekststykker")

        try:
            result = services.indexer.add_files([Path(p) for p in paths], report)
        finally:
            discard_upload_copies(paths)
        return (present.report_message(result), present.documents_markdown(services.catalog.entries()),
                gr.update(choices=doc_choices()))

    def draft(request: str, req_type: str, ambition: str, category: str, count: float,
              progress=gr.Progress()):
        request = (request or "").strip()
        if not request:
            return "<p class='udb-muted'>Skriv, hvilket krav du har brug for.</p>", [], gr.update(choices=[])
        if model_problem:
            return f"<p class='udb-flag'>{html.escape(model_problem)}</p>", [], gr.update(choices=[])
        progress(0.1, desc="Finder skabelon og kilder; sprogmodellen tilpasser kravet …")
        result = services.drafter.draft(request, DraftOptions(
            type=None if req_type == AUTO else req_type, ambition=None if ambition == AUTO else ambition,
            category=(category or "").strip() or None, max_cards=int(count)))
        cards = [c.model_dump() for c in result.requirements]
        return present.draft_html(result), cards, gr.update(choices=[c["id"] for c in cards],
                                                            value=cards[0]["id"] if cards else None)

    def pick(card_id: str, cards: list[dict]):
        card = next((c for c in cards or [] if c["id"] == card_id), None)
        if not card:
            return "", gr.update()
        return card["text"], gr.update(value=SECTION_FOR_AREA.get(card["area"]))

    def save_edit(card_id: str, text: str, cards: list[dict], who: str):
        cards = [dict(c) for c in cards or []]
        for i, c in enumerate(cards):
            if c["id"] == card_id and text.strip() and text.strip() != c["text"]:
                before = RequirementCard(**c)
                after = before.model_copy(update={"text": text.strip()})
                cards[i] = services.rechecker(before, after, who.strip() or "brugeren").model_dump()
        return present.cards_html([RequirementCard(**c) for c in cards]), cards

    # --- the tender workspace ------------------------------------------------
    ws = services.workspace

    def snapshot(tender_id: str | None):
        if not tender_id:
            return None
        try:
            return ws.snapshot(tender_id, source_documents(services.catalog))
        except WorkspaceError:
            return None

    def section_id(tender_id: str, title: str) -> str:
        match = next((s["section_id"] for s in ws.sections(tender_id) if s["title"] == title), None)
        if match is None:
            raise WorkspaceError("Vælg et afsnit i udbuddet.")
        return match

    def need_name(who: str) -> str:
        if not (who or "").strip():
            raise WorkspaceError("Skriv dit navn øverst på siden, så ændringen kan spores i historikken.")
        return who.strip()

    def refresh(tender_id: str | None, review_filter: str = pt.ALL):
        """Every view of the tender, after another tender was chosen: selections start empty."""
        tender = snapshot(tender_id)
        titles = [s.title for s in tender.sections] if tender else []
        return (pt.tender_html(tender), gr.update(choices=pt.entry_choices(tender), value=None),
                gr.update(choices=titles), gr.update(choices=pt.entry_choices(tender, review_filter), value=None),
                gr.update(choices=[WHOLE_TENDER, *titles], value=WHOLE_TENDER), pt.tender_html(tender, review_filter))

    def buyer_views(tender_id: str | None, entry_id: str | None = None):
        """The buyer's views after a change; the open requirement stays selected if it still exists."""
        tender = snapshot(tender_id)
        titles = [s.title for s in tender.sections] if tender else []
        choices = pt.entry_choices(tender)
        keep = entry_id if any(value == entry_id for _, value in choices) else None
        return (pt.tender_html(tender), gr.update(choices=choices, value=keep), gr.update(choices=titles),
                gr.update(choices=[WHOLE_TENDER, *titles]))

    def create_tender(name: str, organisation: str, category: str):
        try:
            tender_id = ws.create_tender(name, organisation, category, DEFAULT_SECTIONS)
        except WorkspaceError as exc:
            return gr.update(), f"❌ {exc}"
        return (gr.update(choices=pt.tender_choices(ws.tenders()), value=tender_id),
                f"✅ Udbuddet er oprettet med afsnittene {', '.join(DEFAULT_SECTIONS)}.")

    def add_to_tender(card_id: str, cards: list[dict], tender_id: str, section: str, who: str):
        card = next((c for c in cards or [] if c["id"] == card_id), None)
        try:
            if not tender_id:
                raise WorkspaceError("Vælg eller opret et udbud øverst på siden først.")
            if card is None:
                raise WorkspaceError("Udarbejd og vælg et kort først.")
            ws.add_card(section_id(tender_id, section), RequirementCard(**card), need_name(who))
        except WorkspaceError as exc:
            return f"❌ {exc}", *buyer_views(tender_id)
        return f"✅ «{card['title']}» er tilføjet til afsnittet {section}.", *buyer_views(tender_id)

    def add_section(tender_id: str, title: str):
        try:
            if not tender_id:
                raise WorkspaceError("Vælg eller opret et udbud først.")
            ws.add_section(tender_id, title)
        except WorkspaceError as exc:
            return f"❌ {exc}", *buyer_views(tender_id)
        return f"✅ Afsnittet {title.strip()} er tilføjet.", *buyer_views(tender_id)

    def open_entry(tender_id: str, entry_id: str | None):
        found = pt.find_entry(snapshot(tender_id), entry_id)
        if not found:
            return "", "", "", "", "<p class='udb-muted'>Vælg et krav.</p>", None, ""
        number, section, entry = found
        c = entry.card
        return (c.title, c.text, c.documentation, c.follow_up, pt.review_card_html(number, section, entry),
                {"entry_id": entry.entry_id, "version": entry.version},
                f"Åbnet {number} (version {entry.version}).")

    def save_entry(tender_id: str, opened: dict | None, who: str, title: str, text: str, documentation: str,
                   follow_up: str):
        if not opened:
            return "❌ Vælg et krav først.", gr.update(), opened, *buyer_views(tender_id)
        try:
            entry = ws.edit_card(opened["entry_id"], opened["version"], need_name(who),
                                 {"title": title, "text": text, "documentation": documentation,
                                  "follow_up": follow_up}, recheck=services.rechecker)
        except WorkspaceError as exc:
            # The user's text stays in the boxes, so nothing typed is lost on a stale edit.
            return f"❌ {exc}", gr.update(), opened, *buyer_views(tender_id, opened["entry_id"])
        found = pt.find_entry(snapshot(tender_id), entry.entry_id)
        unsupported = sum(1 for s in entry.card.support if not s.supported)
        note = f" {unsupported} sætning(er) er ikke underbygget af kortets kilder." if unsupported else ""
        return (f"✅ Gemt som version {entry.version}.{note}", pt.review_card_html(*found),
                {"entry_id": entry.entry_id, "version": entry.version}, *buyer_views(tender_id, entry.entry_id))

    def move_entry(tender_id: str, opened: dict | None, who: str, step: int):
        if not opened:
            return "❌ Vælg et krav først.", opened, *buyer_views(tender_id)
        try:
            entry = ws.entry(opened["entry_id"])
            ws.move(entry.entry_id, opened["version"], need_name(who), max(0, entry.position + step))
        except WorkspaceError as exc:
            return f"❌ {exc}", opened, *buyer_views(tender_id, opened["entry_id"])
        moved = ws.entry(entry.entry_id)
        return ("✅ Kravet er flyttet.", {"entry_id": moved.entry_id, "version": moved.version},
                *buyer_views(tender_id, moved.entry_id))

    def move_up(tender_id, opened, who):
        return move_entry(tender_id, opened, who, -1)

    def move_down(tender_id, opened, who):
        return move_entry(tender_id, opened, who, 1)

    def remove_entry(tender_id: str, opened: dict | None, who: str):
        if not opened:
            return "❌ Vælg et krav først.", opened, *buyer_views(tender_id)
        try:
            ws.remove_card(opened["entry_id"], opened["version"], need_name(who))
        except WorkspaceError as exc:
            return f"❌ {exc}", opened, *buyer_views(tender_id, opened["entry_id"])
        return "✅ Kravet er fjernet fra udbuddet (historikken er bevaret).", None, *buyer_views(tender_id)

    def review_filter_changed(tender_id: str, status: str, current: str | None = None):
        tender = snapshot(tender_id)
        choices = pt.entry_choices(tender, status)
        keep = current if any(value == current for _, value in choices) else None
        return gr.update(choices=choices, value=keep), pt.tender_html(tender, status)

    def open_review(tender_id: str, entry_id: str | None):
        found = pt.find_entry(snapshot(tender_id), entry_id)
        if not found:
            return ("<p class='udb-muted'>Vælg et krav til gennemgang.</p>", "", gr.update(), "", None,
                    "*Ingen historik.*")
        number, section, entry = found
        return (pt.review_card_html(number, section, entry),
                pt.sources_review_html(source_views(entry.card, services.catalog)),
                gr.update(value=entry.status), entry.comment, {"entry_id": entry.entry_id, "version": entry.version},
                pt.history_markdown(ws.history(entry.entry_id)))

    def save_review(tender_id: str, reviewing: dict | None, who: str, status: str, comment: str,
                    status_filter: str):
        if not reviewing:
            return "❌ Vælg et krav først.", gr.update(), reviewing, gr.update(), gr.update(), gr.update()
        try:
            entry = ws.set_status(reviewing["entry_id"], reviewing["version"], need_name(who), status,
                                  comment.strip())
        except WorkspaceError as exc:
            return f"❌ {exc}", gr.update(), reviewing, gr.update(), gr.update(), gr.update()
        tender = snapshot(tender_id)
        found = pt.find_entry(tender, entry.entry_id)
        return (f"✅ {found[0]} er sat til «{entry.status}».", pt.review_card_html(*found),
                {"entry_id": entry.entry_id, "version": entry.version},
                pt.history_markdown(ws.history(entry.entry_id)), pt.tender_html(tender, status_filter),
                gr.update(choices=pt.entry_choices(tender, status_filter), value=entry.entry_id))

    def export(tender_id: str, scope: str, approved_only: bool, annex: bool, fmt: str):
        tender = snapshot(tender_id)
        if tender is None:
            return None, "❌ Vælg et udbud først."
        options = ExportOptions(approved_only=approved_only, section=None if scope == WHOLE_TENDER else scope,
                                review_annex=annex)
        suffix = EXPORT_FORMATS[fmt]
        folder = Path(tempfile.mkdtemp(prefix="udbud-eksport-"))
        try:
            path = export_file(tender, options, folder / f"{file_stem(tender.name, scope)}{suffix}")
        except ExportError as exc:
            return None, f"❌ {exc}"
        return str(path), f"✅ {path.name} er klar til download."

    with gr.Blocks(title="Udbudsassistent") as demo:
        gr.Markdown("# Udbudsassistent\nSpørg ind til indkøbsstrategien, casematerialet og dine egne "
                    "dokumenter, udarbejd krav med ordrette kilder, saml dem i et udbud, få dem gennemgået "
                    "juridisk, og eksportér til Word.")
        with gr.Row():
            who = gr.Textbox(label="Dit navn (gemmes i historikken)", placeholder="fx Karen Jurist", scale=1,
                             elem_id="udb-who")
            tender_pick = gr.Dropdown(choices=pt.tender_choices(ws.tenders()), value=None, label="Aktivt udbud",
                                      scale=2, elem_id="udb-tender")
        with gr.Tab("Spørg kilderne"):
            gr.Markdown(f"⚠️ **Sprogmodellen er ikke tilgængelig.** {model_problem} Du kan stadig søge: "
                        "spørg, og se de mest relevante passager under Kilder.", visible=bool(model_problem),
                        elem_id="udb-model-problem")
            with gr.Row():
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(label="Samtale", height=520)
                    question = gr.Textbox(label="Dit spørgsmål", placeholder=EXAMPLES[0], lines=2,
                                          elem_id="udb-question")
                    with gr.Row():
                        ask = gr.Button("Spørg", variant="primary", elem_id="udb-ask")
                        clear = gr.Button("Ryd samtale")
                    doc_filter = gr.Dropdown(choices=doc_choices(), multiselect=True,
                                             label="Begræns til dokumenter (valgfrit)")
                    gr.Examples(EXAMPLES, inputs=question, label="Eksempler")
                with gr.Column(scale=2):
                    gr.Markdown("### Kilder")
                    sources = gr.HTML(present.sources_html(None), elem_id="udb-sources")
        with gr.Tab("Udarbejd krav"):
            gr.Markdown(f"⚠️ **Sprogmodellen er ikke tilgængelig.** {model_problem}",
                        visible=bool(model_problem))
            with gr.Row():
                with gr.Column(scale=2):
                    request_box = gr.Textbox(label="Hvilket krav har du brug for?", lines=3,
                                             placeholder="Skriv et mindstekrav om emballage til en rammeaftale "
                                                         "om rengøringsartikler")
                    with gr.Row():
                        type_choice = gr.Dropdown([AUTO, *TYPES], value=AUTO, label="Type")
                        ambition_choice = gr.Dropdown([AUTO, *AMBITIONS], value=AUTO, label="Ambitionsniveau")
                    with gr.Row():
                        category_choice = gr.Dropdown(sorted(CATEGORY_WORDS), value=None, allow_custom_value=True,
                                                      label="Kategori (valgfri)")
                        count = gr.Slider(1, 3, value=1, step=1, label="Antal kort")
                    draft_button = gr.Button("Udarbejd krav", variant="primary", elem_id="udb-draft")
                    gr.Markdown("Skift type eller ambitionsniveau, og tryk igen for at udarbejde kravet på ny.")
                    card_pick = gr.Dropdown(choices=[], label="Vælg kort at redigere eller tilføje til udbuddet")
                    edit_box = gr.Textbox(label="Redigér kravteksten", lines=5)
                    save_button = gr.Button("Gem ændring")
                    with gr.Row():
                        target_section = gr.Dropdown(choices=[], label="Afsnit i det aktive udbud")
                        add_button = gr.Button("Tilføj til udbud", variant="primary", elem_id="udb-add")
                    add_status = gr.Markdown(elem_id="udb-add-status")
                with gr.Column(scale=3):
                    cards_view = gr.HTML("<p class='udb-muted'>Kravkort vises her med kilder og "
                                         "opmærksomhedspunkter.</p>", elem_id="udb-cards")
            cards_state = gr.State([])
        with gr.Tab("Udbud"):
            with gr.Row():
                with gr.Column(scale=2):
                    with gr.Accordion("Opret nyt udbud", open=not ws.tenders()):
                        new_name = gr.Textbox(label="Navn", placeholder="Rammeaftale om rengøringsartikler 2027")
                        new_org = gr.Textbox(label="Ordregiver", placeholder="Testrup Kommune")
                        new_category = gr.Textbox(label="Kategori", placeholder="rengøringsartikler")
                        create_button = gr.Button("Opret udbud", variant="primary", elem_id="udb-create")
                        create_status = gr.Markdown(elem_id="udb-create-status")
                    overview = gr.HTML(pt.tender_html(None))
                    with gr.Row():
                        new_section = gr.Textbox(label="Nyt afsnit", placeholder="fx Dyrevelfærd", scale=3)
                        section_button = gr.Button("Tilføj afsnit", scale=1)
                with gr.Column(scale=3):
                    entry_pick = gr.Dropdown(choices=[], label="Vælg krav at redigere", elem_id="udb-entry-pick")
                    edit_title = gr.Textbox(label="Overskrift")
                    edit_text = gr.Textbox(label="Kravtekst", lines=4)
                    edit_doc = gr.Textbox(label="Dokumentation", lines=3)
                    edit_follow = gr.Textbox(label="Opfølgning og sanktioner", lines=3)
                    with gr.Row():
                        save_entry_button = gr.Button("Gem ændringer", variant="primary", elem_id="udb-save-entry")
                        up_button = gr.Button("Flyt op")
                        down_button = gr.Button("Flyt ned")
                        remove_button = gr.Button("Fjern fra udbud", variant="stop")
                    entry_status = gr.Markdown(elem_id="udb-entry-status")
                    entry_view = gr.HTML("<p class='udb-muted'>Vælg et krav.</p>")
            opened = gr.State(None)
        with gr.Tab("Juridisk gennemgang") as review_tab:
            with gr.Row():
                status_filter = gr.Dropdown([pt.ALL, *STATUSES], value=pt.ALL, label="Vis krav med status")
                review_pick = gr.Dropdown(choices=[], label="Krav til gennemgang", elem_id="udb-review-pick")
            with gr.Row():
                with gr.Column(scale=1):
                    gr.Markdown("### Kravet")
                    review_view = gr.HTML("<p class='udb-muted'>Vælg et krav til gennemgang.</p>")
                with gr.Column(scale=1):
                    gr.Markdown("### Kilderne (citatet er markeret)")
                    review_sources = gr.HTML()
            with gr.Row():
                review_status = gr.Radio(list(STATUSES), label="Status")
                review_comment = gr.Textbox(label="Kommentar", lines=2, scale=2)
            review_button = gr.Button("Gem vurdering", variant="primary", elem_id="udb-review-save")
            review_message = gr.Markdown(elem_id="udb-review-message")
            gr.Markdown("### Historik")
            history_view = gr.Markdown("*Ingen historik.*")
            review_overview = gr.HTML(pt.tender_html(None))
            reviewing = gr.State(None)
        with gr.Tab("Eksportér"):
            with gr.Row():
                scope = gr.Dropdown([WHOLE_TENDER], value=WHOLE_TENDER, label="Omfang")
                fmt = gr.Radio(list(EXPORT_FORMATS), value=next(iter(EXPORT_FORMATS)), label="Format")
            with gr.Row():
                approved_only = gr.Checkbox(label="Kun godkendte krav", value=False)
                annex = gr.Checkbox(label="Medtag bilag med juridisk gennemgang", value=True)
            export_button = gr.Button("Eksportér", variant="primary", elem_id="udb-export")
            export_message = gr.Markdown(elem_id="udb-export-message")
            export_file_view = gr.File(label="Eksporteret fil", interactive=False, elem_id="udb-export-file")
        with gr.Tab("Dokumenter"):
            files = gr.File(label="Upload PDF, DOCX, Markdown eller TXT", file_count="multiple",
                            file_types=[".pdf", ".docx", ".md", ".txt"], elem_id="udb-upload")
            index_button = gr.Button("Indeksér filerne", variant="primary", elem_id="udb-index")
            status = gr.Markdown(elem_id="udb-index-status")
            documents = gr.Markdown(present.documents_markdown(services.catalog.entries()))

        views = [overview, entry_pick, target_section, review_pick, scope, review_overview]
        buyer = [overview, entry_pick, target_section, scope]
        ask.click(respond, [question, chatbot, doc_filter], [chatbot, sources, question])
        question.submit(respond, [question, chatbot, doc_filter], [chatbot, sources, question])
        clear.click(lambda: ([], present.sources_html(None)), None, [chatbot, sources])
        # Its own queue: a file being parsed (in a child process) and embedded never holds the
        # queue that answers questions.
        index_button.click(upload, [files], [status, documents, doc_filter], concurrency_id="upload",
                           concurrency_limit=1)
        draft_button.click(draft, [request_box, type_choice, ambition_choice, category_choice, count],
                           [cards_view, cards_state, card_pick])
        card_pick.change(pick, [card_pick, cards_state], [edit_box, target_section])
        save_button.click(save_edit, [card_pick, edit_box, cards_state, who], [cards_view, cards_state])
        add_button.click(add_to_tender, [card_pick, cards_state, tender_pick, target_section, who],
                         [add_status, *buyer])
        tender_pick.change(refresh, [tender_pick, status_filter], views)
        create_button.click(create_tender, [new_name, new_org, new_category], [tender_pick, create_status])
        section_button.click(add_section, [tender_pick, new_section], [create_status, *buyer])
        # .input, not .change: only the user's own pick opens a requirement, so a refreshed
        # list never replaces what someone is typing.
        entry_pick.input(open_entry, [tender_pick, entry_pick],
                          [edit_title, edit_text, edit_doc, edit_follow, entry_view, opened, entry_status])
        save_entry_button.click(save_entry, [tender_pick, opened, who, edit_title, edit_text, edit_doc, edit_follow],
                                [entry_status, entry_view, opened, *buyer])
        up_button.click(move_up, [tender_pick, opened, who], [entry_status, opened, *buyer])
        down_button.click(move_down, [tender_pick, opened, who], [entry_status, opened, *buyer])
        remove_button.click(remove_entry, [tender_pick, opened, who], [entry_status, opened, *buyer])
        status_filter.change(review_filter_changed, [tender_pick, status_filter, review_pick],
                             [review_pick, review_overview])
        review_tab.select(review_filter_changed, [tender_pick, status_filter, review_pick],
                          [review_pick, review_overview])
        review_pick.input(open_review, [tender_pick, review_pick],
                           [review_view, review_sources, review_status, review_comment, reviewing, history_view])
        review_button.click(save_review, [tender_pick, reviewing, who, review_status, review_comment, status_filter],
                            [review_message, review_view, reviewing, history_view, review_overview, review_pick])
        export_button.click(export, [tender_pick, scope, approved_only, annex, fmt], [export_file_view, export_message])
        demo.load(lambda: (present.documents_markdown(services.catalog.entries()),
                           gr.update(choices=doc_choices()), gr.update(choices=pt.tender_choices(ws.tenders()))),
                  None, [documents, doc_filter, tender_pick])
    return demo


def discard_upload_copies(paths: list[str]) -> None:
    """Delete Gradio's temporary copies of uploaded files once handled: an accepted file has been
    copied to the uploads folder, a refused one must leave nothing behind (and must not stay
    fetchable from Gradio's file route)."""
    cache = Path(os.environ.get("GRADIO_TEMP_DIR") or Path(tempfile.gettempdir()) / "gradio").resolve()
    for name in paths:
        path = Path(name).resolve()
        if cache in path.parents:
            path.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                path.parent.rmdir()


def file_stem(name: str, scope: str) -> str:
    """A safe ASCII file name from the tender's name (æ→ae, ø→oe, å→aa)."""
    text = f"{name} {'' if scope == WHOLE_TENDER else scope}".lower()
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        text = text.replace(a, b)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80] or "udbud"


def main() -> None:
    import gradio as gr

    logging.basicConfig(level=logging.INFO)
    # Built here, not at import: importing app (tests, screenshots) must not load models or run the
    # model self-test.
    demo = create_app(Services.build())
    demo.queue(default_concurrency_limit=1).launch(server_name="127.0.0.1", server_port=7860,
                                                   css=CSS, theme=gr.themes.Soft())


if __name__ == "__main__":
    main()
