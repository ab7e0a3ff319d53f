"""Tab *Spørg kilderne*: the chat with its sources panel (sources first, then the streamed answer)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gradio as gr

from assistant.answering.answer import Checking, Final, Quoted, Rereading, Retrieved, Verified
from assistant.services import Services
from assistant.tenders.review import cited_contexts
from assistant.types import Quote
from assistant.ui import present
from assistant.ui.shared import Updates

CONTEXT_CHARS = 900  # of the document on each side of a cited passage, under "Vis teksten omkring uddraget"
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
                # A share of the window, not 520 px: at 1366×768 the question box was below the fold.
                self.chatbot = gr.Chatbot(label="Samtale", height="42vh", min_height=260, elem_id="udb-chat",
                                          buttons=["copy", "copy_all"])
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
                gr.Markdown("## Kilder\nKlik på et tidligere svar i samtalen for at se dets kilder igen.")
                self.sources = gr.HTML(present.sources_html(None), elem_id="udb-sources")

    def wire(self) -> None:
        self.asked = gr.State("")  # the question just sent: the box is emptied at once
        self.turn_sources = gr.State({})  # sources per answer (message index -> HTML), kept for the whole chat
        self._changed = []  # events after which the conversation is saved in the browser (remember_in)
        for send in (self.ask.click, self.question.submit):
            # Outside the queue: the question and the first stage are on screen at once, even while another
            # user's answer holds the model. Gradio's own (English) timer is hidden; our stages say it in Danish.
            self._changed.append(send(
                self.show_question, [self.question, self.chatbot], [self.chatbot, self.question, self.asked],
                queue=False, show_progress="hidden").then(
                self.respond_pending, [self.asked, self.chatbot, self.doc_filter, self.turn_sources],
                [self.chatbot, self.sources, self.question, self.turn_sources], show_progress="hidden"))
        self.chatbot.select(self.show_turn, [self.turn_sources], [self.sources], queue=False)
        self._changed.append(self.clear.click(
            lambda: {self.chatbot: [], self.sources: present.sources_html(None), self.turn_sources: {}},
            None, [self.chatbot, self.sources, self.turn_sources], queue=False))

    def remember_in(self, store: gr.BrowserState) -> None:
        """Keep the conversation and each answer's sources in the browser, so a reload brings them back."""
        for event in self._changed:
            event.then(saved_chat, [self.chatbot, self.turn_sources], [store], queue=False)

    def restored(self, saved: dict | None) -> Updates:
        """The conversation the browser kept; nothing kept changes nothing."""
        saved = saved if isinstance(saved, dict) else {}
        chat = [m for m in saved.get("chat") or [] if isinstance(m, dict) and m.get("role") in ("user", "assistant")]
        if not chat:
            return {}
        sources = {str(k): v for k, v in (saved.get("sources") or {}).items() if isinstance(v, str)}
        last = sources.get(str(len(chat) - 1))
        return {self.chatbot: chat, self.turn_sources: sources,
                self.sources: last if last is not None else present.sources_html(None)}

    def show_question(self, message: str, history: list[dict] | None) -> Updates:
        message = (message or "").strip()
        history = list(history or [])
        if not message:
            return {self.chatbot: history, self.question: "", self.asked: ""}
        pending = [{"role": "user", "content": message},
                   {"role": "assistant", "content": present.stage_markdown(0)}]
        return {self.chatbot: [*history, *pending], self.question: "", self.asked: message}

    def show_turn(self, turn_sources: dict | None, evt: gr.SelectData) -> Any:
        """A click on an earlier answer brings its own sources back into the panel."""
        index = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        shown = (turn_sources or {}).get(str(index))
        return shown if shown is not None else gr.update()

    def _view(self, history: list[dict], sources: str) -> Updates:
        return {self.chatbot: history, self.sources: sources, self.question: ""}

    def respond_pending(self, message: str, history: list[dict] | None, doc_ids: list[str] | None,
                        turn_sources: dict | None = None) -> Iterator[Updates]:
        """The answer to the question show_question has just put on screen (with its first stage): those two
        messages are the last of ``history`` and are replaced as the answer comes."""
        history = list(history or [])
        if (message or "").strip():
            history = history[:-2]
        yield from self.respond(message, history, doc_ids, turn_sources)

    def respond(self, message: str, history: list[dict] | None, doc_ids: list[str] | None,
                turn_sources: dict | None = None) -> Iterator[Updates]:
        message = (message or "").strip()
        history = list(history or [])
        if not message:
            yield self._view(history, present.sources_html(None))
            return
        turns = [*history, {"role": "user", "content": message},
                 {"role": "assistant", "content": present.stage_markdown(0)}]
        kept = dict(turn_sources or {})
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
        shown = ""
        for event in self.services.answerer.stream(message, doc_ids or None):
            if isinstance(event, Retrieved):
                # Sources first: what the answer will draw on is on screen while the model reads it.
                turns[-1]["content"] = present.stage_markdown(1, f"{len(event.passages)} passager fundet.")
                yield self._view(turns, present.passages_html(list(event.passages), pending=True))
            elif isinstance(event, Quoted):
                quotes = event.quotes
                turns[-1]["content"] = present.quotes_markdown(quotes) + present.WRITING
                yield {self.chatbot: turns, self.question: ""}
            elif isinstance(event, Verified):
                # Only checked sentences are shown while the model writes; raw tokens never are.
                shown = event.text
                turns[-1]["content"] = present.quotes_markdown(quotes) + shown + present.WRITING
                yield {self.chatbot: turns, self.question: ""}
            elif isinstance(event, Rereading):
                # The first try's sentences did not hold; what was shown of it is taken back.
                shown = ""
                turns[-1]["content"] = present.quotes_markdown(quotes) + present.REREADING
                yield {self.chatbot: turns, self.question: ""}
            elif isinstance(event, Checking):
                turns[-1]["content"] = present.quotes_markdown(quotes) + shown + present.CHECKING
                yield {self.chatbot: turns, self.question: ""}
            elif isinstance(event, Final):
                turn = len(turns) - 1
                turns[-1]["content"] = present.answer_markdown(event.answer, turn)
                contexts = cited_contexts(self.services.catalog, event.answer.citations, CONTEXT_CHARS)
                sources = present.sources_html(event.answer, turn=turn, contexts=contexts)
                kept[str(turn)] = sources
                yield {**self._view(turns, sources), self.turn_sources: kept}


# What the browser keeps of a conversation: localStorage holds a few MB per site, so the sources of the oldest
# answers go first (their messages stay; a click on them then shows nothing new).
SAVED_CHAT_CHARS = 1_500_000


def saved_chat(history: list[dict] | None, turn_sources: dict | None) -> dict:
    chat: list[dict[str, str]] = [{"role": str(m.get("role")), "content": _text(m.get("content"))}
                                   for m in history or [] if isinstance(m, dict)]
    sources = dict(turn_sources or {})
    size = sum(len(m["content"]) for m in chat)
    for key in sorted(sources, key=int):
        if size + sum(len(v) for v in sources.values()) <= SAVED_CHAT_CHARS:
            break
        del sources[key]
    return {"chat": chat, "sources": sources}


def _text(content: object) -> str:
    """A message's text, whether Gradio hands it over as a string or as a list of typed parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
    if isinstance(content, dict):
        return str(content.get("text", ""))
    return ""
