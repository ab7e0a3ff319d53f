"""Gradio UI: wires the assistant library to a chat, a sources panel and an upload tab.

Run with `python app.py` (or `make run`). Handlers only call the library.
"""

from __future__ import annotations

import logging
from pathlib import Path

from assistant import present
from assistant.answer import Final, Token
from assistant.services import Services

log = logging.getLogger(__name__)

CSS = """
.udb-source {border-left: 3px solid #1f6f5c; padding: 4px 10px; margin-bottom: 12px;}
.udb-source-loc {color: #555; font-size: 0.9em;}
.udb-quote {white-space: pre-wrap; margin: 6px 0 0 0; font-size: 0.95em;}
.udb-muted {color: #666;}
"""

EXAMPLES = [
    "Hvor meget faldt Aarhus' forbrug af oksekød efter klimaafgiften?",
    "Hvad er formålet med de tværkommunale principper for cirkulær emballage?",
    "How does Fredensborg work with contract management?",
]


def create_app(services: Services):
    import gradio as gr

    def doc_choices() -> list[tuple[str, str]]:
        return [(e.meta.title, e.meta.doc_id) for e in services.catalog.entries()]

    def respond(message: str, history: list[dict], doc_ids: list[str] | None):
        message = (message or "").strip()
        if not message:
            yield history, present.sources_html(None), ""
            return
        history = list(history or []) + [{"role": "user", "content": message},
                                         {"role": "assistant", "content": ""}]
        if services.catalog.count_chunks() == 0:
            history[-1]["content"] = "Indekset er tomt. Upload dokumenter under fanen Dokumenter."
            yield history, present.sources_html(None), ""
            return
        streamed = ""
        for event in services.answerer.stream(message, doc_ids or None):
            if isinstance(event, Token):
                streamed += event.text
                history[-1]["content"] = streamed
                yield history, present.sources_html(None, pending=[None]), ""
            elif isinstance(event, Final):
                history[-1]["content"] = present.answer_markdown(event.answer)
                yield history, present.sources_html(event.answer), ""

    def upload(files, progress=gr.Progress()):
        paths = [f if isinstance(f, str) else f.name for f in (files or [])]
        if not paths:
            return "Vælg en eller flere filer (PDF, DOCX, Markdown eller TXT).", \
                present.documents_markdown(services.catalog.entries()), gr.update()

        def report(done: int, total: int, what: str) -> None:
            progress(done / max(total, 1), desc=f"Indekserer {what}: {done}/{total} tekststykker")

        result = services.indexer.add_files([Path(p) for p in paths], report)
        return (present.report_message(result), present.documents_markdown(services.catalog.entries()),
                gr.update(choices=doc_choices()))

    with gr.Blocks(title="Udbudsassistent") as demo:
        gr.Markdown("# Udbudsassistent\nSpørg ind til indkøbsstrategien, casematerialet og dine egne "
                    "dokumenter. Hvert svar henviser med [n] til ordrette kildeuddrag.")
        with gr.Tab("Spørg kilderne"):
            with gr.Row():
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(label="Samtale", height=520)
                    question = gr.Textbox(label="Dit spørgsmål", placeholder=EXAMPLES[0], lines=2)
                    with gr.Row():
                        ask = gr.Button("Spørg", variant="primary")
                        clear = gr.Button("Ryd samtale")
                    doc_filter = gr.Dropdown(choices=doc_choices(), multiselect=True,
                                             label="Begræns til dokumenter (valgfrit)")
                    gr.Examples(EXAMPLES, inputs=question, label="Eksempler")
                with gr.Column(scale=2):
                    gr.Markdown("### Kilder")
                    sources = gr.HTML(present.sources_html(None))
        with gr.Tab("Dokumenter"):
            files = gr.File(label="Upload PDF, DOCX, Markdown eller TXT", file_count="multiple",
                            file_types=[".pdf", ".docx", ".md", ".txt"])
            index_button = gr.Button("Indeksér filerne", variant="primary")
            status = gr.Markdown()
            documents = gr.Markdown(present.documents_markdown(services.catalog.entries()))

        ask.click(respond, [question, chatbot, doc_filter], [chatbot, sources, question])
        question.submit(respond, [question, chatbot, doc_filter], [chatbot, sources, question])
        clear.click(lambda: ([], present.sources_html(None)), None, [chatbot, sources])
        index_button.click(upload, [files], [status, documents, doc_filter])
        demo.load(lambda: (present.documents_markdown(services.catalog.entries()),
                           gr.update(choices=doc_choices())), None, [documents, doc_filter])
    return demo


demo = create_app(Services.build())

if __name__ == "__main__":
    import gradio as gr

    logging.basicConfig(level=logging.INFO)
    demo.queue(default_concurrency_limit=1).launch(server_name="127.0.0.1", server_port=7860,
                                                   css=CSS, theme=gr.themes.Soft())
