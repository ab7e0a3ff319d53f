"""The OpenAI-compatible backend against a real server: llama.cpp's own, on loopback."""

from __future__ import annotations

import sys

import pytest

from assistant.answering.answer import Final, Retrieved, Token
from assistant.llm.chat import make_chat_model
from tests.fixtures.servers import free_port, http_ready, running

pytestmark = pytest.mark.realmodel


@pytest.fixture(scope="module")
def server(real_settings, tmp_path_factory):
    port = free_port()
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(real_settings.gguf_path),
               "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096", "--n_threads", "2",
               "--model_alias", "qwen-local"]
    with running(command, http_ready(f"http://127.0.0.1:{port}/v1/models"),
                 tmp_path_factory.mktemp("server") / "llama-server.log"):
        yield port


def _remote_answerer(real, real_settings, port):
    settings = real_settings.model_copy(update={
        "llm": "openai", "openai_base_url": f"http://127.0.0.1:{port}/v1", "openai_model": "qwen-local"})
    chat = make_chat_model(settings)
    return type(real.answerer)(real.retriever, chat, real.answerer.prompt, real.answerer.checker, k=5)


def test_answers_through_an_openai_compatible_endpoint(real, real_settings, server):
    answer = _remote_answerer(real, real_settings, server).ask(
        "Hvor meget faldt Aarhus' forbrug af oksekød efter klimaafgiften?")
    assert answer.answered, answer.warnings
    assert any("kød med over 30 pct." in c.quote for c in answer.citations)


def test_a_remote_answer_streams_token_by_token_after_the_sources(real, real_settings, server):
    events = list(_remote_answerer(real, real_settings, server).stream(
        "Hvor meget faldt Aarhus' forbrug af oksekød efter klimaafgiften?"))
    kinds = [type(e) for e in events]
    assert kinds[0] is Retrieved and kinds[-1] is Final
    assert kinds.count(Token) > 3  # streamed in pieces, not one reply at the end
