from __future__ import annotations

import pytest

from assistant.llm.chat import LlamaCppChatModel, make_chat_model
from assistant.llm.prompts import PromptError, load_prompt, render
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
    assert [role for role, _ in messages] == ["system", "human"]
    assert "[1] A" in messages[-1][1] and "Q?" in messages[-1][1]


def test_worked_examples_become_chat_turns(tmp_path):
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "system.md").write_text("Regler.", encoding="utf-8")
    (folder / "user.md").write_text("Spørgsmål: {question}", encoding="utf-8")
    (folder / "example-1.user.md").write_text("Spørgsmål: eksempel", encoding="utf-8")
    (folder / "example-1.answer.md").write_text("Eksempelsvar [1].", encoding="utf-8")
    messages = load_prompt("demo", tmp_path).messages(question="Q?")
    assert messages == [("system", "Regler."), ("human", "Spørgsmål: eksempel"),
                        ("ai", "Eksempelsvar [1]."), ("human", "Spørgsmål: Q?")]


def test_backends_are_chosen_by_settings(monkeypatch, tmp_path):
    assert isinstance(make_chat_model(Settings(_env_file=None)), LlamaCppChatModel)
    monkeypatch.setenv("UDB_LLM", "openai")
    monkeypatch.setenv("UDB_OPENAI_BASE_URL", "http://127.0.0.1:8080/v1")
    monkeypatch.setenv("UDB_OPENAI_MODEL", "qwen")
    model = make_chat_model(Settings(_env_file=None))
    assert type(model).__name__ == "ChatOpenAI"
    assert model.model_name == "qwen" and str(model.openai_api_base).startswith("http://127.0.0.1:8080")
