"""Gradio UI: wires the assistant library to a chat, a sources panel and an upload tab.

Run with `python app.py` (or `make run`). Handlers only call the library.
"""

from __future__ import annotations

import logging
from pathlib import Path

from assistant import present
from assistant.answer import Final, Token
from assistant.cards import RequirementCard
from assistant.clauses import AMBITIONS, TYPES
from assistant.draft import DraftOptions
from assistant.request import CATEGORY_WORDS
from assistant.services import Services

log = logging.getLogger(__name__)

CSS = """
.udb-source {border-left: 3px solid #1f6f5c; padding: 4px 10px; margin-bottom: 12px;}
.udb-source-loc {color: #555; font-size: 0.9em;}
.udb-quote {white-space: pre-wrap; margin: 6px 0 0 0; font-size: 0.95em;}
.udb-muted {color: #666;}
.udb-card {border: 1px solid #cfd8d3; border-radius: 8px; padding: 10px 16px; margin-bottom: 16px;}
.udb-fields th {text-align: left; vertical-align: top; width: 11em; padding-right: 10px;}
.udb-flag {background: #fff0c2; border-bottom: 2px solid #d9a400;}
.udb-flags li {color: #7a4b00;}
"""
AUTO = "Automatisk"

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
                yield history, present.sources_html(None, pending=True), ""
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

    def draft(request: str, req_type: str, ambition: str, category: str, count: float,
              progress=gr.Progress()):
        request = (request or "").strip()
        if not request:
            return "<p class='udb-muted'>Skriv, hvilket krav du har brug for.</p>", [], gr.update(choices=[])
        progress(0.1, desc="Finder skabelon og kilder; sprogmodellen tilpasser kravet …")
        result = services.drafter.draft(request, DraftOptions(
            type=None if req_type == AUTO else req_type, ambition=None if ambition == AUTO else ambition,
            category=(category or "").strip() or None, max_cards=int(count)))
        cards = [c.model_dump() for c in result.requirements]
        return present.draft_html(result), cards, gr.update(choices=[c["id"] for c in cards],
                                                            value=cards[0]["id"] if cards else None)

    def pick(card_id: str, cards: list[dict]):
        card = next((c for c in cards or [] if c["id"] == card_id), None)
        return card["text"] if card else ""

    def save_edit(card_id: str, text: str, cards: list[dict]):
        cards = [dict(c) for c in cards or []]
        for c in cards:
            if c["id"] == card_id and text.strip() and text.strip() != c["text"]:
                c["text"] = text.strip()
                c["flags"] = c["flags"] + ["Kravteksten er redigeret af brugeren og er ikke efterprøvet mod kilderne."]
                c["support"] = [s for s in c["support"] if s["field"] != "text"]
        return present.cards_html([RequirementCard(**c) for c in cards]), cards

    def keep(card_id: str, cards: list[dict], kept: list[dict]):
        card = next((c for c in cards or [] if c["id"] == card_id), None)
        kept = list(kept or [])
        if card and all(k["id"] != card["id"] for k in kept):
            kept.append(card)
        return kept, present.kept_markdown(kept)

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
        with gr.Tab("Udarbejd krav"):
            with gr.Row():
                with gr.Column(scale=2):
                    request_box = gr.Textbox(label="Hvilket krav har du brug for?", lines=3,
                                             placeholder="Skriv et mindstekrav om emballage til en rammeaftale "
                                                         "om rengøringsartikler")
                    with gr.Row():
                        type_choice = gr.Dropdown([AUTO, *TYPES], value=AUTO, label="Type")
                        ambition_choice = gr.Dropdown([AUTO, *AMBITIONS], value=AUTO, label="Ambitionsniveau")
                    with gr.Row():
                        category_choice = gr.Dropdown(sorted(CATEGORY_WORDS), value=None, allow_custom_value=True,
                                                      label="Kategori (valgfri)")
                        count = gr.Slider(1, 3, value=1, step=1, label="Antal kort")
                    draft_button = gr.Button("Udarbejd krav", variant="primary")
                    gr.Markdown("Skift type eller ambitionsniveau, og tryk igen for at udarbejde kravet på ny.")
                    card_pick = gr.Dropdown(choices=[], label="Vælg kort at redigere eller beholde")
                    edit_box = gr.Textbox(label="Redigér kravteksten", lines=5)
                    with gr.Row():
                        save_button = gr.Button("Gem ændring")
                        keep_button = gr.Button("Behold kort")
                    kept_view = gr.Markdown(present.kept_markdown([]))
                with gr.Column(scale=3):
                    cards_view = gr.HTML("<p class='udb-muted'>Kravkort vises her med kilder og "
                                         "opmærksomhedspunkter.</p>")
            cards_state = gr.State([])
            kept_state = gr.State([])
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
        draft_button.click(draft, [request_box, type_choice, ambition_choice, category_choice, count],
                           [cards_view, cards_state, card_pick])
        card_pick.change(pick, [card_pick, cards_state], [edit_box])
        save_button.click(save_edit, [card_pick, edit_box, cards_state], [cards_view, cards_state])
        keep_button.click(keep, [card_pick, cards_state, kept_state], [kept_state, kept_view])
        demo.load(lambda: (present.documents_markdown(services.catalog.entries()),
                           gr.update(choices=doc_choices())), None, [documents, doc_filter])
    return demo


demo = create_app(Services.build())

if __name__ == "__main__":
    import gradio as gr

    logging.basicConfig(level=logging.INFO)
    demo.queue(default_concurrency_limit=1).launch(server_name="127.0.0.1", server_port=7860,
                                                   css=CSS, theme=gr.themes.Soft())
