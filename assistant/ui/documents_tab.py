"""Tab *Dokumenter*: upload files to the index (parsed in a child process, in the upload's own queue); see a
document's chunks, correct its title, publisher, year and kind, and remove an upload."""

from __future__ import annotations

import contextlib
import html
import logging
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.errors import LoadError
from assistant.services import Services
from assistant.tenders.workspace import WorkspaceError
from assistant.ui import present
from assistant.ui.documents_meta import checked_meta
from assistant.ui.shared import Updates, acting

MAX_CHUNKS_SHOWN = 40


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


log = logging.getLogger(__name__)


class DocumentsTab:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.embedding: threading.Thread | None = None  # the background embedding of the last large upload

    def build(self) -> None:
        self.files = gr.File(label="Upload PDF, DOCX, Markdown eller TXT", file_count="multiple",
                             file_types=[".pdf", ".docx", ".md", ".txt"], elem_id="udb-upload")
        self.index_button = gr.Button("Indeksér filerne", variant="primary", elem_id="udb-index")
        self.status = gr.Markdown(elem_id="udb-index-status")
        self.documents = gr.Markdown(self.documents_table(),
                                     elem_id="udb-documents")
        with gr.Accordion("Se, ret eller fjern et dokument", open=False):
            self.doc_pick = gr.Dropdown(choices=self._choices(), value=None, label="Dokument",
                                        elem_id="udb-doc-pick")
            with gr.Row():
                self.title_box = gr.Textbox(label="Titel", elem_id="udb-doc-title")
                self.publisher_box = gr.Textbox(label="Udgiver", elem_id="udb-doc-publisher")
                self.year_box = gr.Textbox(label="År", placeholder="fx 2024", elem_id="udb-doc-year")
                self.kind_box = gr.Textbox(label="Type", placeholder="fx strategi, casesamling, kontrakt")
            self.save_button = gr.Button("Gem oplysninger", elem_id="udb-doc-save")
            with gr.Row():
                self.confirm_remove = gr.Checkbox(label="Ja, fjern dokumentet og dets tekststykker fra indekset",
                                                  value=False, elem_id="udb-doc-confirm")
                self.remove_button = gr.Button("Fjern dokumentet", variant="stop", elem_id="udb-doc-remove")
            self.doc_message = gr.Markdown(elem_id="udb-doc-message")
            self.chunks_view = gr.HTML(elem_id="udb-doc-chunks")

    def wire(self, doc_filter: gr.Dropdown, doc_choices: Callable[[], list[tuple[str, str]]]) -> None:
        self.doc_filter = doc_filter
        self.doc_choices = doc_choices
        # Its own queue: a file being parsed (in a child process) and embedded never holds the
        # queue that answers questions.
        self.index_button.click(self.upload, [self.files], [self.status, self.documents, doc_filter, self.doc_pick],
                                concurrency_id="upload", concurrency_limit=1)
        self.doc_pick.change(self.pick, [self.doc_pick], [self.title_box, self.publisher_box, self.year_box,
                                                          self.kind_box, self.chunks_view, self.doc_message])
        # The same queue as uploads: an edit or a removal never runs while a file is being indexed.
        self.save_button.click(self.save_meta, [self.doc_pick, self.title_box, self.publisher_box, self.year_box,
                                                self.kind_box], [self.doc_message, self.documents, doc_filter,
                                                                 self.doc_pick], concurrency_id="upload")
        self.remove_button.click(self.remove, [self.doc_pick, self.confirm_remove],
                                 [self.doc_message, self.documents, doc_filter, self.doc_pick, self.confirm_remove,
                                  self.chunks_view], concurrency_id="upload")

    def _choices(self) -> list[tuple[str, str]]:
        return [(e.meta.title, e.meta.doc_id) for e in self.services.catalog.entries()]

    def documents_table(self) -> str:
        return present.documents_markdown(self.services.catalog.entries(),
                                          self.services.indexer.waiting_for_vectors())

    def _lists(self) -> Updates:
        return {self.documents: self.documents_table(),
                self.doc_filter: gr.update(choices=self.doc_choices()),
                self.doc_pick: gr.update(choices=self._choices())}

    def pick(self, doc_id: str | None) -> Updates:
        entry = self.services.catalog.entry(doc_id) if doc_id else None
        if entry is None:
            return {self.title_box: "", self.publisher_box: "", self.year_box: "", self.kind_box: "",
                    self.chunks_view: "", self.doc_message: ""}
        chunks = self.services.catalog.all_chunks([entry.meta.doc_id])
        shown = "".join(f"<div class='udb-chunk'><div class='udb-muted'>{n}. {html.escape(c.location)}</div>"
                        f"<p>{html.escape(' '.join(c.text.split()))}</p></div>"
                        for n, c in enumerate(chunks[:MAX_CHUNKS_SHOWN], start=1))
        more = (f"<p class='udb-muted'>… og {len(chunks) - MAX_CHUNKS_SHOWN} tekststykker mere.</p>"
                if len(chunks) > MAX_CHUNKS_SHOWN else "")
        m = entry.meta
        earlier = self.services.catalog.versions(m.doc_id)
        versions = (f" {len(earlier)} tidligere udgave{'r' if len(earlier) > 1 else ''} er gemt, så citater fra "
                    "dem kan kontrolleres." if earlier else "")
        return {self.title_box: m.title, self.publisher_box: m.publisher, self.year_box: m.year,
                self.kind_box: m.kind,
                self.doc_message: f"{len(chunks)} tekststykker fra {html.escape(m.source)}.{versions}",
                self.chunks_view: f"<div class='udb-chunks'>{shown}{more}</div>"}

    def _role(self, request: gr.Request | None) -> str | None:
        """The logged-in user's role (the library refuses what it may not do); None on a laptop."""
        return acting(self.services, "lokal bruger", request).role

    def save_meta(self, doc_id: str | None, title: str, publisher: str, year: str, kind: str,
                  request: gr.Request | None = None) -> Updates:
        if not doc_id:
            return {self.doc_message: "❌ Vælg et dokument først."}
        try:
            edit = checked_meta(title, publisher, year, kind)
            changed = self.services.indexer.correct_meta(doc_id, title=edit.title, publisher=edit.publisher,
                                                         year=edit.year, kind=edit.kind, role=self._role(request))
        except (ValueError, WorkspaceError) as exc:  # LoadError (NotAllowed) is a ValueError too
            return {self.doc_message: f"❌ {exc}"}
        if not changed:
            return {self.doc_message: "❌ Dokumentet findes ikke længere i indekset.", **self._lists()}
        return {self.doc_message: f"✅ Oplysningerne om «{edit.title}» er gemt.", **self._lists()}

    def remove(self, doc_id: str | None, confirmed: bool, request: gr.Request | None = None) -> Updates:
        indexer = self.services.indexer
        entry = self.services.catalog.entry(doc_id) if doc_id else None
        if entry is None:
            return {self.doc_message: "❌ Vælg et dokument først."}
        if not confirmed:
            return {self.doc_message: "Sæt flueben i «Ja, fjern dokumentet …» for at bekræfte."}
        if not indexer.is_upload(entry.meta.doc_id):
            return {self.doc_message: "❌ Dokumentet hører til korpusset og kommer igen ved næste indeksering. "
                                      "Fjern filen fra korpusmappen, og kør `python -m assistant index`.",
                    self.confirm_remove: False}
        try:
            indexer.remove(entry.meta.doc_id, role=self._role(request))
        except (LoadError, WorkspaceError) as exc:  # not allowed, busy, or no login on a shared server
            return {self.doc_message: f"❌ {exc}"}
        return {self.doc_message: f"✅ «{entry.meta.title}» er fjernet fra indekset. Krav, der citerer det, "
                                  "beholder deres citater, og gennemgangen viser, at kilden ikke længere er "
                                  "indekseret.",
                self.confirm_remove: False, self.chunks_view: "", **self._lists()}

    def upload(self, files: list[Any] | None, progress: Any = gr.Progress(),
               request: gr.Request | None = None) -> Updates:
        paths = [f if isinstance(f, str) else f.name for f in (files or [])]
        if not paths:
            return {self.status: "Vælg en eller flere filer (PDF, DOCX, Markdown eller TXT).",
                    self.documents: self.documents_table()}

        def report(done: int, total: int, what: str) -> None:
            progress(done / max(total, 1), desc=f"Indekserer {what}: {done}/{total} tekststykker")

        # Reading comes before any chunk is counted, and a scanned PDF is read by OCR, a few seconds a page.
        progress(0.0, desc="Læser filerne; scannede sider læses med OCR, et par sekunder pr. side …")
        defer = self.services.settings.embed_defer_over_chunks
        try:
            result = self.services.indexer.add_files([Path(p) for p in paths], report, role=self._role(request),
                                                     defer_over=defer or None)
        except (LoadError, WorkspaceError) as exc:  # not allowed, the index busy, or no login on a shared server
            return {self.status: f"❌ {exc}", self.documents: self.documents_table()}
        finally:
            discard_upload_copies(paths)
        if result.deferred:
            self.embedding = threading.Thread(target=self._embed_later, args=(list(result.deferred),),
                                              name="embed-upload", daemon=True)
            self.embedding.start()
        return {self.status: present.report_message(result), **self._lists()}

    def _embed_later(self, doc_ids: list[str]) -> None:
        """The vectors of a large upload, after the buyer already has its words. If the app stops first, the
        next `index` (or app start) embeds what is missing: the document is not current until it has them."""
        try:
            written = self.services.indexer.embed_missing(doc_ids)
            log.info("embedded %d deferred chunks of %s", written, ", ".join(doc_ids))
        except Exception:  # a thread has no caller to tell; `check` lists what stays without a vector
            log.exception("embedding the deferred chunks of %s failed", ", ".join(doc_ids))
