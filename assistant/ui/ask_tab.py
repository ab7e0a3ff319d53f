"""Tab *Spørg kilderne*: the chat with its sources panel (sources first, then the streamed answer)."""

from __future__ import annotations

from collections.abc import Iterator

import gradio as gr

from assistant.answering.answer import Final, Quoted, Retrieved, Verified
from assistant.services import Services
from assistant.types import Quote
from assistant.ui import present
from assistant.ui.shared import Updates

EXAMPLES = [
    "Hvor meget faldt Aarhus' forbrug af oksekød efter klimaafgiften?",
    "Hvad er formålet med de tværkommunale principper for cirkulær emballage?",
    "How does Fredensborg work with contract management?",
]


class AskTab:
    def __init__(self, services: Services, model_problem: str | None) -> None:
        self.services = services
        self.model_problem = model_problem

    def doc_choices(self) -> list[tuple[str, str]]:
        return [(e.meta.title, e.meta.doc_id) for e in self.services.catalog.entries()]

    def build(self) -> None:
        self.banner = gr.Markdown(
            f"⚠️ **Sprogmodellen er ikke tilgængelig.** {self.model_problem} Du kan stadig søge: spørg, og "
            "se de mest relevante passager under Kilder.", visible=bool(self.model_problem),
            elem_id="udb-model-problem")
        with gr.Row():
            with gr.Column(scale=3):
                self.chatbot = gr.Chatbot(label="Samtale", height=520)
                # One line that grows: Gradio sends on Enter only for lines=1 (Shift+Enter then breaks the
                # line); with lines=2 it was the other way round, which no one expects.
                self.question = gr.Textbox(label="Dit spørgsmål", placeholder=EXAMPLES[0], lines=1, max_lines=6,
                                           info="Enter sender spørgsmålet · Shift+Enter giver en ny linje",
                                           elem_id="udb-question")
                with gr.Row():
                    self.ask = gr.Button("Spørg", variant="primary", elem_id="udb-ask")
                    self.clear = gr.Button("Ryd samtale")
                self.doc_filter = gr.Dropdown(choices=self.doc_choices(), multiselect=True,
                                              label="Begræns til dokumenter (valgfrit)")
                gr.Examples(EXAMPLES, inputs=self.question, label="Eksempler")
            with gr.Column(scale=2):
                gr.Markdown("### Kilder")
                self.sources = gr.HTML(present.sources_html(None), elem_id="udb-sources")

    def wire(self) -> None:
        outputs = [self.chatbot, self.sources, self.question]
        inputs = [self.question, self.chatbot, self.doc_filter]
        self.ask.click(self.respond, inputs, outputs)
        self.question.submit(self.respond, inputs, outputs)
        self.clear.click(lambda: {self.chatbot: [], self.sources: present.sources_html(None)}, None,
                         [self.chatbot, self.sources])

    def _view(self, history: list[dict], sources: str) -> Updates:
        return {self.chatbot: history, self.sources: sources, self.question: ""}

    def respond(self, message: str, history: list[dict] | None, doc_ids: list[str] | None) -> Iterator[Updates]:
        message = (message or "").strip()
        if not message:
            yield self._view(list(history or []), present.sources_html(None))
            return
        turns = [*list(history or []), {"role": "user", "content": message}, {"role": "assistant", "content": ""}]
        if self.services.catalog.count_chunks() == 0:
            turns[-1]["content"] = "Indekset er tomt. Upload dokumenter under fanen Dokumenter."
            yield self._view(turns, present.sources_html(None))
            return
        if self.model_problem:
            # Search needs no model: show the passages that bear on the question, and say why no answer.
            passages = self.services.retriever.search(message, self.services.settings.retrieve_k,
                                                      doc_ids=doc_ids or None)
            turns[-1]["content"] = (f"⚠️ {self.model_problem}\n\nSøgningen virker: de mest relevante passager "
                                    "står under Kilder.")
            yield self._view(turns, present.passages_html(passages))
            return
        quotes: tuple[Quote, ...] = ()
        for event in self.services.answerer.stream(message, doc_ids or None):
            if isinstance(event, Retrieved):
                # Sources first: what the answer will draw on is on screen while the model reads it.
                turns[-1]["content"] = "_Søger i kilderne …_"
                yield self._view(turns, present.passages_html(list(event.passages), pending=True))
            elif isinstance(event, Quoted):
                quotes = event.quotes
                turns[-1]["content"] = present.quotes_markdown(quotes) + present.WRITING
                yield {self.chatbot: turns, self.question: ""}
            elif isinstance(event, Verified):
                # Only checked sentences are shown while the model writes; raw tokens never are.
                turns[-1]["content"] = present.quotes_markdown(quotes) + event.text + present.WRITING
                yield {self.chatbot: turns, self.question: ""}
            elif isinstance(event, Final):
                turns[-1]["content"] = present.answer_markdown(event.answer)
                yield self._view(turns, present.sources_html(event.answer))
