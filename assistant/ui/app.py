"""The Gradio app: a header (your name, the active tender) and one class per tab, built from Services.

Nothing is built at import; ``main()`` builds Services, runs the model self-test once (a child process)
and launches. Handlers live on the tab classes and only call the library.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from importlib import resources
from typing import Any

import gradio as gr

from assistant.errors import StoreError
from assistant.services import Services
from assistant.ui import present_tender as pt
from assistant.ui.ask_tab import AskTab
from assistant.ui.documents_tab import DocumentsTab
from assistant.ui.draft_tab import DraftTab
from assistant.ui.export_tab import ExportTab
from assistant.ui.review_tab import ReviewTab
from assistant.ui.shared import Header, TenderViews, username
from assistant.ui.tender_tab import TenderTab

CSS = resources.files("assistant.ui").joinpath("style.css").read_text(encoding="utf-8")
JS = resources.files("assistant.ui").joinpath("cite_links.js").read_text(encoding="utf-8")


@dataclass
class App:
    """The built app and its tabs (tests call the tabs' handler methods directly)."""

    demo: gr.Blocks
    services: Services
    header: Header
    ask: AskTab
    draft: DraftTab
    tender: TenderTab
    review: ReviewTab
    export: ExportTab
    documents: DocumentsTab
    views: TenderViews


def create_app(services: Services) -> App:
    # The self-test runs once here (a child process), so a runtime that would crash the server
    # leaves the app up with search, tenders and export, and the model tabs saying why.
    model_problem = services.model_problem()
    ask, draft = AskTab(services, model_problem), DraftTab(services, model_problem)
    tender, review, export, documents = TenderTab(services), ReviewTab(services), ExportTab(services), \
        DocumentsTab(services)
    cache_s = services.settings.gradio_cache_s  # Gradio's copies of uploads and exports are deleted after this
    with gr.Blocks(title="Udbudsassistent", delete_cache=(cache_s, cache_s)) as demo:
        gr.Markdown("# Udbudsassistent\nSpørg ind til indkøbsstrategien, casematerialet og dine egne "
                    "dokumenter, udarbejd krav med ordrette kilder, saml dem i et udbud, få dem gennemgået "
                    "juridisk, og eksportér til Word.")
        with gr.Row():
            header = Header(
                who=gr.Textbox(label="Dit navn (gemmes i historikken)", placeholder="fx Karen Jurist", scale=1,
                               elem_id="udb-who"),
                tender_pick=gr.Dropdown(choices=pt.tender_choices(services.workspace.tenders()), value=None,
                                        label="Aktivt udbud", scale=2, elem_id="udb-tender"))
        # Wrapped, not folded into a "⋯" menu: on a 390 px phone five of six tabs were hidden there.
        with gr.Tabs(overflow_behavior="wrap"):
            with gr.Tab("Spørg kilderne"):
                ask.build()
            with gr.Tab("Udarbejd krav"):
                draft.build()
            with gr.Tab("Udbud"):
                tender.build()
            with gr.Tab("Juridisk gennemgang") as review_tab:
                review.build()
            with gr.Tab("Eksportér"):
                export.build()
            with gr.Tab("Dokumenter"):
                documents.build()
        views = TenderViews(services, tender.overview, tender.entry_pick, draft.target_section, review.review_pick,
                            review.review_overview, export.scope)
        ask.wire()
        draft.wire(header, views)
        tender.wire(header, views, review.status_filter)
        review.wire(header, review_tab)
        export.wire(header)
        documents.wire(ask.doc_filter, ask.doc_choices)
        # Your name and the active tender survive a reload (the browser's localStorage, per installation).
        remembered = gr.BrowserState({"who": "", "tender": ""}, storage_key="udbudsassistent",
                                     secret=browser_secret(services))
        # The conversation too (its own key: it is large and changes with every answer).
        conversation = gr.BrowserState({"chat": [], "sources": {}}, storage_key="udbudsassistent-samtale",
                                       secret=browser_secret(services))
        ask.remember_in(conversation)
        def on_load(saved: dict | None, chat: dict | None, request: gr.Request | None = None) -> dict:
            return {documents.documents: documents.documents_table(),
                    ask.doc_filter: gr.update(choices=ask.doc_choices()),
                    **restored(services, header, saved), **ask.restored(chat), **logged_in(services, header, request)}

        demo.load(on_load, [remembered, conversation], [documents.documents, ask.doc_filter, header.who,
                                                        header.tender_pick, ask.chatbot, ask.turn_sources, ask.sources])
        for field in (header.who, header.tender_pick):
            # Outside the queue: a keystroke in the name box never waits behind a running answer.
            field.change(remember, [header.who, header.tender_pick], [remembered], queue=False,
                         trigger_mode="always_last")
    return App(demo, services, header, ask, draft, tender, review, export, documents, views)


def browser_secret(services: Services) -> str:
    """Stable for one installation (so a restart keeps what the browser remembered), different between
    installations on the same host and port."""
    return hashlib.sha256(str(services.settings.workspace_path.resolve()).encode()).hexdigest()


def restored(services: Services, header: Header, saved: dict | None) -> dict:
    """The name and tender the browser remembered; a tender deleted since is not brought back. Nothing
    remembered changes nothing, so a name typed while the page loads is not wiped."""
    saved = saved if isinstance(saved, dict) else {}
    choices = pt.tender_choices(services.workspace.tenders())
    tender = saved.get("tender") if saved.get("tender") in {value for _, value in choices} else None
    who = str(saved.get("who") or "")
    return {header.who: who if who else gr.update(),
            header.tender_pick: gr.update(choices=choices, value=tender) if tender else gr.update(choices=choices)}


def logged_in(services: Services, header: Header, request: gr.Request | None) -> dict:
    """Logged in, the name box shows the account and its role, and cannot be changed: the history records the
    account, never a typed name."""
    user = username(request)
    if not user:
        return {}
    role = services.workspace.accounts.role(user) or "ingen rolle"
    return {header.who: gr.update(value=user, interactive=False, label=f"Logget ind som ({role})")}


def remember(who: str | None, tender: str | None) -> dict:
    return {"who": (who or "").strip(), "tender": tender or ""}


def theme() -> gr.themes.Base:
    """Gradio's Soft theme with WCAG AA contrast (axe-core, 4.5:1 for normal text): its label chips (3.6:1),
    placeholders (2.5:1), primary buttons (4.47:1) and selected tab (4.27:1) were each a shade too light."""
    return gr.themes.Soft().set(
        block_label_text_color="*primary_700", block_title_text_color="*primary_700",
        input_placeholder_color="*neutral_500", body_text_color_subdued="*neutral_600", color_accent="*primary_700",
        checkbox_label_background_fill_selected="*primary_700", checkbox_background_color_selected="*primary_700",
        button_primary_background_fill="*primary_700", button_primary_background_fill_hover="*primary_800",
        button_primary_text_color="white")


LOGIN_MESSAGE = "Udbudsassistent: log ind med den bruger, din administrator har oprettet til dig."


def launch(app: App, host: str | None = None, port: int | None = None, **kwargs: Any) -> None:
    """Serve the app. Host and port come from the settings unless given; beyond loopback a login is required;
    uploads are capped at the loader's size limit before Gradio stores them, and its temp files are deleted.
    The queue runs one event at a time with the embedded model, ``llm_parallel`` with a model server."""
    settings = app.services.settings
    if settings.login_required and "auth" not in kwargs:
        accounts = app.services.workspace.accounts
        if not accounts.all():
            raise SystemExit("Appen lytter ud over denne maskine og kræver login, men der er ingen brugere. "
                             "Opret en med: python -m assistant users add NAVN --role admin")
        kwargs.update(auth=accounts.verify, auth_message=LOGIN_MESSAGE)
    app.demo.queue(default_concurrency_limit=settings.queue_concurrency).launch(
        server_name=host or settings.host, server_port=port or settings.port, css=CSS, js=JS, theme=theme(),
        max_file_size=f"{settings.max_file_mb:g}mb", **kwargs)


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    try:
        services = Services.build()
    except StoreError as exc:
        raise SystemExit(f"Fejl: {exc}") from None
    launch(create_app(services))
