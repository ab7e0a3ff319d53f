"""Pure functions that turn answers and index reports into the Danish text the UI shows.

Kept out of app.py so they can be tested without a browser; quotes are HTML-escaped
and shown with their line breaks, never reformatted, so what a reviewer reads is
exactly the indexed text.
"""

from __future__ import annotations

import html

from assistant.catalog import CatalogEntry
from assistant.index import IndexReport
from assistant.types import Answer, Passage


def sources_html(answer: Answer | None, pending: list[Passage] | None = None) -> str:
    if answer is None:
        if pending:
            return "<p class='udb-muted'>Modellen skriver svaret …</p>"
        return "<p class='udb-muted'>Kilderne til svaret vises her, ordret og med placering.</p>"
    if not answer.citations:
        note = ("Svaret bygger ikke på nogen kilde, fordi kilderne ikke dækker spørgsmålet."
                if not answer.answered else "Svaret har ingen kildehenvisninger.")
        return f"<p class='udb-muted'>{html.escape(note)}</p>"
    blocks = []
    for c in answer.citations:
        blocks.append(
            "<div class='udb-source'>"
            f"<div class='udb-source-head'><b>[{c.n}] {html.escape(c.title)}</b></div>"
            f"<div class='udb-source-loc'>{html.escape(c.location)} · <code>{html.escape(c.doc_id)}</code></div>"
            f"<blockquote class='udb-quote'>{html.escape(c.quote)}</blockquote>"
            "</div>"
        )
    return "\n".join(blocks)


def answer_markdown(answer: Answer) -> str:
    text = answer.text
    if answer.warnings:
        text += "\n\n" + "\n".join(f"> ⚠️ {w}" for w in answer.warnings)
    return text


def report_message(report: IndexReport) -> str:
    lines = []
    done = report.added + report.updated
    if done:
        lines.append(f"✅ Indekseret: {', '.join(done)} ({report.chunks_embedded} tekststykker, "
                     f"{report.seconds:.1f} s). Du kan stille spørgsmål til dokumenterne nu.")
    for name, reason in report.failed:
        lines.append(f"❌ {name}: {reason}")
    if not lines:
        lines.append("Ingen ændringer: dokumenterne var allerede indekseret.")
    return "\n\n".join(lines)


def documents_markdown(entries: list[CatalogEntry]) -> str:
    if not entries:
        return "Indekset er tomt."
    rows = ["| Dokument | Udgiver | År | Type | Tekststykker | Id |", "|---|---|---|---|---|---|"]
    for e in entries:
        m = e.meta
        rows.append(f"| {m.title} | {m.publisher} | {m.year} | {m.kind} | {e.n_chunks} | `{m.doc_id}` |")
    return "\n".join(rows)
