"""The OpenAI-compatible backend against a real server: llama.cpp's own, on loopback."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from assistant.llm.chat import make_chat_model

pytestmark = pytest.mark.realmodel


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(real_settings, tmp_path_factory):
    port = _free_port()
    # The server logs a lot while loading; a file, not a pipe nobody reads, or it blocks.
    log = (tmp_path_factory.mktemp("server") / "llama-server.log").open("w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(real_settings.gguf_path),
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096", "--n_threads", "2",
         "--model_alias", "qwen-local"],
        stdout=log, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"llama.cpp server exited: {log.read()[-2000:]}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2)
            break
        except OSError:
            time.sleep(1)
    else:
        proc.kill()
        raise RuntimeError("llama.cpp server did not start within 120 s")
    yield port
    proc.terminate()
    proc.wait(timeout=30)
    log.close()


def test_answers_through_an_openai_compatible_endpoint(real, real_settings, server):
    settings = real_settings.model_copy(update={
        "llm": "openai", "openai_base_url": f"http://127.0.0.1:{server}/v1", "openai_model": "qwen-local"})
    chat = make_chat_model(settings)
    answerer = type(real.answerer)(real.retriever, chat, real.answerer.prompt, real.answerer.checker, k=5)
    answer = answerer.ask("Hvor meget faldt Aarhus' forbrug af oksekød efter klimaafgiften?")
    assert answer.answered, answer.warnings
    assert any("kød med over 30 pct." in c.quote for c in answer.citations)
