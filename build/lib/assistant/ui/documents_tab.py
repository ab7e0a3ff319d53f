"""Tab *Dokumenter*: upload files to the index (parsed in a child process, in the upload's own queue)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.services import Services
from assistant.ui import present
from assistant.ui.shared import Updates


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


class DocumentsTab:
    def __init__(self, services: Services) -> None:
        self.services = services

    def build(self) -> None:
        self.files = gr.File(label="Upload PDF, DOCX, Markdown eller TXT", file_count="multiple",
                             file_types=[".pdf", ".docx", ".md", ".txt"], elem_id="udb-upload")
        self.index_button = gr.Button("Indeksér filerne", variant="primary", elem_id="udb-index")
        self.status = gr.Markdown(elem_id="udb-index-status")
        self.documents = gr.Markdown(present.documents_markdown(self.services.catalog.entries()))

    def wire(self, doc_filter: gr.Dropdown, doc_choices: Callable[[], list[tuple[str, str]]]) -> None:
        self.doc_filter = doc_filter
        self.doc_choices = doc_choices
        # Its own queue: a file being parsed (in a child process) and embedded never holds the
        # queue that answers questions.
        self.index_button.click(self.upload, [self.files], [self.status, self.documents, doc_filter],
                                concurrency_id="upload", concurrency_limit=1)

    def upload(self, files: list[Any] | None, progress: Any = gr.Progress()) -> Updates:
        paths = [f if isinstance(f, str) else f.name for f in (files or [])]
        documents = present.documents_markdown
        if not paths:
            return {self.status: "Vælg en eller flere filer (PDF, DOCX, Markdown eller TXT).",
                    self.documents: documents(self.services.catalog.entries())}

        def report(done: int, total: int, what: str) -> None:
            progress(done / max(total, 1), desc=f"Indekserer {what}: {done}/{total} tekststykker")

        try:
            result = self.services.indexer.add_files([Path(p) for p in paths], report)
        finally:
            discard_upload_copies(paths)
        return {self.status: present.report_message(result),
                self.documents: documents(self.services.catalog.entries()),
                self.doc_filter: gr.update(choices=self.doc_choices())}
