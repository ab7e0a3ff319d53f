"""Tab *Udbud* (the buyer): create a tender, add sections, edit, move and remove requirements."""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.drafting.slots import open_count
from assistant.services import Services
from assistant.tenders.tender import DEFAULT_SECTIONS
from assistant.tenders.workspace import WorkspaceError
from assistant.ui import present_tender as pt
from assistant.ui.shared import LOADING, QUIET, Header, TenderViews, Updates, acting, snapshot

Opened = dict[str, Any] | None  # {"entry_id", "version"} of the requirement being edited


class TenderTab:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.ws = services.workspace

    def build(self) -> None:
        with gr.Row():
            with gr.Column(scale=2):
                with gr.Accordion("Opret nyt udbud", open=not self.ws.tenders()):
                    self.new_name = gr.Textbox(label="Navn", placeholder="Rammeaftale om rengøringsartikler 2027")
                    self.new_org = gr.Textbox(label="Ordregiver", placeholder="Testrup Kommune")
                    self.new_category = gr.Textbox(label="Kategori", placeholder="rengøringsartikler")
                    self.create_button = gr.Button("Opret udbud", variant="primary", elem_id="udb-create")
                    self.create_status = gr.Markdown(elem_id="udb-create-status")
                gr.Markdown("## Udbuddet")  # the tender's name and sections are h3/h4 below (heading order)
                self.overview = gr.HTML(pt.tender_html(None))
                with gr.Row():
                    self.new_section = gr.Textbox(label="Nyt afsnit", placeholder="fx Dyrevelfærd", scale=3)
                    self.section_button = gr.Button("Tilføj afsnit", scale=1)
            with gr.Column(scale=3):
                self.entry_pick = gr.Dropdown(choices=[], label="Vælg krav at redigere", elem_id="udb-entry-pick")
                self.edit_title = gr.Textbox(label="Overskrift")
                self.edit_text = gr.Textbox(label="Kravtekst", lines=4)
                self.edit_doc = gr.Textbox(label="Dokumentation", lines=3)
                self.edit_follow = gr.Textbox(label="Opfølgning og sanktioner", lines=3)
                with gr.Row():
                    self.save_button = gr.Button("Gem ændringer", variant="primary", elem_id="udb-save-entry")
                    self.up_button = gr.Button("Flyt op")
                    self.down_button = gr.Button("Flyt ned")
                    self.remove_button = gr.Button("Fjern fra udbud", variant="stop", elem_id="udb-remove")
                    self.undo_button = gr.Button("Fortryd", elem_id="udb-undo", interactive=False)
                with gr.Row():
                    self.slot_pick = gr.Dropdown(choices=[], label="Åbent felt", elem_id="udb-slot-pick", scale=2)
                    self.slot_value = gr.Textbox(label="Værdi", elem_id="udb-slot-value", scale=2)
                    self.slot_button = gr.Button("Udfyld felt", elem_id="udb-fill-slot", scale=1)
                self.entry_status = gr.Markdown(elem_id="udb-entry-status")
                self.entry_view = gr.HTML("<p class='udb-muted'>Vælg et krav.</p>")
        self.opened = gr.State(None)
        self.undo = gr.State(None)  # {"kind": "fjernet" | "redigeret", "entry_id", "title", "version"}: the last change

    def wire(self, header: Header, views: TenderViews, status_filter: gr.Dropdown) -> None:
        self.header = header
        self.views = views
        tender, who = header.tender_pick, header.who
        tender.change(self.refresh, [tender, status_filter], views.all, **LOADING)
        self.create_button.click(self.create_tender, [self.new_name, self.new_org, self.new_category],
                                 [tender, self.create_status], **QUIET)
        self.section_button.click(self.add_section, [tender, self.new_section], [self.create_status, *views.buyer],
                                  **QUIET)
        # .input, not .change: only the user's own pick opens a requirement, so a refreshed
        # list never replaces what someone is typing.
        opened_views = [self.edit_title, self.edit_text, self.edit_doc, self.edit_follow, self.entry_view,
                        self.opened, self.entry_status, self.slot_pick, self.slot_value]
        self.entry_pick.input(self.open_entry, [tender, self.entry_pick], opened_views, **LOADING)
        self.slot_button.click(self.fill_slot, [tender, self.opened, who, self.slot_pick, self.slot_value],
                               [*opened_views, *views.buyer], **QUIET)
        undoable = [self.undo, self.undo_button]
        self.save_button.click(self.save_entry, [tender, self.opened, who, self.edit_title, self.edit_text,
                                                 self.edit_doc, self.edit_follow],
                               [self.entry_status, self.entry_view, self.opened, *undoable, *views.buyer], **QUIET)
        moved = [self.entry_status, self.opened, *views.buyer]
        self.up_button.click(self.move_up, [tender, self.opened, who], moved, **QUIET)
        self.down_button.click(self.move_down, [tender, self.opened, who], moved, **QUIET)
        self.remove_button.click(self.remove_entry, [tender, self.opened, who], [*moved, *undoable], **QUIET)
        self.undo_button.click(self.undo_last, [tender, self.undo, who],
                               [*opened_views, *undoable, *views.buyer], **QUIET)

    def _who(self, who: str | None, request: gr.Request | None) -> str:
        return acting(self.services, who, request).name

    def refresh(self, tender_id: str | None, review_filter: str = pt.ALL) -> Updates:
        return self.views.all_updates(tender_id, review_filter)

    def create_tender(self, name: str, organisation: str, category: str) -> Updates:
        try:
            tender_id = self.ws.create_tender(name, organisation, category, DEFAULT_SECTIONS)
        except WorkspaceError as exc:
            return {self.header.tender_pick: gr.update(), self.create_status: f"❌ {exc}"}
        return {self.header.tender_pick: gr.update(choices=pt.tender_choices(self.ws.tenders()), value=tender_id),
                self.create_status: f"✅ Udbuddet er oprettet med afsnittene {', '.join(DEFAULT_SECTIONS)}."}

    def add_section(self, tender_id: str | None, title: str) -> Updates:
        try:
            if not tender_id:
                raise WorkspaceError("Vælg eller opret et udbud først.")
            self.ws.add_section(tender_id, title)
        except WorkspaceError as exc:
            return {self.create_status: f"❌ {exc}", **self.views.buyer_updates(tender_id)}
        return {self.create_status: f"✅ Afsnittet {title.strip()} er tilføjet.", **self.views.buyer_updates(tender_id)}

    def open_entry(self, tender_id: str | None, entry_id: str | None) -> Updates:
        found = pt.find_entry(snapshot(self.services, tender_id), entry_id)
        if not found:
            return {self.edit_title: "", self.edit_text: "", self.edit_doc: "", self.edit_follow: "",
                    self.entry_view: "<p class='udb-muted'>Vælg et krav.</p>", self.opened: None, self.entry_status: "",
                    self.slot_pick: gr.update(choices=[], value=None), self.slot_value: ""}
        number, section, entry = found
        c = entry.card
        open_slots = [(f"{s.label}{' (' + s.unit + ')' if s.unit else ''}", s.id) for s in c.slots if not s.value]
        return {self.edit_title: c.title, self.edit_text: c.text, self.edit_doc: c.documentation,
                self.edit_follow: c.follow_up, self.entry_view: pt.review_card_html(number, section, entry),
                self.opened: {"entry_id": entry.entry_id, "version": entry.version},
                self.entry_status: f"Åbnet {number} (version {entry.version})"
                + (f"; {open_count(len(open_slots))}." if open_slots else "."),
                self.slot_pick: gr.update(choices=open_slots, value=open_slots[0][1] if open_slots else None),
                self.slot_value: ""}

    def fill_slot(self, tender_id: str | None, opened: Opened, who: str, slot_id: str | None,
                  value: str, request: gr.Request | None = None) -> Updates:
        if not opened or not slot_id:
            return {self.entry_status: "❌ Vælg et krav og et åbent felt først.", **self.views.buyer_updates(tender_id)}
        try:
            entry = self.ws.fill_slots(opened["entry_id"], opened["version"], self._who(who, request), {slot_id: value})
        except WorkspaceError as exc:
            return {self.entry_status: f"❌ {exc}", **self.views.buyer_updates(tender_id, opened["entry_id"])}
        updates = self.open_entry(tender_id, entry.entry_id)
        updates[self.entry_status] = (f"✅ Feltet er udfyldt (version {entry.version}); "
                                      + (f"{open_count(len(entry.card.open_slots))} tilbage."
                                         if entry.card.open_slots else "ingen åbne felter tilbage."))
        return {**updates, **self.views.buyer_updates(tender_id, entry.entry_id)}

    def save_entry(self, tender_id: str | None, opened: Opened, who: str, title: str, text: str,
                   documentation: str, follow_up: str, request: gr.Request | None = None) -> Updates:
        if not opened:
            return {self.entry_status: "❌ Vælg et krav først.", **self.views.buyer_updates(tender_id)}
        try:
            entry = self.ws.edit_card(opened["entry_id"], opened["version"], self._who(who, request),
                                      {"title": title, "text": text, "documentation": documentation,
                                       "follow_up": follow_up}, recheck=self.services.rechecker)
        except WorkspaceError as exc:
            # The user's text stays in the boxes, so nothing typed is lost on a stale edit.
            return {self.entry_status: f"❌ {exc}", **self.views.buyer_updates(tender_id, opened["entry_id"])}
        found = pt.find_entry(snapshot(self.services, tender_id), entry.entry_id)
        unsupported = sum(1 for s in entry.card.support if not s.supported)
        note = f" {unsupported} sætning(er) er ikke underbygget af kortets kilder." if unsupported else ""
        return {self.entry_status: f"✅ Gemt som version {entry.version}.{note} «Fortryd» sætter den forrige "
                                   "tekst tilbage.",
                self.entry_view: pt.review_card_html(*found) if found else "",
                self.opened: {"entry_id": entry.entry_id, "version": entry.version},
                **self._undoable("redigeret", entry.entry_id, entry.card.title, entry.version),
                **self.views.buyer_updates(tender_id, entry.entry_id)}

    def move_entry(self, tender_id: str | None, opened: Opened, who: str, step: int,
                   request: gr.Request | None = None) -> Updates:
        if not opened:
            return {self.entry_status: "❌ Vælg et krav først.", **self.views.buyer_updates(tender_id)}
        try:
            entry = self.ws.entry(opened["entry_id"])
            self.ws.move(entry.entry_id, opened["version"], self._who(who, request), max(0, entry.position + step))
        except WorkspaceError as exc:
            return {self.entry_status: f"❌ {exc}", **self.views.buyer_updates(tender_id, opened["entry_id"])}
        moved = self.ws.entry(entry.entry_id)
        return {self.entry_status: "✅ Kravet er flyttet.",
                self.opened: {"entry_id": moved.entry_id, "version": moved.version},
                **self.views.buyer_updates(tender_id, moved.entry_id)}

    def move_up(self, tender_id: str | None, opened: Opened, who: str, request: gr.Request | None = None) -> Updates:
        return self.move_entry(tender_id, opened, who, -1, request)

    def move_down(self, tender_id: str | None, opened: Opened, who: str,
                  request: gr.Request | None = None) -> Updates:
        return self.move_entry(tender_id, opened, who, 1, request)

    def remove_entry(self, tender_id: str | None, opened: Opened, who: str,
                     request: gr.Request | None = None) -> Updates:
        if not opened:
            return {self.entry_status: "❌ Vælg et krav først.", **self.views.buyer_updates(tender_id)}
        try:
            title = self.ws.entry(opened["entry_id"]).card.title
            self.ws.remove_card(opened["entry_id"], opened["version"], self._who(who, request))
        except WorkspaceError as exc:
            return {self.entry_status: f"❌ {exc}", **self.views.buyer_updates(tender_id, opened["entry_id"])}
        return {self.entry_status: f"✅ «{title}» er fjernet fra udbuddet (historikken er bevaret). «Fortryd» "
                                   "sætter det ind igen.", self.opened: None,
                **self._undoable("fjernet", opened["entry_id"], title), **self.views.buyer_updates(tender_id)}

    def _undoable(self, kind: str | None, entry_id: str = "", title: str = "", version: int = 0) -> Updates:
        # ``version``: the one our edit made; if someone changed the requirement since, undoing is refused
        # (stale) rather than undoing their change.
        state = {"kind": kind, "entry_id": entry_id, "title": title, "version": version} if kind else None
        return {self.undo: state, self.undo_button: gr.update(interactive=bool(kind))}

    def undo_last(self, tender_id: str | None, last: dict | None, who: str,
                  request: gr.Request | None = None) -> Updates:
        """Undo this session's last removal or text edit; the undoing is itself a version in the history."""
        if not last:
            return {self.entry_status: "❌ Der er ingen ændring at fortryde.", **self._undoable(None)}
        try:
            name = self._who(who, request)
            if last["kind"] == "fjernet":
                entry = self.ws.restore_card(last["entry_id"], name)
                done = f"✅ «{last['title']}» er sat ind igen på sin plads."
            else:
                entry = self.ws.undo_edit(last["entry_id"], last["version"], name, recheck=self.services.rechecker)
                done = f"✅ Redigeringen af «{last['title']}» er fortrudt (version {entry.version})."
        except WorkspaceError as exc:
            return {self.entry_status: f"❌ {exc}", **self._undoable(None), **self.views.buyer_updates(tender_id)}
        updates = self.open_entry(tender_id, entry.entry_id)
        return {**updates, self.entry_status: done, **self._undoable(None),
                **self.views.buyer_updates(tender_id, entry.entry_id)}
