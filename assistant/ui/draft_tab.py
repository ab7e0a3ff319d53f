"""Tab *Udarbejd krav*: draft requirement cards, edit one (re-checked), add it to the active tender."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from typing import Any

import gradio as gr

from assistant.drafting.cards import DraftResult, RequirementCard, TemplateOption
from assistant.drafting.clauses import AMBITIONS, TYPES
from assistant.drafting.draft import DraftOptions
from assistant.drafting.request import CATEGORY_WORDS
from assistant.services import Services
from assistant.tenders.tender import SECTION_FOR_AREA
from assistant.tenders.workspace import Workspace, WorkspaceError
from assistant.ui import present
from assistant.ui.shared import LOADING, QUIET, Header, TenderViews, Updates, acting, username

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
                self.card_pick = gr.Dropdown(choices=[], label="Vælg kort at redigere eller tilføje til udbuddet",
                                             elem_id="udb-card-pick")
                with gr.Row():
                    self.other_template = gr.Dropdown(choices=[], label="Anden skabelon til det valgte kort",
                                                      elem_id="udb-other-template", scale=3)
                    self.switch_button = gr.Button("Udarbejd med denne skabelon", elem_id="udb-switch", scale=2)
                self.edit_box = gr.Textbox(label="Redigér kravteksten", lines=5)
                self.save_button = gr.Button("Gem ændring")
                with gr.Row():
                    self.target_section = gr.Dropdown(choices=[], label="Afsnit i det aktive udbud")
                    self.add_button = gr.Button("Tilføj til udbud", variant="primary", elem_id="udb-add")
                self.add_status = gr.Markdown(elem_id="udb-add-status")
            with gr.Column(scale=3):
                gr.Markdown("## Kravkort")  # the cards' own titles are h3 (axe-core: heading order)
                self.cards_view = gr.HTML("<p class='udb-muted'>Kravkort vises her med kilder og "
                                          "opmærksomhedspunkter.</p>", elem_id="udb-cards")
        self.cards_state = gr.State([])
        self.alternatives_state = gr.State({})  # card id -> its next-best templates (TemplateOption dicts)
        self.request_state = gr.State("")  # the request the cards were drafted from

    def wire(self, header: Header, views: TenderViews) -> None:
        self.views = views
        drafted = [self.cards_view, self.cards_state, self.card_pick, self.alternatives_state, self.request_state,
                   self.other_template]
        # "Tilføj til udbud" is off while a draft runs: pressed then, it filed the previous card again.
        # Gradio's own timer is hidden: the cards view says which card is being drafted, in Danish.
        self.draft_button.click(_adding(False), None, self.add_button, queue=False).then(
            self.draft, [self.request_box, self.type_choice, self.ambition_choice, self.category_choice, self.count],
            drafted, **QUIET).then(_adding(True), None, self.add_button, queue=False)
        self.switch_button.click(_adding(False), None, self.add_button, queue=False).then(
            self.switch_template, [self.card_pick, self.other_template, self.cards_state, self.alternatives_state,
                                   self.request_state, self.ambition_choice, self.category_choice],
            drafted, **QUIET).then(_adding(True), None, self.add_button, queue=False)
        self.card_pick.change(self.pick, [self.card_pick, self.cards_state, self.alternatives_state],
                              [self.edit_box, self.target_section, self.other_template], **LOADING)
        self.save_button.click(self.save_edit, [self.card_pick, self.edit_box, self.cards_state, header.who,
                                                self.alternatives_state], [self.cards_view, self.cards_state], **QUIET)
        self.add_button.click(self.add_to_tender, [self.card_pick, self.cards_state, header.tender_pick,
                                                   self.target_section, header.who],
                              [self.add_status, *views.buyer], **QUIET)

    def _drafted(self, result: DraftResult, request: str, cards: list[dict] | None = None,
                 alternatives: dict | None = None, pick: str | None = None) -> Updates:
        cards = cards if cards is not None else [c.model_dump() for c in result.requirements]
        alternatives = alternatives if alternatives is not None else {
            card_id: [o.model_dump() for o in options] for card_id, options in result.alternatives.items()}
        if result.refusal:
            view = present.draft_html(result)
        else:
            view = present.notes_html(result.notes) + _cards_view(cards, alternatives)
        pick = pick or (cards[0]["id"] if cards else None)
        return {self.cards_view: view, self.cards_state: cards, self.alternatives_state: alternatives,
                self.request_state: request,
                self.card_pick: gr.update(choices=card_choices(cards), value=pick),
                self.other_template: gr.update(choices=template_choices(alternatives.get(pick or "", [])),
                                               value=None)}

    def _empty(self, message: str) -> Updates:
        return {self.cards_view: message, self.cards_state: [], self.card_pick: gr.update(choices=[]),
                self.alternatives_state: {}, self.other_template: gr.update(choices=[], value=None)}

    def draft(self, request: str, req_type: str, ambition: str, category: str | None,
              count: float | str | None) -> Iterator[Updates]:
        request = (request or "").strip()
        if not request:
            yield self._empty("<p class='udb-muted'>Skriv, hvilket krav du har brug for.</p>")
            return
        if self.model_problem:
            yield self._empty(f"<p class='udb-flag'>{html.escape(self.model_problem)}</p>")
            return
        yield {self.cards_view: "<div class='udb-drafting' role='status'>⏳ Finder de skabeloner i kravbiblioteket, "
                                "der passer til forespørgslen …</div>"}
        options = DraftOptions(
            type=None if req_type == AUTO else req_type, ambition=None if ambition == AUTO else ambition,
            category=(category or "").strip() or None, max_cards=0 if count in (None, CARDS_AUTO) else int(count))
        yield from self._draft_plan(request, options)

    def _draft_plan(self, request: str, options: DraftOptions, keep: list[dict] | None = None,
                    keep_alternatives: dict | None = None, replace_id: str | None = None) -> Iterator[Updates]:
        """Draft the planned cards one at a time, showing each as it is done; ``keep`` (with ``replace_id``)
        are the cards already on screen, one of which the new card replaces."""
        drafter = self.services.drafter
        plan = drafter.plan(request, options)
        cards: list[RequirementCard] = []
        for i, (template, _) in enumerate(plan.chosen):
            yield {self.cards_view: present.drafting_html(i, len(plan.chosen), template.title, cards)}
            cards.append(drafter.card_for(plan, i))
        result = drafter.result(plan, cards)
        if keep is None or not cards:
            yield self._drafted(result, request)
            return
        new = cards[0].model_dump()
        merged = [new if c["id"] == replace_id else c for c in keep]
        alternatives = {k: v for k, v in (keep_alternatives or {}).items() if k != replace_id}
        alternatives[new["id"]] = [o.model_dump() for o in result.alternatives.get(new["id"], [])]
        yield self._drafted(result, request, merged, alternatives, pick=new["id"])

    def switch_template(self, card_id: str | None, template_id: str | None, cards: list[dict],
                        alternatives: dict, request: str, ambition: str, category: str | None) -> Iterator[Updates]:
        """Draft the picked card again from the template the buyer chose among its alternatives."""
        card = next((c for c in cards or [] if c["id"] == card_id), None)
        if card is None or not template_id or not request:
            yield {self.add_status: "❌ Vælg et kort og en anden skabelon først."}
            return
        options = DraftOptions(ambition=None if ambition == AUTO else ambition,
                               category=(category or "").strip() or card["category"], template_id=template_id)
        yield from self._draft_plan(request, options, keep=cards, keep_alternatives=alternatives,
                                    replace_id=card_id)

    def pick(self, card_id: str, cards: list[dict], alternatives: dict | None = None) -> Updates:
        card = next((c for c in cards or [] if c["id"] == card_id), None)
        others = gr.update(choices=template_choices((alternatives or {}).get(card_id or "", [])), value=None)
        if not card:
            return {self.edit_box: "", self.target_section: gr.update(), self.other_template: others}
        return {self.edit_box: card["text"], self.target_section: gr.update(value=SECTION_FOR_AREA.get(card["area"])),
                self.other_template: others}

    def save_edit(self, card_id: str, text: str, cards: list[dict], who: str,
                  alternatives: dict | None = None, request: gr.Request | None = None) -> Updates:
        cards = [dict(c) for c in cards or []]
        who = username(request) or who or ""
        for i, c in enumerate(cards):
            if c["id"] == card_id and text.strip() and text.strip() != c["text"]:
                before = RequirementCard(**c)
                after = before.model_copy(update={"text": text.strip()})
                cards[i] = self.services.rechecker(before, after, who.strip() or "brugeren").model_dump()
        return {self.cards_view: _cards_view(cards, alternatives or {}), self.cards_state: cards}

    def add_to_tender(self, card_id: str, cards: list[dict], tender_id: str | None, section: str,
                      who: str, request: gr.Request | None = None) -> Updates:
        card = next((c for c in cards or [] if c["id"] == card_id), None)
        try:
            if not tender_id:
                raise WorkspaceError("Vælg eller opret et udbud øverst på siden først.")
            if card is None:
                raise WorkspaceError("Udarbejd og vælg et kort først.")
            ws = self.services.workspace
            who = acting(self.services, who, request).name
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


def _cards_view(cards: list[dict], alternatives: dict) -> str:
    return present.cards_html([RequirementCard(**c) for c in cards],
                              {k: [TemplateOption(**o) for o in v] for k, v in alternatives.items()})


def _adding(on: bool) -> Callable[[], Any]:
    return lambda: gr.update(interactive=on)


def template_choices(options: list[dict]) -> list[tuple[str, str]]:
    """A card's alternatives by title and type (the template id stays the value only)."""
    return [(f"{o['title']} ({o['type']})", o["template_id"]) for o in options]


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
