"""Several users at once through the Gradio API (`python -m evals load` runs 20 for 60 s with the real
embedder): every call of every kind succeeds, with a scripted model in place of the language model."""

from __future__ import annotations

import pytest

from assistant.services import Services
from evals.load import run_load
from tests.fixtures.fakes import ScriptedChatModel

pytestmark = pytest.mark.system


def test_five_clients_for_eight_seconds_get_no_errors(settings, embedder):
    services = Services.build(settings, embedder=embedder, chat_model=ScriptedChatModel(
        replies=["Afgiften har nedbragt forbruget af oksekød med over 30 pct. [1]"]))
    services.indexer.sync()
    figures = run_load(services, clients=5, seconds=8)
    services.close()
    assert figures["errors"] == 0, figures["error_samples"]
    assert all(count > 0 for count in figures["calls"].values()), figures["calls"]
