"""The embedded chat model serialises calls: Gradio runs the chat and drafting events in different
threads, and two threads decoding in one llama.cpp context abort the process."""

from __future__ import annotations

import threading
import time

from assistant.llm.chat import LlamaCppChatModel


class _OverlapDetector:
    """Stands in for llama_cpp.Llama and records whether two calls ever ran at once."""

    def __init__(self) -> None:
        self.active = 0
        self.max_active = 0
        self.guard = threading.Lock()

    def _enter(self) -> None:
        with self.guard:
            self.active += 1
            self.max_active = max(self.max_active, self.active)

    def _leave(self) -> None:
        with self.guard:
            self.active -= 1

    def create_chat_completion(self, messages, stream=False, **kwargs):
        if stream:
            return self._stream()
        self._enter()
        time.sleep(0.05)
        self._leave()
        return {"choices": [{"message": {"content": "svar"}}]}

    def _stream(self):
        self._enter()
        try:
            for word in ("et ", "svar"):
                time.sleep(0.02)
                yield {"choices": [{"delta": {"content": word}}]}
        finally:
            self._leave()


def test_concurrent_calls_take_turns_on_the_one_context():
    model = LlamaCppChatModel(model_path="unused.gguf", verify_hash=False)
    fake = _OverlapDetector()
    model._llama = fake
    results: list[str] = []

    def ask() -> None:
        results.append("".join(str(c.content) for c in model.stream("hej")))

    def draft() -> None:
        results.append(str(model.invoke("hej").content))

    threads = [threading.Thread(target=f) for f in (ask, draft, ask, draft)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["et svar", "et svar", "svar", "svar"]
    assert fake.max_active == 1
