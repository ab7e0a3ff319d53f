"""What the tabs share: the header inputs (name, active tender) and the views of the active tender that
several tabs show, refreshed together after a change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.services import Services
from assistant.tenders.review import source_documents
from assistant.tenders.tender import Tender
from assistant.tenders.workspace import WorkspaceError
from assistant.ui import present_tender as pt

WHOLE_TENDER = "Hele udbuddet"
# For listeners that answer in a moment with their own Danish status line: Gradio's status overlay would show its
# English "processing | 0.4s" over the form (and "queue: 1/1" when a draft runs elsewhere).
QUIET: dict[str, Any] = {"show_progress": "hidden"}
# For listeners that open or refresh a view: a small spinner says it is loading (a choice made before it has
# loaded would be overwritten), without Gradio's English words.
LOADING: dict[str, Any] = {"show_progress": "minimal"}
Updates = dict[Any, Any]  # component → value or gr.update(...)


@dataclass
class Header:
    who: gr.Textbox
    tender_pick: gr.Dropdown


def need_name(who: str | None) -> str:
    if not (who or "").strip():
        raise WorkspaceError("Skriv dit navn øverst på siden, så ændringen kan spores i historikken.")
    return (who or "").strip()


@dataclass(frozen=True)
class Actor:
    """Who makes a change: the logged-in account and its role, or (on a laptop, no login) the typed name."""

    name: str
    role: str | None  # None: the local single-user mode, where every action is allowed


def username(request: gr.Request | None) -> str | None:
    """The account Gradio logged in for this request, if any."""
    user = getattr(request, "username", None) if request is not None else None
    return str(user) if user else None


def acting(services: Services, who: str | None, request: gr.Request | None) -> Actor:
    """The account Gradio logged in (never the free-text name, which anyone can type), else the typed name."""
    user = username(request)
    if user:
        return Actor(user, services.workspace.accounts.role(user))
    if services.settings.login_required:
        raise WorkspaceError("Log ind for at ændre noget.")
    return Actor(need_name(who), None)


def snapshot(services: Services, tender_id: str | None) -> Tender | None:
    if not tender_id:
        return None
    try:
        return services.workspace.snapshot(tender_id, source_documents(services.catalog))
    except WorkspaceError:
        return None


@dataclass
class TenderViews:
    """The components that show the active tender, across the buyer's, review and export tabs."""

    services: Services
    overview: gr.HTML
    entry_pick: gr.Dropdown
    target_section: gr.Dropdown
    review_pick: gr.Dropdown
    review_overview: gr.HTML
    scope: gr.Dropdown

    @property
    def buyer(self) -> list[Any]:
        return [self.overview, self.entry_pick, self.target_section, self.scope]

    @property
    def all(self) -> list[Any]:
        return [*self.buyer, self.review_pick, self.review_overview]

    def buyer_updates(self, tender_id: str | None, entry_id: str | None = None) -> Updates:
        """The buyer's views after a change; the open requirement stays selected if it still exists."""
        tender = snapshot(self.services, tender_id)
        titles = [s.title for s in tender.sections] if tender else []
        choices = pt.entry_choices(tender)
        keep = entry_id if any(value == entry_id for _, value in choices) else None
        return {self.overview: pt.tender_html(tender), self.entry_pick: gr.update(choices=choices, value=keep),
                self.target_section: gr.update(choices=titles),
                self.scope: gr.update(choices=[WHOLE_TENDER, *titles])}

    def all_updates(self, tender_id: str | None, review_filter: str = pt.ALL) -> Updates:
        """Every view of the tender, after another tender was chosen: selections start empty."""
        tender = snapshot(self.services, tender_id)
        titles = [s.title for s in tender.sections] if tender else []
        return {self.overview: pt.tender_html(tender),
                self.entry_pick: gr.update(choices=pt.entry_choices(tender), value=None),
                self.target_section: gr.update(choices=titles),
                self.review_pick: gr.update(choices=pt.entry_choices(tender, review_filter), value=None),
                self.scope: gr.update(choices=[WHOLE_TENDER, *titles], value=WHOLE_TENDER),
                self.review_overview: pt.tender_html(tender, review_filter)}
