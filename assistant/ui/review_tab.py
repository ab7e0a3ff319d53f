"""Tab *Juridisk gennemgang* (the legal reviewer): each clause beside its cited passages; set a status
with a comment; the history below."""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.services import Services
from assistant.tenders.review import source_views
from assistant.tenders.tender import STATUSES
from assistant.tenders.workspace import OpenSlotsError, WorkspaceError
from assistant.ui import present_tender as pt
from assistant.ui.shared import LOADING, QUIET, Header, Updates, acting, snapshot


class ReviewTab:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.ws = services.workspace

    def build(self) -> None:
        with gr.Row():
            self.status_filter = gr.Dropdown([pt.ALL, *STATUSES], value=pt.ALL, label="Vis krav med status")
            self.review_pick = gr.Dropdown(choices=[], label="Krav til gennemgang", elem_id="udb-review-pick")
        with gr.Row():
            with gr.Column(scale=1):
                gr.Markdown("## Kravet")
                self.review_view = gr.HTML("<p class='udb-muted'>Vælg et krav til gennemgang.</p>",
                                           elem_id="udb-review-view")
            with gr.Column(scale=1):
                gr.Markdown("## Kilderne (citatet er markeret)")
                self.review_sources = gr.HTML()
        with gr.Row():
            self.review_status = gr.Radio(list(STATUSES), label="Status")
            self.review_comment = gr.Textbox(label="Kommentar", lines=2, scale=2)
        self.review_button = gr.Button("Gem vurdering", variant="primary", elem_id="udb-review-save")
        self.review_message = gr.Markdown(elem_id="udb-review-message")
        gr.Markdown("## Historik")
        self.history_view = gr.Markdown("*Ingen historik.*", elem_id="udb-history")
        self.review_overview = gr.HTML(pt.tender_html(None))
        self.reviewing = gr.State(None)

    def wire(self, header: Header, tab: Any) -> None:
        tender = header.tender_pick
        filtered = [self.review_pick, self.review_overview]
        self.status_filter.change(self.filter_changed, [tender, self.status_filter, self.review_pick], filtered,
                                  **LOADING)
        tab.select(self.filter_changed, [tender, self.status_filter, self.review_pick], filtered, **LOADING)
        self.review_pick.input(self.open_review, [tender, self.review_pick],
                               [self.review_view, self.review_sources, self.review_status, self.review_comment,
                                self.reviewing, self.history_view], **LOADING)
        self.review_button.click(self.save_review, [tender, self.reviewing, header.who, self.review_status,
                                                    self.review_comment, self.status_filter],
                                 [self.review_message, self.review_view, self.reviewing, self.history_view,
                                  self.review_overview, self.review_pick], **QUIET)

    def filter_changed(self, tender_id: str | None, status: str, current: str | None = None) -> Updates:
        tender = snapshot(self.services, tender_id)
        choices = pt.entry_choices(tender, status)
        keep = current if any(value == current for _, value in choices) else None
        return {self.review_pick: gr.update(choices=choices, value=keep),
                self.review_overview: pt.tender_html(tender, status)}

    def open_review(self, tender_id: str | None, entry_id: str | None) -> Updates:
        found = pt.find_entry(snapshot(self.services, tender_id), entry_id)
        if not found:
            return {self.review_view: "<p class='udb-muted'>Vælg et krav til gennemgang.</p>",
                    self.review_sources: "", self.review_comment: "", self.reviewing: None,
                    self.history_view: "*Ingen historik.*"}
        number, section, entry = found
        return {self.review_view: pt.review_card_html(number, section, entry),
                self.review_sources: pt.sources_review_html(source_views(entry.card, self.services.catalog)),
                self.review_status: gr.update(value=entry.status), self.review_comment: entry.comment,
                self.reviewing: {"entry_id": entry.entry_id, "version": entry.version},
                self.history_view: pt.history_markdown(self.ws.history(pt.entry_id_of(entry)))}

    def save_review(self, tender_id: str | None, reviewing: dict | None, who: str, status: str, comment: str,
                    status_filter: str, request: gr.Request | None = None) -> Updates:
        if not reviewing:
            return {self.review_message: "❌ Vælg et krav først."}
        try:
            actor = acting(self.services, who, request)
            entry = self.ws.set_status(reviewing["entry_id"], reviewing["version"], actor.name, status,
                                       comment.strip(), role=actor.role)
        except OpenSlotsError as exc:
            return {self.review_message: f"❌ {exc} Indkøberen udfylder dem under fanen «Udbud»."}
        except WorkspaceError as exc:
            return {self.review_message: f"❌ {exc}"}
        tender = snapshot(self.services, tender_id)
        found = pt.find_entry(tender, entry.entry_id)
        if not found:
            return {self.review_message: "❌ Kravet findes ikke længere i udbuddet."}
        return {self.review_message: f"✅ {found[0]} er sat til «{entry.status}».",
                self.review_view: pt.review_card_html(*found),
                self.reviewing: {"entry_id": entry.entry_id, "version": entry.version},
                self.history_view: pt.history_markdown(self.ws.history(entry.entry_id)),
                self.review_overview: pt.tender_html(tender, status_filter),
                self.review_pick: gr.update(choices=pt.entry_choices(tender, status_filter), value=entry.entry_id)}
