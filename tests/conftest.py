from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.services import Services
from assistant.settings import ROOT, Settings
from tests.fixtures.fakes import BagOfWordsEmbedder, ScriptedChatModel

CORPUS = ROOT / "corpus" / "documents"


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A private copy of the real corpus, so tests may change or delete files."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture
def settings(tmp_path: Path, corpus_dir: Path) -> Settings:
    # In-process loading keeps the fast suite fast; test_isolate.py covers the child-process default.
    return Settings(corpus_dir=corpus_dir, data_dir=tmp_path / "data", load_in_subprocess=False,
                    _env_file=None)


@pytest.fixture
def embedder() -> BagOfWordsEmbedder:
    return BagOfWordsEmbedder()


@pytest.fixture
def chat() -> ScriptedChatModel:
    return ScriptedChatModel(replies=["Det fremgår ikke af kilderne."])


@pytest.fixture
def services(settings: Settings, embedder: BagOfWordsEmbedder, chat: ScriptedChatModel):
    built = Services.build(settings, embedder=embedder, chat_model=chat)
    yield built
    built.close()


@pytest.fixture
def indexed(services: Services) -> Services:
    report = services.indexer.sync()
    assert not report.failed, report.failed
    return services


@pytest.fixture
def app(indexed: Services):
    """The Gradio app built on the indexed fake services (nothing is launched)."""
    from assistant.ui.app import create_app

    built = create_app(indexed)
    yield built
    built.demo.close()
