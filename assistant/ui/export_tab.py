"""Tab *Eksportér*: the tender or one section, all or approved requirements, as Word, Markdown or JSON."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import gradio as gr

from assistant.services import Services
from assistant.tenders.export import ExportError, ExportOptions, export_file
from assistant.ui.shared import WHOLE_TENDER, Header, Updates, snapshot

EXPORT_FORMATS = {"Word (.docx)": ".docx", "Markdown (.md)": ".md", "JSON (.json)": ".json"}
WORKING, BIDDER = "Arbejdsversion (kilder, markeringer og gennemgang)", "Udbudsversion (til tilbudsgivere)"


def file_stem(name: str, scope: str) -> str:
    """A safe ASCII file name from the tender's name (æ→ae, ø→oe, å→aa)."""
    text = f"{name} {'' if scope == WHOLE_TENDER else scope}".lower()
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        text = text.replace(a, b)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80] or "udbud"


class ExportTab:
    def __init__(self, services: Services) -> None:
        self.services = services

    def build(self) -> None:
        with gr.Row():
            self.scope = gr.Dropdown([WHOLE_TENDER], value=WHOLE_TENDER, label="Omfang")
            self.fmt = gr.Radio(list(EXPORT_FORMATS), value=next(iter(EXPORT_FORMATS)), label="Format")
        self.version = gr.Radio([WORKING, BIDDER], value=WORKING, label="Version", elem_id="udb-export-version",
                                info="Udbudsversionen har kun godkendte krav og ingen interne noter; den dannes "
                                     "først, når alle åbne felter i de godkendte krav er udfyldt.")
        with gr.Row():
            self.approved_only = gr.Checkbox(label="Kun godkendte krav", value=False)
            self.annex = gr.Checkbox(label="Medtag bilag med juridisk gennemgang", value=True)
        self.export_button = gr.Button("Eksportér", variant="primary", elem_id="udb-export")
        self.message = gr.Markdown(elem_id="udb-export-message")
        # Hidden until there is a file: Gradio's empty file box carries an aria-label on a plain div (axe-core).
        self.file_view = gr.File(label="Eksporteret fil", interactive=False, elem_id="udb-export-file",
                                 visible=False)

    def wire(self, header: Header) -> None:
        # The message says at once that the file is being made (outside the queue); Gradio's timer stays hidden.
        self.export_button.click(lambda: "⏳ Danner filen …", None, self.message, queue=False).then(
            self.export, [header.tender_pick, self.scope, self.approved_only, self.annex, self.fmt, self.version],
            [self.file_view, self.message], show_progress="hidden")

    def export(self, tender_id: str | None, scope: str, approved_only: bool, annex: bool, fmt: str,
               version: str = WORKING) -> Updates:
        tender = snapshot(self.services, tender_id)
        if tender is None:
            return {self.file_view: _file(None), self.message: "❌ Vælg et udbud først."}
        bidder = version == BIDDER
        options = ExportOptions(approved_only=approved_only, section=None if scope == WHOLE_TENDER else scope,
                                review_annex=annex, bidder=bidder)
        folder = Path(tempfile.mkdtemp(prefix="udbud-eksport-"))
        stem = file_stem(tender.name, scope) + ("-udbudsversion" if bidder else "")
        try:
            path = export_file(tender, options, folder / f"{stem}{EXPORT_FORMATS[fmt]}")
        except ExportError as exc:
            return {self.file_view: _file(None), self.message: f"❌ {exc}"}
        return {self.file_view: _file(str(path)), self.message: f"✅ {path.name} er klar til download."}


def _file(path: str | None) -> dict:
    return gr.update(value=path, visible=path is not None)
