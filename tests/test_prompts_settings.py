from __future__ import annotations

import pytest

from assistant.llm import LlamaCppChatModel, make_chat_model
from assistant.prompts import PromptError, load_prompt, render
from assistant.settings import Settings


def test_render_fails_on_missing_or_unexpected_slots():
    assert render("Spørgsmål: {question}", question="Hvad?") == "Spørgsmål: Hvad?"
    with pytest.raises(PromptError):
        render("Spørgsmål: {question}")
    with pytest.raises(PromptError):
        render("Spørgsmål: {question}", question="x", extra="y")


def test_answer_prompt_files_have_the_expected_slots():
    prompt = load_prompt("answer")
    messages = prompt.messages(question="Q?", passages="[1] A")
    assert [role for role, _ in messages] == ["system", "human", "ai", "human"]
    assert "[1] A" in messages[-1][1] and "Q?" in messages[-1][1]
    assert messages[2][1] == "Madspildet i kantinerne er halveret siden 2021 [2]."


def test_backends_are_chosen_by_settings(monkeypatch, tmp_path):
    assert isinstance(make_chat_model(Settings(_env_file=None)), LlamaCppChatModel)
    monkeypatch.setenv("UDB_LLM", "openai")
    monkeypatch.setenv("UDB_OPENAI_BASE_URL", "http://127.0.0.1:8080/v1")
    monkeypatch.setenv("UDB_OPENAI_MODEL", "qwen")
    model = make_chat_model(Settings(_env_file=None))
    assert type(model).__name__ == "ChatOpenAI"
    assert model.model_name == "qwen" and str(model.openai_api_base).startswith("http://127.0.0.1:8080")
