"""Tab *Udarbejd krav*: draft requirement cards, edit one (re-checked), add it to the active tender."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import gradio as gr

from assistant.drafting.cards import RequirementCard
from assistant.drafting.clauses import AMBITIONS, TYPES
from assistant.drafting.draft import DraftOptions
from assistant.drafting.request import CATEGORY_WORDS
from assistant.services import Services
from assistant.tenders.tender import SECTION_FOR_AREA
from assistant.tenders.workspace import Workspace, WorkspaceError
from assistant.ui import present
from assistant.ui.shared import Header, TenderViews, Updates, need_name

AUTO = "Automatisk"
CARDS_AUTO = "Ét pr. emne i forespørgslen"


class DraftTab:
    def __init__(self, services: Services, model_problem: str | None) -> None:
        self.services = services
        self.model_problem = model_problem

    def build(self) -> None:
        gr.Markdown(f"⚠️ **Sprogmodellen er ikke tilgængelig.** {self.model_problem}",
                    visible=bool(self.model_problem))
        with gr.Row():
            with gr.Column(scale=2):
                self.request_box = gr.Textbox(label="Hvilket krav har du brug for?", lines=3,
                                              placeholder="Skriv et mindstekrav om emballage til en rammeaftale "
                                                          "om rengøringsartikler")
                with gr.Row():
                    self.type_choice = gr.Dropdown([AUTO, *TYPES], value=AUTO, label="Type")
                    self.ambition_choice = gr.Dropdown([AUTO, *AMBITIONS], value=AUTO, label="Ambitionsniveau")
                with gr.Row():
                    self.category_choice = gr.Dropdown(sorted(CATEGORY_WORDS), value=None, allow_custom_value=True,
                                                       label="Kategori (valgfri)")
                    self.count = gr.Dropdown([CARDS_AUTO, "1", "2", "3"], value=CARDS_AUTO, label="Antal kort")
                self.draft_button = gr.Button("Udarbejd krav", variant="primary", elem_id="udb-draft")
                gr.Markdown("Skift type eller ambitionsniveau, og tryk igen for at udarbejde kravet på ny.")
                self.card_pick = gr.Dropdown(choices=[], label="Vælg kort at redigere eller tilføje til udbuddet")
                self.edit_box = gr.Textbox(label="Redigér kravteksten", lines=5)
                self.save_button = gr.Button("Gem ændring")
                with gr.Row():
                    self.target_section = gr.Dropdown(choices=[], label="Afsnit i det aktive udbud")
                    self.add_button = gr.Button("Tilføj til udbud", variant="primary", elem_id="udb-add")
                self.add_status = gr.Markdown(elem_id="udb-add-status")
            with gr.Column(scale=3):
                self.cards_view = gr.HTML("<p class='udb-muted'>Kravkort vises her med kilder og "
                                          "opmærksomhedspunkter.</p>", elem_id="udb-cards")
        self.cards_state = gr.State([])

    def wire(self, header: Header, views: TenderViews) -> None:
        self.views = views
        # "Tilføj til udbud" is off while a draft runs: pressed then, it filed the previous card again.
        self.draft_button.click(_adding(False), None, self.add_button, queue=False).then(
            self.draft, [self.request_box, self.type_choice, self.ambition_choice, self.category_choice, self.count],
            [self.cards_view, self.cards_state, self.card_pick]).then(_adding(True), None, self.add_button,
                                                                        queue=False)
        self.card_pick.change(self.pick, [self.card_pick, self.cards_state], [self.edit_box, self.target_section])
        self.save_button.click(self.save_edit, [self.card_pick, self.edit_box, self.cards_state, header.who],
                               [self.cards_view, self.cards_state])
        self.add_button.click(self.add_to_tender, [self.card_pick, self.cards_state, header.tender_pick,
                                                   self.target_section, header.who],
                              [self.add_status, *views.buyer])

    def draft(self, request: str, req_type: str, ambition: str, category: str | None, count: float,
              progress: Any = gr.Progress()) -> Updates:
        request = (request or "").strip()
        if not request:
            return {self.cards_view: "<p class='udb-muted'>Skriv, hvilket krav du har brug for.</p>",
                    self.cards_state: [], self.card_pick: gr.update(choices=[])}
        if self.model_problem:
            return {self.cards_view: f"<p class='udb-flag'>{html.escape(self.model_problem)}</p>",
                    self.cards_state: [], self.card_pick: gr.update(choices=[])}
        progress(0.1, desc="Finder skabelon og kilder; sprogmodellen tilpasser kravet …")
        result = self.services.drafter.draft(request, DraftOptions(
            type=None if req_type == AUTO else req_type, ambition=None if ambition == AUTO else ambition,
            category=(category or "").strip() or None, max_cards=0 if count in (None, CARDS_AUTO) else int(count)))
        cards = [c.model_dump() for c in result.requirements]
        return {self.cards_view: present.draft_html(result), self.cards_state: cards,
                self.card_pick: gr.update(choices=card_choices(cards), value=cards[0]["id"] if cards else None)}

    def pick(self, card_id: str, cards: list[dict]) -> Updates:
        card = next((c for c in cards or [] if c["id"] == card_id), None)
        if not card:
            return {self.edit_box: "", self.target_section: gr.update()}
        return {self.edit_box: card["text"], self.target_section: gr.update(value=SECTION_FOR_AREA.get(card["area"]))}

    def save_edit(self, card_id: str, text: str, cards: list[dict], who: str) -> Updates:
        cards = [dict(c) for c in cards or []]
        for i, c in enumerate(cards):
            if c["id"] == card_id and text.strip() and text.strip() != c["text"]:
                before = RequirementCard(**c)
                after = before.model_copy(update={"text": text.strip()})
                cards[i] = self.services.rechecker(before, after, who.strip() or "brugeren").model_dump()
        return {self.cards_view: present.cards_html([RequirementCard(**c) for c in cards]), self.cards_state: cards}

    def add_to_tender(self, card_id: str, cards: list[dict], tender_id: str | None, section: str,
                      who: str) -> Updates:
        card = next((c for c in cards or [] if c["id"] == card_id), None)
        try:
            if not tender_id:
                raise WorkspaceError("Vælg eller opret et udbud øverst på siden først.")
            if card is None:
                raise WorkspaceError("Udarbejd og vælg et kort først.")
            ws = self.services.workspace
            who = need_name(who)
            already = same_card_in(ws, tender_id, card)
            if already:
                # A second press, or a press while a new draft runs, must not file the same clause twice.
                raise WorkspaceError(f"Kravet «{card['title']}» står allerede i udbuddet som {already}. "
                                     "Redigér det der, eller udarbejd et nyt kort.")
            ws.add_card(section_id(ws, tender_id, section), RequirementCard(**card), who)
        except WorkspaceError as exc:
            return {self.add_status: f"❌ {exc}", **self.views.buyer_updates(tender_id)}
        return {self.add_status: f"✅ «{card['title']}» er tilføjet til afsnittet {section}.",
                **self.views.buyer_updates(tender_id)}


def _adding(on: bool) -> Callable[[], Any]:
    return lambda: gr.update(interactive=on)


def card_choices(cards: list[dict]) -> list[tuple[str, str]]:
    """The picker shows each card by number, title, type and level; its id stays the value only."""
    return [(f"{i}. {c['title']} ({c['type']}, {c['ambition']})", c["id"]) for i, c in enumerate(cards, start=1)]


def same_card_in(workspace: Workspace, tender_id: str, card: dict) -> str | None:
    """The number of a requirement in the tender with this card's id, or its template and text."""
    tender = workspace.snapshot(tender_id)
    for _, _, entries in tender.numbered():
        for number, entry in entries:
            if entry.card.id == card["id"] or (entry.card.template_id == card["template_id"]
                                               and entry.card.text == card["text"]):
                return number
    return None


def section_id(workspace: Workspace, tender_id: str, title: str) -> str:
    match = next((s.section_id for s in workspace.sections(tender_id) if s.title == title), None)
    if match is None:
        raise WorkspaceError("Vælg et afsnit i udbuddet.")
    return str(match)
